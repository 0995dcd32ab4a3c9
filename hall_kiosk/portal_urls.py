from django.urls import path

from hall_kiosk import portal_views

urlpatterns = [
    path("pin/", portal_views.kiosk_pin, name="kiosk_pin"),
    path("sign-in/<str:token>/", portal_views.qr_confirm, name="kiosk_qr_confirm"),
]

from django.urls import path

from campus_portal.province import views

urlpatterns = [
    path("matters/<str:code>/", views.matter_detail, name="province_matter"),
    path("go/<str:code>/", views.handoff, name="province_handoff"),
]

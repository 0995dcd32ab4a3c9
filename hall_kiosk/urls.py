from django.urls import path

from hall_kiosk import views

app_name = "hall_kiosk"
urlpatterns = [
    path("", views.home, name="home"),
    path("enrol/<str:code>/", views.enrol, name="enrol"),
    path("preferences/", views.preferences, name="preferences"),
    path("sign-in/card/", views.card_swipe, name="card"),
    path("sign-in/pin/", views.pin, name="pin"),
    path("sign-in/qr/", views.qr_sign_in, name="qr"),
    path("sign-in/qr/<int:qr_id>/poll/", views.qr_poll, name="qr_poll"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("matters/", views.matters, name="matters"),
    path("apply/<str:code>/", views.apply, name="apply"),
    path("applications/", views.applications, name="applications"),
    path("applications/<str:reference>/", views.application, name="application"),
    path("applications/<str:reference>/print/", views.print_start, name="print"),
    path("print/<int:job_id>/", views.print_job, name="print_job"),
    path("print/<int:job_id>/status/", views.print_status, name="print_status"),
    path("print/<int:job_id>/retry/", views.print_retry, name="print_retry"),
    path("locker/", views.locker, name="locker"),
    path("queue/", views.queue, name="queue"),
    path("queue/ticket/", views.ticket, name="ticket"),
    path("hall-display/", views.hall_display, name="hall_display"),
]

from django.urls import path

from campus_portal.applications import views
from campus_portal.attachments import views as attachment_views
from campus_portal.delivery import views as delivery_views
from campus_portal.ratings import views as rating_views

app_name = "applications"
urlpatterns = [
    path("apply/<str:code>/", views.apply_start, name="start"),
    path("applications/", views.application_list, name="list"),
    path("applications/<str:reference>/", views.application_detail, name="detail"),
    path("applications/<str:reference>/form/", views.application_form, name="form"),
    path("applications/<str:reference>/consent/", views.application_consent, name="consent"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw, name="withdraw"),
    path(
        "applications/<str:reference>/attachments/<int:attachment_id>/",
        attachment_views.attachment_download,
        name="attachment",
    ),
    path("applications/<str:reference>/close/", views.application_close, name="close"),
    path("applications/<str:reference>/rating/", rating_views.rating_submit, name="rate"),
    path(
        "applications/<str:reference>/delivery/confirm/",
        delivery_views.post_confirm,
        name="delivery_confirm",
    ),
]

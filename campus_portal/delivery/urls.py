"""The delivery's URLs on the applicant's application pages (namespace ``applications``,
joined with the lifecycle's own in ``config/urls.py``)."""

from django.urls import path

from campus_portal.delivery import views

application_urlpatterns = [
    path(
        "applications/<str:reference>/delivery/confirm/",
        views.post_confirm,
        name="delivery_confirm",
    ),
]

"""The rating's URL on the applicant's application page (namespace ``applications``, joined
with the lifecycle's own in ``config/urls.py``)."""

from django.urls import path

from campus_portal.ratings import views

application_urlpatterns = [
    path("applications/<str:reference>/rating/", views.rating_submit, name="rate"),
]

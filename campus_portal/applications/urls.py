"""The applicant's URLs of the lifecycle, in the ``applications`` namespace.

The apps that follow the lifecycle add theirs to the same namespace (``delivery.urls``,
``ratings.urls``: ``applications:delivery_confirm``, ``applications:rate``); ``config/urls.py``
puts them together, so this module imports none of them.
"""

from django.urls import path

from campus_portal.applications import attachment_views, views

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
]

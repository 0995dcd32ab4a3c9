from django.urls import path

from campus_portal.ratings import views as rating_views
from campus_portal.workbench import views

app_name = "workbench"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("office/", views.office_overview, name="office"),
    path("window/", views.window_start, name="window"),
    path("window/queue/", views.queue_calling, name="queue_calling"),
    path("supervision/", views.supervision_overview, name="supervision"),
    path("rectifications/", rating_views.rectifications, name="rectifications"),
    path("<str:reference>/", views.application_detail, name="detail"),
]

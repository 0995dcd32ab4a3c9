from django.urls import path

from campus_portal.results import views

app_name = "results"
urlpatterns = [
    path("applications/<str:reference>/result.pdf", views.result_download, name="download"),
    path("verify/", views.verify, name="verify_upload"),
    path("verify/<str:number>/", views.verify, name="verify"),
    path("results/<str:number>/revoke/", views.result_revoke, name="revoke"),
]

"""The signed-in person's own pages (个人中心)."""

from django.urls import path

from campus_portal.accounts import views

app_name = "me"
urlpatterns = [
    path("data-access/", views.my_data_access, name="data_access"),
]

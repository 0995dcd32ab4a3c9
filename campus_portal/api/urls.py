from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from campus_portal.api import views

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("v1/matters/", views.MatterListView.as_view(), name="api-matter-list"),
    path("v1/matters/<str:code>/", views.MatterDetailView.as_view(), name="api-matter-detail"),
]

"""The product's URL map with the benchmark baseline in front of Wagtail's catch-all."""

from django.urls import include, path

from bench.baseline import baseline

urlpatterns = [
    path("bench/baseline/", baseline, name="bench-baseline"),
    path("", include("config.urls")),
]

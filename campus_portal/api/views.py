"""Read-only matter endpoints. Filtering and search go through the catalog selectors."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from campus_portal.api.serializers import MatterGuideSerializer, MatterSummarySerializer
from campus_portal.catalog.selectors import matter_get, matter_search


@extend_schema(
    parameters=[
        OpenApiParameter("q", str, description="Chinese, pinyin or initials (e.g. cjd)"),
        OpenApiParameter("audience", str, description="Audience code, e.g. undergraduate"),
        OpenApiParameter("office", str, description="Office code, e.g. JWC"),
        OpenApiParameter("topic", str, description="Topic slug, e.g. certificates"),
    ]
)
class MatterListView(generics.ListAPIView):
    """Published matters, best search matches first when ``q`` is given."""

    serializer_class = MatterSummarySerializer

    def get_queryset(self):
        params = self.request.query_params
        return matter_search(
            q=(params.get("q") or "")[:100],
            audience=params.get("audience") or "",
            office_code=params.get("office") or "",
            topic=params.get("topic") or "",
        )


class MatterDetailView(generics.GenericAPIView):
    """The full service guide of one matter, by matter code or power-item code."""

    serializer_class = MatterGuideSerializer

    def get(self, request: Request, code: str) -> Response:
        matter = matter_get(code=code)
        if matter is None:
            raise Http404
        return Response(self.get_serializer(matter).data)

from django.urls import path, register_converter

from campus_portal.documents import views
from campus_portal.documents.notices import NoticeKind


class NoticeKindConverter:
    """Only the four kinds resolve; any other name is an ordinary 404."""

    regex = "|".join(NoticeKind.values)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(NoticeKindConverter, "notice_kind")

app_name = "documents"
urlpatterns = [
    path(
        "applications/<str:reference>/notices/<notice_kind:kind>.pdf",
        views.notice_download,
        name="notice",
    ),
]

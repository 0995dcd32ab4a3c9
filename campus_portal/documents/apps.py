from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """PDF documents: the notices of an application (and, later, signed result certificates)."""

    name = "campus_portal.documents"
    label = "documents"
    verbose_name = _("Documents")

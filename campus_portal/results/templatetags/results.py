"""``{% application_results application as results %}``: the result documents to show on the
applicant's and the workbench's application pages (one ``{% include %}`` line each)."""

from __future__ import annotations

from dataclasses import dataclass

from django import template

from campus_portal.applications.models import Event
from campus_portal.results.models import IssuedDocument
from campus_portal.results.permissions import may_revoke
from campus_portal.results.selectors import result_documents_for

register = template.Library()


@dataclass(frozen=True)
class ResultLinks:
    available: bool  # approved: a result can be downloaded (issued at the latest then)
    documents: list[IssuedDocument]
    revocable: set[int]


@register.simple_tag
def application_results(application, user) -> ResultLinks:
    documents = list(result_documents_for(application=application))
    approved = bool(documents) or application.events.filter(kind=Event.Kind.APPROVED).exists()
    revocable = {document.pk for document in documents if may_revoke(user, document)}
    return ResultLinks(available=approved, documents=documents, revocable=revocable)

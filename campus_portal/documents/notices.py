"""The notices a service hall issues: 受理回执, 补正告知书, 不予受理通知书, 决定书.

Why it is shaped like this:

- A notice is *derived*, never stored: each one belongs to the event that issued it (accepted,
  returned for supplement, not accepted, approved/rejected), so it exists exactly from that
  moment on, keeps its date and content when the application moves on (a supplement notice
  stays downloadable after the applicant has supplemented), and nothing has to happen — or can
  go wrong — inside a transition. Events are written only by applications/services.py.
- Each notice has a stable number, ``<reference>-<suffix>``: an application is accepted,
  returned, refused and decided at most once, so reference and kind identify a notice for good.
- The bodies are Chinese: they are official documents of a Chinese university, like the
  plugins' literals. Only the link labels on our pages are translated (``NoticeKind`` labels).
- Dates are the calendar's (Beijing) dates; the expected completion date on the receipt counts
  the matter's promised time limit in working days (workdays/calendar.py), as the applicant was
  promised in the guide.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from campus_portal.applications.models import Application, Event
from campus_portal.catalog.models import Office
from campus_portal.documents.rendering import pdf_render
from campus_portal.workdays.calendar import CALENDAR_TZ, add_working_days


class NoticeKind(models.TextChoices):
    """The kinds of notice; the value is the URL's ``<kind>`` and the ASCII file name's end."""

    RECEIPT = "receipt", _("Acceptance receipt")
    SUPPLEMENT = "supplement", _("Supplement notice")
    NOT_ACCEPTED = "not_accepted", _("Non-acceptance notice")
    DECISION = "decision", _("Decision")


# Which event issues which notice, the number's suffix, and the document's title.
ISSUED_BY: dict[str, tuple[str, ...]] = {
    NoticeKind.RECEIPT: (Event.Kind.ACCEPTED,),
    NoticeKind.SUPPLEMENT: (Event.Kind.SUPPLEMENT_REQUESTED,),
    NoticeKind.NOT_ACCEPTED: (Event.Kind.NOT_ACCEPTED,),
    NoticeKind.DECISION: (Event.Kind.APPROVED, Event.Kind.REJECTED),
}
NUMBER_SUFFIX = {
    NoticeKind.RECEIPT: "SL",  # 受理
    NoticeKind.SUPPLEMENT: "BZ",  # 补正
    NoticeKind.NOT_ACCEPTED: "BSL",  # 不予受理
    NoticeKind.DECISION: "JD",  # 决定
}
TITLES = {
    NoticeKind.RECEIPT: "受理回执",
    NoticeKind.SUPPLEMENT: "补正告知书",
    NoticeKind.NOT_ACCEPTED: "不予受理通知书",
}
APPROVAL_TITLE = "准予办理决定书"
REJECTION_TITLE = "不予办理决定书"
_KIND_OF_EVENT = {event: kind for kind, events in ISSUED_BY.items() for event in events}


@dataclass(frozen=True)
class Notice:
    """One notice of one application: enough to list and name it without rendering it."""

    kind: str
    number: str
    title: str
    issued_at: datetime
    event: Event

    @property
    def label(self) -> str:
        return NoticeKind(self.kind).label

    @property
    def ascii_filename(self) -> str:
        return f"{self.number}-{self.kind}.pdf"

    @property
    def display_filename(self) -> str:
        return f"{self.number}-{self.title}.pdf"


def notices_for(application: Application) -> list[Notice]:
    """The notices ``application`` has so far, in the order they were issued (one query)."""
    events = application.events.filter(kind__in=_KIND_OF_EVENT).order_by("at", "pk")
    notices: dict[str, Notice] = {}
    for event in events:
        kind = _KIND_OF_EVENT[event.kind]
        if kind in notices:  # each is issued once; the first event is the notice
            continue
        if kind == NoticeKind.DECISION:
            approved = event.kind == Event.Kind.APPROVED
            title = APPROVAL_TITLE if approved else REJECTION_TITLE
        else:
            title = TITLES[kind]
        notices[kind] = Notice(
            kind=kind,
            number=f"{application.reference}-{NUMBER_SUFFIX[kind]}",
            title=title,
            issued_at=event.at,
            event=event,
        )
    return list(notices.values())


def notice_get(application: Application, kind: str) -> Notice | None:
    """The notice of this kind, or None while it has not been issued."""
    return next((notice for notice in notices_for(application) if notice.kind == kind), None)


def notice_pdf(application: Application, notice: Notice) -> bytes:
    """The notice as PDF (rendered on download, cached by content: see rendering.py)."""
    return pdf_render(f"documents/notices/{notice.kind}.html", notice_context(application, notice))


# --- What a notice says ----------------------------------------------------------------------


def notice_context(application: Application, notice: Notice) -> dict[str, Any]:
    """Everything the notice's template shows; plain values, so the HTML digest is stable."""
    matter = application.matter
    office = _issuing_office(application, decision=notice.kind == NoticeKind.DECISION)
    context: dict[str, Any] = {
        "notice": notice,
        "number": notice.number,
        "title": notice.title,
        "university": settings.UNIVERSITY_NAME,
        "office_name": office.name if office else application.office_code,
        "office_address": matter.address or (office.address if office else ""),
        "office_phone": matter.phone or (office.phone if office else ""),
        "reference": application.reference,
        "matter_title": matter.title,
        "matter_code": matter.code,
        "applicant_name": applicant_name(application),
        "submitted_on": cn_date(application.submitted_at),
        "issued_on": cn_date(notice.issued_at),
        "channel": application.get_channel_display(),
    }
    detail = notice.event.detail or {}
    if notice.kind == NoticeKind.RECEIPT:
        context.update(_receipt(application, notice))
    elif notice.kind == NoticeKind.SUPPLEMENT:
        context["items"] = list(detail.get("items") or application.supplement_notice)
    else:
        context["reason"] = detail.get("reason") or application.decision_reason
        context["approved"] = notice.event.kind == Event.Kind.APPROVED
        context["result_name"] = matter.result_name
        if not context["approved"]:
            context["redress"] = redress_lines(application, office_name=context["office_name"])
    return context


def _receipt(application: Application, notice: Notice) -> dict[str, Any]:
    promised = application.matter.promised_time_limit
    due = add_working_days(notice.issued_at, promised)
    return {
        "promised_days": promised,
        "legal_days": application.matter.legal_time_limit,
        "expected_on": cn_date(due),
    }


def _issuing_office(application: Application, *, decision: bool) -> Office | None:
    """Who signs: the accepting office, or for a decision the matter's deciding office."""
    matter = application.matter
    if decision and matter.deciding_office_id:
        return matter.deciding_office
    return Office.objects.filter(code=application.office_code).first() or matter.office


def applicant_name(application: Application) -> str:
    """The name the university holds (the warehouse snapshot), else the account's name."""
    entry = (application.snapshot or {}).get("person.name") or {}
    if entry.get("value") and not entry.get("masked"):
        return str(entry["value"])
    user = application.applicant
    return user.get_full_name() or user.get_username()


def redress_lines(application: Application, *, office_name: str) -> list[str]:
    """The redress channel (救济途径) printed on a refusal: the guide's own text where the
    office wrote one, else a review by the office; plus the complaint channel and phone."""
    matter = application.matter
    lines = [
        matter.redress.strip()
        or f"如对本决定有异议，可自收到本文书之日起向{office_name}书面申请复核。"
    ]
    if matter.complaint_channel.strip():
        lines.append(f"监督投诉渠道：{matter.complaint_channel.strip()}")
    phone = matter.phone or getattr(matter.office, "phone", "")
    if phone:
        lines.append(f"咨询电话：{phone}")
    return lines


def cn_date(moment: datetime | None) -> str:
    """``2026年11月23日`` in Beijing time, the way Chinese official documents write dates."""
    if moment is None:
        return ""
    local = moment.astimezone(CALENDAR_TZ)
    return f"{local.year}年{local.month}月{local.day}日"

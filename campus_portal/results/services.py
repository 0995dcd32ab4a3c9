"""Issuing and revoking result documents — the public service API of the results app.

Others call (keep the names): ``result_document_issue`` (idempotent: the Celery task after an
approval, the first download, the kiosk's print), ``result_document_revoke`` (the office).
Reads are in ``selectors.py``.

Issuing renders the document (``content.py``), signs it (``signing.py``) and stores the signed
bytes in private storage with their SHA-256, under a row that is unique per application and
kind. It runs outside every lifecycle transition (``lifecycle.py`` queues it after commit), so
a missing key or a slow renderer can never stop an approval; a failure is retried by the task
and, failing that, the applicant's first download issues it.
"""

from __future__ import annotations

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications.models import Application, Channel, Event, HandlerBinding
from campus_portal.applications.permissions import may
from campus_portal.applications.selectors import application_view
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record
from campus_portal.catalog.models import Office
from campus_portal.plugin_api import registry
from campus_portal.results.content import (
    DECISION_TITLE,
    DEFAULT_SOURCES,
    Content,
    document_context,
    document_pdf,
    mask_name,
)
from campus_portal.results.models import (
    DocumentKind,
    IssuedDocument,
    Language,
    OfficeSeal,
    ResultTemplate,
)
from campus_portal.results.permissions import may_revoke
from campus_portal.results.seals import demo_seal_png
from campus_portal.results.signing import pdf_sign, signer_load

logger = logging.getLogger(__name__)

NUMBER_SUFFIX = "ZM"  # 证明 / 出证


class ResultNotAvailable(Exception):
    """The application has no result document (it was not approved)."""


class RevocationRefused(Exception):
    """The revocation cannot be made as asked; the message is shown to the user as is."""


def _actor_name(actor) -> str:
    return actor.get_username() if hasattr(actor, "get_username") else str(actor or "system")


def result_content(application: Application) -> Content:
    """What the document says: the handler's ``result()``, else a generic decision."""
    handler = registry.get(application.handler_key)
    document = handler.result(application_view(application)) if handler is not None else None
    if document is None:
        return Content(
            kind=DocumentKind.DECISION,
            language=Language.ZH,
            title=DECISION_TITLE,
            body="",
            handler_key=application.handler_key,
        )
    language = document.language if document.language in Language.values else Language.ZH
    return Content(
        kind=DocumentKind.CERTIFICATE,
        language=language,
        title=document.title,
        body=document.body,
        fields=[(str(label), str(value)) for label, value in document.fields.items()],
        handler_key=application.handler_key,
    )


def issuing_office(application: Application) -> Office | None:
    """Who issues (and signs, and may revoke): the deciding office, else the accepting one."""
    matter = application.matter
    if matter.deciding_office_id:
        return matter.deciding_office
    return Office.objects.filter(code=application.office_code).first() or matter.office


def _new_number(application: Application) -> str:
    """``<reference>-ZM-<8 hex>``: 32 random bits on top of the reference's 24, so numbers on
    the public verify page cannot be guessed or counted."""
    return f"{application.reference}-{NUMBER_SUFFIX}-{secrets.token_hex(4).upper()}"


def _is_approved(application: Application) -> bool:
    return application.events.filter(kind=Event.Kind.APPROVED).exists()


def result_document_issue(*, application: Application, actor=None) -> IssuedDocument:
    """The application's result document, issued now if it has not been yet (idempotent).

    ``actor`` (None: the platform itself) must be someone who may view the application.
    Raises ``ResultNotAvailable`` for an application that was not approved and
    ``SigningUnavailable`` when no signing key is configured.
    """
    if actor is not None and not may(actor, application, "view"):
        raise PermissionDenied
    existing = application.result_documents.order_by("pk").first()
    if existing is not None:
        return existing
    if not _is_approved(application):
        raise ResultNotAvailable(_("This application has no result document."))
    signer = signer_load()  # fail before locking anything when no key is configured
    with transaction.atomic():
        # The lock serialises the task and a first download; the unique constraint covers
        # databases without row locks.
        Application.objects.select_for_update().filter(pk=application.pk).first()
        existing = application.result_documents.order_by("pk").first()
        if existing is not None:
            return existing
        document = _issue(application, signer=signer, actor=actor)
        try:
            with transaction.atomic():
                document.save(force_insert=True)
        except IntegrityError:
            document.file.delete(save=False)
            return application.result_documents.order_by("pk").get()
    logger.info("issued result document %s for %s", document.number, application.reference)
    return document


def _issue(application: Application, *, signer, actor) -> IssuedDocument:
    content = result_content(application)
    office = issuing_office(application)
    number = _new_number(application)
    issued_at = timezone.now()
    document = IssuedDocument(
        application=application,
        kind=content.kind,
        number=number,
        language=content.language,
        title=content.title[:100],
        office_code=office.code if office is not None else application.office_code,
        office_name=office.name if office is not None else application.office_code,
        matter_title=application.matter.title[:200],
        issued_at=issued_at,
        issued_by=_actor_name(actor),
    )
    context = document_context(
        application,
        content,
        number=number,
        issued_at=issued_at,
        office=office,
        verify_url=document.verify_url,
    )
    document.holder_masked = mask_name(context["applicant_name"])[:100]
    signed = pdf_sign(document_pdf(context), reason=f"{content.title} {number}", signer=signer)
    document.sha256 = hashlib.sha256(signed).hexdigest()
    document.size = len(signed)
    document.signer = signer.signing_cert.subject.human_friendly[:300]
    document.file.save(f"{number}.pdf", ContentFile(signed), save=False)
    return document


def result_document_revoke(*, document: IssuedDocument, actor, reason: str) -> IssuedDocument:
    """Revoke ``document`` (staff or head of the issuing office only), with a reason.

    Revoking twice changes nothing (a double submit records one revocation). The revocation is
    recorded on the application's history (an event) and shown by ``/verify/`` at once.
    """
    reason = (reason or "").strip()
    if not may_revoke(actor, document):
        security_event_record(
            kind=SecurityEvent.Kind.PERMISSION_DENIED,
            actor=_actor_name(actor),
            detail={"result_document": document.number, "via": "revoke"},
        )
        raise PermissionDenied
    if not reason:
        raise RevocationRefused(_("Give the reason for the revocation."))
    with transaction.atomic():
        locked = IssuedDocument.objects.select_for_update().get(pk=document.pk)
        if locked.revoked_at is not None:
            return locked
        locked.revoked_at = timezone.now()
        locked.revoked_by = _actor_name(actor)
        locked.revocation_reason = reason[:2000]
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason"])
        application = locked.application
        Event.objects.create(
            application=application,
            kind=Event.Kind.COMMENTED,
            actor=locked.revoked_by,
            channel=Channel.WEB,
            from_state=application.state,
            to_state=application.state,
            detail={"result_document": locked.number, "revoked": True, "reason": reason},
        )
        security_event_record(  # revocations join the tamper-evident chain (issue 17)
            kind=SecurityEvent.Kind.REVOCATION,
            actor=locked.revoked_by,
            subject=application.reference,
            detail={"result_document": locked.number, "reason": reason[:500]},
        )
    logger.info("revoked result document %s: %s", locked.number, reason)
    return locked


def office_seal_set(*, office: Office, png: bytes) -> None:
    """Store ``png`` as the office's seal (replacing the old image file)."""
    seal = OfficeSeal.objects.filter(office=office).first() or OfficeSeal(office=office)
    old = seal.image.name if seal.pk and seal.image else ""
    seal.image.save(f"{office.code}.png", ContentFile(png), save=False)
    seal.save()
    if old and old != seal.image.name:
        seal.image.storage.delete(old)


def result_demo_setup(*, overwrite_seals: bool = False) -> tuple[int, int]:
    """Demo seals for every office with a registered handler, and the default templates
    copied into the admin so that the offices have something to edit. Returns (seals,
    templates) created; existing ones are kept (an office's edits survive ``make run``)."""
    codes = {handler.office for handler in registry}
    # Offices of matters served per matter (configured matters: one handler, many offices).
    codes |= set(
        HandlerBinding.objects.filter(enabled=True).values_list("matter__office__code", flat=True)
    )
    seals = templates = 0
    for office in Office.objects.filter(code__in=codes):
        if overwrite_seals or not OfficeSeal.objects.filter(office=office).exists():
            png = demo_seal_png(university=settings.UNIVERSITY_NAME, office_name=office.name)
            office_seal_set(office=office, png=png)
            seals += 1
        for (kind, language), source in DEFAULT_SOURCES.items():
            if kind == DocumentKind.DECISION and language != Language.ZH:
                continue
            _, created = ResultTemplate.objects.get_or_create(
                office=office,
                kind=kind,
                language=language,
                handler_key="",
                defaults={"source": source},
            )
            templates += created
    return seals, templates

"""What the kiosk does beneath its pages: devices, card/PIN and QR sign-in, print jobs.

Applying, queue tickets and locker pickups are not here: the kiosk calls the same services as
the portal for them (campus_portal.applications, .queueing, .delivery). What lives here is what
only a kiosk has — a registered device, a campus card with a PIN, a QR code on its screen and a
printer next to it.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from campus_portal.applications.models import Application
from campus_portal.audit.models import SecurityEvent
from campus_portal.audit.services import security_event_record
from hall_kiosk import printing
from hall_kiosk.hashing import card_digest, digest
from hall_kiosk.models import CardCredential, Kiosk, PrintJob, QrSignIn
from hall_kiosk.printable import printable_document

ENROLMENT_VALID = timedelta(hours=24)
PIN_LENGTHS = range(4, 7)


class KioskRefused(Exception):
    """Shown to the person at the kiosk as is."""


def card_number_clean(raw: str) -> str:
    """What a reader typed, without spaces; only digits and letters are a card number."""
    value = "".join(raw.split())[:64]
    return value if value.isalnum() else ""


# --- Devices -------------------------------------------------------------------------------------


def kiosk_enrolment_issue(*, kiosk: Kiosk, actor) -> str:
    """A one-time enrolment code for ``kiosk`` (shown to the administrator once).

    Issuing a new code also ends the device's current enrolment: re-enrolling a kiosk (a
    replaced PC, a stolen token) locks out the old browser.
    """
    code = secrets.token_urlsafe(24)
    kiosk.enrolment_digest = digest(code)
    kiosk.enrolment_expires_at = timezone.now() + ENROLMENT_VALID
    kiosk.token_digest = ""
    kiosk.save(update_fields=["enrolment_digest", "enrolment_expires_at", "token_digest"])
    return code


@transaction.atomic
def kiosk_enrol(*, code: str, ip_address: str = "") -> tuple[Kiosk, str]:
    """Use an enrolment code: the kiosk gets a fresh device token, the code is spent."""
    kiosk = (
        Kiosk.objects.select_for_update()
        .filter(enrolment_digest=digest(code), active=True)
        .exclude(enrolment_digest="")
        .first()
    )
    if kiosk is None or kiosk.enrolment_expires_at is None:
        raise KioskRefused(_("This enrolment link is not valid (used or unknown)."))
    if kiosk.enrolment_expires_at < timezone.now():
        raise KioskRefused(_("This enrolment link has expired; issue a new one in the admin."))
    token = secrets.token_urlsafe(32)
    kiosk.token_digest = digest(token)
    kiosk.enrolment_digest = ""
    kiosk.enrolment_expires_at = None
    kiosk.enrolled_at = timezone.now()
    kiosk.save(
        update_fields=["token_digest", "enrolment_digest", "enrolment_expires_at", "enrolled_at"]
    )
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN,
        subject=f"kiosk:{kiosk.number}",
        ip_address=ip_address,
        detail={"kiosk": kiosk.number, "via": "kiosk-enrolment"},
    )
    return kiosk, token


# --- Campus card and PIN -------------------------------------------------------------------------


def card_credential_set(*, user, card_number: str, pin: str = "") -> CardCredential:
    """Register (or replace) ``user``'s campus card; optionally with a PIN (administrators)."""
    number = card_number_clean(card_number)
    if len(number) < 4:
        raise KioskRefused(_("A card number has at least four digits or letters."))
    credential, _created = CardCredential.objects.update_or_create(
        user=user,
        defaults={
            "card_digest": card_digest(number),
            "card_last4": number[-4:],
            "failed_attempts": 0,
            "locked_until": None,
        },
    )
    if pin:
        kiosk_pin_set(user=user, pin=pin)
        credential.refresh_from_db()
    return credential


def kiosk_pin_set(*, user, pin: str) -> None:
    """The card holder chooses their kiosk PIN (4–6 digits); it also lifts a lock."""
    if not (pin.isdigit() and len(pin) in PIN_LENGTHS):
        raise KioskRefused(_("The PIN must be 4 to 6 digits."))
    updated = CardCredential.objects.filter(user=user).update(
        pin_hash=make_password(pin),
        pin_set_at=timezone.now(),
        failed_attempts=0,
        locked_until=None,
    )
    if not updated:
        raise KioskRefused(
            _("No campus card is registered for you yet; ask at the service hall's window.")
        )


def _locked_message(credential: CardCredential) -> str:
    until = timezone.localtime(credential.locked_until)
    return _("Too many wrong PINs. This card is locked until %(time)s.") % {
        "time": f"{until:%H:%M}"
    }


def card_sign_in_start(*, card_number: str, kiosk: Kiosk, ip_address: str = "") -> CardCredential:
    """The card that was swiped, if it can sign in now (known, has a PIN, not locked)."""
    return card_credential_find(
        card_number=card_number, where={"kiosk": kiosk.number}, ip_address=ip_address
    )


def card_credential_find(*, card_number: str, where: dict, ip_address: str = "") -> CardCredential:
    """The card that was swiped at a kiosk or a window counter (``where`` says which, for the
    security log), if it can be used now: known, its holder active, a PIN set, not locked."""
    number = card_number_clean(card_number)
    credential = (
        CardCredential.objects.select_related("user")
        .filter(card_digest=card_digest(number))
        .first()
        if number
        else None
    )
    if credential is None or not credential.user.is_active:
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            ip_address=ip_address,
            detail={"via": "kiosk-card", **where, "reason": "unknown-card"},
        )
        raise KioskRefused(
            _(
                "This card is not registered for the kiosks. Please ask at the window, or sign in "
                "with the QR code."
            )
        )
    if credential.locked_until and credential.locked_until > timezone.now():
        raise KioskRefused(_locked_message(credential))
    if not credential.pin_hash:
        raise KioskRefused(
            _("Set your kiosk PIN first: on the portal, under “My account → Kiosk PIN”.")
        )
    return credential


def card_pin_verify(*, credential_id: int, pin: str, kiosk: Kiosk, ip_address: str = ""):
    """The card holder, when ``pin`` is right. Wrong PINs count; the fifth locks the card."""
    return card_pin_check(
        credential_id=credential_id, pin=pin, where={"kiosk": kiosk.number}, ip_address=ip_address
    )


def card_pin_check(*, credential_id: int, pin: str, where: dict, ip_address: str = ""):
    """The card holder, when ``pin`` is right — at a kiosk or a window counter (``where``).
    Wrong PINs count wherever they are typed; the fifth locks the card.

    The count and the lock are written under a row lock, so two kiosks cannot both get a
    fifth try.
    """
    max_attempts = settings.KIOSK_PIN_MAX_ATTEMPTS
    with transaction.atomic():
        credential = (
            CardCredential.objects.select_for_update(of=("self",))
            .select_related("user")
            .get(pk=credential_id)
        )
        now = timezone.now()
        if credential.locked_until and credential.locked_until > now:
            raise KioskRefused(_locked_message(credential))
        username = credential.user.get_username()
        if credential.pin_hash and check_password(pin, credential.pin_hash):
            credential.failed_attempts = 0
            credential.locked_until = None
            credential.save(update_fields=["failed_attempts", "locked_until"])
            security_event_record(
                kind=SecurityEvent.Kind.SIGN_IN,
                actor=username,
                ip_address=ip_address,
                detail={"via": "kiosk-card", **where},
            )
            return credential.user
        credential.failed_attempts += 1
        locked = credential.failed_attempts >= max_attempts
        if locked:
            credential.locked_until = now + timedelta(minutes=settings.KIOSK_PIN_LOCK_MINUTES)
            credential.failed_attempts = 0
        credential.save(update_fields=["failed_attempts", "locked_until"])
        security_event_record(
            kind=SecurityEvent.Kind.SIGN_IN_FAILED,
            actor=username,
            ip_address=ip_address,
            detail={
                "via": "kiosk-pin",
                **where,
                "locked": locked,
                "attempt": max_attempts if locked else credential.failed_attempts,
            },
        )
        left = max_attempts - credential.failed_attempts
    if locked:
        raise KioskRefused(_locked_message(credential))
    raise KioskRefused(_("Wrong PIN. %(left)d tries left.") % {"left": left})


# --- QR sign-in ----------------------------------------------------------------------------------


def qr_sign_in_start(*, kiosk: Kiosk) -> tuple[QrSignIn, str]:
    """A fresh one-time token for the kiosk's QR code (valid ``KIOSK_QR_SECONDS``)."""
    token = secrets.token_urlsafe(24)
    qr = QrSignIn.objects.create(
        kiosk=kiosk,
        token_digest=digest(token),
        expires_at=timezone.now() + timedelta(seconds=settings.KIOSK_QR_SECONDS),
    )
    return qr, token


def qr_sign_in_get(*, token: str) -> QrSignIn:
    """The QR sign-in a phone scanned, if it can still be confirmed."""
    qr = QrSignIn.objects.select_related("kiosk").filter(token_digest=digest(token)).first()
    if qr is None:
        raise KioskRefused(_("This QR code is not valid."))
    if qr.confirmed_at is not None or qr.used_at is not None:
        raise KioskRefused(_("This QR code has already been used. Scan the new code on the kiosk."))
    if qr.expires_at < timezone.now():
        raise KioskRefused(_("This QR code has expired. Scan the new code on the kiosk."))
    return qr


def qr_sign_in_confirm(*, token: str, user, ip_address: str = "") -> QrSignIn:
    """The signed-in phone's "yes, sign me in at kiosk N"."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("qr sign-in")
    with transaction.atomic():
        qr = qr_sign_in_get(token=token)
        qr = QrSignIn.objects.select_for_update(of=("self",)).select_related("kiosk").get(pk=qr.pk)
        if qr.confirmed_at is not None:  # confirmed in the meantime by another request
            raise KioskRefused(_("This QR code has already been used."))
        qr.confirmed_by = user
        qr.confirmed_at = timezone.now()
        qr.save(update_fields=["confirmed_by", "confirmed_at"])
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN,
        actor=user.get_username(),
        ip_address=ip_address,
        detail={"via": "kiosk-qr", **_qr_where(qr)},
    )
    return qr


def _qr_where(qr: QrSignIn) -> dict:
    if qr.kiosk is not None:
        return {"kiosk": qr.kiosk.number}
    return {"window": qr.window_staff.get_username()}


def window_qr_start(*, staff) -> tuple[QrSignIn, str]:
    """A one-time QR code shown at the window: the applicant confirms from their phone that
    they are the person at the counter (valid ``KIOSK_QR_SECONDS``, used once)."""
    token = secrets.token_urlsafe(24)
    qr = QrSignIn.objects.create(
        window_staff=staff,
        token_digest=digest(token),
        expires_at=timezone.now() + timedelta(seconds=settings.KIOSK_QR_SECONDS),
    )
    return qr, token


def window_qr_use(*, qr_id: int, staff, applicant) -> QrSignIn:
    """The window's QR code, confirmed in time by ``applicant`` themself: used up now."""
    with transaction.atomic():
        qr = (
            QrSignIn.objects.select_for_update(of=("self",))
            .filter(pk=qr_id, window_staff=staff, kiosk__isnull=True)
            .first()
        )
        if (
            qr is None
            or qr.used_at is not None
            or qr.confirmed_by_id != applicant.pk
            or qr.confirmed_at > qr.expires_at
        ):
            raise KioskRefused(
                _(
                    "The applicant has not confirmed this QR code on their own phone, or it has "
                    "expired or been used. Show a new code."
                )
            )
        qr.used_at = timezone.now()
        qr.save(update_fields=["used_at"])
        return qr


def qr_sign_in_collect(*, kiosk: Kiosk, qr_id: int):
    """What the kiosk's poll gets: the person who confirmed, exactly once; else None."""
    with transaction.atomic():
        qr = (
            QrSignIn.objects.select_for_update(of=("self",))
            .select_related("confirmed_by")
            .filter(pk=qr_id, kiosk=kiosk)
            .first()
        )
        if qr is None or qr.confirmed_by is None or qr.used_at is not None:
            return None
        # Confirmed in time but collected late (the kiosk was offline): still refused.
        if qr.confirmed_at > qr.expires_at:
            return None
        qr.used_at = timezone.now()
        qr.save(update_fields=["used_at"])
        return qr.confirmed_by


# --- Printing ------------------------------------------------------------------------------------


def _print(*, kiosk: Kiosk, person, application: Application, attempt: int) -> PrintJob:
    if application.applicant_id != person.pk:
        raise PermissionDenied("print")
    document = printable_document(application=application, actor=person)
    if document is None:
        raise KioskRefused(_("There is nothing to print for this application yet."))
    pdf = document.pdf()
    job = PrintJob.objects.create(
        kiosk=kiosk,
        person=person,
        application_ref=application.reference,
        document_id=document.document_id,
        title=document.title,
        printer_name=kiosk.printer_name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        attempt=attempt,
    )
    try:
        job.lp_job_id = printing.cups_print(
            printer=kiosk.printer_name,
            pdf=pdf,
            title=f"{document.document_id} {document.title}",
        )
    except printing.PrinterError as error:
        job.state = PrintJob.State.FAILED
        job.error = str(error)
        job.finished_at = timezone.now()
    job.save(update_fields=["lp_job_id", "state", "error", "finished_at"])
    return job


def print_job_start(*, kiosk: Kiosk, person, application: Application) -> PrintJob:
    """Print the application's document on the kiosk's printer (a job record either way)."""
    return _print(kiosk=kiosk, person=person, application=application, attempt=1)


def print_job_retry(*, job: PrintJob, person) -> PrintJob:
    """Print the same document again (a new job; the document and its number are the same)."""
    if job.person_id != person.pk:
        raise PermissionDenied("print retry")
    if job.state != PrintJob.State.FAILED:
        raise KioskRefused(_("This print has not failed."))
    application = Application.objects.get(reference=job.application_ref)
    return _print(kiosk=job.kiosk, person=person, application=application, attempt=job.attempt + 1)


def print_job_refresh(*, job: PrintJob) -> PrintJob:
    """Ask CUPS how the job is doing; a job held on a stopped queue fails (and is cancelled)."""
    if job.state != PrintJob.State.QUEUED:
        return job
    try:
        status = printing.cups_job_status(printer=job.printer_name, job_id=job.lp_job_id)
    except printing.PrinterError as error:
        status = printing.JobStatus("stopped", str(error))
    if status.state == "printing":
        return job
    if status.state == "completed":
        job.state = PrintJob.State.PRINTED
    else:
        if status.state == "stopped":
            # Failed either way; an unreachable CUPS is then the reason already recorded.
            with contextlib.suppress(printing.PrinterError):
                printing.cups_cancel(job_id=job.lp_job_id)
        job.state = PrintJob.State.FAILED
        job.error = status.reason
    job.finished_at = timezone.now()
    job.save(update_fields=["state", "error", "finished_at"])
    return job

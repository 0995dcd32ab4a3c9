"""The kiosk tests' world: a private CUPS with a cups-pdf printer, an enrolled kiosk, a student
with a campus card and PIN, window service categories."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from campus_portal.queueing.models import ServiceCategory
from campus_portal.results.keys import configured_key_files, key_pair_ensure
from hall_kiosk import services
from hall_kiosk.kiosk_session import DEVICE_COOKIE
from hall_kiosk.models import Kiosk
from tests.applications.conftest import grant_all, make_student, make_user
from tests.hall_kiosk.cups_printer import cups_start, cups_stop

CARD = "8800123456"
PIN = "2468"


@pytest.fixture(autouse=True)
def cheap_hashes(settings):
    """PINs and passwords are checked for real, with a cheap hash (many per test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english():
    """Service messages in English, whatever language an earlier request left active (the
    pages themselves speak the kiosk session's language)."""
    with translation.override("en"):
        yield


@pytest.fixture(scope="session")
def results_signing_keys():
    """What the kiosk prints is the signed result document: the session's signing keys, made
    where the settings point, as tests/results/conftest.py makes them."""
    files = configured_key_files()
    key_pair_ensure(files, organisation=settings.UNIVERSITY_NAME)
    return files


@pytest.fixture(scope="session")
def cups_printer():
    """One private cupsd and cups-pdf queue per test process (see cups_printer.py).

    Not under pytest's tmp_path: its folders are private to root (0700), and cupsd's filters
    run as ``lp``, which must reach the spool and output folders.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    queue = f"kiosktest-{worker}-{os.getpid()}"
    root = Path(tempfile.mkdtemp(prefix="kiosk-cups-"))
    process, printer, conf = cups_start(root, queue=queue)
    yield printer
    cups_stop(process, conf)
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def printer(cups_printer, settings, results_signing_keys, tmp_path):
    """The session's printer, started, emptied, and configured as the kiosks' CUPS server;
    result documents are signed with the session's keys and stored in the test's folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.KIOSK_CUPS_SERVER = cups_printer.server
    cups_printer.cancel_all()
    cups_printer.start()
    for old in cups_printer.out_dir.glob("*.pdf"):
        old.unlink()
    yield cups_printer
    cups_printer.start()


def enrolled_kiosk(*, number: int = 3, printer: str = "", kind: str = "terminal"):
    """A kiosk enrolled the way an administrator does it: code issued, code used."""
    kiosk = Kiosk.objects.create(
        number=number, name=f"{number}号自助终端", printer_name=printer, kind=kind
    )
    admin = make_user(f"kiosk-admin-{number}")
    code = services.kiosk_enrolment_issue(kiosk=kiosk, actor=admin)
    kiosk, token = services.kiosk_enrol(code=code)
    return kiosk, token


def kiosk_client(token: str) -> Client:
    client = Client()
    client.cookies[DEVICE_COOKIE] = token
    return client


@pytest.fixture
def kiosk(db, cups_printer):
    kiosk, token = enrolled_kiosk(printer=cups_printer.queue)
    kiosk.token = token
    return kiosk


@pytest.fixture
def card_holder(db):
    make_student("2023020202")
    grant_all("jwc.enrollment_certificate")
    user = make_user("2023020202", person_uid="2023020202")
    services.card_credential_set(user=user, card_number=CARD, pin=PIN)
    return user


@pytest.fixture
def categories(db):
    return [
        ServiceCategory.objects.create(prefix="A", name="综合受理", default_service_minutes=6),
        ServiceCategory.objects.create(prefix="B", name="证明与成绩单", default_service_minutes=3),
    ]

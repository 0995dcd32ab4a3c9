"""Uploads are judged by their bytes, limited in size and kept where no URL reaches them."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from campus_portal.applications import services
from campus_portal.applications.models import Application
from campus_portal.attachments.detection import content_type_detect
from campus_portal.attachments.services import (
    attachment_store,
    original_name_clean,
    upload_check,
)
from campus_portal.catalog.models import MatterPage
from tests.attachments.conftest import (
    EXE,
    HTML,
    PDF,
    ofd_bytes,
    png_bytes,
    upload,
    zip_bytes,
)

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

ALL = ("application/pdf", "image/jpeg", "image/png")


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("scan.pdf", png_bytes(), "image/png"),  # a PNG renamed .pdf is still a PNG
        ("invoice.png", PDF, "application/pdf"),
        ("invoice.pdf", HTML, None),  # a web page is no recognised type at all
        ("invoice.pdf", EXE, "application/x-msdownload"),
        ("invoice.ofd", ofd_bytes(), "application/ofd"),
        ("invoice.ofd", zip_bytes({"readme.txt": b"hello"}), "application/zip"),
        # An OFD.xml that is not an OFD document does not make a zip an OFD.
        ("invoice.ofd", zip_bytes({"OFD.xml": b"<html/>"}), "application/zip"),
        ("empty.pdf", b"", None),
    ],
)
def test_the_type_comes_from_the_content_not_the_name(name, data, expected):
    file = upload(name, data)
    assert content_type_detect(file) == expected
    assert file.tell() == 0  # left where a reader expects it


def test_a_png_renamed_pdf_is_accepted_as_a_png_where_pngs_are_allowed():
    assert upload_check(upload("发票.pdf", png_bytes()), label="发票", content_types=ALL) == (
        "image/png"
    )


@pytest.mark.parametrize("data", [HTML, EXE, png_bytes()])
def test_anything_else_named_pdf_is_refused_with_the_fields_name(data):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        upload_check(upload("invoice.pdf", data), label="发票", content_types=("application/pdf",))
    message = refused.value.messages[0]
    assert message.startswith("“发票”") and "not PDF" in message
    assert refused.value.code == "content_type"


def test_an_oversized_file_is_refused_before_its_content_is_looked_at(settings):
    settings.UPLOAD_MAX_BYTES = 4096
    big = png_bytes(padding=5000)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        upload_check(upload("scan.png", big), label="发票", content_types=ALL)
    assert refused.value.code == "too_large"
    assert "“发票”" in refused.value.messages[0] and "4.0" in refused.value.messages[0]
    # A field may lower the site's limit, never raise it.
    small = png_bytes(padding=1000)
    assert upload_check(upload("s.png", small), label="x", content_types=ALL) == "image/png"
    with pytest.raises(ValidationError):
        upload_check(upload("s.png", small), label="x", content_types=ALL, max_bytes=500)
    with pytest.raises(ValidationError):
        upload_check(upload("b.png", big), label="x", content_types=ALL, max_bytes=10**9)


@pytest.mark.parametrize(
    ("name", "content_type", "clean"),
    [
        ("../../etc/passwd", "application/pdf", "passwd.pdf"),
        ("C:\\Users\\li\\发票 2026.pdf", "image/png", "发票 2026.png"),
        ('a<b>"c".pdf', "application/pdf", "a_b_c_.pdf"),
        ("", "image/jpeg", "attachment.jpg"),
        ("x" * 500 + ".pdf", "application/pdf", "x" * 146 + ".pdf"),
    ],
)
def test_the_original_name_is_made_harmless(name, content_type, clean):
    assert original_name_clean(name, content_type) == clean


@pytest.fixture
def draft(claim_world) -> Application:
    return services.application_start(
        user=claim_world.applicant, matter=MatterPage.objects.get(code="SF-CWC-001")
    )


def test_a_stored_file_lives_under_a_random_name_in_the_private_folder(
    client, settings, draft, claim_world, private_root
):
    data = png_bytes()
    attachment = attachment_store(
        application=draft,
        field_name="invoice",
        upload=upload("我的发票.pdf", data),
        user=claim_world.applicant,
        label="发票",
    )
    path = Path(attachment.file.path).resolve()
    assert path.is_relative_to(Path(private_root).resolve())
    assert path.read_bytes() == data
    assert "发票" not in attachment.file.name and "." not in Path(attachment.file.name).name
    for web_root in (settings.MEDIA_ROOT, settings.STATIC_ROOT):
        assert not path.is_relative_to(Path(web_root).resolve())
    assert (attachment.content_type, attachment.size) == ("image/png", len(data))
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    assert attachment.original_name == "我的发票.png"
    # No URL maps onto the private folder: neither /media/ nor /static/ serve the file.
    for url in (f"/media/{attachment.file.name}", f"/static/{attachment.file.name}"):
        response = client.get(url, follow=True)
        assert response.status_code == 404
        assert data not in b"".join(getattr(response, "streaming_content", [response.content]))
    with pytest.raises(ValueError):
        attachment.file.url  # noqa: B018 (the storage refuses to make one)


def test_the_default_private_folder_is_outside_the_web_roots():
    from config import settings as project

    private = Path(project.PRIVATE_MEDIA_ROOT).resolve()
    for web_root in (project.MEDIA_ROOT, project.STATIC_ROOT):
        assert not private.is_relative_to(Path(web_root).resolve())


def test_the_store_checks_again_and_writes_nothing_it_refuses(draft, claim_world, private_root):
    with pytest.raises(ValidationError):
        attachment_store(
            application=draft,
            field_name="invoice",
            upload=upload("invoice.pdf", HTML),
            user=claim_world.applicant,
        )
    assert not draft.attachments.exists()
    assert not [p for p in Path(private_root).rglob("*") if p.is_file()]

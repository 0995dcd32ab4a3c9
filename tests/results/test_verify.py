"""Verification: offline (pyHanko, pdfsig, the command) and online (/verify/, upload);
tampered documents fail; a revoked one says revoked."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pyhanko.sign import signers

from campus_portal.results.selectors import issued_document_pdf, upload_verify
from campus_portal.results.services import result_document_issue, result_document_revoke
from campus_portal.results.signing import pdf_sign, pdf_signature_check
from tests.conftest import ROOT

SAMPLES = ROOT / "docs" / "samples"

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def signed_ranges(pdf: bytes) -> list[int]:
    """The signature's /ByteRange: [start1, length1, start2, length2]."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    return [int(value) for value in signature.sig_object["/ByteRange"]]


def flipped(pdf: bytes, at: float = 0.5) -> bytes:
    """One bit of one byte changed, at ``at`` of the way through the bytes the signature covers
    (the /Contents hole in between holds the CMS value itself)."""
    start1, length1, start2, length2 = signed_ranges(pdf)
    offset = int((length1 + length2) * at)
    position = start1 + offset if offset < length1 else start2 + offset - length1
    data = bytearray(pdf)
    data[position] ^= 0x01
    return bytes(data)


def resigned(pdf: bytes, keys) -> bytes:
    """The original revision (before our signature) signed again by an unrelated key."""
    original = pdf[: pdf.index(b"%%EOF") + len(b"%%EOF\n")]
    forger = signers.SimpleSigner.load(
        str(keys.key), str(keys.cert), ca_chain_files=[str(keys.root)]
    )
    return pdf_sign(original, reason="forged", signer=forger)


@pytest.fixture
def issued(approved):
    document = result_document_issue(application=approved())
    return document, issued_document_pdf(document=document)


def test_a_generated_certificate_verifies_offline(issued, tmp_path):
    document, pdf = issued
    check = pdf_signature_check(pdf)
    assert (check.ok, check.intact, check.trusted, check.whole_file) == (True, True, True, True)
    assert "电子文书签名" in check.signer
    path = tmp_path / "certificate.pdf"
    path.write_bytes(pdf)
    # poppler's pdfsig agrees that the signature is intact.
    pdfsig = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False)
    assert "Signature is Valid" in pdfsig.stdout, pdfsig.stdout
    # The command, with the database: valid and the number's status.
    from io import StringIO

    out = StringIO()
    call_command("verify_document", str(path), stdout=out)
    assert f"number:     {document.number}" in out.getvalue()
    assert "signature:  VALID" in out.getvalue()
    assert "status:     valid" in out.getvalue()


def test_a_flipped_byte_or_an_appended_one_fails_everywhere(issued, tmp_path):
    _, pdf = issued
    for tampered in (flipped(pdf, 0.0), flipped(pdf, 0.5), flipped(pdf, 0.99), pdf + b"%x\n"):
        assert not pdf_signature_check(tampered).ok
        upload = upload_verify(data=tampered)
        assert not upload.genuine and not upload.matches
    # A byte changed in the signature's padding or its unsigned certificate copies: the
    # offline check may not notice, the comparison with the issued bytes always does.
    _, length1, start2, _ = signed_ranges(pdf)
    for position in (length1 + 1000, start2 - 10):
        data = bytearray(pdf)
        data[position] = ord("1") if data[position] != ord("1") else ord("2")
        upload = upload_verify(data=bytes(data))
        assert not upload.genuine and not upload.matches
    path = tmp_path / "tampered.pdf"
    path.write_bytes(flipped(pdf))
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_document", str(path), "--offline")
    assert exit_.value.code == 1


def test_a_document_re_signed_with_another_key_is_not_trusted(issued, other_keys, tmp_path):
    document, pdf = issued
    forged = resigned(pdf, other_keys)
    check = pdf_signature_check(forged)
    assert check.intact and not check.trusted and not check.ok
    assert check.number == document.number  # it claims to be ours
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_document", str(path))
    assert exit_.value.code == 1
    # Trusting the forger's root, the signature is fine — but the bytes are not what we issued.
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_document", str(path), "--trust-root", str(other_keys.root))
    assert exit_.value.code == 2


def test_the_sample_verifies_offline_in_a_process_without_a_database(tmp_path):
    """docs/samples: the committed certificate and demo root, checked by the command with no
    database at all (an unreachable DATABASE_URL): signature only, exit status 0."""
    env = {
        "PATH": "/usr/bin:/bin",
        "VAR_DIR": str(tmp_path / "var"),
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "RESULTS_TRUST_ROOTS": str(SAMPLES / "demo-root-ca.pem"),
    }
    run = subprocess.run(
        [sys.executable, "manage.py", "verify_document", str(SAMPLES / "certificate.pdf")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "signature:  VALID" in run.stdout and "database not reachable" in run.stdout
    # And the sample is not trusted under any other root (ours for this test session).
    sample = (SAMPLES / "certificate.pdf").read_bytes()
    assert not pdf_signature_check(sample).trusted


def test_the_verify_page_says_genuine_and_checks_uploads(client, issued, other_keys):
    document, pdf = issued
    response = client.get(reverse("results:verify", args=[document.number]))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-status="valid"' in page
    assert "张**" in page and "张晓明" not in page and "2023010101" not in page
    assert document.number in page and "教务处" in page
    assert "no-cache" in response["Cache-Control"]  # never the anonymous page cache
    # A PDF uploaded there is checked by its signature and against the issued bytes.
    url = reverse("results:verify", args=[document.number])
    from django.core.files.uploadedfile import SimpleUploadedFile

    def upload(data: bytes) -> str:
        response = client.post(url, {"file": SimpleUploadedFile("x.pdf", data)})
        assert response.status_code == 200
        return response.content.decode()

    page = upload(pdf)
    assert 'data-genuine="yes"' in page and 'data-valid="yes"' in page
    for bad in (flipped(pdf), resigned(pdf, other_keys)):
        page = upload(bad)
        assert 'data-genuine="no"' in page and 'id="upload-bytes" data-ok="no"' in page
    # Without a number: the page finds the document by its bytes.
    response = client.post(
        reverse("results:verify_upload"), {"file": SimpleUploadedFile("x.pdf", pdf)}
    )
    assert 'data-genuine="yes"' in response.content.decode()
    assert document.number in response.content.decode()
    # Not a PDF: a clear error, nothing else.
    response = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"GIF89a")})
    assert response.status_code == 400


def test_a_revoked_document_says_revoked(client, issued, jwc_staff, tmp_path):
    document, pdf = issued
    result_document_revoke(document=document, actor=jwc_staff, reason="学籍状态已变更")
    document.refresh_from_db()
    assert document.revoked_at is not None and document.revoked_by == jwc_staff.get_username()
    page = client.get(reverse("results:verify", args=[document.number])).content.decode()
    assert 'data-status="revoked"' in page and "学籍状态已变更" in page
    # The page shows the local (Beijing) date; after 16:00 UTC it is already the next day.
    assert timezone.localtime(document.revoked_at).strftime("%Y-%m-%d") in page
    path = tmp_path / "revoked.pdf"
    path.write_bytes(pdf)
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_document", str(path))
    assert exit_.value.code == 2
    event = document.application.events.get(kind="commented")
    assert event.detail == {
        "result_document": document.number,
        "revoked": True,
        "reason": "学籍状态已变更",
    }
    # Revoking again (a double submit) records nothing more.
    result_document_revoke(document=document, actor=jwc_staff, reason="again")
    assert document.application.events.filter(kind="commented").count() == 1


def test_unknown_numbers_are_404_and_rate_limited(client, settings):
    settings.RESULTS_VERIFY_RATE_LIMIT = "2/60"
    address = "10.77.0.9"
    statuses = [
        client.get(
            reverse("results:verify", args=[f"XW-NOPE-{n}"]), REMOTE_ADDR=address
        ).status_code
        for n in range(3)
    ]
    assert statuses == [404, 404, 429]

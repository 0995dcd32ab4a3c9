"""PAdES signing and offline verification of result documents (pyHanko).

Why it is shaped like this:

- A document is signed once, at issue, with the university's key (``RESULTS_SIGNING_KEY``
  and ``RESULTS_SIGNING_CERT``, plus any intermediate certificates in
  ``RESULTS_SIGNING_CHAIN``); the signature is PAdES baseline B (``ETSI.CAdES.detached``), so
  Adobe Reader, poppler's ``pdfsig`` and pyHanko itself can check it without our server.
- Verification trusts only ``RESULTS_TRUST_ROOTS``: a file re-signed with any other key is
  "not trusted", one with a changed byte "not intact", one with bytes added after the signature
  "not covering the whole file". All three are failures — a result document has exactly one
  signature over the entire file.
- The signer is loaded once per process and key file (reading and parsing the key is most of
  a first signature's cost); a changed file (key rotation) is picked up by its mtime.
"""

from __future__ import annotations

import functools
import io
import logging
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "ResultDocumentSignature"


class SigningUnavailable(Exception):
    """The signing key or certificate is missing or unreadable (configuration, not input)."""


@dataclass(frozen=True)
class SignatureCheck:
    """What the offline check found; ``ok`` only when the signature is intact, trusted and
    covers the whole file."""

    ok: bool
    message: str
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer: str = ""
    number: str = ""
    signed_at: str = ""


def _mtime(path: str) -> float:
    try:
        return Path(path).stat().st_mtime
    except OSError:
        return 0.0


@functools.lru_cache(maxsize=4)
def _signer(key: str, cert: str, chain: tuple[str, ...], passphrase: str, stamp: tuple):
    from pyhanko.sign import signers

    signer = signers.SimpleSigner.load(
        key,
        cert,
        ca_chain_files=chain or None,
        key_passphrase=passphrase.encode() if passphrase else None,
    )
    if signer is None:
        raise SigningUnavailable(f"could not load the signing key {key} / certificate {cert}")
    return signer


def signer_load():
    """The configured pyHanko signer; ``SigningUnavailable`` when the files are missing."""
    key, cert = str(settings.RESULTS_SIGNING_KEY), str(settings.RESULTS_SIGNING_CERT)
    chain = tuple(str(path) for path in settings.RESULTS_SIGNING_CHAIN if Path(path).exists())
    for path in (key, cert):
        if not Path(path).is_file():
            raise SigningUnavailable(
                f"signing file {path} does not exist (run `manage.py results_demo_keys` for "
                "demo keys, or set RESULTS_SIGNING_KEY/RESULTS_SIGNING_CERT)"
            )
    stamp = tuple(_mtime(path) for path in (key, cert, *chain))
    return _signer(key, cert, chain, settings.RESULTS_SIGNING_KEY_PASSPHRASE, stamp)


def pdf_sign(pdf: bytes, *, reason: str, signer=None) -> bytes:
    """``pdf`` with one PAdES signature over the whole file (``signer``: the configured one)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason[:200],
        location=settings.UNIVERSITY_NAME,
    )
    return signers.sign_pdf(writer, meta, signer=signer or signer_load()).getvalue()


def trust_roots_load(paths=None) -> list:
    """The trusted root certificates (``RESULTS_TRUST_ROOTS``); missing files are skipped."""
    from pyhanko.keys import load_certs_from_pemder

    found = [str(path) for path in (paths or settings.RESULTS_TRUST_ROOTS) if Path(path).exists()]
    return list(load_certs_from_pemder(found)) if found else []


def pdf_signature_check(data: bytes, *, trust_roots: list | None = None) -> SignatureCheck:
    """Check ``data`` offline: one signature, intact, by a certificate chaining to a trust root,
    over the entire file. Never raises for bad input — a broken file is a failed check."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots if trust_roots is not None else trust_roots_load()
    if not roots:
        return SignatureCheck(ok=False, message=_("No trust root is configured."))
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        number = _number_of(reader)
    except Exception as error:  # a file that is not a readable PDF at all
        logger.info("unreadable PDF on verification: %s", error)
        return SignatureCheck(ok=False, message=_("The file is not a readable PDF document."))
    if len(signatures) != 1:
        return SignatureCheck(
            ok=False, number=number, message=_("The document does not carry exactly one signature.")
        )
    if not _padding_is_clean(signatures[0]):
        return SignatureCheck(
            ok=False, number=number, message=_("The document was altered after it was signed.")
        )
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception as error:  # malformed CMS, unsupported algorithm …
        logger.info("signature validation failed: %s", error)
        return SignatureCheck(
            ok=False, number=number, message=_("The signature could not be validated.")
        )
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    signer = status.signing_cert.subject.human_friendly if status.signing_cert else ""
    signed_at = status.signer_reported_dt.isoformat() if status.signer_reported_dt else ""
    common = {
        "intact": bool(status.intact and status.valid),
        "trusted": bool(status.trusted),
        "whole_file": whole,
        "signer": signer,
        "number": number,
        "signed_at": signed_at,
    }
    if not common["intact"]:
        message = _("The document was altered after it was signed.")
    elif not common["trusted"]:
        message = _("The signature is not by the university's key.")
    elif not whole:
        message = _("Something was added to the document after it was signed.")
    else:
        return SignatureCheck(ok=True, message=_("The signature is valid."), **common)
    return SignatureCheck(ok=False, message=message, **common)


def _der_length(data: bytes) -> int:
    """Length of the DER value at the start of ``data`` (tag, length octets and contents)."""
    if len(data) < 2:
        return len(data) + 1
    first = data[1]
    if first < 0x80:
        return 2 + first
    count = first & 0x7F
    return 2 + count + int.from_bytes(data[2 : 2 + count], "big")


def _padding_is_clean(signature) -> bool:
    """The space reserved for the signature is the CMS value followed by zeros only.

    That space is the one part of the file the signature cannot cover; a changed byte in its
    padding would leave the signature valid but the file no longer the one issued, and a
    document with exactly one set of bytes is what "genuine" promises.
    """
    try:
        raw = bytes(signature.sig_object.raw_get("/Contents").original_bytes)
    except Exception:
        return False
    return not raw[_der_length(raw) :].strip(b"\x00")


def _number_of(reader) -> str:
    """The document number, written into the PDF's keywords when it was rendered."""
    try:
        keywords = reader.document_meta_view.keywords or []
    except Exception:
        return ""
    for keyword in keywords:
        if str(keyword).startswith(NUMBER_KEYWORD_PREFIX):
            return str(keyword).removeprefix(NUMBER_KEYWORD_PREFIX)
    return ""


NUMBER_KEYWORD_PREFIX = "result-document:"

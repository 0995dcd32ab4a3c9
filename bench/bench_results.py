"""Render + sign time of a result document (a one-page 在读证明 with seal and QR code).

What is measured, per document: ``document_pdf`` (HTML → PDF by WeasyPrint, CJK font subset
embedded) and ``pdf_sign`` (PAdES signature by pyHanko with an RSA-2048 key), and the offline
check ``pdf_signature_check``. No database: the sample context of docs/samples. A throwaway
``VAR_DIR`` holds a demo key pair made for the run.

Run: ``python -m bench.bench_results [--documents N]``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=30)
    args = parser.parse_args(argv)
    var = tempfile.mkdtemp(prefix="bench-results-")
    os.environ["VAR_DIR"] = var
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # WeasyPrint logs every step at INFO
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(REPO))
    import django

    django.setup()
    from django.conf import settings

    from campus_portal.results.content import document_pdf, sample_document_context
    from campus_portal.results.keys import configured_key_files, key_pair_ensure
    from campus_portal.results.seals import demo_seal_png
    from campus_portal.results.signing import pdf_sign, pdf_signature_check, signer_load

    key_pair_ensure(configured_key_files(), organisation=settings.UNIVERSITY_NAME)
    seal = demo_seal_png(university=settings.UNIVERSITY_NAME, office_name="教务处")
    signer = signer_load()
    renders, signs, checks, sizes = [], [], [], []
    for index in range(args.documents + 1):
        # A different number each time: a fresh QR code and HTML, as in production.
        context = sample_document_context(number=f"XW20261202BENCH0-ZM-{index:08X}", seal_png=seal)
        started = time.perf_counter()
        pdf = document_pdf(context)
        rendered = time.perf_counter()
        signed = pdf_sign(pdf, reason="bench", signer=signer)
        done = time.perf_counter()
        check = pdf_signature_check(signed)
        checked = time.perf_counter()
        assert check.ok, check.message
        if index == 0:
            continue  # the first document pays the imports and font loading
        renders.append((rendered - started) * 1000)
        signs.append((done - rendered) * 1000)
        checks.append((checked - done) * 1000)
        sizes.append(len(signed))
    print(f"## Result documents: render + sign ({args.documents} documents)\n")
    print("| step | median ms | p95 ms |")
    print("|---|---|---|")
    for name, values in (
        ("render (WeasyPrint)", renders),
        ("sign (pyHanko PAdES)", signs),
        ("verify offline (pyHanko)", checks),
    ):
        print(f"| {name} | {statistics.median(values):.0f} | {percentile(values, 0.95):.0f} |")
    total = [r + s for r, s in zip(renders, signs, strict=True)]
    print(f"| render + sign | {statistics.median(total):.0f} | {percentile(total, 0.95):.0f} |")
    print(f"\nSigned PDF size: median {statistics.median(sizes) / 1024:.0f} KiB.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark of the micro-power list import (``power_list_import``) on a 1,000-row list.

Run it with ``.venv/bin/python bench/bench_import.py [--rows N] [--offices N] [--changed N]``.
It sets Django up on a throwaway ``VAR_DIR`` (a fresh SQLite database, migrated here) so it
never touches a development database, then times four imports of a generated list in the
reference column layout (``demo_data/micro_power_list.csv`` rows with fresh codes):

1. the dry run (read, validate and compare with the catalog; writes nothing);
2. the first import (every row creates and publishes a matter page);
3. importing the same file again (every row unchanged: nothing to write);
4. importing it with ``--changed`` rows altered (those pages get a new published revision).

Before them it loads the search tokenizer's word list (jieba: about a second, once per
process, so a worker pays it on its first import) and shows that as its own row; ``--cold``
leaves it to the first import instead. The result is a small markdown table of wall-clock and
CPU seconds (SQLite runs in-process, so CPU seconds show the work even on a busy machine). The
goal is a first import under 10 s.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE_CSV = ROOT / "demo_data" / "micro_power_list.csv"
CODE_COLUMN = "事项编码"
OFFICE_CODE_COLUMN = "部门编码"
OFFICE_NAME_COLUMN = "责任部门"
VOLUME_COLUMN = "上年度办件量"


def reference_rows() -> list[dict[str, str]]:
    with REFERENCE_CSV.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def generated_rows(count: int, offices: int) -> list[dict[str, str]]:
    """``count`` rows based on the reference rows, with fresh codes spread over ``offices``."""
    base = reference_rows()
    rows = []
    for index in range(count):
        row = dict(base[index % len(base)])
        office = index % offices + 1
        row["序号"] = str(index + 1)
        row[CODE_COLUMN] = f"BM-{office:02d}-{index + 1:04d}"
        row[OFFICE_CODE_COLUMN] = f"BM{office:02d}"
        row[OFFICE_NAME_COLUMN] = f"基准测试部门{office:02d}"
        rows.append(row)
    return rows


def with_changes(rows: list[dict[str, str]], changed: int) -> list[dict[str, str]]:
    """A copy of ``rows`` where ``changed`` rows, spread over the list, have a new volume."""
    step = max(len(rows) // max(changed, 1), 1)
    result = [dict(row) for row in rows]
    for row in result[::step][:changed]:
        row[VOLUME_COLUMN] = str(int(row[VOLUME_COLUMN] or 0) + 1)
    return result


def to_csv(rows: list[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0].keys()), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def setup_django(var_dir: Path) -> None:
    """Django on a fresh database under ``var_dir`` (must run before any Django import)."""
    os.environ["VAR_DIR"] = str(var_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ.pop("DATABASE_URL", None)  # always the throwaway SQLite database
    sys.path.insert(0, str(ROOT))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


Result = tuple[str, float, float, object]  # label, seconds, CPU seconds, plan (or None)


def timed(label: str, function: Callable[[], object]) -> Result:
    start, cpu = time.perf_counter(), time.process_time()
    result = function()
    return label, time.perf_counter() - start, time.process_time() - cpu, result


def load_tokenizer() -> None:
    from campus_portal.catalog.search.tokens import text_tokens

    text_tokens("校园卡补办")


def run(rows: int, offices: int, changed: int, *, cold: bool) -> list[Result]:
    from campus_portal.catalog.services import catalog_home_ensure, power_list_import

    catalog_home_ensure()
    original = to_csv(generated_rows(rows, offices))
    altered = to_csv(with_changes(generated_rows(rows, offices), changed))

    def do(data: bytes, dry_run: bool) -> Callable[[], object]:
        return lambda: power_list_import(data=data, filename="bench.csv", dry_run=dry_run)

    results = (
        [] if cold else [timed("load the search tokenizer (once per process)", load_tokenizer)]
    )
    for label, step in [
        ("dry run", do(original, True)),
        ("first import", do(original, False)),
        ("re-import (unchanged)", do(original, False)),
        (f"import with {changed} rows changed", do(altered, False)),
    ]:
        results.append(timed(label, step))
        assert results[-1][3].ok, results[-1][3].problems
    return results


def check_tree() -> None:
    from wagtail.models import Page

    problems = Page.find_problems()
    assert not any(problems), f"treebeard reports problems: {problems}"


def print_table(results: list[Result], rows: int) -> None:
    print(f"\nImporting a {rows}-row micro-power list\n")
    print("| step | created | changed | unchanged | seconds | CPU seconds |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, seconds, cpu, plan in results:
        counts = (
            f"{len(plan.created)} | {len(plan.changed)} | {len(plan.unchanged)}"
            if plan is not None
            else "– | – | –"
        )
        print(f"| {label} | {counts} | {seconds:.2f} | {cpu:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--offices", type=int, default=15)
    parser.add_argument("--changed", type=int, default=100)
    parser.add_argument("--cold", action="store_true", help="no tokenizer warm-up row")
    parser.add_argument("--keep", action="store_true", help="keep the temporary VAR_DIR")
    args = parser.parse_args()
    var_dir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    try:
        setup_django(var_dir)
        results = run(args.rows, args.offices, args.changed, cold=args.cold)
        check_tree()
        print_table(results, args.rows)
    finally:
        if args.keep:
            print(f"\nVAR_DIR kept: {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()

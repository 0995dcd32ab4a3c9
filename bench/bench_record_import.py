"""Importing a source-system export of 100,000 student rows into the warehouse.

What is measured: ``import_records(data, "students")`` — the code behind
``manage.py warehouse_import students FILE`` — on a generated CSV in the academic-affairs
layout (学号, 姓名, 性别, 身份证件号码, 学院代码, 学院名称, 专业, 班级, 学历层次, 年级, 学籍状态,
宿舍) with well-formed fictitious ID numbers: the dry run, the first import (every person and
record new), the same file again (nothing to write) and the file with 1,000 majors changed
(1,000 new record versions). Target: < 60 s for 100,000 rows. Throwaway SQLite ``VAR_DIR``.

Run: ``python -m bench.bench_record_import [--rows N]``.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HEADER = [
    "学号",
    "姓名",
    "性别",
    "身份证件号码",
    "学院代码",
    "学院名称",
    "专业",
    "班级",
    "学历层次",
    "年级",
    "学籍状态",
    "宿舍",
]


def generate(rows: int, *, changed: int = 0) -> bytes:
    """A students export; ``changed`` rows get another major (same people otherwise)."""
    import datetime as dt

    from data_warehouse.demo_campus import SCHOOLS, _name, id_check_digit

    rng = random.Random(11)  # noqa: S311 - reproducible benchmark data
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    schools = list(SCHOOLS.items())
    for n in range(rows):
        code, (school, majors) = schools[n % len(schools)]
        male = rng.random() < 0.5
        # Unique by construction: 500 people per birth date, parity of the sequence = gender.
        birth = dt.date(2000, 1, 1) + dt.timedelta(days=n // 500)
        first17 = f"330106{birth:%Y%m%d}{(n % 500) * 2 + (1 if male else 0):03d}"
        major = majors[n % len(majors)]
        if n < changed:
            major = majors[(n + 1) % len(majors)] if len(majors) > 1 else major + "（双学位）"
        writer.writerow(
            [
                f"B{n:08d}",
                _name(rng),
                "男" if male else "女",
                first17 + id_check_digit(first17),
                code,
                school,
                major,
                f"{major[:2]}{n % 40:02d}",
                "本科",
                2022 + n % 4,
                "在读",
                f"紫金港 {n % 30 + 1} 舍 {n % 500 + 101}",
            ]
        )
    return buffer.getvalue().encode()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--changed", type=int, default=1_000)
    args = parser.parse_args()
    var_dir = tempfile.mkdtemp(prefix="bench-record-import-")
    for name in ("DATABASE_URL", "WAREHOUSE_DATABASE_URL", "CACHE_URL"):
        os.environ.pop(name, None)
    os.environ.update(VAR_DIR=var_dir, DJANGO_SETTINGS_MODULE="config.settings")
    sys.path.insert(0, str(REPO))
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from data_warehouse.sources.record_import import import_records

        call_command("migrate", database="warehouse", verbosity=0)
        first = generate(args.rows)
        second = generate(args.rows, changed=args.changed)
        print(f"## Record import ({args.rows:,} student rows, {len(first) / 1e6:.1f} MB CSV)\n")
        print("| step | persons created | records changed | unchanged | seconds |")
        print("|---|---:|---:|---:|---:|")
        steps = [
            ("dry run", first, True),
            ("first import", first, False),
            ("same file again", first, False),
            (f"{args.changed:,} majors changed", second, False),
        ]
        for label, data, dry_run in steps:
            started = time.perf_counter()
            report = import_records(data, "students", dry_run=dry_run)
            seconds = time.perf_counter() - started
            assert report.ok, report.problems[:5]
            print(
                f"| {label} | {report.created_persons:,} | {report.changed_records:,} | "
                f"{report.unchanged:,} | {seconds:.1f} |",
                flush=True,
            )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Directory sync: ``ldap_sync`` against a real slapd with 100,000 people and ~200 org units.

What is measured: complete calls of ``data_warehouse.sources.ldap_sync.ldap_sync`` — bind, the
paged searches of both subtrees (500 entries per page), parsing every entry and applying the
result to the warehouse (SQLite) in one transaction. Three steps are timed:

1. the first run into an empty warehouse (everything is created). Target: < 60 s;
2. a re-run with the directory unchanged, which must write nothing (``SyncReport.writes == 0``);
   this is what the nightly job does on most days;
3. a re-run after 1,000 people were modified in the directory (``modify_s``, not timed), which
   must report exactly 1,000 updates.

Why: the sync runs nightly on the real campus directory (on the order of 100,000 people); it
must finish well inside its window, and an unchanged directory must not touch rows (no churn
of ``updated_at``, no write load on the warehouse).

Setup (not timed): a throwaway ``VAR_DIR`` with SQLite databases, the ``warehouse`` alias
migrated; slapd started like the tests do (``tests/data_warehouse/ldap_fixtures.py``), then
stopped while the generated LDIF is loaded offline with ``slapadd -q``, and started again.

Run: ``.venv/bin/python -m bench.bench_ldap_sync [--people N]`` (default 100,000).
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCHOOLS = 20
DEPARTMENTS_PER_SCHOOL = 9  # 20 schools + 180 departments = 200 units
MODIFIED = 1000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏辉建国晓东雪梅思远子涵浩然"
SCHOOL_NAMES = [
    "计算机",
    "数学",
    "物理",
    "化学",
    "生命",
    "经济",
    "管理",
    "法学",
    "外语",
    "文学",
    "历史",
    "哲学",
    "新闻",
    "艺术",
    "体育",
    "医学",
    "药学",
    "建筑",
    "土木",
    "机械",
]
DEPT_NAMES = "一二三四五六七八九"


def _line(attr: str, value: str) -> str:
    """One LDIF line; non-ASCII values are base64-encoded as RFC 2849 requires."""
    if value.isascii():
        return f"{attr}: {value}\n"
    return f"{attr}:: {base64.b64encode(value.encode('utf-8')).decode('ascii')}\n"


def chinese_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def write_ldif(path: Path, people: int, suffix: str, people_base: str, units_base: str) -> None:
    """The whole directory: the suffix, the two containers, 200 units and ``people`` persons."""
    rng = random.Random(20240901)  # noqa: S311 - reproducible data, not a secret
    schools = SCHOOL_NAMES
    with path.open("w", encoding="ascii") as out:
        out.write(f"dn: {suffix}\nobjectClass: dcObject\nobjectClass: organization\n")
        out.write(f"dc: {suffix.split(',')[0].split('=')[1]}\no: Example University\n\n")
        for container in (people_base, units_base):
            rdn = container.split(",")[0].split("=")[1]
            out.write(f"dn: {container}\nobjectClass: organizationalUnit\nou: {rdn}\n\n")
        for s in range(SCHOOLS):
            school_dn = f"ou=S{s:02d},{units_base}"
            out.write(f"dn: {school_dn}\nobjectClass: organizationalUnit\nou: S{s:02d}\n")
            out.write(_line("description", f"{schools[s]}学院") + "businessCategory: school\n\n")
            for d in range(DEPARTMENTS_PER_SCHOOL):
                code = f"S{s:02d}D{d}"
                out.write(f"dn: ou={code},{school_dn}\nobjectClass: organizationalUnit\n")
                out.write(
                    f"ou: {code}\n" + _line("description", f"{schools[s]}第{DEPT_NAMES[d]}系")
                )
                out.write("\n")
        for n in range(people):
            uid = f"P{n:07d}"
            name = chinese_name(rng)
            out.write(f"dn: uid={uid},{people_base}\nobjectClass: inetOrgPerson\nuid: {uid}\n")
            out.write(_line("cn", name) + _line("sn", name[0]))
            if n % 3 == 0:  # a third carry a display name differing from cn
                out.write(_line("displayName", name + "同学"))
            out.write(f"mail: {uid.lower()}@example.edu\n")
            if n % 4 == 0:  # a quarter carry an ID number
                out.write(f"employeeNumber: 330106{2000 + n % 8:04d}0101{n % 10000:04d}\n")
            out.write("\n")


def start_directory(people: int, workdir: Path):
    """Start slapd (tests' way), stop it, ``slapadd`` the LDIF offline, start it again."""
    sys.path.insert(0, str(REPO))
    from tests.data_warehouse.ldap_fixtures import PEOPLE_BASE, SUFFIX, UNITS_BASE, CampusSlapd

    class BenchSlapd(CampusSlapd):
        # The LMDB default map size (10 MiB) holds a few thousand entries; the size limit
        # (default 500) would cut the paged search short for a non-root bind.
        def gen_config(self) -> str:
            return (
                super().gen_config()
                + "olcDbMaxSize: 4294967296\nolcLimits: * size=unlimited time=unlimited\n"
                + "olcDbIndex: objectClass eq\nolcDbIndex: uid eq\n"
            )

    ldif_path = workdir / "directory.ldif"
    started = time.perf_counter()
    write_ldif(ldif_path, people, SUFFIX, PEOPLE_BASE, UNITS_BASE)
    for attempt in range(5):
        server = BenchSlapd()
        try:
            server.start()
            break
        except RuntimeError:
            server.stop()
            if attempt == 4:
                raise
    try:
        server.terminate()
        server.wait()
        server.slapadd(None, ["-n1", "-q", "-l", str(ldif_path)])
        server.resume()
    except BaseException:
        server.stop()
        raise
    print(
        f"directory: {people:,} people + {SCHOOLS * (1 + DEPARTMENTS_PER_SCHOOL)} units loaded "
        f"in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return server, PEOPLE_BASE, UNITS_BASE


def modify_people(server, people_base: str, people: int, count: int) -> None:
    """Change mail and displayName of ``count`` people (distinct, reproducible)."""
    import ldap

    rng = random.Random(99)  # noqa: S311 - reproducible sample, not a secret
    conn = ldap.initialize(server.ldap_uri)
    conn.simple_bind_s(server.root_dn, server.root_pw)
    try:
        for n in rng.sample(range(people), count):
            uid = f"P{n:07d}"
            conn.modify_s(
                f"uid={uid},{people_base}",
                [
                    (ldap.MOD_REPLACE, "mail", [f"{uid.lower()}@new.example.edu".encode()]),
                    (ldap.MOD_REPLACE, "displayName", ["改名".encode()]),
                ],
            )
    finally:
        conn.unbind_s()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=100_000)
    args = parser.parse_args(argv)
    if args.people < MODIFIED:
        parser.error(f"--people must be at least {MODIFIED}")

    workdir = Path(tempfile.mkdtemp(prefix="bench-ldap-sync-"))
    for key in ("DATABASE_URL", "WAREHOUSE_DATABASE_URL", "CACHE_URL"):
        os.environ.pop(key, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["VAR_DIR"] = str(workdir / "var")
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        from data_warehouse.models import OrgUnit, Person
        from data_warehouse.sources.ldap_sync import LdapSettings, ldap_sync

        call_command("migrate", database="warehouse", verbosity=0)
        server, people_base, units_base = start_directory(args.people, workdir)
        conf = LdapSettings(
            uri=server.ldap_uri,
            people_base_dn=people_base,
            units_base_dn=units_base,
            bind_dn=server.root_dn,
            bind_password=server.root_pw,
            timeout=60.0,
        )
        units = SCHOOLS * (1 + DEPARTMENTS_PER_SCHOOL)
        rows: list[tuple[str, object, float]] = []

        def timed(step: str):
            started = time.perf_counter()
            report = ldap_sync(settings=conf)
            seconds = time.perf_counter() - started
            rows.append((step, report, seconds))
            print(f"{step}: {seconds:.1f} s, {report.as_dict()['people']}", file=sys.stderr)
            return report

        failures: list[str] = []

        def check(ok: bool, what: str) -> None:
            if not ok:
                failures.append(what)

        first = timed("first run")
        check(first.people.created == args.people, f"first run created {first.people.created}")
        check(first.units.created == units, f"first run created {first.units.created} units")
        check(not first.skipped, f"first run skipped {len(first.skipped)} entries")
        check(Person.objects.filter(active=True).count() == args.people, "persons in warehouse")
        check(OrgUnit.objects.filter(parent__isnull=False).count() == units - SCHOOLS, "parents")

        again = timed("re-run, unchanged")
        check(again.writes == 0, f"unchanged re-run wrote {again.writes} rows")
        check(again.people.unchanged == args.people, "unchanged re-run: people unchanged")

        modify_people(server, people_base, args.people, MODIFIED)
        changed = timed(f"re-run, {MODIFIED:,} modified")
        check(changed.people.updated == MODIFIED, f"updated {changed.people.updated} people")
        check(changed.writes == MODIFIED, f"re-run after changes wrote {changed.writes} rows")
        check(Person.objects.filter(name="改名").count() == MODIFIED, "modified names stored")

        print(f"\n{args.people:,} people, {units} org units (SQLite warehouse)\n")
        print("| step | created | updated | retired | unchanged | seconds |")
        print("|---|---:|---:|---:|---:|---:|")
        for step, report, seconds in rows:
            p, u = report.people, report.units
            print(
                f"| {step} | {p.created + u.created:,} | {p.updated + u.updated:,} "
                f"| {p.retired + u.retired:,} | {p.unchanged + u.unchanged:,} | {seconds:.1f} |"
            )
        if failures:
            print("\nFAILED: " + "; ".join(failures), file=sys.stderr)
            return 1
        return 0
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

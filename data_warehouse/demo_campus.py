"""A synthetic campus for demos: thousands of students and staff with Chinese names.

Everything is fictitious but well-formed: ID-card numbers follow GB 11643 (region, birth date,
sequence, ISO 7064 MOD 11-2 check digit) so that validation code sees realistic input. The
generator is seeded, so every demo install has the same people (张… in 计算机学院 today is
张… tomorrow).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.router import WAREHOUSE_ALIAS

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华"
    "玉萍红梅鑫宇浩然子涵欣怡梓轩一诺思远晨曦雨桐博文"
)
REGIONS = ["330102", "330106", "330108", "330203", "330302", "320102", "310104", "110108", "440305"]
SCHOOLS = {
    "SCH-CS": ("计算机科学与技术学院", ["计算机科学与技术", "软件工程", "人工智能"]),
    "SCH-EE": ("信息与电子工程学院", ["电子信息工程", "通信工程"]),
    "SCH-ME": ("机械工程学院", ["机械工程", "工业设计"]),
    "SCH-EC": ("经济学院", ["经济学", "金融学", "国际经济与贸易"]),
    "SCH-MG": ("管理学院", ["工商管理", "会计学"]),
    "SCH-LW": ("法学院", ["法学"]),
    "SCH-HU": ("人文学院", ["汉语言文学", "历史学"]),
    "SCH-FL": ("外国语学院", ["英语", "日语"]),
    "SCH-MA": ("数学科学学院", ["数学与应用数学", "统计学"]),
    "SCH-MD": ("医学院", ["临床医学", "护理学"]),
}
OFFICES = {
    "JWC": "教务处",
    "YJSY": "研究生院",
    "XGB": "学生工作部",
    "RSC": "人事处",
    "CWC": "财务处",
    "KYY": "科学技术研究院",
    "HQC": "后勤保障处",
    "BWC": "保卫处",
    "TSG": "图书馆",
    "XXZX": "信息化中心",
}
DEGREES = [("本科", 0.7), ("硕士", 0.22), ("博士", 0.08)]
TITLES = ["助教", "讲师", "副教授", "教授", "助理研究员", "副研究员", "研究员", "科员", "工程师"]


def id_check_digit(first17: str) -> str:
    """GB 11643 check digit (ISO 7064 MOD 11-2) of the first 17 digits."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


def fictitious_id(rng: random.Random, birth: dt.date, male: bool) -> str:
    sequence = rng.randrange(0, 99) * 10 + rng.choice([1, 3, 5, 7, 9] if male else [0, 2, 4, 6, 8])
    first17 = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{sequence:03d}"
    return first17 + id_check_digit(first17)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2])))


@dataclass(frozen=True)
class DemoCampusReport:
    students: int
    staff: int
    created: bool


def demo_campus_load(
    *, students: int = 5000, staff: int = 500, seed: int = 2018
) -> DemoCampusReport:
    """Create the synthetic campus once; a second call finds it and does nothing."""
    if Person.objects.filter(uid__startswith="DEMO").exists():
        return DemoCampusReport(
            StudentRecord.objects.filter(person__uid__startswith="DEMO").count(),
            StaffRecord.objects.filter(person__uid__startswith="DEMO").count(),
            created=False,
        )
    rng = random.Random(seed)  # noqa: S311 - reproducible demo data, not a secret
    now = timezone.now()
    with transaction.atomic(using=WAREHOUSE_ALIAS):
        units = _units()
        people = [_person(rng, f"DEMO-S{n:05d}", 18, 28) for n in range(students)]
        people += [_person(rng, f"DEMO-T{n:04d}", 25, 60) for n in range(staff)]
        Person.objects.bulk_create(people, batch_size=1000)
        by_uid = {p.uid: p for p in Person.objects.filter(uid__startswith="DEMO")}
        StudentRecord.objects.bulk_create(
            (_student(rng, by_uid[f"DEMO-S{n:05d}"], n, units, now) for n in range(students)),
            batch_size=1000,
        )
        StaffRecord.objects.bulk_create(
            (_staff(rng, by_uid[f"DEMO-T{n:04d}"], n, units, now) for n in range(staff)),
            batch_size=1000,
        )
    return DemoCampusReport(students, staff, created=True)


def _units() -> dict[str, OrgUnit]:
    units = {}
    for code, (name, _) in SCHOOLS.items():
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": OrgUnit.Kind.SCHOOL, "source": "demo"}
        )
    for code, name in OFFICES.items():
        units[code], _ = OrgUnit.objects.get_or_create(
            code=code, defaults={"name": name, "kind": OrgUnit.Kind.OFFICE, "source": "demo"}
        )
    return units


def _person(rng: random.Random, uid: str, min_age: int, max_age: int) -> Person:
    male = rng.random() < 0.5
    birth = dt.date(2026 - rng.randint(min_age, max_age), rng.randint(1, 12), rng.randint(1, 28))
    return Person(
        uid=uid,
        name=_name(rng),
        gender=Person.Gender.MALE if male else Person.Gender.FEMALE,
        id_card_number=fictitious_id(rng, birth, male),
        email=f"{uid.lower()}@demo.example.edu.cn",
        source="demo",
    )


def _student(rng, person: Person, n: int, units, now) -> StudentRecord:
    school_code = rng.choice(list(SCHOOLS))
    degree = rng.choices([d for d, _ in DEGREES], weights=[w for _, w in DEGREES])[0]
    grade = rng.randint(2022, 2025)
    major = rng.choice(SCHOOLS[school_code][1])
    return StudentRecord(
        person=person,
        number=f"{grade}{n:06d}",
        school=units[school_code],
        major=major,
        class_name=f"{major[:2]}{grade % 100}{rng.randint(1, 4):02d}",
        degree_level=degree,
        grade_year=grade,
        enrolment_status="在读",
        dormitory=_dormitory(rng),
        valid_from=now,
        source="演示数据",
    )


def _dormitory(rng: random.Random) -> str:
    campus = rng.choice(["紫金港", "玉泉", "西溪"])
    return f"{campus} {rng.randint(1, 30)} 舍 {rng.randint(101, 620)}"


def _staff(rng, person: Person, n: int, units, now) -> StaffRecord:
    return StaffRecord(
        person=person,
        number=f"T{n:05d}",
        unit=units[rng.choice(list(units))],
        post=rng.choice(["专任教师", "管理岗", "实验技术岗", "辅导员"]),
        title=rng.choice(TITLES),
        employment_status="在职",
        hire_date=dt.date(rng.randint(1995, 2025), rng.randint(1, 12), 1),
        valid_from=now,
        source="演示数据",
    )

"""Importing students and staff exports: validation by row and column, history, dry runs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import Workbook

from data_warehouse.demo_campus import id_check_digit
from data_warehouse.models import OrgUnit, Person, StaffRecord, StudentRecord
from data_warehouse.sources.record_import import import_records, parse_date
from tests.conftest import rows_to_csv

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in their English source form."""
    with translation.override("en"):
        yield


def id_number(birth: str, sequence: str = "123") -> str:
    first17 = f"330106{birth}{sequence}"
    return first17 + id_check_digit(first17)


def student_rows(count: int = 3) -> list[dict[str, str]]:
    return [
        {
            "学号": f"20230101{i:02d}",
            "姓名": f"学生{i}",
            "性别": "男" if i % 2 else "女",
            "身份证件号码": id_number(f"200501{i:02d}"),
            "学院代码": "SCH-X",
            "学院名称": "测试学院",
            "专业": "软件工程",
            "班级": "软件2301",
            "学历层次": "本科",
            "年级": "2023",
            "学籍状态": "在读",
            "宿舍": "5 舍 301",
        }
        for i in range(1, count + 1)
    ]


STAFF_HEADER = [
    "工号",
    "姓名",
    "性别",
    "身份证件号码",
    "单位代码",
    "单位名称",
    "岗位",
    "职称",
    "在职状态",
    "入职日期",
]


def staff_xlsx() -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["示范大学教职工名单"])  # a title row above the header
    sheet.append(STAFF_HEADER)
    sheet.append(
        [
            "T2001",
            "王老师",
            "女",
            id_number("19800101", "124"),
            "HR-1",
            "人事处",
            "科员",
            "",
            "在职",
            dt.datetime(2010, 9, 1),
        ]
    )
    sheet.append(
        [
            2002,
            "赵老师",
            "男",
            id_number("19790302", "135"),
            "HR-1",
            "人事处",
            "处长",
            "副教授",
            "在职",
            40422,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int]:
    return Person.objects.count(), StudentRecord.objects.count(), OrgUnit.objects.count()


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_students_csv_is_imported(encoding):
    report = import_records(rows_to_csv(student_rows(), encoding=encoding), "students")
    assert report.problems == []
    assert (report.rows, report.created_persons, report.changed_records) == (3, 3, 3)
    assert report.created_units == 1
    person = Person.objects.get(uid="2023010101")
    assert (person.name, person.gender, person.source) == ("学生1", "male", "students")
    record = StudentRecord.objects.get(person=person)
    assert record.school.code == "SCH-X"
    assert record.school.source == "students"
    assert (record.major, record.grade_year, record.valid_to) == ("软件工程", 2023, None)
    assert record.number == "2023010101"


def test_staff_xlsx_is_imported_with_excel_dates():
    report = import_records(staff_xlsx(), "staff")
    assert report.problems == []
    assert report.created_persons == 2
    assert StaffRecord.objects.get(number="T2001").hire_date == dt.date(2010, 9, 1)
    # 40422 is Excel's serial number of 2010-09-01; the whole float became "2002".
    assert StaffRecord.objects.get(number="2002").hire_date == dt.date(2010, 9, 1)
    assert OrgUnit.objects.get(code="HR-1").source == "staff"


def test_reimport_writes_no_new_versions():
    data = rows_to_csv(student_rows())
    import_records(data, "students")
    before = list(StudentRecord.objects.values_list("pk", "valid_from", "valid_to"))
    report = import_records(data, "students")
    assert (report.created_persons, report.changed_records, report.unchanged) == (0, 0, 3)
    assert list(StudentRecord.objects.values_list("pk", "valid_from", "valid_to")) == before


def test_changed_major_creates_a_version_and_keeps_the_old_one():
    rows = student_rows()
    import_records(rows_to_csv(rows), "students")
    rows[1]["专业"] = "人工智能"
    rows[2]["姓名"] = "改名"
    report = import_records(rows_to_csv(rows), "students")
    assert (report.changed_records, report.unchanged, report.updated_persons) == (1, 2, 1)
    versions = StudentRecord.objects.filter(person__uid="2023010102").order_by("valid_from")
    assert [v.major for v in versions] == ["软件工程", "人工智能"]
    assert versions[0].valid_to == versions[1].valid_from
    assert versions[1].valid_to is None
    assert Person.objects.get(uid="2023010103").name == "改名"


def test_existing_person_gets_a_new_version(student):
    rows = student_rows(1)
    rows[0].update({"学号": student.uid, "身份证件号码": id_number("20050101")})
    report = import_records(rows_to_csv(rows), "students")
    assert (report.created_persons, report.updated_persons, report.changed_records) == (0, 1, 1)
    assert StudentRecord.objects.filter(person=student).count() == 2
    assert Person.objects.get(pk=student.pk).source == "manual"  # ownership is not taken over


def _problems(rows, kind="students"):
    before = counts()
    report = import_records(rows_to_csv(rows), kind)
    assert counts() == before, "a file with problems imports nothing"
    return [(p.row, p.column) for p in report.problems], report


def test_missing_required_column_is_named():
    rows = [{k: v for k, v in row.items() if k != "专业"} for row in student_rows()]
    places, _ = _problems(rows)
    assert places == [(1, "专业")]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("姓名", "", "empty"),
        ("性别", "M", "男"),
        ("身份证件号码", "330106200501020000", "check digit"),
        ("年级", "23级", "year"),
    ],
)
def test_bad_cell_is_reported_by_row_and_column(column, value, message):
    rows = student_rows()
    rows[1][column] = value
    places, report = _problems(rows)
    assert places == [(3, column)]
    assert message in report.problems[0].message


def test_every_problem_is_reported_not_only_the_first():
    rows = student_rows()
    rows[0]["性别"] = "?"
    rows[2]["专业"] = ""
    places, _ = _problems(rows)
    assert places == [(2, "性别"), (4, "专业")]


def test_bad_date_is_reported():
    data = (
        ",".join(STAFF_HEADER)
        + "\r\n"
        + ",".join(
            ["T1", "甲", "男", id_number("19800101"), "U", "单位", "科员", "", "在职", "2010-13-01"]
        )
        + "\r\n"
    ).encode()
    before = counts()
    report = import_records(data, "staff")
    assert [(p.row, p.column) for p in report.problems] == [(2, "入职日期")]
    assert counts() == before


def test_duplicate_number_is_reported():
    rows = student_rows()
    rows[2]["学号"] = rows[0]["学号"]
    places, report = _problems(rows)
    assert places == [(4, "学号")]
    assert "row 2" in report.problems[0].message


def test_dry_run_writes_nothing():
    before = counts()
    report = import_records(rows_to_csv(student_rows()), "students", dry_run=True)
    assert (report.created_persons, report.changed_records, report.created_units) == (3, 3, 1)
    assert counts() == before


def test_dry_run_counts_unchanged_rows():
    data = rows_to_csv(student_rows())
    import_records(data, "students")
    report = import_records(data, "students", dry_run=True)
    assert (report.created_persons, report.changed_records, report.unchanged) == (0, 0, 3)


def test_file_over_the_size_limit_is_refused(settings, tmp_path):
    settings.WAREHOUSE_IMPORT_MAX_BYTES = 100
    data = rows_to_csv(student_rows())
    report = import_records(data, "students")
    assert "MB" in report.problems[0].message
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("warehouse_import", "students", str(path))
    assert Person.objects.count() == 0


def test_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "staff.xlsx"
    path.write_bytes(staff_xlsx())
    call_command("warehouse_import", "staff", str(path), "--dry-run")
    assert "Dry run" in capsys.readouterr().out
    assert StaffRecord.objects.count() == 0
    call_command("warehouse_import", "staff", str(path))
    assert "2 persons created" in capsys.readouterr().out
    assert StaffRecord.objects.count() == 2


def test_command_prints_problems_and_fails(tmp_path, capsys):
    rows = student_rows()
    rows[0]["性别"] = "X"
    path = tmp_path / "students.csv"
    path.write_bytes(rows_to_csv(rows))
    with pytest.raises(CommandError):
        call_command("warehouse_import", "students", str(path))
    assert "Row 2, column “性别”" in capsys.readouterr().err
    assert Person.objects.count() == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2020-09-01", dt.date(2020, 9, 1)),
        ("2020/9/1", dt.date(2020, 9, 1)),
        ("2020.09.01", dt.date(2020, 9, 1)),
        ("2020年9月1日", dt.date(2020, 9, 1)),
        ("20200901", dt.date(2020, 9, 1)),
        ("2020-09-01 00:00:00", dt.date(2020, 9, 1)),
        ("44075", dt.date(2020, 9, 1)),
        ("2020-02-30", None),
        ("soon", None),
    ],
)
def test_date_formats(text, expected):
    assert parse_date(text) == expected

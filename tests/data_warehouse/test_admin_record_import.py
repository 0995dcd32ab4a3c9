"""The admin record import: upload, check, problems or summary, confirm once — real Celery."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from data_warehouse.models import Person, StudentRecord
from data_warehouse.models.records import RecordImport
from tests.conftest import rows_to_csv, wait_for
from tests.data_warehouse.test_record_import import student_rows

pytestmark = [
    pytest.mark.django_db(
        databases=["default", "warehouse"], transaction=True, serialized_rollback=True
    ),
    pytest.mark.celery,
]
URL = "/admin/warehouse/import/"


@pytest.fixture
def steward(admin_user):
    """A superuser with an authenticator app: staff without one are sent to enrolment."""
    return _with_second_factor(admin_user)


def _with_second_factor(user):
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    return user


def _status(import_id: int) -> str:
    return RecordImport.objects.get(pk=import_id).status


def _upload(client, name: str, data: bytes, kind: str = "students") -> int:
    response = client.post(URL, {"kind": kind, "file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:800]
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_good_file_is_checked_then_imported_once(client, steward, celery_worker):
    client.force_login(steward)
    import_id = _upload(client, "students.csv", rows_to_csv(student_rows(5), encoding="gbk"))
    wait_for(lambda: _status(import_id) == "checked", message="dry run by the worker")
    page = client.get(f"{URL}{import_id}/").content.decode()
    assert "confirm-import" in page
    assert not Person.objects.filter(uid__startswith="20230101").exists()  # checked only

    first = client.post(f"{URL}{import_id}/confirm/")
    second = client.post(f"{URL}{import_id}/confirm/")  # a double-submitted confirm
    assert first.status_code == second.status_code == 302
    wait_for(lambda: _status(import_id) == "done", message="import by the worker")

    job = RecordImport.objects.get(pk=import_id)
    assert job.report["created_persons"] == 5 and job.report["changed_records"] == 5
    assert job.data in (b"", memoryview(b"")) or bytes(job.data) == b""  # file dropped
    assert StudentRecord.objects.filter(person__uid__startswith="20230101").count() == 5
    page = client.get(f"{URL}{import_id}/").content.decode()
    assert 'id="import-summary"' in page and "confirm-import" not in page
    progress = client.get(f"{URL}{import_id}/progress/").json()
    assert (progress["status"], progress["done"], progress["total"]) == ("done", 5, 5)


def test_bad_row_shows_problems_and_imports_nothing(client, steward, celery_worker):
    client.force_login(steward)
    rows = student_rows(3)
    rows[1]["身份证件号码"] = rows[1]["身份证件号码"][:-1] + (
        "0" if rows[1]["身份证件号码"][-1] != "0" else "1"
    )  # a wrong check digit in the second data row (row 3 of the file)
    import_id = _upload(client, "bad.csv", rows_to_csv(rows))
    wait_for(lambda: _status(import_id) == "rejected", message="rejection by the worker")

    problems = RecordImport.objects.get(pk=import_id).report["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [(3, "身份证件号码")]
    page = client.get(f"{URL}{import_id}/").content.decode()
    assert 'id="import-problems"' in page and "身份证件号码" in page
    assert "confirm-import" not in page
    client.post(f"{URL}{import_id}/confirm/")
    assert _status(import_id) == "rejected"
    assert not Person.objects.filter(uid__startswith="20230101").exists()


def test_without_the_permission_the_screen_is_forbidden(client, django_user_model):
    user = _with_second_factor(django_user_model.objects.create_user("editor", password="pw-1"))
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"kind": "students", "file": SimpleUploadedFile("s.csv", b"x")})
    assert response.status_code == 403
    assert not RecordImport.objects.exists()

    user.user_permissions.add(Permission.objects.get(codename="import_records"))
    client.force_login(django_user_model.objects.get(pk=user.pk))  # fresh permission cache
    assert client.get(URL).status_code == 200


def test_oversized_file_is_refused_before_reading(client, steward, settings):
    settings.WAREHOUSE_IMPORT_MAX_BYTES = 1000
    client.force_login(steward)
    response = client.post(
        URL, {"kind": "students", "file": SimpleUploadedFile("big.csv", b"x" * 5000)}
    )
    assert response.status_code == 200
    assert "MB" in response.content.decode()
    assert not RecordImport.objects.exists()

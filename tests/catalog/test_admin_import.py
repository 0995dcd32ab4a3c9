"""The admin import: upload, dry-run report, confirm, progress — with a real Celery worker."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campus_portal.catalog.models import MatterPage, PowerItem, PowerListImport
from tests.conftest import rows_to_csv, sample_rows, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.celery,
]


def _status(record_id: int) -> str:
    return PowerListImport.objects.get(pk=record_id).status


def _upload(client, name: str, data: bytes) -> int:
    response = client.post("/admin/catalog/import/", {"file": SimpleUploadedFile(name, data)})
    assert response.status_code == 302, response.content[:500]
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_upload_check_confirm_import(client, admin_user, catalog_home, celery_worker):
    client.force_login(admin_user)
    record_id = _upload(client, "list.csv", rows_to_csv(sample_rows(12), encoding="gbk"))
    wait_for(lambda: _status(record_id) == "checked", message="dry run by the worker")
    page = client.get(f"/admin/catalog/import/{record_id}/").content.decode()
    assert "confirm-import" in page and "12" in page
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()  # dry run only

    first = client.post(f"/admin/catalog/import/{record_id}/confirm/")
    second = client.post(f"/admin/catalog/import/{record_id}/confirm/")  # a double click
    assert first.status_code == second.status_code == 302
    wait_for(lambda: _status(record_id) == "done", message="import by the worker")
    assert MatterPage.objects.live().filter(code__startswith="T-NEW").count() == 12
    progress = client.get(f"/admin/catalog/import/{record_id}/progress/").json()
    assert progress == {
        "status": "done",
        "status_label": progress["status_label"],
        "done": 12,
        "total": 12,
    }


def test_rejected_file_shows_problems_and_cannot_be_confirmed(
    client, admin_user, catalog_home, celery_worker
):
    client.force_login(admin_user)
    rows = sample_rows(3)
    rows[2]["网上办理深度"] = "9"
    record_id = _upload(client, "bad.csv", rows_to_csv(rows))
    wait_for(lambda: _status(record_id) == "rejected", message="rejection by the worker")
    page = client.get(f"/admin/catalog/import/{record_id}/").content.decode()
    assert "网上办理深度" in page and "confirm-import" not in page
    client.post(f"/admin/catalog/import/{record_id}/confirm/")
    assert _status(record_id) == "rejected"
    assert not PowerItem.objects.filter(code__startswith="T-NEW").exists()


def test_oversized_upload_is_refused_before_reading(client, admin_user, settings):
    settings.POWER_LIST_MAX_BYTES = 1000
    client.force_login(admin_user)
    before = PowerListImport.objects.count()
    response = client.post(
        "/admin/catalog/import/", {"file": SimpleUploadedFile("big.csv", b"x" * 5000)}
    )
    assert response.status_code == 200
    assert PowerListImport.objects.count() == before


def test_wrong_file_type_is_refused(client, admin_user):
    client.force_login(admin_user)
    before = PowerListImport.objects.count()
    response = client.post(
        "/admin/catalog/import/", {"file": SimpleUploadedFile("list.exe", b"MZ\x90\x00")}
    )
    assert response.status_code == 200
    assert PowerListImport.objects.count() == before


def test_reports_download(client, admin_user):
    client.force_login(admin_user)
    response = client.get("/admin/catalog/export/", {"high_frequency": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "high-frequency" in response["Content-Disposition"]

"""The admin screen: administrators only; export; the dry-run diff with on-screen choices for a
missing reference; confirm; refusals shown, nothing imported."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest

from campus_portal.catalog.models import MatterPage, Office
from campus_portal.config_transfer.archive import archive_write, json_bytes
from tests.applications.conftest import make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])
HOME, IMPORT = "/admin/config-transfer/", "/admin/config-transfer/import/"


@pytest.fixture
def admin_client(client):
    client.force_login(make_user("ct-admin", roles=[("administrator", "")]))
    return client


def _archive_with_unknown_office(client) -> tuple[bytes, str]:
    exported = client.post(HOME, {"export": "1", "export-offices": ["JWC"]})
    with zipfile.ZipFile(io.BytesIO(exported.content)) as package:
        files = {n: package.read(n) for n in package.namelist() if n != "manifest.json"}
    matters = json.loads(files["matters.json"])
    matters["records"][0]["office"] = "NOPE"
    matters["records"][0]["phone"] = "0571-12345678"
    files["matters.json"] = json_bytes(matters)
    scope = {"everything": False, "offices": ["JWC"], "matters": []}
    return archive_write(files=files, scope=scope), matters["records"][0]["key"]


def test_only_administrators(client):
    client.force_login(make_user("ct-staff", roles=[("office_staff", "JWC")]))
    assert client.get(HOME).status_code in (302, 403)
    assert client.post(IMPORT, {}).status_code in (302, 403)
    assert client.post(HOME, {"export": "1"}).status_code in (302, 403)


def test_export_everything_downloads_an_archive(admin_client):
    response = admin_client.post(HOME, {"export": "1"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as package:
        manifest = json.loads(package.read("manifest.json"))
    assert manifest["scope"] == {"everything": True}
    assert "matters.json" in manifest["files"] and "targets.json" in manifest["files"]


def test_diff_choose_then_confirm(admin_client):
    data, code = _archive_with_unknown_office(admin_client)
    upload = io.BytesIO(data)
    upload.name = "from-test.zip"
    diff = admin_client.post(IMPORT, {"import-archive": upload})
    page = diff.content.decode()
    assert diff.status_code == 200 and "NOPE" in page and "0571-12345678" in page
    assert 'name="confirm" value="1"' not in page  # no import while a problem remains
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    again = admin_client.post(
        IMPORT,
        {"token": token, "filename": "from-test.zip", "map-offices-NOPE": "XGB", "confirm": "0"},
    )
    assert 'name="confirm" value="1"' in again.content.decode()
    assert MatterPage.objects.get(code=code).phone != "0571-12345678"  # still a dry run
    done = admin_client.post(
        IMPORT,
        {"token": token, "filename": "from-test.zip", "map-offices-NOPE": "XGB", "confirm": "1"},
    )
    assert done.status_code == 200 and "done.html" in [
        t.name.split("/")[-1] for t in done.templates
    ]
    matter = MatterPage.objects.get(code=code)
    assert (matter.office.code, matter.phone) == ("XGB", "0571-12345678")


def test_refused_archive_shown_with_its_name(admin_client):
    upload = io.BytesIO(b"not a zip at all")
    upload.name = "broken.zip"
    before = Office.objects.count()
    response = admin_client.post(IMPORT, {"import-archive": upload})
    assert response.status_code == 400
    assert "broken.zip" in response.content.decode()
    assert Office.objects.count() == before


def test_another_users_token_is_refused(admin_client, client):
    data, _code = _archive_with_unknown_office(admin_client)
    upload = io.BytesIO(data)
    upload.name = "a.zip"
    page = admin_client.post(IMPORT, {"import-archive": upload}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)
    client.force_login(make_user("ct-admin-2", roles=[("administrator", "")]))
    response = client.post(IMPORT, {"token": token, "confirm": "1"})
    assert response.status_code == 400  # not this user's upload: expired for them
    assert client.post(IMPORT, {"token": "../../etc", "confirm": "1"}).status_code in (302, 403)

"""An administrator moves configuration in the admin: uploads an archive, sees the dry-run
diff with a missing office, chooses what it is called here, checks again and imports.
axe-core runs on each screen."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.support.ui import Select

from campus_portal.accounts.roles import Role
from campus_portal.catalog.models import MatterPage
from campus_portal.config_transfer.archive import archive_write, json_bytes
from campus_portal.config_transfer.scope import Scope
from campus_portal.config_transfer.services import configuration_export
from tests.browser.axe import axe_violations
from tests.browser.flows import staff

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]


def _archive(path) -> str:
    """The JWC export with its first matter's office renamed to one this instance lacks."""
    data = configuration_export(scope=Scope(offices=frozenset({"JWC"})))
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        files = {n: package.read(n) for n in package.namelist() if n != "manifest.json"}
    matters = json.loads(files["matters.json"])
    record = matters["records"][0]
    record.update(office="TEST-JWC", phone="0571-88880000")
    files["matters.json"] = json_bytes(matters)
    path.write_bytes(archive_write(files=files, scope={"everything": False, "offices": ["JWC"]}))
    return record["key"]


def _press(portal, css: str) -> None:
    """Submit the form with this button as a person pressing it would (the admin's sticky
    footer covers the end of a long page, so a synthetic click there is intercepted)."""
    button = portal.find(css)
    portal.browser.execute_script("arguments[0].form.requestSubmit(arguments[0])", button)
    portal._wait().until(lambda browser: _stale(button))


def _stale(element) -> bool:
    try:
        element.is_enabled()
    except StaleElementReferenceException:
        return True
    return False


def test_administrator_imports_with_the_diff_and_a_choice(portal, tmp_path):
    archive = tmp_path / "from-test-instance.zip"
    code = _archive(archive)
    administrator = staff("ct-browser-admin", (Role.ADMINISTRATOR, ""))
    portal.sign_in(administrator, then="/admin/config-transfer/")
    portal.wait_for("input[name=import-archive]")
    assert axe_violations(portal.browser) == []
    portal.find("input[name=import-archive]").send_keys(str(archive))
    _press(portal, "form[action$='/import/'] button[type=submit]")

    portal.wait_for("select[name='map-offices-TEST-JWC']")
    page = portal.browser.page_source
    assert "TEST-JWC" in page and "0571-88880000" in page
    assert not portal.all("button[name=confirm][value='1']")  # no import while a problem is left
    assert axe_violations(portal.browser) == []
    Select(portal.find("select[name='map-offices-TEST-JWC']")).select_by_value("JWC")
    _press(portal, "button[name=confirm][value='0']")

    portal.wait_for("button[name=confirm][value='1']")
    assert MatterPage.objects.get(code=code).phone != "0571-88880000"  # still only a dry run
    _press(portal, "button[name=confirm][value='1']")
    portal.wait_for("[role=status]")
    assert axe_violations(portal.browser) == []
    matter = MatterPage.objects.get(code=code)
    assert (matter.office.code, matter.phone) == ("JWC", "0571-88880000")

"""毕业生离校一件事 in a real browser: one application, five offices in parallel, then JWC.

The clearance offices finish in a different order in each run; whatever the order, the final
step (学籍与毕业资格确认, JWC) stays waiting until the last clearance is approved, then starts,
and its approval decides the application, which 教务处 closes.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from campus_portal.applications.models import Event
from tests.browser.flows import Portal, application, bind, grants_for, portal_for, staff, student

pytestmark = [
    pytest.mark.django_db(
        transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
    ),
    pytest.mark.browser,
]

KEY = "jwc.graduation_bundle"
# The bundle has no matter code of its own: bound as an administrator would
# (tests/plugins/test_graduation_bundle.py).
MATTER = "SF-XB-002"
CLEARANCE = ("TSG", "HQC", "CWC", "XXZX", "ZZB")  # ZZB: the applicant is a party member


@pytest.fixture
def portal(browser, live_server, catalog_home, settings) -> Iterator[Portal]:
    with portal_for(browser, live_server, settings) as portal:
        bind(KEY, MATTER)
        grants_for(KEY)
        yield portal


# One order other than the guide's list: the services tests (tests/plugins) go through both
# orders; in the browser one non-list order shows the pages do not impose one (~30 s each).
@pytest.mark.parametrize("order", [("ZZB", "CWC", "TSG", "XXZX", "HQC")], ids=["shuffled"])
def test_graduation_bundle_parallel_clearance_in_any_order(portal, order):
    graduate = student(degree_level="本科")
    registrar = staff("jwc-registrar", ("office_staff", "JWC"))
    offices = {code: staff(f"{code.lower()}-staff", ("office_staff", code)) for code in order}

    portal.sign_in(graduate)
    reference = portal.apply(
        MATTER, {"party_member": "yes", "forwarding_address": "浙江省杭州市西湖区"}
    )
    assert portal.state() == "submitted"

    portal.sign_in(registrar, then="/workbench/")
    assert portal.all(f"tr.acceptance-row[data-reference='{reference}']")
    portal.workbench(reference)
    portal.click("#accept")
    assert _states(portal) == {**dict.fromkeys(CLEARANCE, "active"), "JWC": "waiting"}
    assert not portal.all("form.step-form")  # nothing for JWC yet

    for done, code in enumerate(order, start=1):
        portal.sign_in(offices[code], then="/workbench/")
        # Each clearance office finds the step in its own queue.
        assert portal.all(f"tr.step-row[data-reference='{reference}']")
        portal.workbench(reference)
        portal.finish_step(code, comment=f"{code} 已办结")
        states = _states(portal)
        assert states[code] == "approved"
        if done < len(order):
            assert states["JWC"] == "waiting", (code, states)
            assert portal.state() == "in_progress"
        else:
            assert states["JWC"] == "active"

    portal.sign_in(registrar, then="/workbench/")
    assert portal.all(f"tr.step-row[data-reference='{reference}']")
    portal.workbench(reference)
    portal.finish_step("JWC")
    assert portal.state() == "approved"
    portal.click("#close-application")
    assert portal.state() == "closed"

    finished = [
        event.detail["office"]
        for event in application(reference).events.filter(kind=Event.Kind.STEP_FINISHED)
    ]
    assert finished == [*order, "JWC"]


def _states(portal: Portal) -> dict[str, str]:
    """Office → state of its step, from the workbench page's steps list."""
    return {
        row.get_attribute("data-office"): row.get_attribute("data-state")
        for row in portal.all("#steps li.step")
    }

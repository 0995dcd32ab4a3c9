"""Every reference matter of depth ≥ 3 is applied for online and decided with the starting
configuration its import derived — the import's promise, checked matter by matter."""

from __future__ import annotations

import itertools

import pytest

from campus_portal.applications import services as lifecycle
from campus_portal.catalog.models import MatterPage
from campus_portal.matter_config.services import code_plugin_matters
from tests.conftest import reference_rows
from tests.matter_config.conftest import answers_submitted, sample_post

CLAIMED = code_plugin_matters()
ONLINE = [
    row["事项编码"]
    for row in reference_rows()
    if int(row["网上办理深度"]) >= 3 and row["事项编码"] not in CLAIMED
]
_keys = itertools.count(1)


def _decide(application, staff) -> None:
    """Accept as the responsible office, then finish every step as its office's staff."""
    lifecycle.application_accept(application, actor=staff[application.office_code])
    for _round in range(20):
        application.refresh_from_db()
        active = list(application.steps.filter(state="active"))
        if not active:
            return
        for step in active:
            lifecycle.step_finish(step, actor=staff[step.office_code], approved=True)


@pytest.mark.django_db(databases=["default", "warehouse"])
@pytest.mark.parametrize("code", ONLINE)
def test_applied_for_and_decided_with_its_starting_configuration(configured, code):
    applicant = configured.applicant
    matter = MatterPage.objects.get(code=code)
    assert code in configured.published, f"{code}: the starting configuration was not published"
    handler = lifecycle.handler_for(matter)
    assert handler is not None and handler.key == "config.generic"

    application = lifecycle.application_start(user=applicant, matter=matter)
    assert application.office_code == matter.office.code
    view = lifecycle.application_view(application)
    if handler.data_needs_for(view):
        lifecycle.application_consent(application, actor=applicant)
        application.refresh_from_db()
    form_class = handler.form_class_for(lifecycle.application_view(application))
    answers = {}
    if form_class is not None:
        data, files = sample_post(form_class)
        form = form_class(data, files)
        assert form.is_valid(), form.errors
        answers = answers_submitted(form, application=application, user=applicant)
    application = lifecycle.application_submit(
        application, actor=applicant, answers=answers, idempotency_key=f"mc-{next(_keys)}"
    )
    if application.state == "submitted":
        _decide(application, configured.staff)
        application.refresh_from_db()
    assert application.state == "approved", (code, application.state)
    assert application.configuration_pin.version == configured.published[code]


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_code_plugins_keep_their_matters(configured):
    """A matter a code plugin serves is never bound to its configuration."""
    for code in CLAIMED:
        matter = MatterPage.objects.filter(code=code).first()
        if matter is None:
            continue
        assert code not in configured.published
        handler = lifecycle.handler_for(matter)
        assert handler is not None and handler.key != "config.generic", code

"""The lifecycle through the services: instant decision, refusals, supplement, steps, scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import translation

from campus_portal.applications import services
from campus_portal.applications.models import Application, Event, HandlerBinding, Step
from campus_portal.applications.selectors import application_for
from campus_portal.audit.models import SecurityEvent
from campus_portal.catalog.models import MatterPage
from campus_portal.plugin_api import MatterHandler, StepSpec, registry
from data_warehouse.models import AccessLog, Consent
from tests.applications.conftest import make_student, make_user

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _apply(user, matter, **answers):
    application = services.application_start(user=user, matter=matter)
    services.application_consent(application, actor=user)
    return services.application_submit(
        application,
        actor=user,
        answers=answers or {"use": "签证", "copies": 1},
        idempotency_key=f"key-{application.reference}",
    )


def test_enrolled_student_gets_an_instant_certificate(student_user, certificate_matter):
    application = _apply(student_user, certificate_matter)
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED
    assert application.snapshot["student.status"]["value"] == "在读"
    kinds = list(application.events.values_list("kind", flat=True))
    assert kinds == ["drafted", "submitted", "approved"]
    # The read was consented to and logged with this application's reference.
    assert Consent.objects.filter(application_ref=application.reference).exists()
    assert AccessLog.objects.filter(application_ref=application.reference).count() == 1


def test_a_suspended_student_is_refused_with_a_reason(db, certificate_matter):
    from tests.applications.conftest import grant_all

    make_student("2023010199", status="休学")
    grant_all("jwc.enrollment_certificate")
    user = make_user("2023010199", person_uid="2023010199")
    application = _apply(user, certificate_matter)
    assert application.state == Application.State.REJECTED
    assert "休学" in application.decision_reason


def test_submitting_twice_with_one_key_makes_one_submission(student_user, certificate_matter):
    application = services.application_start(user=student_user, matter=certificate_matter)
    services.application_consent(application, actor=student_user)
    for _ in range(2):
        services.application_submit(
            application, actor=student_user, answers={"use": "x"}, idempotency_key="same-key"
        )
    assert application.events.filter(kind=Event.Kind.SUBMITTED).count() == 1
    assert Application.objects.filter(applicant=student_user).count() == 1


def test_no_submission_without_consent(student_user, certificate_matter):
    application = services.application_start(user=student_user, matter=certificate_matter)
    with pytest.raises(services.TransitionRefused):
        services.application_submit(
            application, actor=student_user, answers={}, idempotency_key="k"
        )


def test_someone_elses_application_is_a_logged_404(student_user, certificate_matter):
    application = _apply(student_user, certificate_matter)
    other = make_user("2023010177")
    with pytest.raises(Http404):
        application_for(other, application.reference)
    denial = SecurityEvent.objects.filter(kind="permission_denied", actor="2023010177").get()
    assert denial.detail["application"] == application.reference
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application, actor=other)


def test_an_administrator_does_not_see_applications(student_user, certificate_matter):
    application = _apply(student_user, certificate_matter)
    admin = make_user("admin-only", roles=[("administrator", "")])
    with pytest.raises(Http404):
        application_for(admin, application.reference)


# --- A contract test handler: parallel group, final step, head-only step -------------------------


class BundleHandler(MatterHandler):
    key = "xgb.contract_test"
    office = "XGB"
    label = "契约测试"
    purpose = "测试"
    data_needs = ("person.name",)

    def steps(self, application):
        steps = [
            StepSpec("library", "TSG", "图书清还", 3, group="checks"),
            StepSpec("finance", "CWC", "欠费结清", 3, group="checks"),
        ]
        if application.answers.get("party_member"):
            steps.append(StepSpec("party", "ZZB", "组织关系转出", 3, group="checks"))
        steps.append(StepSpec("final", "XGB", "负责人确认", 2, decided_by="office_head"))
        return steps


@pytest.fixture
def bundle(db):
    registry.register(BundleHandler)
    matter = MatterPage.objects.get(code="SF-XGB-006")
    HandlerBinding.objects.update_or_create(
        matter=matter, defaults={"handler_key": BundleHandler.key}
    )
    make_student("2023010155")
    from data_warehouse.services import grant_create

    grant_create(
        handler_key=BundleHandler.key, item_key="person.name", purpose="测试", granted_by="s"
    )
    yield matter
    registry.unregister(BundleHandler.key)


def _staff():
    return {
        office: make_user(f"staff-{office}", roles=[("office_staff", office)])
        for office in ("TSG", "CWC", "ZZB", "XGB")
    }


@pytest.mark.parametrize("order", [("TSG", "CWC", "ZZB"), ("ZZB", "CWC", "TSG")])
def test_parallel_checks_then_the_final_step(bundle, order):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    head = make_user("head-XGB", roles=[("office_head", "XGB")])
    application = _apply(user, bundle, party_member=True)
    assert application.state == Application.State.SUBMITTED
    services.application_accept(application, actor=staff["XGB"])
    active = set(application.steps.filter(state="active").values_list("office_code", flat=True))
    assert active == {"TSG", "CWC", "ZZB"}
    for office in order:
        step = application.steps.get(office_code=office)
        assert application.steps.get(key="final").state == Step.State.WAITING
        services.step_finish(step, actor=staff[office], approved=True)
    final = application.steps.get(key="final")
    assert final.state == Step.State.ACTIVE and final.due_at is not None
    with pytest.raises(PermissionDenied):  # head-only step
        services.step_finish(final, actor=staff["XGB"], approved=True)
    services.step_finish(final, actor=head, approved=True)
    application.refresh_from_db()
    assert application.state == Application.State.APPROVED


def test_a_conditional_step_is_left_out(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    application = _apply(user, bundle, party_member=False)
    services.application_accept(application, actor=staff["XGB"])
    assert not application.steps.filter(office_code="ZZB").exists()


def test_an_office_cannot_finish_another_offices_step(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    application = _apply(user, bundle)
    services.application_accept(application, actor=staff["XGB"])
    with pytest.raises(PermissionDenied):
        services.step_finish(
            application.steps.get(office_code="TSG"), actor=staff["CWC"], approved=True
        )


def test_a_rejection_cancels_the_rest_and_needs_a_reason(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    application = _apply(user, bundle)
    services.application_accept(application, actor=staff["XGB"])
    library = application.steps.get(office_code="TSG")
    with pytest.raises(services.TransitionRefused):
        services.step_finish(library, actor=staff["TSG"], approved=False)
    services.step_finish(library, actor=staff["TSG"], approved=False, comment="有未还图书")
    application.refresh_from_db()
    assert application.state == Application.State.REJECTED
    assert application.steps.get(key="final").state == Step.State.CANCELLED


def test_supplement_once_pauses_and_resumes_the_clock(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    application = _apply(user, bundle)
    services.application_accept(application, actor=staff["XGB"])
    services.application_return_for_supplement(
        application, actor=staff["XGB"], items=["缺少离校申请表", "照片不清晰"]
    )
    application.refresh_from_db()
    assert application.state == Application.State.SUPPLEMENT
    assert set(application.steps.values_list("state", flat=True)) >= {"paused"}
    assert not application.steps.filter(state="active").exists()
    services.application_submit(application, actor=user, answers={}, idempotency_key="k2")
    application.refresh_from_db()
    assert application.state == Application.State.IN_PROGRESS
    assert application.steps.filter(state="active").count() == 2
    with pytest.raises(services.TransitionRefused):
        services.application_return_for_supplement(application, actor=staff["XGB"], items=["再来"])


def test_a_stale_version_loses(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    staff = _staff()
    application = _apply(user, bundle)
    seen = Application.objects.get(pk=application.pk).version
    services.application_accept(application, actor=staff["XGB"], version=seen)
    with pytest.raises(services.StaleVersion):
        services.application_not_accept(application, actor=staff["XGB"], reason="x", version=seen)


def test_withdrawal_before_decision(bundle):
    user = make_user("2023010155", person_uid="2023010155")
    application = _apply(user, bundle)
    services.application_withdraw(application, actor=user)
    application.refresh_from_db()
    assert application.state == Application.State.WITHDRAWN


def test_a_missing_grant_is_a_clear_refusal_and_keeps_no_consent(db, certificate_matter):
    make_student("2023010188")  # no grants for the handler
    user = make_user("2023010188", person_uid="2023010188")
    application = services.application_start(user=user, matter=certificate_matter)
    with translation.override("en"), pytest.raises(services.TransitionRefused, match="office"):
        services.application_consent(application, actor=user)
    assert not Consent.objects.filter(application_ref=application.reference).exists()
    assert not AccessLog.objects.filter(application_ref=application.reference).exists()


def test_one_key_cannot_submit_two_applications(student_user, certificate_matter):
    first = services.application_start(user=student_user, matter=certificate_matter)
    services.application_consent(first, actor=student_user)
    services.application_submit(first, actor=student_user, answers={}, idempotency_key="dup")
    second = services.application_start(user=student_user, matter=certificate_matter)
    services.application_consent(second, actor=student_user)
    with pytest.raises(services.TransitionRefused):
        services.application_submit(second, actor=student_user, answers={}, idempotency_key="dup")

"""Plugin tests: hand-built application views for unit tests, and the real lifecycle.

``Lifecycle`` drives one application through the core's services with real users, a warehouse
student, grants and a consent — the way a plugin is used in production — so each plugin's
integration test reads as the story of one application.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from typing import Any

import pytest
from django.utils import timezone

from campus_portal.plugin_api import ApplicationView, registry

_counter = itertools.count(1)

# Lifecycle tests read the warehouse (the applicant's records) as well as the default database.
warehouse_db = pytest.mark.django_db(databases=["default", "warehouse"])


def view(handler_key: str, *, data: Mapping[str, Any] = (), answers: Mapping[str, Any] = ()):
    """An ``ApplicationView`` as the core would build it (no database)."""
    return ApplicationView(
        reference="XW-TEST",
        handler_key=handler_key,
        applicant_uid="2023010101",
        data=dict(data),
        answers=dict(answers),
    )


def step_keys(specs) -> list[str]:
    return [spec.key for spec in specs]


def warehouse_student(*, degree_level: str = "本科", status: str = "在读", uid: str = ""):
    """A person with a current student record in the warehouse (as in data_warehouse tests)."""
    from data_warehouse.models import OrgUnit, Person, StudentRecord

    n = next(_counter)
    uid = uid or f"20230{n:05d}"
    school, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    person = Person.objects.create(
        uid=uid, name="张晓明", gender=Person.Gender.MALE, id_card_number="330106200501011234"
    )
    StudentRecord.objects.create(
        person=person,
        number=uid,
        school=school,
        major="软件工程",
        class_name="软件2301",
        degree_level=degree_level,
        grade_year=2023,
        enrolment_status=status,
        dormitory="紫金港 5 舍 301",
        valid_from=timezone.now() - dt.timedelta(days=400),
        source="教务系统",
    )
    return person


def staff_record(person, *, number: str = "T20260001"):
    """The HR record of ``person`` as the warehouse holds it after an import."""
    from data_warehouse.models import OrgUnit, StaffRecord

    unit, _ = OrgUnit.objects.get_or_create(
        code="CS", defaults={"name": "计算机学院", "kind": OrgUnit.Kind.SCHOOL}
    )
    return StaffRecord.objects.create(
        person=person,
        number=number,
        unit=unit,
        post="专任教师",
        title="讲师",
        employment_status="在职",
        hire_date=dt.date(2026, 9, 1),
        valid_from=timezone.now() - dt.timedelta(days=1),
        source="人事系统",
    )


class Lifecycle:
    """One applicant, one matter, staff per office: the calls a real application goes through."""

    def __init__(self, django_user_model, handler_key: str, matter_code: str, **student):
        from campus_portal.accounts.services import identity_link
        from campus_portal.applications.models import HandlerBinding
        from campus_portal.applications.services import handler_bindings_ensure
        from campus_portal.catalog.models import MatterPage
        from data_warehouse.services import grant_create

        self.users = django_user_model
        self.handler = registry.get(handler_key)
        assert self.handler is not None, f"{handler_key} is not registered"
        for item in self.handler.data_needs:
            grant_create(
                handler_key=handler_key,
                item_key=item,
                purpose="x",
                granted_by="s",
                unmasked=item == "student.dormitory",
            )
        self.person = warehouse_student(**student)
        self.applicant = django_user_model.objects.create_user(f"app{next(_counter)}", "", "pw")
        identity_link(self.applicant, person_uid=self.person.uid, source="manual")
        handler_bindings_ensure()
        self.matter = MatterPage.objects.get(code=matter_code)
        HandlerBinding.objects.update_or_create(
            matter=self.matter, defaults={"handler_key": handler_key, "enabled": True}
        )
        self._staff: dict[tuple[str, str], Any] = {}
        self.application = None

    def staff(self, office: str, role: str = "office_staff"):
        from campus_portal.accounts.services import role_assign

        if (office, role) not in self._staff:
            user = self.users.objects.create_user(f"{role}-{office}-{next(_counter)}", "", "pw")
            role_assign(user, role=role, office_code=office, by="t")
            self._staff[office, role] = user
        return self._staff[office, role]

    def submit(self, answers: Mapping[str, Any]):
        from campus_portal.applications import services

        application = services.application_start(user=self.applicant, matter=self.matter)
        services.application_consent(application, actor=self.applicant)
        # Idempotency keys are unique across all applications: one per lifecycle.
        self.application = services.application_submit(
            application,
            actor=self.applicant,
            answers=dict(answers),
            idempotency_key=f"k1-{self.applicant.pk}",
        )
        return self.refresh()

    def accept(self):
        from campus_portal.applications import services

        services.application_accept(self.application, actor=self.staff(self.handler.office))
        return self.refresh()

    def refresh(self):
        self.application.refresh_from_db()
        return self.application

    def step(self, key: str):
        return self.application.steps.get(key=key)

    def states(self) -> dict[str, str]:
        return dict(self.application.steps.values_list("key", "state"))

    def finish(self, key: str, *, approved: bool = True, comment: str = ""):
        from campus_portal.applications import services

        step = self.step(key)
        services.step_finish(
            step,
            actor=self.staff(step.office_code, step.decided_by),
            approved=approved,
            comment=comment,
        )
        return self.refresh()

    def reject(self, key: str, comment: str):
        """Reject step ``key``: that rejects the application, with the comment as its reason."""
        application = self.finish(key, approved=False, comment=comment)
        assert (application.state, application.decision_reason) == ("rejected", comment)
        return application

    def finish_group(self, order: list[str], final: str):
        """Finish the parallel steps ``order`` one by one: ``final`` must wait for the last of
        them (the application staying in progress), then become active. Returns ``final``."""
        for done, key in enumerate(order, start=1):
            application = self.finish(key)
            states = self.states()
            if done < len(order):
                assert states[final] == "waiting", (key, states)
                assert application.state == "in_progress"
        final_step = self.step(final)
        assert final_step.state == "active" and final_step.due_at is not None
        return final_step


@pytest.fixture
def lifecycle(django_user_model):
    def make(handler_key: str, matter_code: str, **student) -> Lifecycle:
        return Lifecycle(django_user_model, handler_key, matter_code, **student)

    return make

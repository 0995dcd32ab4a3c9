from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.dormitory_change.handlers import DormitoryChangeForm
from tests.plugins.conftest import step_keys, view

KEY = "hqc.dormitory_change"
DATA = {
    "person.name": "张晓明",
    "person.gender": "男",
    "student.number": "2023010101",
    "student.school": "计算机学院",
    "student.class": "软件2301",
    "student.dormitory": "紫金港 5 舍 301",
}


def handler():
    return registry.get(KEY)


def test_the_counsellor_then_the_allocator():
    specs = handler().steps(view(KEY, data=DATA, answers={"reason": "作息不同"}))
    assert step_keys(specs) == ["counsellor", "allocation"]
    assert [spec.office for spec in specs] == ["XGB", "HQC"]
    assert [spec.group for spec in specs] == ["", ""]  # in sequence, not in parallel
    assert sum(spec.time_limit_days for spec in specs) == 3  # the list's promised limit
    assert "student.dormitory" in handler().data_needs
    assert handler().decide(view(KEY, data=DATA)) is None


def test_result_document():
    document = handler().result(view(KEY, data=DATA, answers={"preferred_building": ""}))
    assert document.fields == {"原宿舍": "紫金港 5 舍 301", "意向楼栋": "服从分配"}
    assert "张晓明" in document.body


def test_form():
    assert DormitoryChangeForm({"reason": "作息不同"}).is_valid()
    assert DormitoryChangeForm({"reason": "作息不同", "preferred_building": "5 舍"}).is_valid()
    assert not DormitoryChangeForm({"preferred_building": "5 舍"}).is_valid()


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_through_the_lifecycle(lifecycle):
    from django.core.exceptions import PermissionDenied

    from campus_portal.applications import services

    run = lifecycle(KEY, "SF-HQC-001")
    application = run.submit({"reason": "作息不同", "preferred_building": "紫金港 6 舍"})
    # The granted, unmasked current room is in the snapshot for the allocator.
    assert application.snapshot["student.dormitory"]["value"] == "紫金港 5 舍 301"
    run.accept()
    assert run.states() == {"counsellor": "active", "allocation": "waiting"}
    # HQC cannot jump the queue: its step is not active yet.
    with pytest.raises(services.TransitionRefused):
        services.step_finish(run.step("allocation"), actor=run.staff("HQC"), approved=True)
    # … and XGB cannot finish HQC's step.
    run.finish("counsellor")
    with pytest.raises(PermissionDenied):
        services.step_finish(run.step("allocation"), actor=run.staff("XGB"), approved=True)
    assert run.states() == {"counsellor": "approved", "allocation": "active"}
    assert run.finish("allocation").state == "approved"

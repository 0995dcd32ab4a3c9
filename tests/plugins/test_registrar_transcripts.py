from __future__ import annotations

import pytest

from campus_portal.plugin_api import registry
from plugins.registrar_transcripts.handlers import TranscriptForm
from tests.plugins.conftest import view

KEY = "jwc.transcript"
DATA = {
    "person.name": "张晓明",
    "student.number": "2023010101",
    "student.school": "计算机学院",
    "student.major": "软件工程",
    "student.status": "在读",
}


def handler():
    return registry.get(KEY)


@pytest.mark.parametrize("status", ["在读", "毕业"])
def test_a_chinese_transcript_of_an_enrolled_or_graduated_student_is_instant(status):
    decision = handler().decide(view(KEY, data={**DATA, "student.status": status}))
    assert decision is not None and decision.approved


@pytest.mark.parametrize("status", ["休学", "退学", None])
def test_other_statuses_go_to_the_registrar(status):
    application = view(KEY, data={**DATA, "student.status": status}, answers={"language": "zh"})
    assert handler().decide(application) is None
    (step,) = handler().steps(application)
    assert (step.office, step.time_limit_days) == ("JWC", 3)


def test_an_english_transcript_is_proof_read_within_one_working_day():
    application = view(KEY, data=DATA, answers={"language": "en", "copies": 2})
    assert handler().decide(application) is None
    (step,) = handler().steps(application)
    assert (step.key, step.office, step.time_limit_days) == ("registrar_check", "JWC", 1)


def test_result_document():
    document = handler().result(
        view(KEY, data=DATA, answers={"language": "zh", "copies": 2, "delivery_note": "自取"})
    )
    assert document.title == "中文成绩单"
    assert document.language == "zh"
    assert "张晓明" in document.body and "2023010101" in document.body
    assert document.fields == {"语言": "中文", "份数": "2", "送达说明": "自取"}


def test_an_english_transcript_is_an_english_document():
    document = handler().result(
        view(KEY, data=DATA, answers={"language": "en", "copies": 2, "delivery_note": "自取"})
    )
    assert (document.title, document.language) == ("Academic Transcript", "en")
    assert "张晓明" in document.body and "student number 2023010101" in document.body
    assert document.fields == {"Language": "English", "Copies": "2", "Delivery note": "自取"}


@pytest.mark.parametrize(
    ("data", "valid"),
    [
        ({"language": "zh", "copies": 1}, True),
        ({"language": "en", "copies": 10, "delivery_note": "邮寄"}, True),
        ({"language": "fr", "copies": 1}, False),
        ({"language": "zh", "copies": 0}, False),
        ({"language": "zh", "copies": 11}, False),
    ],
)
def test_form(data, valid):
    assert TranscriptForm(data).is_valid() is valid


@pytest.mark.django_db(databases=["default", "warehouse"])
def test_through_the_lifecycle(lifecycle):
    # A Chinese transcript of an enrolled student: approved on submission (秒批).
    run = lifecycle(KEY, "SF-JWC-003")
    application = run.submit({"language": "zh", "copies": 1, "delivery_note": ""})
    assert application.state == "approved"
    assert application.snapshot["student.status"]["value"] == "在读"

    # An English one: accepted by JWC, proof-read, approved.
    run = lifecycle(KEY, "SF-JWC-004")
    assert run.submit({"language": "en", "copies": 2, "delivery_note": "自取"}).state == (
        "submitted"
    )
    run.accept()
    assert run.states() == {"registrar_check": "active"}
    assert run.finish("registrar_check").state == "approved"

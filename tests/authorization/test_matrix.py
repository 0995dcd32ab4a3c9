"""The authorization matrix: every URL we serve × every role × own/other object.

``test_every_url_is_in_the_matrix`` walks the URL resolver, so a new view (or a new snippet
model) fails CI until somebody writes down who may open it. Each cell states the expected
outcome; a denial by a signed-in user must also land in the security log.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from campus_portal.audit.models import SecurityEvent
from tests.authorization.conftest import OWN_OFFICE, ROLES

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])

SIGNED_IN = frozenset(ROLES) - {"anonymous"}
EVERYONE = frozenset(ROLES)
ADMINS = frozenset({"administrator", "superuser"})
STEWARDS = frozenset({"data_steward", "superuser"})
SUPERUSER = frozenset({"superuser"})
# A step's named person (issue 17: staff in the warehouse, with MFA) sees the application it
# names them on — pages, attachments, notices, result — and acts on nothing else; a student
# named on a step ("named_student") is nobody: every cell treats them as a stranger.
APPLICATION_SEERS = frozenset({"applicant", "office_staff", "office_head", "named_assignee"})
WORKBENCH_STAFF = frozenset({"window_staff", "office_staff", "office_head"})
# The workbench queue and the application's workbench page also open for the named person.
WORKBENCH_ENTRY = WORKBENCH_STAFF | {"named_assignee"}
NOBODY: frozenset[str] = frozenset()
# The 105号 dashboard: campus-wide roles and the superuser, office heads for their offices.
DASHBOARD = frozenset({"administrator", "supervisor", "office_head", "superuser"})
# Their own office's seals and result templates (and, read-only, its issued documents).
OFFICE_ADMINS = frozenset({"office_staff", "office_head", "superuser"})
# Who designs their office's configured matters (administrators: every office's).
DESIGNERS = OFFICE_ADMINS | {"administrator"}

OUR_PACKAGES = ("campus_portal", "data_warehouse", "plugins", "hall_kiosk", "config")
OUR_SNIPPETS = re.compile(
    r"^admin/snippets/"
    r"(catalog|audit|data_warehouse|accounts|workdays|applications|dashboard|results|hall_kiosk|queueing|matter_config)/"
)


@dataclass(frozen=True)
class Rule:
    """Who gets through; ``other`` is who gets through for another office's object."""

    allowed: frozenset[str]
    other: frozenset[str] | None = None
    method: str = "get"
    outcome: str = "ok"  # what "getting through" looks like
    # Exact outcomes for some roles (e.g. "missing": someone else's application is a 404).
    per_role: dict[str, str] | None = None


@dataclass(frozen=True)
class SnippetRules:
    view: frozenset[str]
    add: frozenset[str]
    change: frozenset[str]
    delete: frozenset[str]
    # For office-owned models: who may change another office's object.
    change_other: frozenset[str] | None = None

    def allowed(self, action: str, *, own: bool) -> frozenset[str]:
        if action == "history":  # Wagtail: any write permission on the model
            return self.add | self.change | self.delete
        if action == "usage":  # Wagtail: the model's change permission (read-only page)
            return self.change
        allowed: frozenset[str] = getattr(self, action)
        if not own and self.change_other is not None:
            allowed = allowed & self.change_other
        return allowed


SNIPPETS: dict[str, SnippetRules] = {
    "catalog/office": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "catalog/audience": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "catalog/topic": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "catalog/searchsynonym": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    # Written by the import only (read-only policy, even for a superuser).
    "catalog/poweritem": SnippetRules(ADMINS, NOBODY, NOBODY, NOBODY),
    "audit/securityevent": SnippetRules(ADMINS, NOBODY, NOBODY, NOBODY),
    "data_warehouse/dataitem": SnippetRules(
        STEWARDS, SUPERUSER, STEWARDS, NOBODY, change_other=SUPERUSER
    ),
    "data_warehouse/grant": SnippetRules(
        STEWARDS, STEWARDS, STEWARDS, NOBODY, change_other=SUPERUSER
    ),
    "data_warehouse/accesslog": SnippetRules(STEWARDS, NOBODY, NOBODY, NOBODY),
    "data_warehouse/recordimport": SnippetRules(STEWARDS, NOBODY, NOBODY, NOBODY),
    "accounts/roleassignment": SnippetRules(ADMINS, ADMINS, NOBODY, ADMINS),
    "workdays/calendaroverride": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "applications/handlerbinding": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "dashboard/target": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "results/officeseal": SnippetRules(
        OFFICE_ADMINS, OFFICE_ADMINS, OFFICE_ADMINS, OFFICE_ADMINS, change_other=SUPERUSER
    ),
    "results/resulttemplate": SnippetRules(
        OFFICE_ADMINS, OFFICE_ADMINS, OFFICE_ADMINS, OFFICE_ADMINS, change_other=SUPERUSER
    ),
    # Issued documents are written by the issuing service only (revoked on the workbench).
    "results/issueddocument": SnippetRules(OFFICE_ADMINS, NOBODY, NOBODY, NOBODY),
    # The hall: kiosk devices, campus cards for the kiosks, window service categories.
    "hall_kiosk/kiosk": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "hall_kiosk/cardcredential": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    "queueing/servicecategory": SnippetRules(ADMINS, ADMINS, ADMINS, ADMINS),
    # Configured matters: their office's staff and heads, and administrators (every office);
    # nobody deletes one by hand but a superuser (applications keep their versions).
    "matter_config/matterconfiguration": SnippetRules(
        DESIGNERS, DESIGNERS, DESIGNERS, SUPERUSER, change_other=ADMINS
    ),
}
# Wagtail snippet views and the permission each needs.
SNIPPET_ACTIONS = {
    "": "view",
    "results/": "view",
    "add/": "add",
    "edit/<int:pk>/": "change",
    "delete/<int:pk>/": "delete",
    "usage/<int:pk>/": "usage",
    "history/<int:pk>/": "history",
    "history-results/<int:pk>/": "history",
    "copy/<int:pk>/": "add",
    "inspect/<int:pk>/": "view",
}

ROUTES: dict[str, Rule] = {
    # Public portal and API
    "^((?:[\\w\\-]+/)*)$": Rule(EVERYONE),
    "api/v1/matters/": Rule(EVERYONE),
    "api/v1/matters/<str:code>/": Rule(EVERYONE),
    "api/schema/": Rule(EVERYONE),
    "healthz": Rule(EVERYONE),
    "i18n/<str:language>/": Rule(EVERYONE, outcome="redirect"),
    # Documents are public (forms and samples of guides); an unknown id is a 404 for all.
    "documents/^(\\d+)/(.*)$": Rule(NOBODY, outcome="missing"),
    "documents/authenticate_with_password/<int:restriction_id>/": Rule(NOBODY, outcome="missing"),
    "_util/authenticate_with_password/<int:page_view_restriction_id>/<int:page_id>/": Rule(
        NOBODY, outcome="missing"
    ),
    # Every sign-in goes through allauth (MFA, rate limits).
    "admin/login/": Rule(EVERYONE, outcome="login"),
    "_util/login/": Rule(EVERYONE, outcome="login"),
    "admin/password_reset/": Rule(EVERYONE, outcome="redirect"),
    "admin/test404/": Rule(NOBODY, outcome="missing"),
    # The signed-in person's own pages
    "me/data-access/": Rule(SIGNED_IN),
    # The inbox: everyone signed in has one (a POST marks their own messages read).
    "me/messages/": Rule(SIGNED_IN),
    # Everyone chooses their own channels (a POST saves their own preferences only).
    "me/messages/preferences/": Rule(SIGNED_IN),
    # Applying. The application under test is the applicant's instant 在读证明 (JWC, approved):
    # its applicant and JWC's office staff and head see it; to everyone else it does not exist.
    "apply/<str:code>/": Rule(SIGNED_IN),
    "applications/": Rule(SIGNED_IN),
    "applications/<str:reference>/": Rule(
        SIGNED_IN, per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS}
    ),
    "applications/<str:reference>/form/": Rule(
        SIGNED_IN,
        outcome="redirect",  # decided: the form sends you to the application
        per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
    ),
    "applications/<str:reference>/consent/": Rule(
        SIGNED_IN,
        method="post",
        per_role={
            "applicant": "redirect",
            "office_staff": "deny",
            "office_head": "deny",
            "named_assignee": "deny",
            **{role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
        },
    ),
    # An uploaded file of that application: the same people; everyone else a 404.
    "applications/<str:reference>/attachments/<int:attachment_id>/": Rule(
        SIGNED_IN, per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS}
    ),
    "applications/<str:reference>/withdraw/": Rule(
        SIGNED_IN,
        method="post",
        per_role={
            "applicant": "redirect",  # too late (decided): a message, nothing withdrawn
            "office_staff": "deny",
            "office_head": "deny",
            "named_assignee": "deny",
            **{role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
        },
    ),
    "applications/<str:reference>/close/": Rule(
        SIGNED_IN,
        method="post",
        outcome="redirect",  # closed (or, once closed, a message): back to the application
        per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
    ),
    # 好差评: only the applicant rates (here: not yet delivered, a message); staff who see the
    # application may not; to everyone else it does not exist.
    "applications/<str:reference>/rating/": Rule(
        SIGNED_IN,
        method="post",
        per_role={
            "applicant": "redirect",
            "office_staff": "deny",
            "office_head": "deny",
            "named_assignee": "deny",
            **{role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
        },
    ),
    # A posted result's receipt: the applicant or the office (not posted here: a message).
    "applications/<str:reference>/delivery/confirm/": Rule(
        SIGNED_IN,
        method="post",
        outcome="redirect",
        per_role={
            "named_assignee": "deny",  # sees it, confirms nothing
            **{role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
        },
    ),
    # Notices: whoever sees the application (its instant 在读证明 has a decision).
    "applications/<str:reference>/notices/<notice_kind:kind>.pdf": Rule(
        SIGNED_IN, per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS}
    ),
    # The signed result document of that application: the same people (issued at download
    # if need be); revoking it: the issuing office (JWC) only — the applicant is refused, who
    # cannot see the application gets a 404; the empty POST revokes nothing (no reason).
    "applications/<str:reference>/result.pdf": Rule(
        SIGNED_IN, per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS}
    ),
    "results/<str:number>/revoke/": Rule(
        frozenset({"office_staff", "office_head"}),
        method="post",
        outcome="redirect",
        per_role={role: "missing" for role in SIGNED_IN - APPLICATION_SEERS},
    ),
    # Verification is public: anyone with the number (or the file).
    "verify/": Rule(EVERYONE),
    "verify/<str:number>/": Rule(EVERYONE),
    # The staff workbench: only staff with a processing office or the window role.
    "workbench/": Rule(WORKBENCH_ENTRY),
    # The named person may post it too: only their own active steps would be approved.
    "workbench/bulk-approve/": Rule(WORKBENCH_ENTRY, method="post", outcome="redirect"),
    "workbench/office/": Rule(frozenset({"office_head"})),
    "workbench/window/": Rule(frozenset({"window_staff"})),
    # 督办: overdue steps of every office, no applicant data; by role, not superuser status.
    "workbench/supervision/": Rule(frozenset({"supervisor", "administrator"})),
    # Rectifications after bad ratings: office heads (their offices) and supervision.
    "workbench/rectifications/": Rule(frozenset({"office_head", "supervisor", "administrator"})),
    "workbench/<str:reference>/": Rule(
        frozenset({"office_staff", "office_head", "named_assignee"}),
        per_role={"window_staff": "missing"},  # they see only applications they started
    ),
    # Window staff call queue numbers (取号) from the workbench.
    "workbench/window/queue/": Rule(frozenset({"window_staff"})),
    # The hall kiosk: only an enrolled kiosk browser gets any of it (the matrix's client is
    # none, whoever is signed in): a 403 page for everybody, logged. tests/hall_kiosk cover
    # the pages on an enrolled device.
    **{
        route: Rule(NOBODY, per_role=dict.fromkeys(ROLES, "deny"))
        for route in (
            "kiosk/",
            "kiosk/preferences/",
            "kiosk/sign-in/card/",
            "kiosk/sign-in/pin/",
            "kiosk/sign-in/qr/",
            "kiosk/sign-in/qr/<int:qr_id>/poll/",
            "kiosk/sign-out/",
            "kiosk/matters/",
            "kiosk/apply/<str:code>/",
            "kiosk/applications/",
            "kiosk/applications/<str:reference>/",
            "kiosk/applications/<str:reference>/print/",
            "kiosk/print/<int:job_id>/",
            "kiosk/print/<int:job_id>/status/",
            "kiosk/print/<int:job_id>/retry/",
            "kiosk/locker/",
            "kiosk/queue/",
            "kiosk/queue/ticket/",
            "kiosk/hall-display/",
        )
    },
    # Enrolling: the page only asks (the POST with a valid one-time code enrols).
    "kiosk/enrol/<str:code>/": Rule(EVERYONE),
    # The portal side of the kiosk: one's own PIN, and confirming a QR sign-in (an unknown
    # code is "gone" for everyone signed in).
    "me/kiosk/pin/": Rule(SIGNED_IN),
    "me/kiosk/sign-in/<str:token>/": Rule(SIGNED_IN, outcome="410"),
    "admin/kiosks/enrolment/": Rule(ADMINS),
    # Catalog administration
    "admin/catalog/import/": Rule(ADMINS),
    "admin/catalog/import/<int:import_id>/": Rule(ADMINS),
    "admin/catalog/import/<int:import_id>/progress/": Rule(ADMINS),
    "admin/catalog/import/<int:import_id>/confirm/": Rule(ADMINS, method="post", outcome="any"),
    "admin/catalog/reports/": Rule(ADMINS),
    "admin/catalog/export/": Rule(ADMINS),
    # Configuration transfer (export and the import's dry run): administrators only.
    "admin/config-transfer/": Rule(ADMINS),
    # The import takes the uploaded archive by POST (an empty one: the form says what is missing).
    "admin/config-transfer/import/": Rule(ADMINS, method="post"),
    # Checking and publishing a configured matter: its designers (the page only shows the lint
    # and the impact preview; publishing is a POST).
    "admin/matter-config/<int:pk>/publish/": Rule(DESIGNERS),
    # Provincial matters are public; the matrix's <str:code> is a campus code, which the
    # province does not know: a 404 for everyone (tests/province cover the real pages).
    "province/matters/<str:code>/": Rule(NOBODY, outcome="missing"),
    "province/go/<str:code>/": Rule(NOBODY, outcome="missing"),
    "admin/province/status/": Rule(ADMINS),
    # The 105号 dashboard and its drill-downs (office heads: their own offices only, see
    # tests/dashboard/test_access.py).
    "admin/dashboard/": Rule(DASHBOARD),
    "admin/dashboard/matters/": Rule(DASHBOARD),
    "admin/dashboard/applications/": Rule(DASHBOARD),
    # Warehouse record imports
    "admin/warehouse/import/": Rule(STEWARDS),
    "admin/warehouse/import/<int:import_id>/": Rule(STEWARDS),
    "admin/warehouse/import/<int:import_id>/progress/": Rule(STEWARDS),
    "admin/warehouse/import/<int:import_id>/confirm/": Rule(STEWARDS, method="post", outcome="any"),
}


def _walk(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback.__module__


def _ours(route: str, module: str) -> bool:
    if OUR_SNIPPETS.match(route):
        return True
    if module.split(".")[0] in OUR_PACKAGES:
        return True
    # Everything outside the Wagtail admin and allauth's own pages.
    return not route.startswith(("admin/", "accounts/"))


def _snippet_rule(route: str) -> tuple[SnippetRules, str] | None:
    match = OUR_SNIPPETS.match(route)
    if not match:
        return None
    model_path, _, action = route.removeprefix("admin/snippets/").partition("/")
    model_path = f"{model_path}/{action.split('/')[0]}"
    action = action.split("/", 1)[1]
    return SNIPPETS[model_path], SNIPPET_ACTIONS[action]


def inventory() -> list[str]:
    return sorted(
        route for route, module in _walk(get_resolver().url_patterns) if _ours(route, module)
    )


def _in_matrix(route: str) -> bool:
    if route in ROUTES:
        return True
    try:
        return _snippet_rule(route) is not None
    except KeyError:  # a snippet model or view the matrix does not list
        return False


def test_every_url_is_in_the_matrix():
    missing = [route for route in inventory() if not _in_matrix(route)]
    assert not missing, f"add these URLs to the authorization matrix: {missing}"


# --- Running the cells ---------------------------------------------------------------------------


def _outcome(response) -> str:
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        if location.startswith("/accounts/login/"):
            return "login"
        if location in ("/admin/", "/admin"):
            return "deny"  # the Wagtail admin's way of saying 403
        return "redirect"
    if status == 403:
        return "deny"
    if status == 404:
        return "missing"
    if status < 300:
        return "ok"
    return str(status)


def _expected(role: str, allowed: frozenset[str], outcome: str) -> set[str]:
    if role in allowed:
        return {"ok", "redirect", "missing", "405"} if outcome == "any" else {outcome}
    if outcome in ("missing", "login", "redirect") and not allowed:
        return {outcome}
    return {"login"} if role == "anonymous" else {"deny", "login"}


def _fill(route: str, objects: dict[str, object], own: bool) -> str:
    replacements = {
        "<str:code>": objects["matter_code"],
        "<str:reference>": objects["application_reference"],
        "<str:number>": objects["result_number"],
        "<int:attachment_id>": str(objects["attachment_id"]),
        "<str:language>": "en",
        "<notice_kind:kind>": "decision",
        "<int:import_id>": str(objects["import_id"]),
        "<int:restriction_id>": "999999",
        "<int:page_view_restriction_id>": "999999",
        "<int:page_id>": "999999",
        "<int:qr_id>": "999999",
        "<int:job_id>": "999999",
        "<str:token>": "not-a-token",
        "^((?:[\\w\\-]+/)*)$": "",
        "^(\\d+)/(.*)$": "999999/missing.pdf",
    }
    if route.startswith("admin/warehouse/import/"):
        replacements["<int:import_id>"] = str(objects["record_import_id"])
    if "<int:pk>" in route:
        model_path = "/".join(route.removeprefix("admin/snippets/").split("/")[:2])
        key = model_path if own else f"{model_path}:other"
        replacements["<int:pk>"] = str(objects[key])
    path = route
    for placeholder, value in replacements.items():
        path = path.replace(placeholder, value)
    return "/" + path


def objects_create() -> dict[str, object]:
    from campus_portal.accounts.models import RoleAssignment
    from campus_portal.applications.models import HandlerBinding
    from campus_portal.audit.services import security_event_record
    from campus_portal.catalog.models import (
        Audience,
        Office,
        PowerItem,
        PowerListImport,
        SearchSynonym,
        Topic,
    )
    from campus_portal.dashboard.models import Target
    from campus_portal.workdays.models import CalendarOverride
    from data_warehouse.models import AccessLog, DataItem, Grant, Person
    from data_warehouse.models.records import RecordImport

    own_item = DataItem.objects.filter(owner_office_code=OWN_OFFICE).first()
    other_item = DataItem.objects.exclude(owner_office_code=OWN_OFFICE).first()
    own_grant = Grant.objects.create(
        handler_key="JWC.demo", item=own_item, purpose="p", granted_by="s"
    )
    other_grant = Grant.objects.create(
        handler_key="RSC.demo", item=other_item, purpose="p", granted_by="s"
    )
    person = Person.objects.create(uid="2023010101", name="张晓明")
    entry = AccessLog.objects.create(
        actor="x", handler_key="JWC.demo", person=person, items=[], purpose="p", application_ref="A"
    )
    topic = Topic.objects.first() or Topic.objects.create(name="测试主题", slug="test-topic")
    synonym = SearchSynonym.objects.first() or SearchSynonym.objects.create(
        term="成绩单", synonyms="成绩证明"
    )
    result = {
        "matter_code": PowerItem.objects.first().code,
        "application_reference": (reference := _application_create()),
        "attachment_id": _attachment_create(reference),
        "import_id": PowerListImport.objects.create(original_name="x.csv", sha256="0").pk,
        "record_import_id": RecordImport.objects.create(
            kind="students", original_name="x.csv", sha256="0"
        ).pk,
        "catalog/office": Office.objects.first().pk,
        "catalog/audience": Audience.objects.first().pk,
        "catalog/topic": topic.pk,
        "catalog/searchsynonym": synonym.pk,
        "catalog/poweritem": PowerItem.objects.first().pk,
        "audit/securityevent": security_event_record(kind="sign_in", actor="x").pk,
        "data_warehouse/dataitem": own_item.pk,
        "data_warehouse/dataitem:other": other_item.pk,
        "data_warehouse/grant": own_grant.pk,
        "data_warehouse/grant:other": other_grant.pk,
        "data_warehouse/accesslog": entry.pk,
        "data_warehouse/recordimport": RecordImport.objects.first().pk,
        "accounts/roleassignment": RoleAssignment.objects.first().pk,
        "workdays/calendaroverride": CalendarOverride.objects.create(
            date=datetime.date(2027, 2, 6), is_working_day=True, note="测试"
        ).pk,
        "applications/handlerbinding": HandlerBinding.objects.first().pk,
        "dashboard/target": Target.objects.create(
            due=datetime.date(2027, 6, 30),
            scope="all",
            measure="on_time_rate",
            goal="0.95",
            text="测试目标",
        ).pk,
        **_configurations(),
        **_results_create(reference),
        **_hall_objects(),
    }
    for key in list(result):
        if "/" in key and ":" not in key:
            result.setdefault(f"{key}:other", result[key])
    return result


def _hall_objects() -> dict[str, int]:
    from django.contrib.auth import get_user_model

    from campus_portal.queueing.models import ServiceCategory
    from hall_kiosk.models import Kiosk
    from hall_kiosk.services import card_credential_set

    applicant = get_user_model().objects.get(username="matrix-applicant")
    return {
        "hall_kiosk/kiosk": Kiosk.objects.create(number=3, name="3号自助终端").pk,
        "hall_kiosk/cardcredential": card_credential_set(user=applicant, card_number="88001").pk,
        "queueing/servicecategory": ServiceCategory.objects.create(prefix="A", name="综合").pk,
    }


def _application_create() -> str:
    """The applicant's instant 在读证明, approved on submission."""
    from django.contrib.auth import get_user_model

    from campus_portal.applications import services
    from campus_portal.catalog.models import MatterPage
    from tests.applications.conftest import grant_all, make_student

    make_student("2023010109")
    grant_all("jwc.enrollment_certificate")
    applicant = get_user_model().objects.get(username="matrix-applicant")
    applicant.campus_identity.person_uid = "2023010109"
    applicant.campus_identity.save()
    matter = MatterPage.objects.get(code="SF-JWC-001")
    application = services.application_start(user=applicant, matter=matter)
    services.application_consent(application, actor=applicant)
    services.application_submit(
        application, actor=applicant, answers={"use": "x"}, idempotency_key="matrix"
    )
    _named_steps_create(application)
    return application.reference


def _configurations() -> dict[str, int]:
    """A configured matter of JWC and one of another office (the import derived them)."""
    from campus_portal.matter_config.models import MatterConfiguration

    own = MatterConfiguration.objects.filter(office_code=OWN_OFFICE).first().pk
    other = MatterConfiguration.objects.exclude(office_code=OWN_OFFICE).first().pk
    keys = ("matter_config/matterconfiguration", "admin/matter-config")
    return {
        **dict.fromkeys(keys, own),
        **{f"{key}:other": other for key in keys},
    }


def _named_steps_create(application) -> None:
    """Steps of the matrix application naming the two named roles (finished, as an approved
    application's are): the staff member may look at it, the student may not."""
    from campus_portal.applications.models import Step
    from tests.authorization.conftest import NAMED_STAFF_UID, NAMED_STUDENT_UID

    for position, uid in enumerate((NAMED_STAFF_UID, NAMED_STUDENT_UID)):
        Step.objects.create(
            application=application,
            key=f"named-{position}",
            position=position,
            office_code="CWC",
            label="经费负责人审批",
            assignee_uid=uid,
            time_limit_days=2,
            state=Step.State.APPROVED,
        )


def _results_create(reference: str) -> dict[str, object]:
    """The application's signed certificate (issued once here, so that no cell renders one),
    and a seal and a template of JWC and of another office."""
    from django.conf import settings

    from campus_portal.applications.models import Application
    from campus_portal.catalog.models import Office
    from campus_portal.results.keys import configured_key_files, key_pair_ensure
    from campus_portal.results.models import OfficeSeal, ResultTemplate
    from campus_portal.results.seals import demo_seal_png
    from campus_portal.results.services import office_seal_set, result_document_issue

    key_pair_ensure(configured_key_files(), organisation=settings.UNIVERSITY_NAME)
    document = result_document_issue(application=Application.objects.get(reference=reference))
    objects: dict[str, object] = {"result_number": document.number}
    own, other = Office.objects.get(code=OWN_OFFICE), Office.objects.exclude(code=OWN_OFFICE)[0]
    for office, suffix in ((own, ""), (other, ":other")):
        office_seal_set(
            office=office, png=demo_seal_png(university="示范", office_name="x", size=64)
        )
        objects[f"results/officeseal{suffix}"] = OfficeSeal.objects.get(office=office).pk
        objects[f"results/resulttemplate{suffix}"] = ResultTemplate.objects.create(
            office=office, kind="certificate", language="zh", source="<p>{{ body }}</p>"
        ).pk
    objects["results/issueddocument"] = document.pk
    return objects


def _attachment_create(reference: str) -> int:
    """A PDF uploaded with the applicant's application."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from campus_portal.applications.models import Application
    from campus_portal.attachments.services import attachment_store

    application = Application.objects.get(reference=reference)
    return attachment_store(
        application=application,
        field_name="scan",
        upload=SimpleUploadedFile("scan.pdf", b"%PDF-1.4\n%%EOF\n"),
        user=application.applicant,
    ).pk


def _cases() -> list[tuple[str, bool]]:
    cases = []
    for route in inventory():
        cases.append((route, True))
        snippet = _snippet_rule(route) if OUR_SNIPPETS.match(route) else None
        if snippet and snippet[0].change_other is not None and "<int:pk>" in route:
            cases.append((route, False))
    return cases


def cell_rule(route: str, own: bool) -> Rule:
    """The matrix's rule for a route (a snippet's from its model and action)."""
    snippet = _snippet_rule(route) if OUR_SNIPPETS.match(route) else None
    if snippet is None:
        return ROUTES[route]
    rules, action = snippet
    return Rule(rules.allowed(action, own=own or action not in ("change", "delete")))


def cell_expected(rule: Rule, role: str) -> set[str]:
    """The outcomes the matrix allows ``role`` for a cell of ``rule``."""
    if rule.per_role and role in rule.per_role:
        return {rule.per_role[role]}
    return _expected(role, rule.allowed, rule.outcome)


@pytest.mark.parametrize(("route", "own"), _cases())
def test_matrix_cell(client, world, route, own):
    role_users, objects = world
    rule = cell_rule(route, own)
    path = _fill(route, objects, own)
    failures = []
    for role in ROLES:
        client.logout()
        user = role_users[role]
        if user is not None:
            client.force_login(user)
        denials_before = SecurityEvent.objects.filter(kind="permission_denied").count()
        response = getattr(client, rule.method)(path)
        got = _outcome(response)
        expected = cell_expected(rule, role)
        if got not in expected:
            failures.append(f"{role}: got {got} ({response.status_code}), expected {expected}")
        elif got == "deny" and user is not None:
            logged = SecurityEvent.objects.filter(kind="permission_denied").count()
            if logged == denials_before:
                failures.append(f"{role}: denied but not in the security log")
    assert not failures, f"{path}:\n" + "\n".join(failures)

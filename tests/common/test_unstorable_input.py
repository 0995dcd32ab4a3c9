"""NUL bytes (and lone surrogates) never reach the database: over HTTP, against a live server.

PostgreSQL refuses NUL in text and jsonb; before campus_portal.common.input_guard each of the
probed URLs below answered 500 there (SQLite stored the NUL or answered 404). The tests walk
every URL of the authorization matrix (a NUL in the path, the query string and a form body),
every form those pages show (filled with NULs, CSRF token and all), and the cases of issue 17
one by one. Run them on PostgreSQL (DATABASE_URL) as well as on SQLite.

The live server reads the database through connections of its own, so what it serves must be
committed. Setting the matrix's users and objects up again for every test (a transactional
test each: restore, build, flush) cost ~6 s a test, three minutes for the module; instead
``world`` commits them once per module, behind one live server of the module's own, and the
databases are flushed at the module's end exactly as after a transactional test
(``committed``). The ``django_db`` mark still tells pytest-django which test databases to
create and serialize, and runs the module among the transactional tests; only its per-test
set-up (``_django_db_helper``) is replaced here by the module's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import django.test
import pytest
import requests
from django.conf import settings
from django.test import Client, modify_settings
from pytest_django.live_server_helper import LiveServer

from campus_portal.applications import services as application_services
from campus_portal.applications.models import Application
from campus_portal.catalog.models import MatterPage
from campus_portal.catalog.services import catalog_home_ensure
from campus_portal.common.input_guard import request_unstorable_part, text_is_storable
from tests.authorization.conftest import role_users_create
from tests.authorization.test_matrix import (
    _fill,
    cell_expected,
    cell_rule,
    inventory,
    objects_create,
)
from tests.browser.flows import catalog_ready

NUL = "a\x00b"
PLACEHOLDER = re.compile(r"<[^>]+>|\^\(.*\)\$|\^\(\(.*\)\$")
ACCEPTED = {400, 404}

pytestmark = pytest.mark.django_db(
    transaction=True, serialized_rollback=True, databases=["default", "warehouse"]
)


@contextmanager
def committed(django_db_blocker) -> Iterator[None]:
    """Database access for a module whose data is committed: Wagtail's initial rows restored
    at the start (``serialized_rollback``), every table flushed at the end."""

    class _Committed(django.test.TransactionTestCase):
        """What a transactional test does around its body (defined here, not at module level,
        where pytest would collect it as a test class)."""

        serialized_rollback = True
        databases = {"default", "warehouse"}

    with django_db_blocker.unblock():
        _Committed.setUpClass()
        case = _Committed(methodName="__init__")
        if not getattr(_Committed, "_pre_setup_ran_eagerly", False):
            case._pre_setup()
        try:
            yield
        finally:
            case._post_teardown()
            _Committed.tearDownClass()
            _Committed.doClassCleanups()


@pytest.fixture
def _django_db_helper():
    """The mark's per-test set-up, replaced: the module's data lives as long as the module
    (``server``, which holds the database open). Were this override ever ignored, every test
    after the first would find the data flushed and fail, not pass quietly."""
    yield


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker) -> Iterator[LiveServer]:
    """A live server of this module's own, over the module's committed data (a test asking for
    pytest-django's ``live_server`` becomes a transactional test of its own, flushed after)."""
    with committed(django_db_blocker):
        server = LiveServer("localhost")
        try:
            with modify_settings(ALLOWED_HOSTS={"append": "localhost"}):
                yield server
        finally:
            server.stop()


@pytest.fixture(scope="module")
def world(server):
    catalog_home_ensure()
    catalog_ready()
    # The matrix's own users and objects (an application, a result, an import …), committed.
    return role_users_create(), objects_create()


def _session(server, user=None) -> requests.Session:
    http = requests.Session()
    http.headers["Accept-Language"] = "zh-CN"
    if user is not None:
        client = Client()
        client.force_login(user)
        http.cookies.set(
            settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value
        )
    return http


def _nul_path(route: str) -> str:
    """The route with every argument replaced by ``a%00b`` (or ``a%00b/`` appended)."""
    if route.startswith("^((?:"):  # the catalog's page tree
        return "/a%00b/"
    path, count = PLACEHOLDER.subn("a%00b", route)
    return "/" + (path if count else path + "a%00b/")


def test_the_guard_knows_what_postgresql_refuses():
    assert text_is_storable("正常的文字 and text\ttab\nnewline")
    assert not text_is_storable(NUL)
    assert not text_is_storable("\ud800")


def test_every_matrix_url_refuses_nul_in_path_query_and_body(server, world):
    role_users, objects = world
    failures = []
    for role in ("anonymous", "applicant", "superuser"):
        http = _session(server, role_users[role])
        for route in inventory():
            real = _fill(route, objects, True)
            probes = (
                ("path", "get", server.url + _nul_path(route), None, {404}),
                ("query", "get", f"{server.url}{real}?q=a%00&office=a%00b", None, {400}),
                ("body", "post", server.url + real, {"x": NUL, "reason": NUL}, {400}),
            )
            for part, method, url, data, expected in probes:
                response = http.request(method, url, data=data, allow_redirects=False)
                if response.status_code not in expected:
                    failures.append(f"{role} {part} {url}: {response.status_code}")
    assert not failures, "\n".join(failures)


class _Forms(HTMLParser):
    """The forms of a page: action, method and the fields a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {
                    "action": attrs.get("action") or "",
                    "method": (attrs.get("method") or "get"),
                    "fields": {},
                }
            )
        elif tag in ("input", "textarea", "select") and self.forms and attrs.get("name"):
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            self.forms[-1]["fields"][attrs["name"]] = (kind, attrs.get("value") or "")


def _nul_filled(fields: dict[str, tuple[str, str]]) -> tuple[dict[str, str], dict]:
    """Every field of the form with a NUL in its value (files: in their name); the CSRF
    token as the page gave it, so that the form would otherwise be accepted."""
    data, files = {}, {}
    for name, (kind, value) in fields.items():
        if name == "csrfmiddlewaretoken":
            data[name] = value
        elif kind == "file":
            files[name] = (f"scan{NUL}.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
        else:
            data[name] = (value or "on") + NUL
    return data, files


def test_every_form_refuses_nul_in_its_fields(server, world):
    role_users, objects = world
    failures, submitted = [], 0
    for role in ("anonymous", "applicant", "superuser"):
        http = _session(server, role_users[role])
        for route in inventory():
            rule = cell_rule(route, True)
            if rule.method != "get" or "ok" not in cell_expected(rule, role):
                # No page for this role here, so no form: the matrix says so, and the cells of
                # tests/authorization/test_matrix.py hold every role to it (fetching the ~500
                # redirects and denials cost two thirds of this test).
                continue
            page_url = server.url + _fill(route, objects, True)
            page = http.get(page_url, allow_redirects=False)
            if page.status_code != 200 or "html" not in page.headers.get("Content-Type", ""):
                continue
            parser = _Forms()
            parser.feed(page.text)
            for form in parser.forms:
                target = urljoin(page.url, form["action"])
                if urlsplit(target).netloc != urlsplit(server.url).netloc:
                    continue
                data, files = _nul_filled(form["fields"])
                if set(data) <= {"csrfmiddlewaretoken"} and not files:
                    continue  # nothing typed into this form (a button): nothing to inject
                if form["method"].lower() == "post":
                    response = http.post(
                        target,
                        data=data,
                        files=files or None,
                        headers={"Referer": page.url},
                        allow_redirects=False,
                    )
                else:
                    response = http.get(target, params=data, allow_redirects=False)
                submitted += 1
                # A NUL typed into a field: 400. A NUL only in an upload's file name: Django's
                # multipart parser cuts the name there, so the form answers as usual — no 500.
                typed = set(data) - {"csrfmiddlewaretoken"}
                if response.status_code != 400 and (typed or response.status_code >= 500):
                    failures.append(
                        f"{role} {form['method']} {target} (on {page_url}): {response.status_code}"
                    )
    assert submitted > 20, "the crawl found hardly any forms"
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/api/v1/matters/a%00b/", 404),
        ("/api/v1/matters/?office=a%00", 400),
        ("/verify/a%00b/", 404),
        ("/province/go/a%00b/", 404),
        ("/province/matters/a%00b/", 404),
        ("/apply/a%00b/", 404),
        ("/applications/a%00b/", 404),
        ("/?q=%ED%A0%80", 200),  # an invalid UTF-8 sequence is decoded to U+FFFD: harmless
    ],
)
@pytest.mark.parametrize("signed_in", [False, True])
def test_the_probed_urls(server, world, path, status, signed_in):
    role_users, _ = world
    http = _session(server, role_users["applicant"] if signed_in else None)
    response = http.get(server.url + path, allow_redirects=False)
    if not signed_in and path.startswith(("/apply/", "/applications/")):
        status = 404  # refused before the sign-in redirect: the address cannot exist
    assert response.status_code == status
    if status == 400:
        assert "NUL" in response.text  # a page that says what was wrong


def test_a_session_cookie_with_nul_is_a_400_not_a_500(server, world):
    response = requests.get(  # noqa: S113 (a local live server)
        server.url + "/applications/",
        headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}=a\x00b"},
        allow_redirects=False,
    )
    assert response.status_code == 400


@pytest.fixture
def draft(world):
    role_users, _ = world
    applicant = role_users["applicant"]
    matter = MatterPage.objects.get(code="SF-JWC-001")
    application = application_services.application_start(user=applicant, matter=matter)
    application_services.application_consent(application, actor=applicant)
    return applicant, application


def _csrf(http: requests.Session, url: str) -> str:
    http.get(url)
    return http.cookies[settings.CSRF_COOKIE_NAME]


def test_a_draft_with_nul_in_a_text_answer_is_refused_and_loses_nothing(server, draft):
    applicant, application = draft
    http = _session(server, applicant)
    url = f"{server.url}/applications/{application.reference}/form/"
    token = _csrf(http, url)
    ok = http.post(
        url,
        data={"csrfmiddlewaretoken": token, "use": "出国", "copies": "1", "save_draft": "1"},
        headers={"Referer": url},
        allow_redirects=False,
    )
    assert ok.status_code == 302
    bad = http.post(
        url,
        data={"csrfmiddlewaretoken": token, "use": NUL, "copies": "1", "save_draft": "1"},
        headers={"Referer": url},
        allow_redirects=False,
    )
    assert bad.status_code == 400
    application.refresh_from_db()
    assert application.answers.get("use") == "出国"


def test_an_idempotency_key_with_nul_is_refused_and_nothing_is_submitted(server, draft):
    applicant, application = draft
    http = _session(server, applicant)
    url = f"{server.url}/applications/{application.reference}/form/"
    token = _csrf(http, url)
    response = http.post(
        url,
        data={"csrfmiddlewaretoken": token, "use": "出国", "copies": "1", "idempotency_key": NUL},
        headers={"Referer": url},
        allow_redirects=False,
    )
    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT


def test_a_json_body_with_an_escaped_nul_or_surrogate_is_refused(server, world):
    for payload in ('{"q": "a\\u0000b"}', '{"q": ["\\ud800"]}', '{"a\\u0000": 1}'):
        response = requests.post(  # noqa: S113 (a local live server)
            server.url + "/api/v1/matters/",
            data=payload,
            headers={"Content-Type": "application/json"},
            allow_redirects=False,
        )
        assert response.status_code == 400, payload
    fine = requests.post(  # noqa: S113 (a local live server)
        server.url + "/api/v1/matters/",
        data=json.dumps({"q": "正常"}),
        headers={"Content-Type": "application/json"},
    )
    assert fine.status_code in (403, 405)  # the read-only API's own answer, not the guard's


def test_binary_bodies_are_not_text(rf):
    request = rf.post("/verify/", data=b"%PDF\x00\x01", content_type="application/pdf")
    assert request_unstorable_part(request) is None

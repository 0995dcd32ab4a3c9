"""Campus directory sign-in against a real slapd (tests/data_warehouse/ldap_fixtures.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from campus_portal.accounts.directory import CampusDirectoryBackend, role_pairs
from campus_portal.accounts.models import CampusIdentity, RoleAssignment
from campus_portal.accounts.roles import scope_for
from tests.accounts.conftest import form_error_codes, sign_in
from tests.accounts.directory_fixtures import (
    PASSWORD,
    STUDENT,
    TEACHER,
    UNMAPPED_GROUP,
    WINDOW,
)

pytestmark = pytest.mark.django_db

User = get_user_model()


def signed_in_user(client):
    return client.get("/healthz").wsgi_request.user


def test_student_signs_in_with_campus_number(client, campus_directory):
    response = sign_in(client, STUDENT, PASSWORD)
    assert response.status_code == 302
    user = User.objects.get(username=STUDENT)
    assert signed_in_user(client) == user
    assert user.first_name == "张晓明"
    assert user.email == "zhangxm@example.edu"
    assert not user.has_usable_password()
    identity = CampusIdentity.objects.get(user=user)
    assert (identity.person_uid, identity.source) == (STUDENT, "directory")
    assert not RoleAssignment.objects.filter(user=user).exists()
    assert not scope_for(user).needs_mfa


def test_roles_come_from_mapped_groups_only(client, campus_directory):
    assert sign_in(client, TEACHER, PASSWORD).status_code == 302
    teacher = User.objects.get(username=TEACHER)
    pairs = set(RoleAssignment.objects.filter(user=teacher).values_list("role", "office_code"))
    assert pairs == {("office_staff", "JWC")}
    assert RoleAssignment.objects.get(user=teacher).source == "directory"
    client.logout()
    # The window group's DN is spelled differently in the role map; it still matches.
    assert sign_in(client, WINDOW, PASSWORD).status_code == 302
    window = User.objects.get(username=WINDOW)
    assert set(window.role_assignments.values_list("role", "office_code")) == {("window_staff", "")}
    assert window.first_name == "欧阳明月"


def test_directory_roles_follow_group_changes_and_keep_manual_roles(
    client, campus_directory, settings
):
    from campus_portal.accounts.services import role_assign

    assert sign_in(client, TEACHER, PASSWORD).status_code == 302
    teacher = User.objects.get(username=TEACHER)
    role_assign(teacher, role="data_steward", office_code="JWC", by="test")
    client.logout()
    config = dict(settings.ACCOUNTS_LDAP)
    config["ROLE_MAP"] = {}  # the group no longer maps to a role
    settings.ACCOUNTS_LDAP = config
    assert sign_in(client, TEACHER, PASSWORD).status_code == 302
    assert set(teacher.role_assignments.values_list("role", "office_code")) == {
        ("data_steward", "JWC")
    }


def test_second_sign_in_reuses_the_account(client, campus_directory):
    sign_in(client, STUDENT, PASSWORD)
    client.logout()
    sign_in(client, STUDENT.lower(), PASSWORD)
    assert User.objects.filter(username=STUDENT).count() == 1
    assert CampusIdentity.objects.filter(person_uid=STUDENT).count() == 1


def test_case_of_the_typed_campus_number_does_not_matter(client, campus_directory):
    assert sign_in(client, TEACHER.lower(), PASSWORD).status_code == 302
    assert User.objects.filter(username=TEACHER).exists()
    assert not User.objects.filter(username=TEACHER.lower()).exists()


@pytest.mark.parametrize(
    ("login", "password"),
    [(STUDENT, "wrong-password"), ("2099999999", PASSWORD), (STUDENT, "")],
    ids=["wrong-password", "unknown-user", "empty-password"],
)
def test_bad_credentials_get_the_same_generic_error(client_en, campus_directory, login, password):
    response = sign_in(client_en, login, password)
    assert response.status_code == 200
    assert not User.objects.filter(username=login).exists()
    if password:
        assert form_error_codes(response) == {"username_password_mismatch"}
        assert "campus number or password you entered is not correct" in response.text
        assert "directory cannot be reached" not in response.text


@pytest.mark.parametrize(
    "login",
    ["*", "*)(uid=*", "admin)(|(uid=*", "2023*", "*)(|(objectClass=*)", "T100*", "\\2a", "(uid=*)"],
)
def test_filter_injection_matches_nobody(client, campus_directory, login):
    backend = CampusDirectoryBackend()
    assert backend.authenticate(None, username=login, password=PASSWORD) is None
    response = sign_in(client, login, PASSWORD)
    assert response.status_code == 200
    assert not signed_in_user(client).is_authenticated
    assert not User.objects.filter(username__in=[STUDENT, TEACHER, WINDOW, login]).exists()


def test_the_search_filter_is_escaped_by_the_library(campus_directory):
    search = CampusDirectoryBackend().settings.USER_SEARCH
    ldap_filter = search._escape_filterargs({"user": "*)(uid=*"})["user"]
    assert ldap_filter == "\\2a\\29\\28uid=\\2a"


def test_local_account_with_a_campus_number_name_is_not_taken_over(client, campus_directory):
    local = User.objects.create_user(STUDENT, email="someone@example.com", password="Local-pw-1!")
    response = sign_in(client, STUDENT, PASSWORD)
    assert response.status_code == 200
    assert not signed_in_user(client).is_authenticated
    local.refresh_from_db()
    assert local.check_password("Local-pw-1!")
    assert local.email == "someone@example.com"
    assert not CampusIdentity.objects.filter(user=local).exists()


def test_person_linked_to_a_non_directory_account_is_refused(client, campus_directory):
    other = User.objects.create_user("demo-zhang")
    CampusIdentity.objects.create(user=other, person_uid=STUDENT, source="demo")
    assert sign_in(client, STUDENT, PASSWORD).status_code == 200
    assert not User.objects.filter(username=STUDENT).exists()


def test_local_prefixed_names_never_reach_the_directory(campus_directory, sign_in_slapd):
    from tests.data_warehouse.ldap_fixtures import PEOPLE_BASE, entry_add, password_set

    dn = f"uid=local-abc,{PEOPLE_BASE}"
    entry_add(
        sign_in_slapd,
        dn,
        {"objectClass": ["inetOrgPerson"], "uid": ["local-abc"], "cn": ["x"], "sn": ["x"]},
    )
    password_set(sign_in_slapd, dn, PASSWORD)
    assert (
        CampusDirectoryBackend().authenticate(None, username="local-abc", password=PASSWORD) is None
    )


def test_no_uri_means_the_backend_does_nothing(settings, fresh_cache):
    settings.ACCOUNTS_LDAP = {"URI": "", "USER_BASE_DN": "", "ROLE_MAP": {}}
    assert CampusDirectoryBackend().authenticate(None, username=STUDENT, password=PASSWORD) is None


def test_directory_down_shows_a_clear_message(client_en, directory_down):
    response = sign_in(client_en, STUDENT, PASSWORD)
    assert response.status_code == 200
    assert form_error_codes(response) == {"directory_unreachable"}
    assert "The campus directory cannot be reached right now." in response.text


def test_directory_down_local_account_still_signs_in(client, directory_down, local_user):
    from tests.accounts.conftest import LOCAL_EMAIL, LOCAL_PASSWORD

    assert sign_in(client, LOCAL_EMAIL, LOCAL_PASSWORD).status_code == 302
    assert signed_in_user(client) == local_user


def test_role_pairs_ignore_unmapped_groups_and_unknown_roles():
    role_map = {
        "cn=A,ou=groups,dc=example,dc=edu": "office_head:JWC",
        "cn=B,ou=groups,dc=example,dc=edu": "wizard",
        "cn=C,ou=groups,dc=example,dc=edu": "administrator",
    }
    groups = [
        "cn=a,ou=groups,dc=example,dc=edu",
        "cn=b,ou=groups,dc=example,dc=edu",
        "cn=c, ou=groups, dc=example, dc=edu",
        f"cn={UNMAPPED_GROUP},ou=groups,dc=example,dc=edu",
    ]
    assert sorted(role_pairs(groups, role_map)) == [("administrator", ""), ("office_head", "JWC")]


def test_sign_in_events_reach_the_security_log(client, campus_directory):
    from campus_portal.audit.models import SecurityEvent

    sign_in(client, TEACHER, "nope")
    sign_in(client, TEACHER, PASSWORD)
    kinds = list(
        SecurityEvent.objects.filter(kind__in=["sign_in", "sign_in_failed"])
        .order_by("sequence")
        .values_list("kind", flat=True)
    )
    assert kinds[-2:] == ["sign_in_failed", "sign_in"]

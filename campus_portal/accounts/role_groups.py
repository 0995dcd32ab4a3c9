"""The Django groups behind the roles, so that the Wagtail admin's permission checks agree.

Each role has one group ``role:<role>`` carrying the model permissions of the role; office
staff and heads also join their office's editor group (catalog.Office.editors), which grants
page permissions on that office's part of the catalog only. Groups are (re)built after every
``migrate`` so that a new model permission reaches the role without a data migration.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page

from campus_portal.accounts.roles import Role
from campus_portal.catalog.models import Office

RESULTS_OFFICE_PERMISSIONS = [
    *(
        f"{action}_{model}"
        for model in ("officeseal", "resulttemplate")
        for action in ("add", "change", "delete", "view")
    ),
    "view_issueddocument",
]
# Their own office's matter configurations (matter_config.permissions narrows to the office).
MATTER_CONFIG_PERMISSIONS = [
    "add_matterconfiguration",
    "change_matterconfiguration",
    "view_matterconfiguration",
    "publish_matterconfiguration",
]
# app_label → codenames (or "*" for every permission of that app's listed models).
ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    Role.ADMINISTRATOR: {
        "wagtailadmin": ["access_admin"],
        "catalog": ["*"],
        "workdays": ["*"],
        "dashboard": ["*"],  # the 105号 targets (snippet); the dashboard itself asks scope_for
        "applications": [
            "add_handlerbinding",
            "change_handlerbinding",
            "delete_handlerbinding",
            "view_handlerbinding",
        ],
        "audit": ["view_securityevent"],
        "matter_config": MATTER_CONFIG_PERMISSIONS,
        "accounts": ["*"],
        # The hall: kiosks and their cards (hall_kiosk), window service categories (queueing).
        "hall_kiosk": ["*"],
        "queueing": ["*"],
        "auth": ["add_user", "change_user", "view_user", "view_group"],
        "wagtaildocs": ["add_document", "change_document", "choose_document"],
    },
    Role.DATA_STEWARD: {
        "wagtailadmin": ["access_admin"],
        "data_warehouse": [
            "view_dataitem",
            "change_dataitem",
            "add_grant",
            "change_grant",
            "view_grant",
            "view_accesslog",
            "import_records",
        ],
    },
    # Their own office's seal and result document templates (results.permissions narrows
    # every action to the office).
    Role.OFFICE_STAFF: {
        "wagtailadmin": ["access_admin"],
        "results": RESULTS_OFFICE_PERMISSIONS,
        "matter_config": MATTER_CONFIG_PERMISSIONS,
    },
    Role.OFFICE_HEAD: {
        "wagtailadmin": ["access_admin"],
        "results": RESULTS_OFFICE_PERMISSIONS,
        "matter_config": MATTER_CONFIG_PERMISSIONS,
    },
    Role.WINDOW_STAFF: {},
    # Supervision works in /workbench/supervision/ and reads the 105号 dashboard in the admin.
    Role.SUPERVISOR: {"wagtailadmin": ["access_admin"]},
}
ADMINISTRATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page"]


def role_group_name(role: str) -> str:
    return f"role:{role}"


def office_group_for(office_code: str) -> Group | None:
    office = Office.objects.filter(code=office_code).select_related("editors").first()
    return office.editors if office is not None else None


def _permissions(spec: dict[str, list[str]]) -> list[Permission]:
    query = Q(pk__in=[])
    for app_label, codenames in spec.items():
        if codenames == ["*"]:
            query |= Q(content_type__app_label=app_label)
        else:
            query |= Q(content_type__app_label=app_label, codename__in=codenames)
    return list(Permission.objects.filter(query))


def role_groups_ensure() -> None:
    """Create or refresh every role's group and its permissions."""
    for role, spec in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        group.permissions.set(_permissions(spec))
    administrators = Group.objects.get(name=role_group_name(Role.ADMINISTRATOR))
    root = Page.get_first_root_node()
    if root is None:
        return
    for codename in ADMINISTRATOR_PAGE_PERMISSIONS:
        GroupPagePermission.objects.get_or_create(
            group=administrators,
            page=root,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )

"""Views of a person's data by someone else, written to the warehouse access log.

The applicant sees on "谁查看了我的数据" (/me/data-access/) not only the handler's read at
consent but every time another person looked at the data kept with their application: office
staff and heads opening it (or an attachment) in the workbench, a named assignee, window staff
who started it for them. The reader is named as the person should read it — their name, the
office and the role through which they saw it — and the purpose is the application itself.

One row per reader × application × day (``data_warehouse.services.access_view_record``).
"""

from __future__ import annotations

from django.utils import timezone

from campus_portal.accounts.role_names import READER_ASSIGNEE
from campus_portal.accounts.roles import Role, scope_for
from campus_portal.applications.models import Application
from campus_portal.applications.permissions import person_uid
from data_warehouse.selectors import person_name
from data_warehouse.services import access_view_record


def _reader(user, application: Application) -> dict[str, str]:
    """Through which office and role ``user`` sees ``application``."""
    scope = scope_for(user)
    involved = [application.office_code, *application.steps.values_list("office_code", flat=True)]
    for office in involved:
        if scope.has(Role.OFFICE_HEAD, office):
            return {"office": office, "role": Role.OFFICE_HEAD}
        if scope.has(Role.OFFICE_STAFF, office):
            return {"office": office, "role": Role.OFFICE_STAFF}
    uid = person_uid(user)
    if uid and application.steps.filter(assignee_uid=uid).exists():
        return {"office": "", "role": READER_ASSIGNEE}
    if scope.is_window_staff:
        return {"office": "", "role": Role.WINDOW_STAFF}
    return {"office": "", "role": ""}


def application_data_viewed(
    *, application: Application, viewer, items: list[str], view_of: str = "application"
) -> None:
    """Log that ``viewer`` saw ``items`` of the applicant's data with ``application`` (catalog
    keys of the snapshot, or "attachment:<name>"). Nothing is logged for the applicant
    themself, nor for an application without a campus identity behind it."""
    if not application.applicant_uid or viewer.pk == application.applicant_id:
        return
    if person_uid(viewer) == application.applicant_uid:
        return
    reader = _reader(viewer, application)
    reader["name"] = (
        viewer.get_full_name()
        or person_name(person_uid=person_uid(viewer))
        or viewer.get_username()
    )
    access_view_record(
        person_uid=application.applicant_uid,
        actor=viewer.get_username(),
        items=items,
        purpose=application.matter.title if application.matter_id else application.handler_key,
        application_ref=application.reference,
        reader=reader,
        on=timezone.localdate(),
        view_of=view_of,
    )

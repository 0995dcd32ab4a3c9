"""Issue 17, finding 2: every look at a person's data by someone else is on their
"谁查看了我的数据" page — office staff, the named budget holder, window staff — grouped by
reader and purpose, with names, office and role; a refreshed page is one row a day."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.urls import reverse

from campus_portal.applications import services
from data_warehouse.models import AccessLog
from tests.attachments.conftest import PDF, upload

pytestmark = pytest.mark.django_db(databases=["default", "warehouse"])


def _views(reference: str):
    return AccessLog.objects.filter(kind="view", application_ref=reference)


def test_staff_assignee_and_attachment_views_are_logged_once_a_day(client, claim_world):
    world = claim_world
    application = world.apply(client, files={"invoice": upload("发票.pdf", PDF)})
    services.application_accept(application, actor=world.cwc_staff)
    world.cwc_staff.first_name, world.cwc_staff.last_name = "会计", "赵"
    world.cwc_staff.save()

    staff = world.as_user(client, world.cwc_staff)
    for _refresh in range(3):
        assert (
            staff.get(reverse("workbench:detail", args=[application.reference])).status_code == 200
        )
    attachment = application.attachments.get()
    url = f"/applications/{application.reference}/attachments/{attachment.pk}/"
    assert staff.get(url).status_code == 200
    assert staff.get(url).status_code == 200
    rows = _views(application.reference).filter(actor="cwc-staff")
    assert rows.count() == 2  # the application once, the invoice once, however often
    page_row = rows.get(view_of="application")
    assert (page_row.reader_office, page_row.reader_role) == ("CWC", "office_staff")
    assert "会计" in page_row.reader_name
    assert "person.name" in page_row.items

    holder = world.as_user(client, world.holder)
    assert holder.get(reverse("workbench:detail", args=[application.reference])).status_code == 200
    holder_row = _views(application.reference).get(actor="wang-prof")
    assert holder_row.reader_role == "assignee"

    # The applicant's own looks are not "someone else".
    applicant = world.as_user(client, world.applicant)
    applicant.get(reverse("applications:detail", args=[application.reference]))
    assert not _views(application.reference).filter(actor="li-yan").exists()

    # A new day is a new row.

    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        staff = world.as_user(client, world.cwc_staff)
        staff.get(reverse("workbench:detail", args=[application.reference]))
    assert _views(application.reference).filter(actor="cwc-staff").count() == 3

    # The applicant's page: grouped, with names — not codes.
    world.as_user(client, world.applicant)
    page = client.get("/me/data-access/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "财务处" in page  # CWC by name
    assert "会计" in page and "王教授" in page and "wang-prof" not in page  # names
    assert "经费负责人" in page  # the holder's role, in words
    assert "日常费用报销" in page  # the purpose: the matter
    assert "附件：发票.pdf" in page or "Attachment: 发票.pdf" in page
    assert "office_staff" not in page and ">CWC<" not in page
    assert page.count('class="access-group"') >= 3  # handler read, CWC staff, holder

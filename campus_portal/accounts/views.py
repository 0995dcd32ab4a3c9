"""The signed-in person's own pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campus_portal.accounts.data_access import data_access_groups
from campus_portal.accounts.selectors import person_uid_for

ACCESS_GROUPS_PAGE_SIZE = 20


@login_required
def my_data_access(request: HttpRequest) -> HttpResponse:
    """谁查看了我的数据: who read or looked at the signed-in person's data, grouped by reader and
    purpose (``data_access.data_access_groups``), most recent first.

    The person is always the signed-in user's own campus identity — there is no parameter
    naming whose log to show, so nobody can ask for someone else's.
    """
    person_uid = person_uid_for(request.user)
    groups = data_access_groups(person_uid=person_uid) if person_uid else []
    page = Paginator(groups, ACCESS_GROUPS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/my_data_access.html",
        {"page_obj": page, "groups": page.object_list, "has_identity": bool(person_uid)},
    )

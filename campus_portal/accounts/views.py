"""The signed-in person's own pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campus_portal.accounts.selectors import person_uid_for
from data_warehouse.selectors import access_log_for_person, data_item_labels

ACCESS_LOG_PAGE_SIZE = 20


@login_required
def my_data_access(request: HttpRequest) -> HttpResponse:
    """谁查看了我的数据: every read of the signed-in person's warehouse data, newest first.

    The person is always the signed-in user's own campus identity — there is no parameter
    naming whose log to show, so nobody can ask for someone else's.
    """
    person_uid = person_uid_for(request.user)
    entries = access_log_for_person(person_uid=person_uid) if person_uid else None
    page = (
        Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
        if (entries is not None)
        else None
    )
    labels = data_item_labels(keys={key for entry in page for key in entry.items}) if page else {}
    rows = [
        {"entry": entry, "items": [labels.get(key, key) for key in entry.items]}
        for entry in (page or [])
    ]
    return render(
        request,
        "accounts/my_data_access.html",
        {"page_obj": page, "rows": rows, "has_identity": bool(person_uid)},
    )

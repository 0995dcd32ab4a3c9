"""The signed-in person's inbox (/me/messages/)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from campus_portal.notifications import selectors, services

PAGE_SIZE = 30


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """List the user's messages; a POST marks one (``notification``) or all (``all``) read."""
    if request.method == "POST":
        raw = request.POST.get("notification", "")
        if raw.isdigit():
            services.notifications_mark_read(request.user, notification_id=int(raw))
        elif request.POST.get("all") == "1":
            services.notifications_mark_read(request.user)
        return redirect("notifications:inbox")
    page = Paginator(selectors.inbox(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page})

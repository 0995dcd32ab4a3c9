"""The signed-in person's inbox (/me/messages/) and channel preferences."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from campus_portal.notifications import selectors, services
from campus_portal.notifications.channels import channels_offered
from campus_portal.notifications.models import Preference

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


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Choose the channels (the inbox is always on); see what is still being sent."""
    preference = Preference.objects.filter(user=request.user).first()
    error = ""
    if request.method == "POST":
        try:
            services.notification_preferences_set(
                user=request.user,
                email=request.POST.get("email") == "1",
                sms=request.POST.get("sms") == "1",
                phone=request.POST.get("phone", "")[:20],
            )
        except ValidationError as invalid:
            error = " ".join(invalid.messages)
        else:
            messages.success(request, _("Your notification preferences were saved."))
            return redirect("notifications:preferences")
    offered = {channel.key for channel in channels_offered()}
    return render(
        request,
        "notifications/preferences.html",
        {
            "preference": preference,
            "email_on": preference is None or preference.email,
            "email_offered": "email" in offered,
            "sms_offered": "sms" in offered,
            "error": error,
            "posted": request.POST,
            "unsent": selectors.deliveries_unsent(request.user)[:20],
        },
    )

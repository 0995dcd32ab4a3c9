"""The applicant's rating (a POST from the application page) and the rectification pages of
the workbench (office heads reply; supervision reads)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campus_portal.accounts.roles import Role, scope_for
from campus_portal.applications.events import TransitionRefused
from campus_portal.applications.selectors import application_for
from campus_portal.ratings import selectors, services
from campus_portal.ratings.forms import RatingForm
from campus_portal.ratings.models import Rectification


@login_required
@require_POST
def rating_submit(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_for(request.user, reference, request=request)
    if application.applicant_id != request.user.pk:  # staff who see it may not rate it
        raise PermissionDenied(f"rate {reference}")
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please choose your overall satisfaction."))
        return redirect("applications:detail", reference=reference)
    try:
        services.rating_submit(application=application, actor=request.user, **form.cleaned_data)
    except TransitionRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("applications:detail", reference=reference)


@login_required
def rectifications(request: HttpRequest) -> HttpResponse:
    """Rectifications of the head's offices (all offices for supervision); a POST replies."""
    user = request.user
    if not selectors.rectifications_allowed(user):
        raise PermissionDenied("rectifications")
    if request.method == "POST":
        raw = request.POST.get("rectification", "")
        visible = selectors.rectifications_visible_to(user)
        rectification = visible.filter(pk=int(raw)).first() if raw.isdigit() else None
        if rectification is None:
            messages.error(request, _("This rectification is not one of your offices'."))
        else:
            try:
                services.rectification_reply(
                    rectification=rectification, actor=user, reply=request.POST.get("reply", "")
                )
            except TransitionRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, _("Your reply was sent to the applicant."))
        return redirect("workbench:rectifications")
    state = request.GET.get("state", "")
    rows = selectors.rectifications_visible_to(user)
    if state in Rectification.State.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    now = timezone.now()
    head_offices = scope_for(user).offices(Role.OFFICE_HEAD)
    return render(
        request,
        "ratings/rectifications.html",
        {
            "page": page,
            "rows": [
                {
                    "item": item,
                    "overdue": selectors.rectification_is_overdue(item, now=now),
                    "may_reply": item.office_code in head_offices
                    and item.state == Rectification.State.OPEN,
                }
                for item in page.object_list
            ],
            "state": state,
        },
    )

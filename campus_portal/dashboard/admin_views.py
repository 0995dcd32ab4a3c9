"""The dashboard pages in the Wagtail admin; thin views over ``selectors``.

Who sees what (docs/targets.md, docs/authorization.md): administrators, supervision (督办) and
the superuser see the whole university; an office head sees their own offices' figures and
drill-downs only — every query is limited to those offices, not just the links shown; anyone
else is refused (403, written to the security log). Drill-downs show timeliness facts of
applications (reference, matter, office, dates, visits), never the applicant or their answers.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from campus_portal.accounts.roles import scope_for
from campus_portal.catalog.models import MatterPage, Office
from campus_portal.dashboard.models import ApplicationFact
from campus_portal.dashboard.selectors import (
    catalog_conditions,
    dashboard_figures,
    dashboard_offices_for,
    high_frequency_matters,
    months_add,
    period_months,
)
from campus_portal.ratings.models import BAD_SCORES

# What a number in the dashboard stands for, as a filter on application facts.
APPLICATION_KINDS = {
    "submitted": ("submitted_month", Q()),
    "with_visits": ("submitted_month", Q(visits__gte=1)),
    "completed": ("completed_month", Q()),
    "more_than_one_visit": ("completed_month", Q(visits__gt=1)),
    "late": ("completed_month", Q(on_time=False)),
    "extended": ("completed_month", Q(extended=True)),
    "rated": ("rated_month", Q()),
    "rated_bad": ("rated_month", Q(score__in=BAD_SCORES)),
}
PAGE_SIZE = 50


def _offices(request: HttpRequest) -> frozenset[str] | None:
    offices = dashboard_offices_for(scope_for(request.user))
    if offices is not None and not offices:
        raise PermissionDenied
    return offices


def _as_of(request: HttpRequest) -> date:
    text = request.GET.get("as_of", "")
    try:
        return date.fromisoformat(text) if text else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _office_filter(request: HttpRequest, allowed: frozenset[str] | None) -> frozenset[str] | None:
    """The office asked for in ``?office=``, refused when outside the user's offices."""
    wanted = request.GET.get("office", "")
    if not wanted:
        return allowed
    if allowed is not None and wanted not in allowed:
        raise PermissionDenied
    return frozenset({wanted})


def dashboard(request: HttpRequest) -> HttpResponse:
    offices = _offices(request)
    as_of = _as_of(request)
    figures = dashboard_figures(as_of=as_of, office_codes=offices)
    names = dict(Office.objects.values_list("code", "name"))
    charts = {
        "trend": figures["scopes"]["all"]["trend"],
        "pareto": [
            {
                "code": r["code"],
                "name": r["name"],
                "count": r["count"],
                "share": r["cumulative_share"],
                "hf": r["high_frequency"],
            }
            for r in figures["high_frequency"]["ranking"][:40]
            if r["count"]
        ],
    }
    return TemplateResponse(
        request,
        "dashboard/admin/dashboard.html",
        {
            "figures": figures,
            "all": figures["scopes"]["all"],
            "hf": figures["scopes"]["high_frequency"],
            "office_names": names,
            "charts": charts,
            "as_of": as_of,
            "campus_wide": offices is None,
        },
    )


def drilldown_matters(request: HttpRequest) -> HttpResponse:
    """The matters behind a catalog number: ``?measure=&scope=&met=1|0&office=``."""
    offices = _office_filter(request, _offices(request))
    measure = request.GET.get("measure", "")
    matters = MatterPage.objects.live().select_related("office").order_by("code")
    if offices is not None:
        matters = matters.filter(office__code__in=offices)
    if request.GET.get("scope") == "high_frequency":
        matters = matters.filter(pk__in=high_frequency_matters(as_of=_as_of(request)).matter_ids)
    if measure == "special":
        matters = matters.filter(special_requirements=True)
    elif measure in (conditions := catalog_conditions()):
        matters = matters.filter(special_requirements=False)
        condition = conditions[measure]
        matters = (
            matters.filter(condition)
            if request.GET.get("met", "1") == "1"
            else (matters.exclude(condition))
        )
    elif measure:
        raise Http404
    return TemplateResponse(
        request,
        "dashboard/admin/matters.html",
        {"matters": matters, "measure": measure, "count": matters.count()},
    )


def drilldown_applications(request: HttpRequest) -> HttpResponse:
    """The applications behind an event number: ``?kind=&matter=&office=&month=YYYY-MM``.

    Without ``month`` the whole 12-month period of the dashboard (``as_of``) is meant.
    """
    offices = _office_filter(request, _offices(request))
    kind = request.GET.get("kind", "completed")
    if kind not in APPLICATION_KINDS:
        raise Http404
    field, condition = APPLICATION_KINDS[kind]
    start, end = period_months(as_of=_as_of(request))
    month = request.GET.get("month", "")
    if month:
        try:
            start = end = date.fromisoformat(f"{month}-01")
        except ValueError as error:
            raise Http404 from error
    facts = ApplicationFact.objects.filter(
        condition, **{f"{field}__gte": start, f"{field}__lt": months_add(end, 1)}
    )
    if offices is not None:
        facts = facts.filter(office_code__in=offices)
    if request.GET.get("matter", "").isdigit():
        facts = facts.filter(matter_id=int(request.GET["matter"]))
    if request.GET.get("scope") == "high_frequency":
        facts = facts.filter(matter_id__in=high_frequency_matters(as_of=_as_of(request)).matter_ids)
    facts = facts.select_related("application", "matter").order_by("-application_id")
    page = Paginator(facts, PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "dashboard/admin/applications.html",
        {
            "page": page,
            "kind": kind,
            "start": start,
            "end": end,
            "query": _query_without_page(request),
        },
    )


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()

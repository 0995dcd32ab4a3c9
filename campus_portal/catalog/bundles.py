"""The 一件事 bundles as catalog matters: one guide page each, under the lead office.

A bundle (``one_things.yaml``: offices working in parallel, then a final step) is one
application from the applicant's point of view, so it needs what every matter has — a guide
page that search finds and an apply button — although the micro-power list has no row for it.
``bundle_matters_ensure`` creates those pages from the bundle list itself; the guide facts are
derived from the bundle's own steps and the listed matters they name, so a university's own
bundle list gets pages the same way:

- **code**: the bundle's ``code`` (e.g. ``YJS-JWC-001``); a bundle handler names it in its
  ``matter_codes`` so ``handler_bindings_ensure`` binds it like any matter;
- **office**: ``lead`` if given, otherwise the office of the first final (``then``) step — the
  office that accepts the application and issues the result;
- **process**: 网上申请 → the parallel steps → the final step(s), each with its office and, when
  it only applies to some applicants, their condition (党员, 迁户口, 本科生 …);
- **time limits**: the longest parallel step plus the longest final step, a step being the
  named matter's limit or ``CHECK_DAYS`` for a check that is not a listed matter;
- **visits**: the most any named matter requires (the bundle's window does them together);
  online depth 3 with a visit, 4 without;
- **address, phone**: the lead office's usual window (its matters' most common address).

Pages that exist are left alone, so an office's edits survive loading the list again.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import yaml
from django.db import transaction

from campus_portal.catalog.choices import Channel, DeliveryMode, MatterType, OnlineDepth
from campus_portal.catalog.models import Audience, MatterPage, Office, OfficePage, Topic
from campus_portal.catalog.services import materials_from_text
from campus_portal.catalog.slugs import code_slug
from campus_portal.common.page_cache import page_cache_clear

#: Working days of a bundle step that is a check, not a listed matter (as the bundle plugins).
CHECK_DAYS = 3
#: Every bundle is applied for online, on the phone and at the window.
BUNDLE_CHANNELS = [Channel.WEB.value, Channel.MOBILE.value, Channel.WINDOW.value]
BUNDLE_DELIVERY = [DeliveryMode.ELECTRONIC.value, DeliveryMode.WINDOW.value]
KEYWORDS_LENGTH = 300


@dataclass(frozen=True)
class BundleStep:
    office: str
    matter_code: str  # the listed matter this step is, or ""
    check: str  # what the office checks, when it is not a listed matter
    condition: str  # who the step applies to (when / for), or ""


@dataclass(frozen=True)
class Bundle:
    name: str
    code: str
    lead: str
    audiences: list[str]
    parallel: list[BundleStep]
    then: list[BundleStep]


@dataclass
class BundleLoad:
    """What ``bundle_matters_ensure`` did: created and existing codes, or every problem."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def bundle_matters_ensure(*, data: bytes, user=None) -> BundleLoad:
    """Create a published guide page for every bundle of ``data`` (one_things.yaml) that has
    none; nothing at all when the list has a problem (each is listed, with the bundle named)."""
    result = BundleLoad()
    bundles = _bundles_read(data, result.problems)
    matters = _named_matters(bundles)
    _bundles_check(bundles, matters, result.problems)
    if result.problems:
        return result
    existing = set(
        MatterPage.objects.filter(code__in=[b.code for b in bundles]).values_list("code", flat=True)
    )
    with transaction.atomic():
        for bundle in bundles:
            if bundle.code in existing:
                result.existing.append(bundle.code)
                continue
            _bundle_page_create(bundle, matters=matters, user=user)
            result.created.append(bundle.code)
        transaction.on_commit(page_cache_clear)
    return result


# --- reading -----------------------------------------------------------------------------------


def _bundles_read(data: bytes, problems: list[str]) -> list[Bundle]:
    try:
        document = yaml.safe_load(data.decode("utf-8")) or {}
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        problems.append(f"not a readable YAML file: {error}")
        return []
    entries = document.get("bundles") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        problems.append("the file has no 'bundles' list")
        return []
    bundles = []
    for number, entry in enumerate(entries, start=1):
        bundle = _bundle_read(entry, number, problems)
        if bundle is not None:
            bundles.append(bundle)
    return bundles


def _bundle_read(entry: Any, number: int, problems: list[str]) -> Bundle | None:
    if not isinstance(entry, dict):
        problems.append(f"bundle {number}: not a mapping")
        return None
    name = str(entry.get("name") or "").strip()
    where = f"bundle {number} ({name or 'no name'})"
    code = str(entry.get("code") or "").strip().upper()
    parallel = _steps_read(entry.get("parallel"), f"{where}, parallel", problems)
    then = _steps_read(entry.get("then"), f"{where}, then", problems)
    for missing, value in (("name", name), ("code", code), ("then", then)):
        if not value:
            problems.append(f"{where}: '{missing}' is missing")
    if not (name and code and then):
        return None
    audiences = entry.get("audience") or []
    return Bundle(
        name=name,
        code=code,
        lead=str(entry.get("lead") or then[0].office).strip().upper(),
        audiences=[str(a).strip() for a in audiences] if isinstance(audiences, list) else [],
        parallel=parallel,
        then=then,
    )


def _steps_read(entries: Any, where: str, problems: list[str]) -> list[BundleStep]:
    if entries is None:
        return []
    if not isinstance(entries, list):
        problems.append(f"{where}: not a list of steps")
        return []
    steps = []
    for number, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict) or not entry.get("office"):
            problems.append(f"{where}, step {number}: needs an 'office'")
            continue
        matter_code = str(entry.get("matter") or "").strip().upper()
        check = str(entry.get("check") or "").strip()
        if not (matter_code or check):
            problems.append(f"{where}, step {number}: needs a 'matter' or a 'check'")
            continue
        steps.append(
            BundleStep(
                office=str(entry["office"]).strip().upper(),
                matter_code=matter_code,
                check=check,
                condition=str(entry.get("when") or entry.get("for") or "").strip(),
            )
        )
    return steps


def _named_matters(bundles: list[Bundle]) -> dict[str, MatterPage]:
    codes = {s.matter_code for b in bundles for s in (*b.parallel, *b.then) if s.matter_code}
    return {m.code: m for m in MatterPage.objects.live().filter(code__in=codes)}


def _bundles_check(
    bundles: list[Bundle], matters: dict[str, MatterPage], problems: list[str]
) -> None:
    offices = set(Office.objects.values_list("code", flat=True))
    audiences = set(Audience.objects.values_list("name", flat=True))
    codes = Counter(bundle.code for bundle in bundles)
    for bundle in bundles:
        where = f"{bundle.name} ({bundle.code})"
        if codes[bundle.code] > 1:
            problems.append(f"{where}: the code is used by another bundle")
        for code in sorted({bundle.lead} | {s.office for s in (*bundle.parallel, *bundle.then)}):
            if code not in offices:
                problems.append(f"{where}: office {code} is not in the catalog")
        for step in (*bundle.parallel, *bundle.then):
            if step.matter_code and step.matter_code not in matters:
                problems.append(f"{where}: matter {step.matter_code} is not a published matter")
        for name in bundle.audiences:
            if name not in audiences:
                problems.append(f"{where}: audience {name} is not known")


# --- the guide ---------------------------------------------------------------------------------


def _bundle_page_create(bundle: Bundle, *, matters: dict[str, MatterPage], user) -> MatterPage:
    office = Office.objects.get(code=bundle.lead)
    names = dict(Office.objects.values_list("code", "name"))
    named = [matters[s.matter_code] for s in (*bundle.parallel, *bundle.then) if s.matter_code]
    visits = max((m.visits_required for m in named), default=0)
    address, phone = _usual_window(office)
    matter = MatterPage(
        code=bundle.code,
        slug=code_slug(bundle.code),
        title=bundle.name,
        matter_name=bundle.name,
        matter_type=MatterType.SERVICE,
        office=office,
        search_keywords=_keywords(bundle, matters),
        process=_process(bundle, matters, names),
        legal_time_limit=_days(bundle, matters, "legal_time_limit"),
        promised_time_limit=_days(bundle, matters, "promised_time_limit"),
        visits_required=visits,
        online_depth=OnlineDepth.APPLICATION if visits else OnlineDepth.FULLY_ONLINE,
        channels=BUNDLE_CHANNELS,
        delivery_modes=BUNDLE_DELIVERY,
        address=address,
        phone=phone,
    )
    matter.audiences.set(list(Audience.objects.filter(name__in=bundle.audiences)))
    matter.topics.set(
        [t for t in Topic.objects.all() if any(k in bundle.name for k in t.keyword_list())]
    )
    matter.materials = materials_from_text("无（数据共享）")
    OfficePage.objects.get(office=office).add_child(instance=matter)
    matter.save_revision(user=user, log_action=True).publish(user=user)
    return matter


def _label(step: BundleStep, matters: dict[str, MatterPage]) -> str:
    return matters[step.matter_code].title if step.matter_code else step.check


def _step_text(step: BundleStep, matters: dict[str, MatterPage], names: dict[str, str]) -> str:
    text = f"{names.get(step.office, step.office)} {_label(step, matters)}"
    return f"{text}（{step.condition}）" if step.condition else text


def _process(bundle: Bundle, matters: dict[str, MatterPage], names: dict[str, str]) -> str:
    steps = ["网上申请（一次提交）"]
    if bundle.parallel:
        parallel = "、".join(_step_text(s, matters, names) for s in bundle.parallel)
        steps.append(f"并联办理：{parallel}")
    steps.append("；".join(_step_text(s, matters, names) for s in bundle.then))
    steps.append("办结")
    return "→".join(steps)


def _days(bundle: Bundle, matters: dict[str, MatterPage], limit: str) -> int:
    def step_days(step: BundleStep) -> int:
        return getattr(matters[step.matter_code], limit) if step.matter_code else CHECK_DAYS

    parallel = max((step_days(s) for s in bundle.parallel), default=0)
    return parallel + max(step_days(s) for s in bundle.then)


def _keywords(bundle: Bundle, matters: dict[str, MatterPage]) -> str:
    words = ["一件事", "联办"]
    for step in (*bundle.parallel, *bundle.then):
        label = _label(step, matters)
        if label not in words:
            words.append(label)
    return "，".join(words)[:KEYWORDS_LENGTH]


def _usual_window(office: Office) -> tuple[str, str]:
    """The address and phone most of the office's matters give (its usual window)."""
    places = Counter(
        MatterPage.objects.live()
        .filter(office=office)
        .exclude(address="")
        .values_list("address", "phone")
    )
    return places.most_common(1)[0][0] if places else ("", "")

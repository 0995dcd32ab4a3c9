"""Writes of configured matters: derive a starting configuration, publish a version (after the
lint), pin an application to a version, move drafts to a newer one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max

from campus_portal.applications.models import Application, HandlerBinding
from campus_portal.catalog.models import MatterPage, Office
from campus_portal.matter_config import derivation
from campus_portal.matter_config.definition import definition_from_draft, draft_blocks
from campus_portal.matter_config.derivation import MatterFacts
from campus_portal.matter_config.lint import Problem, errors_of
from campus_portal.matter_config.models import (
    ApplicationVersion,
    ConfigurationVersion,
    MatterConfiguration,
)
from campus_portal.matter_config.selectors import (
    HANDLER_KEY,
    configuration_lint,
    offices_staffed,
    version_latest,
    version_pinned,
    version_published_for,
)
from campus_portal.plugin_api import registry

#: Matters of this online depth and above get an online application from the import.
ONLINE_DEPTH = 3


class PublishRefused(Exception):
    """The lint found errors; ``problems`` lists every one (errors and warnings)."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("；".join(str(p) for p in errors_of(problems)))


def _actor(user) -> str:
    return user.get_username() if hasattr(user, "get_username") else str(user)


def matter_facts(*, matter: MatterPage, offices: dict[str, str]) -> MatterFacts:
    return MatterFacts(
        code=matter.code,
        name=matter.title,
        office_code=matter.office.code,
        matter_type=matter.matter_type,
        process=matter.process or "",
        promised_limit=matter.promised_time_limit or 0,
        online_depth=matter.online_depth or 0,
        audiences={audience.code for audience in matter.audiences.all()},  # prefetched
        materials=[(m.name, m.source) for m in matter.materials.all()],
        delivery_modes=list(matter.delivery_modes or []),
        offices=offices,
    )


def _draft_write(configuration: MatterConfiguration, definition: dict) -> None:
    fields, steps = draft_blocks(definition)
    configuration.fields = fields
    configuration.steps = steps
    configuration.data_needs = definition["data_needs"]
    configuration.purpose = definition["purpose"]
    configuration.decision_mode = definition["decision"]["mode"]
    configuration.decision_rule = definition["decision"]["rule"] or {}
    result = definition["result"]
    configuration.result_kind = result["kind"]
    configuration.result_title = result["title"]
    configuration.result_body = result["body"]
    configuration.delivery_modes = result["delivery_modes"]


def configuration_derive(
    *, matter: MatterPage, offices: dict[str, str] | None = None
) -> MatterConfiguration:
    """Create the matter's starting configuration, or refresh it from the list — unless the
    office has edited it (``derived`` false): then only its office follows the matter."""
    if offices is None:
        offices = dict(Office.objects.values_list("code", "name"))
    configuration = MatterConfiguration.objects.filter(matter=matter).first()
    if configuration is None:
        configuration = MatterConfiguration(matter=matter)
    configuration.office_code = matter.office.code
    if configuration.pk is None or configuration.derived:
        derived = derivation.configuration_derive(matter_facts(matter=matter, offices=offices))
        _draft_write(configuration, derived.definition)
        configuration.derivation_notes = derived.notes
        configuration.derived = True
    configuration.save()
    return configuration


@transaction.atomic
def configuration_publish(
    *, configuration: MatterConfiguration, user, move_drafts: bool = False
) -> ConfigurationVersion:
    """Publish the draft as the next version, or ``PublishRefused`` with every problem.

    Publishing the same draft twice makes no second version. The matter is bound to the
    generic handler unless it already has a binding (a code plugin's wins; an administrator's
    "off" stays off). ``move_drafts`` moves the drafts on older versions to the new one.
    """
    configuration = MatterConfiguration.objects.select_for_update().get(pk=configuration.pk)
    problems = configuration_lint(configuration=configuration)
    if errors_of(problems):
        raise PublishRefused(problems)
    definition = definition_from_draft(configuration)
    latest = version_latest(configuration=configuration)
    if latest is not None and latest.definition == definition:
        version = latest
    else:
        number = (configuration.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = ConfigurationVersion.objects.create(
            configuration=configuration,
            number=number,
            definition=definition,
            published_by=_actor(user),
        )
    HandlerBinding.objects.get_or_create(
        matter=configuration.matter, defaults={"handler_key": HANDLER_KEY}
    )
    if move_drafts:
        drafts_move(configuration=configuration, version=version, user=user)
    return version


def drafts_move(*, configuration: MatterConfiguration, version: ConfigurationVersion, user) -> int:
    """Move the drafts on older versions to ``version``; in-flight applications never move.

    Answers to fields the new version no longer has stay in the draft's JSON (nothing the
    applicant typed is deleted) but are no longer asked or submitted.
    """
    pins = ApplicationVersion.objects.filter(
        version__configuration=configuration,
        version__number__lt=version.number,
        application__state=Application.State.DRAFT,
    )
    return pins.update(version=version, pinned_by=_actor(user))


def application_pin(*, reference: str) -> ConfigurationVersion | None:
    """The version an application is on, pinning a draft to the newest one the first time.

    Only a draft is ever pinned here (its form is being built); an application past its draft
    keeps the pin it has.
    """
    version = version_pinned(reference=reference)
    if version is not None:
        return version
    application = Application.objects.filter(reference=reference).select_related("matter").first()
    if application is None:
        return None
    version = version_published_for(matter_code=application.matter.code)
    if version is None:
        return None
    try:
        with transaction.atomic():
            ApplicationVersion.objects.create(application=application, version=version)
    except IntegrityError:  # pinned meanwhile by another request: that pin holds
        return version_pinned(reference=reference)
    return version


def code_plugin_matters() -> set[str]:
    """Matters a registered code plugin claims (they are never bound to a configuration)."""
    return {
        code for handler in registry if handler.key != HANDLER_KEY for code in handler.matter_codes
    }


def configurations_import(*, codes: list[str], user=None) -> tuple[int, int]:
    """The import's hook: derive every listed matter's starting configuration, and publish it
    for matters of depth ≥ 3 that no code plugin claims, when the lint lets it.

    Returns (derived, published). A configuration the lint refuses stays a draft with its
    problems shown in the designer.
    """
    offices = dict(Office.objects.values_list("code", "name"))
    claimed = code_plugin_matters()
    # An office nobody works in cannot accept an application: the lint refuses it anyway, and
    # asking here first spares the warehouse (grants, catalog) a question per matter.
    staffed = offices_staffed()
    derived = published = 0
    matters = (
        MatterPage.objects.filter(code__in=codes)
        .select_related("office")
        .prefetch_related("materials", "audiences")
    )
    for matter in matters:
        configuration = configuration_derive(matter=matter, offices=offices)
        derived += 1
        if (matter.online_depth or 0) < ONLINE_DEPTH or matter.code in claimed:
            continue
        if not configuration.derived or configuration.office_code not in staffed:
            continue  # the office publishes its own edits; nobody to accept it yet
        try:
            configuration_publish(configuration=configuration, user=user or "import")
        except PublishRefused:
            continue
        published += 1
    return derived, published


def configuration_receive(
    *,
    matter: MatterPage,
    office_code: str,
    draft: dict,
    derived: bool,
    derivation_notes: list,
    versions: list[dict],
) -> MatterConfiguration:
    """Write a configuration carried from another instance (campus_portal.config_transfer).

    The draft is replaced; published versions the target lacks are appended under their own
    numbers, so the history survives the move. Versions already here are never changed, and
    no application is moved: one in flight finishes on the version it started on.
    """
    configuration = MatterConfiguration.objects.filter(matter=matter).first()
    if configuration is None:
        configuration = MatterConfiguration(matter=matter)
    configuration.office_code = office_code
    _draft_write(configuration, draft)
    configuration.derived = derived
    configuration.derivation_notes = derivation_notes
    configuration.save()
    existing = set(configuration.versions.values_list("number", flat=True))
    for version in sorted(versions, key=lambda v: v["number"]):
        if version["number"] not in existing:
            ConfigurationVersion.objects.create(
                configuration=configuration,
                number=version["number"],
                definition=version["definition"],
                published_by=version["published_by"],
            )
    return configuration

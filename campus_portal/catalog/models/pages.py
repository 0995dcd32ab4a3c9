"""The catalog as Wagtail pages.

The tree is fixed: one ``CatalogIndexPage`` (the portal home) → one ``OfficePage`` per office →
its ``MatterPage`` guides. Putting each office's matters under its own page lets Wagtail's
ordinary page permissions say "editors of 教务处 edit 教务处's guides and nothing else".
Reading the catalog (browse, filter, search) goes through ``selectors.py``; the pages only render.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, Page
from wagtail.search import index

from campus_portal.catalog.choices import (
    Channel,
    DeliveryMode,
    MaterialForm,
    MaterialSource,
    MatterType,
    OnlineDepth,
)
from campus_portal.catalog.fields import MultipleChoiceJSONField
from campus_portal.catalog.rules import guide_check_constraints, guide_rule_violations


class CatalogIndexPage(Page):
    """The portal home: browse by audience, office and topic, and search."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["catalog.OfficePage"]
    max_count = 1

    class Meta:
        verbose_name = _("catalog home")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from campus_portal.catalog.selectors import catalog_browse_context

        context = super().get_context(request, *args, **kwargs)
        context.update(catalog_browse_context(params=request.GET))
        return context


class OfficePage(Page):
    """An office's corner of the catalog; its editors' permissions are granted here."""

    office = models.OneToOneField(
        "catalog.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="page"
    )
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["catalog.CatalogIndexPage"]
    subpage_types = ["catalog.MatterPage"]

    class Meta:
        verbose_name = _("office page")

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from campus_portal.catalog.selectors import matter_list, online_matter_ids

        context = super().get_context(request, *args, **kwargs)
        context["matters"] = matter_list(office_code=self.office.code)
        context["online_matter_ids"] = online_matter_ids(
            matter_ids=[matter.pk for matter in context["matters"]]
        )
        return context


class MatterPage(Page):
    """A school-affairs matter (校务服务事项) and its service guide (办事指南, DESIGN.md §5)."""

    # Identity and classification -------------------------------------------------------------
    code = models.CharField(_("matter code"), max_length=64, unique=True)
    matter_name = models.CharField(_("matter name"), max_length=200)
    sub_item = models.CharField(_("sub-item"), max_length=200, blank=True)
    matter_type = models.CharField(_("matter type"), max_length=16, choices=MatterType.choices)
    audiences = ParentalManyToManyField(
        "catalog.Audience", verbose_name=_("audience"), related_name="matters"
    )
    topics = ParentalManyToManyField(
        "catalog.Topic", verbose_name=_("topics"), related_name="matters", blank=True
    )
    search_keywords = models.CharField(
        _("search keywords"),
        max_length=300,
        blank=True,
        help_text=_("Other words people use for this matter, separated by commas."),
    )
    # Responsibility and basis ----------------------------------------------------------------
    office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("responsible office"),
        on_delete=models.PROTECT,
        related_name="matters",
    )
    deciding_office = models.ForeignKey(
        "catalog.Office",
        verbose_name=_("deciding office"),
        on_delete=models.PROTECT,
        related_name="decided_matters",
        null=True,
        blank=True,
        help_text=_("Leave empty when the responsible office decides."),
    )
    basis = models.TextField(_("legal or regulatory basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    # Process and limits ----------------------------------------------------------------------
    process = models.TextField(
        _("process"), blank=True, help_text=_("Steps separated by →, one line each also works.")
    )
    legal_time_limit = models.PositiveSmallIntegerField(_("legal time limit (working days)"))
    promised_time_limit = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"),
        help_text=_("0 means decided on the spot (instant matter). Never above the legal limit."),
    )
    visits_required = models.PositiveSmallIntegerField(
        _("visits required"),
        help_text=_("In-person visits an applicant with complete materials needs."),
    )
    online_depth = models.PositiveSmallIntegerField(
        _("online depth"), choices=OnlineDepth.choices, default=OnlineDepth.APPLICATION
    )
    channels = MultipleChoiceJSONField(_("channels"), choices_enum=Channel)
    # Fees, result and delivery ---------------------------------------------------------------
    charged = models.BooleanField(_("fees charged"), default=False)
    fee_basis = models.TextField(_("fees and their basis"), blank=True)
    result_name = models.CharField(_("result"), max_length=200, blank=True)
    result_sample = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("result sample"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    delivery_modes = MultipleChoiceJSONField(_("delivery modes"), choices_enum=DeliveryMode)
    # Where and whom to ask -------------------------------------------------------------------
    address = models.CharField(_("address"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("opening hours"), max_length=200, blank=True, default="工作日 8:30–11:30，14:00–17:00"
    )
    phone = models.CharField(_("consultation phone"), max_length=64, blank=True)
    complaint_channel = models.CharField(_("complaint channel"), max_length=200, blank=True)
    redress = models.TextField(_("redress"), blank=True)
    provincial_matter_code = models.CharField(
        _("related provincial matter code"), max_length=64, blank=True
    )
    provincial_matter_url = models.URLField(_("related provincial matter link"), blank=True)
    # Volumes decide the high-frequency list; they come from the imported list.
    last_year_volume = models.PositiveIntegerField(_("last year's volume"), default=0)
    # 特殊要求的事项 (浙教人〔2018〕105号): administrators exclude a matter from the catalog
    # measures of the 105号 targets, with the reason the report lists (campus_portal.dashboard).
    special_requirements = models.BooleanField(
        _("special requirements"),
        default=False,
        help_text=_(
            "Excluded from the 105号 catalog measures; the reason is listed in the report."
        ),
    )
    special_requirements_reason = models.TextField(_("reason for the exclusion"), blank=True)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("code"), FieldPanel("matter_type")]),
                FieldRowPanel([FieldPanel("matter_name"), FieldPanel("sub_item")]),
                FieldPanel("audiences", widget=forms.CheckboxSelectMultiple),
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("search_keywords"),
            ],
            heading=_("Matter"),
        ),
        MultiFieldPanel(
            [FieldPanel("deciding_office"), FieldPanel("basis"), FieldPanel("conditions")],
            heading=_("Responsibility and basis"),
        ),
        InlinePanel("materials", heading=_("Materials"), label=_("Material")),
        MultiFieldPanel(
            [
                FieldPanel("process"),
                FieldRowPanel([FieldPanel("legal_time_limit"), FieldPanel("promised_time_limit")]),
                FieldRowPanel([FieldPanel("visits_required"), FieldPanel("online_depth")]),
                FieldPanel("channels"),
            ],
            heading=_("Process and time limits"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("charged"),
                FieldPanel("fee_basis"),
                FieldPanel("result_name"),
                FieldPanel("result_sample"),
                FieldPanel("delivery_modes"),
            ],
            heading=_("Fees, result and delivery"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldPanel("opening_hours"),
                FieldPanel("phone"),
                FieldPanel("complaint_channel"),
                FieldPanel("redress"),
                FieldRowPanel(
                    [FieldPanel("provincial_matter_code"), FieldPanel("provincial_matter_url")]
                ),
            ],
            heading=_("Place and contacts"),
        ),
        # Only whoever files the catalog (administrators) decides what the targets exclude.
        MultiFieldPanel(
            [
                FieldPanel("special_requirements", permission="catalog.export_catalog"),
                FieldPanel("special_requirements_reason", permission="catalog.export_catalog"),
            ],
            heading=_("105号 targets"),
        ),
        InlinePanel("faqs", heading=_("Frequently asked questions"), label=_("Question")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("code"),
        index.SearchField("matter_name"),
        index.SearchField("sub_item"),
        index.FilterField("office"),
    ]
    parent_page_types = ["catalog.OfficePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        constraints = guide_check_constraints("matter")

    # Derived facts ---------------------------------------------------------------------------
    @property
    def is_instant(self) -> bool:
        """An instant matter (即办件) is decided on the spot: promised limit of zero days."""
        return self.promised_time_limit == 0

    @property
    def visit_label(self) -> str:
        """The promise shown on every guide: 一次不用跑 / 最多跑一次 / 跑 n 次."""
        from campus_portal.catalog.presentation import visit_label

        return visit_label(self.visits_required)

    @property
    def process_steps(self) -> list[str]:
        from campus_portal.catalog.presentation import split_process

        return split_process(self.process)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        from campus_portal.catalog.selectors import matter_sub_items

        context = super().get_context(request, *args, **kwargs)
        context["sub_items"] = matter_sub_items(matter=self)
        context.update(self._provincial_context())
        context["channel_labels"] = [Channel(c).label for c in self.channels if c in Channel.values]
        context["delivery_labels"] = [
            DeliveryMode(d).label for d in self.delivery_modes if d in DeliveryMode.values
        ]
        return context

    def _provincial_context(self) -> dict[str, Any]:
        """The related provincial matter, if the province still lists it (and the link's health)."""
        if not self.provincial_matter_code:
            return {}
        from campus_portal.province.health import connector_health
        from campus_portal.province.selectors import provincial_get

        return {
            "provincial_matter": provincial_get(code=self.provincial_matter_code),
            "province_health": connector_health(),
        }

    # Validation ------------------------------------------------------------------------------
    def clean(self) -> None:
        super().clean()
        violations = guide_rule_violations(
            legal_time_limit=self.legal_time_limit,
            promised_time_limit=self.promised_time_limit,
            visits_required=self.visits_required,
            online_depth=self.online_depth,
        )
        if violations:
            raise ValidationError({v.field: v.message for v in violations})
        if self.special_requirements and not self.special_requirements_reason.strip():
            raise ValidationError(
                {"special_requirements_reason": _("Give the reason for excluding this matter.")}
            )

    def _adopt_parent_office(self) -> None:
        # A matter belongs to the office whose page it sits under; editors never choose it.
        if self.office_id is None and self.path:
            parent = self.get_parent()
            if parent is not None and isinstance(parent.specific, OfficePage):
                self.office_id = parent.specific.office_id

    def full_clean(self, *args: Any, **kwargs: Any) -> None:
        self._adopt_parent_office()
        super().full_clean(*args, **kwargs)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._adopt_parent_office()
        super().save(*args, **kwargs)


class MatterMaterial(Orderable):
    """One material of a guide; its source says whether the applicant must bring it at all."""

    page = ParentalKey(MatterPage, on_delete=models.CASCADE, related_name="materials")
    name = models.CharField(_("name"), max_length=200)
    form = models.CharField(
        _("original or copy"),
        max_length=16,
        choices=MaterialForm.choices,
        default=MaterialForm.ORIGINAL,
    )
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    source = models.CharField(
        _("source"),
        max_length=16,
        choices=MaterialSource.choices,
        default=MaterialSource.APPLICANT,
    )
    template = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("blank form"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("source")]),
        FieldRowPanel([FieldPanel("form"), FieldPanel("copies")]),
        FieldPanel("template"),
        FieldPanel("notes"),
    ]

    def __str__(self) -> str:
        return self.name


class MatterFAQ(Orderable):
    page = ParentalKey(MatterPage, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))

    def __str__(self) -> str:
        return self.question

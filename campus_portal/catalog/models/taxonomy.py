"""Vocabularies for browsing and searching the catalog."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Audience(models.Model):
    """Who a matter serves (服务对象): 本科生, 研究生, 教职工, 校友, 校外人员 …

    Seeded by a data migration; a university with other groups adds them in the admin, and the
    importer accepts them from then on.
    """

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=32, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A browsing theme (主题), e.g. 证明开具 or 财务报销.

    ``keywords`` lets the importer file new matters under a topic automatically; editors can
    change a matter's topics afterwards and re-imports leave them alone.
    """

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)
    keywords = models.CharField(
        _("keywords"),
        max_length=500,
        blank=True,
        help_text=_("Comma-separated words; a new matter whose name contains one joins the topic."),
    )
    sort_order = models.PositiveSmallIntegerField(_("sort order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self) -> str:
        return self.name

    def keyword_list(self) -> list[str]:
        return [
            word.strip() for word in self.keywords.replace("，", ",").split(",") if word.strip()
        ]


class SearchSynonym(models.Model):
    """A word users type and the word the catalog uses (在学证明 → 在读证明)."""

    term = models.CharField(_("term users type"), max_length=50, unique=True)
    canonical = models.CharField(_("word in the catalog"), max_length=50)

    class Meta:
        ordering = ["term"]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return f"{self.term} → {self.canonical}"

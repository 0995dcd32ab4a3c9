"""Catalog models, one module per concept.

- ``offices``: the offices (责任部门) that own matters;
- ``taxonomy``: audiences, topics and search synonyms used to browse and search;
- ``power_items``: rows of the micro-power list and the record of each import;
- ``pages``: the Wagtail pages — catalog home, office pages and matter guide pages;
- ``search_index``: the pre-segmented token index behind Chinese/pinyin search.
"""

from campus_portal.catalog.models.offices import Office
from campus_portal.catalog.models.pages import (
    CatalogIndexPage,
    MatterFAQ,
    MatterMaterial,
    MatterPage,
    OfficePage,
)
from campus_portal.catalog.models.power_items import PowerItem, PowerListImport
from campus_portal.catalog.models.search_index import MatterSearchToken
from campus_portal.catalog.models.taxonomy import Audience, SearchSynonym, Topic

__all__ = [
    "Audience",
    "CatalogIndexPage",
    "MatterFAQ",
    "MatterMaterial",
    "MatterPage",
    "MatterSearchToken",
    "Office",
    "OfficePage",
    "PowerItem",
    "PowerListImport",
    "SearchSynonym",
    "Topic",
]

"""Warehouse models — private to ``data_warehouse``; use its services and selectors."""

from data_warehouse.models.access import AccessLog, Consent, Grant
from data_warehouse.models.catalog import DataItem, Sensitivity
from data_warehouse.models.people import OrgUnit, Person
from data_warehouse.models.records import StaffRecord, StudentRecord

__all__ = [
    "AccessLog",
    "Consent",
    "DataItem",
    "Grant",
    "OrgUnit",
    "Person",
    "Sensitivity",
    "StaffRecord",
    "StudentRecord",
]

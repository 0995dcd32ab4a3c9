"""Helpers that know nothing of the portal or the warehouse, shared by both.

Not a Django app: plain modules (a tabular file reader, an append-only model base, a
read-only Wagtail permission policy). It sits below ``data_warehouse`` and ``campus_portal``
in the layers (docs/architecture.md) and imports neither, so the warehouse can be lifted out
with it.
"""

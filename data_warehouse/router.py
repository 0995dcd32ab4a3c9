"""Sends the warehouse's models to the ``warehouse`` database alias and nothing else there.

Relations never cross the boundary: other parts of the platform keep warehouse ids as plain
values (a person's ``uid``), so the warehouse can move to a server of its own.
"""

from __future__ import annotations

WAREHOUSE_APP = "data_warehouse"
WAREHOUSE_ALIAS = "warehouse"


def _inside(model_or_obj) -> bool:
    return model_or_obj._meta.app_label == WAREHOUSE_APP


class WarehouseRouter:
    def db_for_read(self, model, **hints):
        return WAREHOUSE_ALIAS if _inside(model) else None

    def db_for_write(self, model, **hints):
        return WAREHOUSE_ALIAS if _inside(model) else None

    def allow_relation(self, obj1, obj2, **hints):
        if _inside(obj1) != _inside(obj2):
            return False
        return True if _inside(obj1) else None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        if app_label == WAREHOUSE_APP:
            return db == WAREHOUSE_ALIAS
        return False if db == WAREHOUSE_ALIAS else None

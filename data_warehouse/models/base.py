"""The base of every warehouse model."""

from django.db import models


class WarehouseModel(models.Model):
    """Keeps warehouse rows out of Wagtail's reference index.

    The index lives in the default database; registering warehouse models there (as the admin's
    snippet viewsets would) would copy identifiers of people's data across the boundary and add
    a write to every read's access-log entry.
    """

    wagtail_reference_index_ignore = True

    class Meta:
        abstract = True

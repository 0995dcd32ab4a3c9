"""Append-only models: rows that are written once and never changed or deleted (logs).

The refusal sits on the model and its queryset, so neither code nor the admin can change an
entry through the ORM; tampering behind the ORM's back is what hash chains and audits catch.
"""

from django.core.exceptions import PermissionDenied
from django.db import models


def _refuse(model: type[models.Model]) -> PermissionDenied:
    return PermissionDenied(f"{model._meta.verbose_name_plural} is append-only.")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise _refuse(self.model)

    def delete(self):
        raise _refuse(self.model)


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise _refuse(type(self))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise _refuse(type(self))

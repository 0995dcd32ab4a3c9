"""Who designs and publishes a configured matter: its office's staff, heads and guide editors
(like the guide pages), and superusers — nobody else, for any action including viewing.

A Wagtail permission policy (registered at start-up), so it holds in every admin view and in
the publish screen, which asks it too.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from wagtail.permission_policies import ModelPermissionPolicy

from campus_portal.matter_config.selectors import office_codes_editable

PUBLISH_PERMISSION = "matter_config.publish_matterconfiguration"


class OfficeConfigurationPolicy(ModelPermissionPolicy):
    """The model permission (from the role groups) *and* the configuration's office."""

    def user_has_permission(self, user, action: str) -> bool:
        if not super().user_has_permission(user, action):
            return False
        offices = office_codes_editable(user)
        return offices is None or bool(offices)

    def user_has_permission_for_instance(self, user, action: str, instance: Model) -> bool:
        if not self.user_has_permission(user, action):
            return False
        offices = office_codes_editable(user)
        return offices is None or instance.office_code in offices

    def instances_user_has_permission_for(self, user, action: str) -> QuerySet:
        instances = super().instances_user_has_permission_for(user, action)
        offices = office_codes_editable(user)
        return instances if offices is None else instances.filter(office_code__in=offices)


def may_publish(user, configuration) -> bool:
    return user.has_perm(PUBLISH_PERMISSION) and OfficeConfigurationPolicy(
        type(configuration)
    ).user_has_permission_for_instance(user, "change", configuration)

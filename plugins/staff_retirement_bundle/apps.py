from django.apps import AppConfig


class StaffRetirementBundleConfig(AppConfig):
    """教职工退休一件事: assets, research, library, loans in parallel, then 退休办理 at RSC."""

    name = "plugins.staff_retirement_bundle"
    label = "staff_retirement_bundle"

    class PluginMeta:
        name = "教职工退休一件事"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.staff_retirement_bundle import handlers  # noqa: F401 (registers)

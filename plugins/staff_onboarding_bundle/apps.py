from django.apps import AppConfig


class StaffOnboardingBundleConfig(AppConfig):
    """教职工入职一件事: accounts, payroll (housing, party) in parallel, then 入职报到 at RSC."""

    name = "plugins.staff_onboarding_bundle"
    label = "staff_onboarding_bundle"

    class PluginMeta:
        name = "教职工入职一件事"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.staff_onboarding_bundle import handlers  # noqa: F401 (registers)

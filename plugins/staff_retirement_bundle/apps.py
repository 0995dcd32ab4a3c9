from django.apps import AppConfig


class StaffRetirementBundleConfig(AppConfig):
    """教职工退休一件事: assets, research, library, loans in parallel, then 退休办理 at RSC."""

    name = "plugins.staff_retirement_bundle"
    label = "staff_retirement_bundle"

    def ready(self) -> None:
        from plugins.staff_retirement_bundle import handlers  # noqa: F401 (registers)

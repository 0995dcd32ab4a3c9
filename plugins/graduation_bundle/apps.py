from django.apps import AppConfig


class GraduationBundleConfig(AppConfig):
    """毕业生离校一件事: library, dormitory, fees, campus card (and party) in parallel."""

    name = "plugins.graduation_bundle"
    label = "graduation_bundle"

    def ready(self) -> None:
        from plugins.graduation_bundle import handlers  # noqa: F401 (registers)

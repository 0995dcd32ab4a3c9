from django.apps import AppConfig


class GraduationBundleConfig(AppConfig):
    """毕业生离校一件事: library, dormitory, fees, campus card (and party) in parallel."""

    name = "plugins.graduation_bundle"
    label = "graduation_bundle"

    class PluginMeta:
        name = "毕业生离校一件事"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.graduation_bundle import handlers  # noqa: F401 (registers)

from django.apps import AppConfig


class NewStudentBundleConfig(AppConfig):
    """新生入学一件事: dormitory, accounts, fees (household, party) in parallel, then 报到注册."""

    name = "plugins.new_student_bundle"
    label = "new_student_bundle"

    class PluginMeta:
        name = "新生入学一件事"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.new_student_bundle import handlers  # noqa: F401 (registers)

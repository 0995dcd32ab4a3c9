from django.apps import AppConfig


class RegistrarTranscriptsConfig(AppConfig):
    """教务处 transcripts: 成绩单打印 (中文 instant for enrolled students and graduates)."""

    name = "plugins.registrar_transcripts"
    label = "registrar_transcripts"

    class PluginMeta:
        name = "成绩单打印"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.registrar_transcripts import handlers  # noqa: F401 (registers)

from django.apps import AppConfig


class RegistrarTranscriptsConfig(AppConfig):
    """教务处 transcripts: 成绩单打印 (中文 instant for enrolled students and graduates)."""

    name = "plugins.registrar_transcripts"
    label = "registrar_transcripts"

    def ready(self) -> None:
        from plugins.registrar_transcripts import handlers  # noqa: F401 (registers)

from django.apps import AppConfig


class RegistrarCertificatesConfig(AppConfig):
    """教务处 certificates: 在读证明开具 (instant)."""

    name = "plugins.registrar_certificates"
    label = "registrar_certificates"

    def ready(self) -> None:
        from plugins.registrar_certificates import handlers  # noqa: F401 (registers)

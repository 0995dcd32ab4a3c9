from django.apps import AppConfig


class RegistrarCertificatesConfig(AppConfig):
    """教务处 certificates: 在读证明开具 (instant)."""

    name = "plugins.registrar_certificates"
    label = "registrar_certificates"

    class PluginMeta:
        name = "在读证明开具"
        version = "1.0"
        compatibility = ">=1.0,<2"

    def ready(self) -> None:
        # Registered in ready(), once every app's models are loaded (Django's app-registry
        # timing; the core never imports a plugin, so there is no cycle to dodge).
        from plugins.registrar_certificates import handlers  # noqa: F401 (registers)

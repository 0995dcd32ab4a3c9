from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatterConfigConfig(AppConfig):
    name = "campus_portal.matter_config"
    label = "matter_config"
    verbose_name = _("Configured matters")

    def ready(self) -> None:
        # The generic handler registers like any plugin's; the import hook derives a starting
        # configuration for every matter of an imported micro-power list;
        # the window's generic intake serves matters nothing else serves (window only).
        from campus_portal.matter_config import handler, intake, signal_handlers  # noqa: F401

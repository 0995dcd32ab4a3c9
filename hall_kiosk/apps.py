from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HallKioskConfig(AppConfig):
    name = "hall_kiosk"
    label = "hall_kiosk"
    verbose_name = _("Hall kiosks")

    def ready(self) -> None:
        # The window confirms an applicant's presence with the kiosks' card/PIN and QR codes.
        # In ready(): the confirmers import models (Django's app-registry timing).
        from campus_portal.accounts.presence import (
            presence_challenger_register,
            presence_confirmer_register,
        )
        from hall_kiosk import presence

        presence_confirmer_register(method="card_pin", confirmer=presence.card_pin_confirm)
        presence_confirmer_register(method="qr", confirmer=presence.qr_confirm)
        presence_challenger_register(method="qr", challenger=presence.qr_challenge)

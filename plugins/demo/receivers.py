"""The demo's office-signal receivers: they only log what their office hears. A real plugin
would update its own system here; an error in a receiver is logged by the core and undoes or
blocks nothing (plugin_api.signals)."""

from __future__ import annotations

import logging

from campus_portal.plugin_api import ApplicationView, signals

logger = logging.getLogger(__name__)
OFFICE = "XGB"


def _heard(name: str):
    def receive(*, application: ApplicationView, **details) -> None:
        logger.info("demo plugin heard %s for %s: %s", name, application.reference, details)

    receive.__name__ = f"demo_{name}"
    return receive


RECEIVERS = {
    name: _heard(name)
    for name in (
        "application_submitted",
        "step_finished",
        "application_decided",
        "application_withdrawn",
    )
}


def receivers_connect() -> None:
    for name, receiver in RECEIVERS.items():
        getattr(signals, name).connect(receiver, office=OFFICE)

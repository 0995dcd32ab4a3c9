"""Who hears of each lifecycle transition: the receivers of ``applications.signals``.

Connected in ``NotificationsConfig.ready()``. Each one passes a signal's arguments on to a
notice of ``lifecycle.py``; the notification rows are written in the transition's transaction,
their delivery by mail (or another channel) is queued after commit (``services.notify``).
"""

from __future__ import annotations

from collections.abc import Callable

from campus_portal.applications import signals
from campus_portal.notifications import lifecycle as notices


def _receiver(notice: Callable, subject: str, *keywords: str) -> Callable:
    """A receiver calling ``notice(kwargs[subject], **{k: kwargs[k] for k in keywords})``."""

    def receive(sender, **kwargs) -> None:
        notice(kwargs[subject], **{key: kwargs[key] for key in keywords})

    receive.__name__ = f"notify_{notice.__name__}"
    return receive


RECEIVERS = (
    (signals.application_submitted, _receiver(notices.application_submitted, "application")),
    (signals.supplement_answered, _receiver(notices.application_submitted, "application")),
    (signals.application_accepted, _receiver(notices.application_accepted, "application")),
    (
        signals.application_not_accepted,
        _receiver(notices.application_not_accepted, "application"),
    ),
    (signals.supplement_requested, _receiver(notices.supplement_requested, "application")),
    (signals.application_decided, _receiver(notices.application_decided, "application")),
    (signals.steps_started, _receiver(notices.steps_started, "steps")),
    (
        signals.step_transferred,
        _receiver(notices.step_transferred, "step", "from_office", "reason"),
    ),
    (signals.step_due_soon, _receiver(notices.step_due_soon, "step")),
    (signals.step_overdue, _receiver(notices.step_overdue, "step")),
    (signals.step_escalated, _receiver(notices.step_escalated, "step")),
    (
        signals.step_extension_requested,
        _receiver(notices.step_extension_requested, "step", "extension"),
    ),
    (signals.step_extended, _receiver(notices.step_extended, "step", "extension")),
    (
        signals.step_extension_refused,
        _receiver(notices.step_extension_refused, "step", "extension"),
    ),
    (signals.step_supervised, _receiver(notices.step_supervised, "step")),
    (
        signals.supervision_instructed,
        _receiver(notices.supervision_instructed, "step", "instruction"),
    ),
)


def receivers_connect() -> None:
    """Connect each receiver once (the same notice may serve two signals)."""
    for position, (signal, receiver) in enumerate(RECEIVERS):
        signal.connect(receiver, dispatch_uid=f"notifications.{position}.{receiver.__name__}")

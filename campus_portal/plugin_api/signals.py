"""Office-scoped signals: what plugins react to (DESIGN.md §8, after pretix).

A receiver subscribes for one office and hears only about applications that office works on
(the handler's office or any office with a step). Receivers run after the transition has been
committed, and a failing receiver is logged, never raised: a plugin must not be able to undo
or block an applicant's transition.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.db import transaction

from campus_portal.plugin_api.handlers import ApplicationView

logger = logging.getLogger(__name__)
Receiver = Callable[..., None]


class OfficeSignal:
    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[tuple[str, Receiver]] = []

    def connect(self, receiver: Receiver, *, office: str) -> Receiver:
        """Subscribe ``receiver(application=ApplicationView, **details)`` for one office."""
        if (office, receiver) not in self._receivers:
            self._receivers.append((office, receiver))
        return receiver

    def disconnect(self, receiver: Receiver, *, office: str) -> None:
        self._receivers = [pair for pair in self._receivers if pair != (office, receiver)]

    def send(self, *, offices: Iterable[str], application: ApplicationView, **details) -> None:
        """Call the receivers of ``offices`` once the current transaction has committed."""
        wanted = set(offices)
        receivers = [receiver for office, receiver in self._receivers if office in wanted]
        if receivers:
            transaction.on_commit(lambda: self._call(receivers, application, details))

    def _call(self, receivers: list[Receiver], application: ApplicationView, details) -> None:
        for receiver in receivers:
            try:
                receiver(application=application, **details)
            except Exception:
                logger.exception("%s receiver %r failed for %s", self.name, receiver, application)


application_submitted = OfficeSignal("application_submitted")
"""
Sent after commit when an application was submitted or re-submitted after a supplement, to the
offices it involves.

Arguments: ``application`` (``ApplicationView``), ``channel`` (web, phone, kiosk, window).

Receivers may prepare their office's work (a reservation, a record in their own system). They
cannot change or refuse the submission; an error is logged.
"""

step_finished = OfficeSignal("step_finished")
"""
Sent after commit when one step was finished.

Arguments: ``application``, ``step_key``, ``office`` (the step's office), ``approved`` (bool).

Receivers may record the step's outcome in their own system.
"""

application_decided = OfficeSignal("application_decided")
"""
Sent after commit when the application was approved or rejected.

Arguments: ``application``, ``approved`` (bool), ``reason`` (the rejection reason, or "").

Receivers may carry out what the decision means in their office (a dormitory move, a payment
order). The result document and its delivery are the core's.
"""

application_withdrawn = OfficeSignal("application_withdrawn")
"""
Sent after commit when the applicant withdrew the application before it was decided.

Arguments: ``application``.

Receivers may release what they prepared for it.
"""

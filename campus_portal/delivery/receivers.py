"""The delivery app listens to the lifecycle: it checks the delivery choice of a submission
and opens the delivery of an approved application (``applications.signals``)."""

from __future__ import annotations

from campus_portal.applications import signals
from campus_portal.delivery import services


def _application_submitting(
    sender, *, application, delivery_mode, delivery_address, **kwargs
) -> None:
    """Check and set the delivery choice (a refusal names what is missing)."""
    mode, address = delivery_mode, delivery_address
    if mode is None:
        mode = application.delivery_mode or services.delivery_mode_default(
            application.matter, application
        )
        address = application.delivery_address if address is None else address
        if not mode:  # nothing chosen and no mode needing nothing more: staff decide later
            return
    application.delivery_mode, application.delivery_address = services.delivery_choice_clean(
        matter=application.matter, mode=mode, address=address, application=application
    )


def _application_decided(sender, *, application, approved, **kwargs) -> None:
    if approved:
        services.delivery_on_approved(application=application)


def receivers_connect() -> None:
    signals.application_submitting.connect(
        _application_submitting, dispatch_uid="delivery.application_submitting"
    )
    signals.application_decided.connect(
        _application_decided, dispatch_uid="delivery.application_decided"
    )

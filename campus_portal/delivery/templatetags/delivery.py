"""The delivery's panels on the lifecycle's pages, so the applications app needs no import of
delivery: ``{% application_delivery application as delivery %}`` (the applicant's page) and
``{% delivery_choice_form application request as delivery_form %}`` (the application form)."""

from __future__ import annotations

from django import template

from campus_portal.delivery.forms import DeliveryChoiceForm
from campus_portal.delivery.models import ResultDelivery
from campus_portal.delivery.selectors import delivery_of

register = template.Library()


@register.simple_tag
def application_delivery(application) -> ResultDelivery | None:
    return delivery_of(application)


@register.simple_tag
def delivery_choice_form(application, request) -> DeliveryChoiceForm | None:
    """The delivery choice bound to the POST (or the saved choice), when the matter offers
    any mode. The view reads the posted choice itself; the submit's check is the delivery
    app's receiver of ``application_submitting``, so this only shows the fields and errors."""
    data = request.POST if request.method == "POST" else None
    form = DeliveryChoiceForm(data, matter=application.matter, application=application)
    if not form.offered:
        return None
    form.is_valid()
    return form

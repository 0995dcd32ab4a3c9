"""``unread_messages`` for every template: the header shows it next to the inbox link."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from campus_portal.notifications.selectors import unread_count


def unread_messages(request) -> dict:
    # Lazy: the count query runs only on pages whose template shows it.
    user = getattr(request, "user", None)
    return {"unread_messages": SimpleLazyObject(lambda: unread_count(user))}

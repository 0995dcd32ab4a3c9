"""Who may move the configuration: administrators and superusers only (it touches every
office's matters, the grants of the warehouse and the seals)."""

from campus_portal.accounts.roles import scope_for


def may_transfer(user) -> bool:
    scope = scope_for(user)
    return scope.superuser or scope.is_administrator

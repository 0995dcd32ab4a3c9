"""Local account names: ``local-…``, a shape no campus number has (the directory backend
refuses such names, allauth gives them to the accounts it creates)."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

LOCAL_USERNAME_PREFIX = "local-"


def local_username_new() -> str:
    """A fresh ``local-…`` username not taken yet."""
    model = get_user_model()
    while True:
        candidate = f"{LOCAL_USERNAME_PREFIX}{secrets.token_hex(5)}"
        if not model._default_manager.filter(**{model.USERNAME_FIELD: candidate}).exists():
            return candidate

"""Web addresses of catalog pages, derived from codes (stable: a code is never renamed)."""

from django.utils.text import slugify


def code_slug(code: str) -> str:
    """``SF-JWC-003`` → ``sf-jwc-003``; dots are dropped, so ``A.1`` and ``A1`` collide
    (the importer reports such pairs instead of failing on the database's unique slug)."""
    return slugify(code) or code.lower()

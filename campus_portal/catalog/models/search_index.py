"""The token index behind catalog search.

Neither SQLite nor PostgreSQL segments Chinese, and trigram indexes miss two-character queries.
So each published matter is indexed as a set of plain tokens — Chinese characters and character
pairs, jieba words, and prefixes of their pinyin and pinyin initials — and a query becomes a set
of tokens that must all be present. Exact-match lookups on an ordinary B-tree index behave the
same on both databases. See campus_portal/catalog/search/ for how tokens are made.
"""

from django.db import models


class MatterSearchToken(models.Model):
    matter = models.ForeignKey(
        "catalog.MatterPage", on_delete=models.CASCADE, related_name="search_tokens"
    )
    token = models.CharField(max_length=64)
    weight = models.PositiveSmallIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["matter", "token"], name="catalog_token_unique"),
        ]
        indexes = [models.Index(fields=["token", "matter"], name="catalog_token_lookup")]

    def __str__(self) -> str:
        return self.token

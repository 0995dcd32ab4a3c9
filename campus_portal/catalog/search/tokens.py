"""Turning text into search tokens.

Index side, for each field of a matter:
- every Chinese character and every pair of neighbouring characters — so any part of a name of
  two or more characters ("成绩", "绩单") is found without a dictionary;
- jieba's words (``lcut_for_search``) — used to derive pinyin per word;
- every prefix of the pinyin of the whole text, of each word and of each character, in full
  ("xiaoyuanka" → 校园卡补办) and as initials ("cjd" → 成绩单打印);
- ASCII words (VPN, 985 …) and their prefixes.
Query side, each term must be matched: Chinese becomes its character pairs (or the single
character), anything else is looked up as a prefix. Both sides normalise with NFKC and lower
case, so full-width letters and digits behave like half-width ones.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_TOKEN_LENGTH = 64
MAX_PREFIX_LENGTH = 32

_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
_TERM_SPLIT = re.compile(r"[\s,，、;；/|()（）\[\]【】《》\"'“”‘’·.。:：!?！？+\-_]+")

# jieba and pypinyin are imported where indexing needs them, not here: their dictionaries hold
# ~200,000 objects, and web workers that only *query* would carry them into every garbage
# collection (measured as ~200 ms pauses, docs/performance.md).


def normalise(text: str) -> str:
    """NFKC (full-width → half-width) and lower case."""
    return unicodedata.normalize("NFKC", text or "").lower()


def _prefixes(word: str) -> list[str]:
    return [word[:end] for end in range(1, min(len(word), MAX_PREFIX_LENGTH) + 1)]


def _cjk_grams(run: str) -> list[str]:
    return [*run, *(run[i : i + 2] for i in range(len(run) - 1))]


@lru_cache(maxsize=4096)
def _pinyin_forms(chinese: str) -> tuple[str, str]:
    """Full pinyin and initials of a Chinese string ("成绩单" → "chengjidan", "cjd")."""
    from pypinyin import Style, lazy_pinyin

    full = "".join(lazy_pinyin(chinese))
    initials = "".join(lazy_pinyin(chinese, style=Style.FIRST_LETTER))
    return full, initials


def text_tokens(text: str) -> set[str]:
    """All index tokens of one text (see the module docstring)."""
    import jieba

    jieba.setLogLevel(60)  # it prints its dictionary loading to stderr otherwise
    text = normalise(text)
    tokens: set[str] = set()
    for run in _CJK_RUN.findall(text):
        tokens.update(_cjk_grams(run))
        for part in {run, *run, *jieba.lcut_for_search(run)}:
            full, initials = _pinyin_forms(part)
            tokens.update(_prefixes(full))
            tokens.update(_prefixes(initials))
    for word in _ASCII_WORD.findall(text):
        tokens.update(_prefixes(word))
    return {token for token in tokens if len(token) <= MAX_TOKEN_LENGTH}


def weighted_tokens(fields: list[tuple[str, int]]) -> dict[str, int]:
    """Tokens of several (text, weight) fields; a token keeps the highest weight it got."""
    weights: dict[str, int] = {}
    for text, weight in fields:
        for token in text_tokens(text):
            if weights.get(token, 0) < weight:
                weights[token] = weight
    return weights


def query_tokens(query: str) -> set[str]:
    """The tokens a matter must all have to match ``query``; empty for an empty query."""
    required: set[str] = set()
    for term in _TERM_SPLIT.split(normalise(query)):
        position = 0
        for match in _CJK_RUN.finditer(term):
            required.update(_ascii_parts(term[position : match.start()]))
            run = match.group()
            required.update(
                [run] if len(run) == 1 else (run[i : i + 2] for i in range(len(run) - 1))
            )
            position = match.end()
        required.update(_ascii_parts(term[position:]))
    return required


def _ascii_parts(text: str) -> list[str]:
    return [word[:MAX_PREFIX_LENGTH] for word in _ASCII_WORD.findall(text)]

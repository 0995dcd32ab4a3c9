"""Chinese first: every message has a Simplified Chinese translation, compiled and current."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"
ENTRY = re.compile(r'\nmsgid "(.*?)"\n(?:msgid_plural ".*?"\n)?msgstr(?:\[0\])? "(.*?)"\n', re.S)


def _entries() -> list[tuple[str, str]]:
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    text = re.sub(r'"\n"', "", text)  # join continued lines
    return [(msgid, msgstr) for msgid, msgstr in ENTRY.findall(text) if msgid]


def test_every_message_is_translated():
    untranslated = [msgid for msgid, msgstr in _entries() if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in (LOCALE / "django.po").read_text(encoding="utf-8")


def test_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    for msgid, msgstr in _entries():
        if "\\" in msgid:
            continue
        assert compiled.gettext(msgid) in (msgstr, msgid.replace('\\"', '"')), msgid


def test_chinese_is_the_default_and_english_available():
    with translation.override("zh-hans"):
        assert translation.gettext("No visit needed") == "一次不用跑"
    with translation.override("en"):
        assert translation.gettext("No visit needed") == "No visit needed"

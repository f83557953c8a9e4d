"""Vietnamese is first-class: every string is translated, and the shipped .mo matches."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES"
PO = polib.pofile(str(LOCALE / "django.po"))
PLACEHOLDER = re.compile(r"%\(\w+\)s|<[^>]+>")


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("entry", PO, ids=lambda e: e.msgid[:40])
def test_every_string_has_a_vietnamese_translation_keeping_its_placeholders(entry):
    assert "fuzzy" not in entry.flags
    for text in translations(entry):
        assert text.strip(), "untranslated"
        assert sorted(PLACEHOLDER.findall(text)) == sorted(PLACEHOLDER.findall(entry.msgid))


def test_the_compiled_catalogue_matches_the_source():
    compiled = {
        (e.msgctxt, e.msgid): translations(e) for e in polib.mofile(str(LOCALE / "django.mo"))
    }
    source = {(e.msgctxt, e.msgid): translations(e) for e in PO}
    assert compiled == source

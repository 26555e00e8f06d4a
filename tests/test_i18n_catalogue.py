"""The Indonesian catalogue is complete and its compiled form is the one in use."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "id" / "LC_MESSAGES"


def test_every_message_is_translated():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []


def test_compiled_catalogue_matches_source():
    po = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.pofile(str(LOCALE / "django.po"))}
    mo = {e.msgid: e.msgstr or e.msgstr_plural for e in polib.mofile(str(LOCALE / "django.mo"))}
    mo.pop("", None)
    assert {k: v for k, v in po.items() if k} == mo, "run `make messages` to compile django.mo"

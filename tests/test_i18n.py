"""The translation machinery: choosing a language, `.po` reading and writing, the
extractor and the `.mo` compiler (all pure Python, no gettext tools)."""

from __future__ import annotations

import gettext
import textwrap

import pytest

from recoveryjournal import i18n
from recoveryjournal.i18n import compile as compiler
from recoveryjournal.i18n import extract, po


# ---- choosing the language ------------------------------------------------------------


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "sv"),
        ({"LANG": "da_DK.UTF-8"}, "da"),
        ({"LANG": "nb_NO.UTF-8"}, "nb"),
        ({"LANG": "no_NO.UTF-8"}, "nb"),  # plain Norwegian: Bokmål is what we ship
        ({"LANG": "nn_NO.UTF-8"}, "nb"),  # Nynorsk readers read Bokmål more easily than English
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({}, "en"),
        ({"LANG": "en_GB.UTF-8", "LC_MESSAGES": "da_DK.UTF-8"}, "da"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "nb_NO.UTF-8"}, "nb"),
        ({"LANGUAGE": "de:sv", "LANG": "en_GB.UTF-8"}, "sv"),  # first supported in the list
    ],
)
def test_language_follows_the_environment(monkeypatch, variables, expected):
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    assert i18n.language_from_environment() == expected


def test_set_language_switches_every_later_message(monkeypatch):
    assert i18n.set_language("sv") == "sv"
    assert i18n._("Settings") == "Inställningar"
    assert i18n.set_language("da") == "da"
    assert i18n._("Settings") == "Indstillinger"
    assert i18n.set_language("nb") == "nb"
    assert i18n._("Settings") == "Innstillinger"
    assert i18n.set_language("en") == "en"
    assert i18n._("Settings") == "Settings"


def test_empty_setting_follows_lang_and_unknown_codes_fall_back_to_english(monkeypatch):
    monkeypatch.setenv("LANG", "da_DK.UTF-8")
    assert i18n.set_language("") == "da"
    assert i18n.current_language() == "da"
    assert i18n.set_language(None) == "da"
    assert i18n.set_language("xx") == "en"
    assert i18n._("Settings") == "Settings"


def test_plurals_follow_the_number_in_each_language():
    i18n.set_language("sv")
    assert i18n.ngettext("{n} entry", "{n} entries", 1).format(n=1) == "1 anteckning"
    assert i18n.ngettext("{n} entry", "{n} entries", 2).format(n=2) == "2 anteckningar"
    assert i18n.ngettext("{n} entry", "{n} entries", 0).format(n=0) == "0 anteckningar"
    i18n.set_language("da")
    assert i18n.ngettext("{n} entry", "{n} entries", 5).format(n=5) == "5 notater"
    i18n.set_language("en")
    assert i18n.ngettext("{n} entry", "{n} entries", 1).format(n=1) == "1 entry"


def test_a_message_without_a_translation_shows_the_english():
    i18n.set_language("nb")
    assert i18n._("A sentence nobody has translated.") == "A sentence nobody has translated."


def test_n_marks_without_translating():
    i18n.set_language("sv")
    assert i18n.N_("Settings") == "Settings"
    assert i18n._(i18n.N_("Settings")) == "Inställningar"


# ---- .po files ----------------------------------------------------------------------------

SAMPLE_PO = textwrap.dedent(r'''
    # Swedish translation.
    msgid ""
    msgstr ""
    "Language: sv\n"
    "Plural-Forms: nplurals=2; plural=(n != 1);\n"

    # a translator's note
    #. Translators: the dashboard title
    #: recoveryjournal/tui/screens/dashboard.py
    #, python-brace-format
    msgid "Today, {day}"
    msgstr "I dag, {day}"

    msgid ""
    "Two lines\n"
    "with a \"quote\""
    msgstr "Två rader\nmed ett \"citat\""

    msgctxt "button"
    msgid "Open"
    msgstr "Öppna"

    msgid "{n} entry"
    msgid_plural "{n} entries"
    msgstr[0] "{n} anteckning"
    msgstr[1] "{n} anteckningar"

    #, fuzzy
    msgid "Maybe"
    msgstr "Kanske"

    msgid "Not yet"
    msgstr ""

    #~ msgid "Gone"
    #~ msgstr "Borta"
''').lstrip()


def test_po_parsing_reads_every_kind_of_entry():
    catalog = po.parse(SAMPLE_PO, "sample.po")
    assert catalog.header["Language"] == "sv"
    messages = {m.key: m for m in catalog.messages}
    today = messages[(None, "Today, {day}")]
    assert today.msgstr == "I dag, {day}"
    assert today.translator_comments == ["a translator's note"]
    assert today.extracted_comments == ["Translators: the dashboard title"]
    assert today.references == ["recoveryjournal/tui/screens/dashboard.py"]
    assert today.flags == ["python-brace-format"]
    assert messages[(None, 'Two lines\nwith a "quote"')].msgstr == 'Två rader\nmed ett "citat"'
    assert messages[("button", "Open")].msgstr == "Öppna"
    plural = messages[(None, "{n} entry")]
    assert plural.msgid_plural == "{n} entries"
    assert plural.msgstr_plural == {0: "{n} anteckning", 1: "{n} anteckningar"}
    assert not messages[(None, "Maybe")].is_translated()  # fuzzy is not done
    assert not messages[(None, "Not yet")].is_translated()
    assert messages[(None, "Gone")].obsolete
    assert (None, "Gone") not in catalog.by_key()


def test_po_writing_round_trips():
    catalog = po.parse(SAMPLE_PO)
    again = po.parse(po.dumps(catalog))
    assert po.dumps(again) == po.dumps(catalog)
    assert [(m.key, m.translations(), m.obsolete, m.flags) for m in again.messages] == [
        (m.key, m.translations(), m.obsolete, m.flags) for m in catalog.messages
    ]


def test_long_messages_are_wrapped_but_read_back_whole():
    text = "word " * 40 + "end\nsecond line"
    catalog = po.Catalog(header={"Language": "sv"}, messages=[po.Message(msgid=text, msgstr=text)])
    written = po.dumps(catalog)
    assert max(len(line) for line in written.splitlines()) <= 80
    assert po.parse(written).messages[0].msgid == text


def test_a_broken_po_file_names_the_file_and_line():
    with pytest.raises(ValueError, match=r"broken\.po:2"):
        po.parse('msgid "a"\nmsgstr nonsense\n', "broken.po")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{n} urges", ["{n}"]),
        ("{m}:{s:02d} gone", ["{m}", "{s:02d}"]),
        ("{part!r} is not a number", ["{part!r}"]),
        ("{{literal}} braces", []),
        ("45% of {total}", ["{total}"]),  # a bare % is text, not a placeholder
        ("%(prog)s [options]", ["%(prog)s"]),
    ],
)
def test_placeholders_are_found(text, expected):
    assert po.placeholders(text) == sorted(expected)


# ---- the extractor ------------------------------------------------------------------------


def _package(tmp_path, source: str):
    package = tmp_path / "src" / "recoveryjournal"
    (package / "i18n").mkdir(parents=True)
    (package / "i18n" / "__init__.py").write_text("def _(m): return m\n")
    (package / "screen.py").write_text(textwrap.dedent(source))
    return package


def test_extractor_finds_every_kind_of_call_and_the_notes(tmp_path):
    package = _package(tmp_path, '''
        from .i18n import _, N_, ngettext, pgettext
        TITLE = N_("My safety plan")
        def show(n, name):
            # Translators: a button that saves the entry
            save = _("Save")
            joined = _("Two parts " "joined")
            count = ngettext("{n} urge", "{n} urges", n)
            button = pgettext("button", "Open")
            unreadable = _(name)
            return _("Save")
    ''')
    found, dynamic = extract.scan(package)
    keys = [(f.msgctxt, f.msgid, f.msgid_plural) for f in found]
    assert (None, "My safety plan", None) in keys
    assert (None, "Two parts joined", None) in keys
    assert (None, "{n} urge", "{n} urges") in keys
    assert ("button", "Open", None) in keys
    saves = [f for f in found if f.msgid == "Save"]
    assert len(saves) == 2 and saves[0].comment == "Translators: a button that saves the entry"
    assert [d.source for d in dynamic] == ["_(name)"]
    template = extract.template(found)
    save = template.by_key()[(None, "Save")]
    assert save.extracted_comments == ["Translators: a button that saves the entry"]
    assert template.by_key()[(None, "{n} urge")].flags == ["python-brace-format"]


def test_merging_keeps_translations_and_parks_removed_ones(tmp_path):
    package = _package(tmp_path, 'from .i18n import _\nA = _("Save")\nB = _("Close")\n')
    locale = tmp_path / "locale"
    extract.update(locale, package)
    path = extract.po_path("sv", locale)
    catalog = po.read(path)
    catalog.by_key()[(None, "Save")].msgstr = "Spara"
    catalog.by_key()[(None, "Close")].msgstr = "Stäng"
    po.write(path, catalog)

    (package / "screen.py").write_text('from .i18n import _\nA = _("Save")\nC = _("Back")\n')
    changed, _dynamic = extract.update(locale, package)
    assert path in changed
    merged = po.read(path)
    assert merged.by_key()[(None, "Save")].msgstr == "Spara"
    assert merged.by_key()[(None, "Back")].msgstr == ""
    parked = [m for m in merged.messages if m.obsolete]
    assert [(m.msgid, m.msgstr) for m in parked] == [("Close", "Stäng")]

    # the string comes back: its old translation comes back with it
    (package / "screen.py").write_text('from .i18n import _\nA = _("Save")\nC = _("Close")\n')
    extract.update(locale, package)
    assert po.read(path).by_key()[(None, "Close")].msgstr == "Stäng"
    assert extract.update(locale, package)[0] == []  # nothing left to change


# ---- the compiler -------------------------------------------------------------------------


def test_compiled_catalog_is_what_gettext_reads(tmp_path):
    catalog = po.parse(SAMPLE_PO)
    path = tmp_path / "sv.mo"
    path.write_bytes(compiler.mo_bytes(catalog))
    with path.open("rb") as stream:
        translation = gettext.GNUTranslations(stream)
    assert translation.gettext("Today, {day}") == "I dag, {day}"
    assert translation.gettext('Two lines\nwith a "quote"') == 'Två rader\nmed ett "citat"'
    assert translation.pgettext("button", "Open") == "Öppna"
    assert translation.ngettext("{n} entry", "{n} entries", 1) == "{n} anteckning"
    assert translation.ngettext("{n} entry", "{n} entries", 7) == "{n} anteckningar"
    # fuzzy and empty translations are left out, so the English shows
    assert translation.gettext("Maybe") == "Maybe"
    assert translation.gettext("Not yet") == "Not yet"
    assert translation.gettext("Gone") == "Gone"
    assert translation.info()["language"] == "sv"


def test_compiling_is_byte_for_byte_repeatable():
    catalog = po.parse(SAMPLE_PO)
    assert compiler.mo_bytes(catalog) == compiler.mo_bytes(po.parse(po.dumps(catalog)))


@pytest.mark.parametrize(
    ("msgid", "msgstr", "complaint"),
    [
        ("{n} urges today", "{antal} sug i dag", "placeholders differ"),
        ("{n} urges today", "sug i dag", "placeholders differ"),
        ("{m}:{s:02d}", "{m}:{s}", "placeholders differ"),
        ("Line\n", "Rad", "newline"),
    ],
)
def test_compiler_refuses_translations_that_would_break(msgid, msgstr, complaint):
    catalog = po.Catalog(header={"Language": "sv"}, messages=[po.Message(msgid=msgid, msgstr=msgstr)])
    problems = compiler.problems(catalog, "sv.po")
    assert problems and complaint in problems[0]


def test_plural_singular_form_may_spell_out_one():
    """ "One step is still empty" has no {n}: a translation may drop it too."""
    message = po.Message(
        msgid="One step is still empty.", msgid_plural="{n} steps are still empty.",
        msgstr_plural={0: "Ett steg är tomt.", 1: "{n} steg är tomma."},
    )
    assert compiler.problems(po.Catalog(messages=[message])) == []
    message.msgstr_plural[1] = "Några steg är tomma."
    assert compiler.problems(po.Catalog(messages=[message]))


# ---- names the app stores in English and shows translated ------------------------------------


@pytest.mark.parametrize("language", ["sv", "da", "nb"])
def test_every_builtin_addiction_has_a_name_in_each_language(language):
    from recoveryjournal.i18n.labels import addiction_label
    from recoveryjournal.records import BUILTIN_ADDICTIONS

    catalog = po.read(extract.po_path(language)).by_key()
    for name in BUILTIN_ADDICTIONS:
        assert ("addiction", name) in catalog, name
        assert catalog[("addiction", name)].is_translated(), name
    i18n.set_language(language)
    assert addiction_label("alcohol") == "alkohol"
    assert addiction_label("my own words") == "my own words"  # typed by the person: theirs


def test_argparse_messages_are_pythons_own():
    """Our list must match argparse's text exactly, or the lookup silently misses."""
    import argparse
    import inspect

    from recoveryjournal.i18n.argparse_messages import ARGPARSE_MESSAGES, VERSION_HELP

    source = inspect.getsource(argparse)
    for message in (*ARGPARSE_MESSAGES, VERSION_HELP):
        assert repr(message)[1:-1] in source or message.replace("'", "\\'") in source, message


def test_argparse_speaks_the_current_language():
    import argparse

    from recoveryjournal.i18n.argparse_messages import use_for_argparse

    use_for_argparse()
    i18n.set_language("nb")
    parser = argparse.ArgumentParser(prog="recoveryjournal")
    parser.add_argument("--days", type=int)
    help_text = parser.format_help()
    assert help_text.startswith("bruk: recoveryjournal")
    assert "vis denne hjelpen og avslutt" in help_text

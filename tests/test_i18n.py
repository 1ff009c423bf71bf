"""The translation machinery: choosing a language at run time, and the developers'
catalog command tools/i18n.py (Babel's extractor, merge and `.mo` writer)."""

from __future__ import annotations

import gettext
import textwrap

import i18n as tool  # tools/i18n.py (pyproject puts tools/ on pytest's path)
import pytest

from recoveryjournal import i18n


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


# ---- .po files, as Babel reads them ----------------------------------------------------------------------------

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


def _sample():
    return tool.read_po_text(SAMPLE_PO)


def test_babel_reads_every_kind_of_entry_of_our_catalogs():
    catalog = _sample()
    assert catalog.locale_identifier == "sv"
    today = catalog.get("Today, {day}")
    assert today.string == "I dag, {day}"
    assert today.user_comments == ["a translator's note"]
    assert today.auto_comments == ["Translators: the dashboard title"]
    assert catalog.get('Two lines\nwith a "quote"').string == 'Två rader\nmed ett "citat"'
    assert catalog.get("Open", context="button").string == "Öppna"
    assert catalog.get("{n} entry").string == ("{n} anteckning", "{n} anteckningar")
    assert catalog.get("Maybe").fuzzy
    assert "Gone" not in catalog and list(catalog.obsolete) == ["Gone"]


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
    assert tool.placeholders(text) == sorted(expected)


# ---- the extractor (tools/i18n.py extract) --------------------------------------------------


def _package(tmp_path, source: str):
    package = tmp_path / "src" / "recoveryjournal"
    (package / "i18n").mkdir(parents=True)
    (package / "i18n" / "__init__.py").write_text("def _(m): return m\n")
    (package / "screen.py").write_text(textwrap.dedent(source))
    return package


def test_extractor_finds_every_kind_of_call_and_the_notes(tmp_path):
    package = _package(tmp_path, '''
        from . import i18n
        from .i18n import _, N_, ngettext, pgettext, npgettext
        TITLE = N_("My safety plan")
        def show(n, name):
            # Translators: a button that saves the entry;
            # it is the only way to keep what was typed
            save = _("Save")
            joined = _("Two parts " "joined")
            count = ngettext("{n} urge", "{n} urges", n)
            button = pgettext("button", "Open")
            both = npgettext("meetings", "{n} meeting", "{n} meetings", n)
            dotted = i18n.ngettext("{n} day", "{n} days", n)
            share = _("{share}% got through")
            unreadable = _(name)
            return _("Save")
    ''')
    catalog = tool.template(package)
    keys = {(m.context, m.id) for m in catalog if m.id}
    assert keys == {
        (None, "My safety plan"), (None, "Save"), (None, "Two parts joined"),
        (None, ("{n} urge", "{n} urges")), ("button", "Open"),
        ("meetings", ("{n} meeting", "{n} meetings")), (None, ("{n} day", "{n} days")),
        (None, "{share}% got through"),
    }
    save = catalog.get("Save")
    assert save.auto_comments == [
        "Translators: a button that saves the entry; it is the only way to keep what was typed"]
    assert save.locations == [("recoveryjournal/screen.py", 8), ("recoveryjournal/screen.py", 16)]
    assert "python-brace-format" in catalog.get("{n} urge").flags
    # "% g" is not %-formatting: a translation tool must not ask for it
    assert catalog.get("{share}% got through").flags == {"python-brace-format"}
    text = tool.dumps(catalog).decode()
    assert "#: recoveryjournal/screen.py\n" in text  # no line numbers: moving code changes nothing
    assert "Generated-By" not in text  # the file must not change with the Babel version
    assert '"Project-Id-Version: recoveryjournal\\n"' in text


def _translate(path, translations):
    catalog = tool.read(path)
    for msgid, text in translations.items():
        catalog.get(msgid).string = text
    path.write_bytes(tool.dumps(catalog))


def test_merging_keeps_translations_and_parks_removed_ones(tmp_path):
    package = _package(tmp_path, 'from .i18n import _\nA = _("Save")\nB = _("Close")\n')
    locale = tmp_path / "locale"
    tool.update(locale, package)
    path = tool.po_path("sv", locale)
    _translate(path, {"Save": "Spara", "Close": "Stäng"})

    (package / "screen.py").write_text('from .i18n import _\nA = _("Save")\nC = _("Back")\n')
    changed = tool.update(locale, package)
    assert path in changed
    merged = tool.read(path)
    assert merged.get("Save").string == "Spara"
    assert merged.get("Back").string == ""
    assert [(m.id, m.string) for m in merged.obsolete.values()] == [("Close", "Stäng")]

    # the string comes back: its old translation comes back with it
    (package / "screen.py").write_text('from .i18n import _\nA = _("Save")\nC = _("Close")\n')
    tool.update(locale, package)
    assert tool.read(path).get("Close").string == "Stäng"
    assert not tool.read(path).obsolete
    assert tool.update(locale, package) == []  # nothing left to change, not even a date


def test_merging_guesses_nothing_from_a_similar_message(tmp_path):
    """Babel would fill a reworded message with the old translation and mark it fuzzy;
    fuzzy messages are left out of the .mo, so a translated screen would turn English."""
    package = _package(tmp_path, 'from .i18n import _\nA = _("Save the entry")\n')
    locale = tmp_path / "locale"
    tool.update(locale, package)
    path = tool.po_path("sv", locale)
    _translate(path, {"Save the entry": "Spara anteckningen"})
    (package / "screen.py").write_text(
        'from .i18n import _\nA = _("Save the entry")\nB = _("Save the entries")\n')
    tool.update(locale, package)
    merged = tool.read(path)
    assert merged.get("Save the entry").string == "Spara anteckningen"
    assert not merged.get("Save the entry").fuzzy
    assert merged.get("Save the entries").string == ""
    assert not merged.get("Save the entries").fuzzy


def test_a_message_that_gains_a_plural_keeps_its_translation_unfuzzy(tmp_path):
    package = _package(tmp_path, 'from .i18n import _\nA = _("{n} urge")\n')
    locale = tmp_path / "locale"
    tool.update(locale, package)
    path = tool.po_path("sv", locale)
    _translate(path, {"{n} urge": "{n} sug"})
    (package / "screen.py").write_text(
        'from .i18n import ngettext\nA = ngettext("{n} urge", "{n} urges", 2)\n')
    tool.update(locale, package)
    message = tool.read(path).get("{n} urge")
    assert message.id == ("{n} urge", "{n} urges")
    assert message.string == ("{n} sug", "")  # the plural form is plainly missing
    assert not message.fuzzy  # a fuzzy flag left behind would keep it out of the .mo


def test_a_returning_message_with_a_context_gets_its_translation_back(tmp_path):
    """ "Open" as a button and "Open" as a state are two messages: the plain one
    staying must not keep the button's translation from coming back."""
    plain = 'from .i18n import _, pgettext\nA = _("Open")\n'
    both = plain + 'B = pgettext("button", "Open")\n'
    package = _package(tmp_path, both)
    locale = tmp_path / "locale"
    tool.update(locale, package)
    path = tool.po_path("da", locale)
    catalog = tool.read(path)
    catalog.get("Open").string = "Åben"
    catalog.get("Open", context="button").string = "Åbn"
    path.write_bytes(tool.dumps(catalog))
    (package / "screen.py").write_text(plain)
    tool.update(locale, package)
    assert [m.string for m in tool.read(path).obsolete.values()] == ["Åbn"]
    (package / "screen.py").write_text(both)
    tool.update(locale, package)
    merged = tool.read(path)
    assert merged.get("Open", context="button").string == "Åbn"
    assert merged.get("Open").string == "Åben"
    assert not merged.obsolete


def test_a_new_catalog_gets_the_language_header(tmp_path):
    package = _package(tmp_path, 'from .i18n import _\nA = _("Save")\n')
    locale = tmp_path / "locale"
    tool.update(locale, package)
    text = tool.po_path("nb", locale).read_text(encoding="utf-8")
    assert text.startswith("# Norwegian Bokmål translation of recoveryjournal.\n")
    assert '"Language: nb\\n"' in text
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in text


def test_a_percent_sign_in_a_brace_message_is_not_percent_formatting(tmp_path):
    """Flagged python-format, `msgfmt -c` (and Poedit) reject "{share} % tog du dig
    igenom", which is right."""
    package = _package(tmp_path, 'from .i18n import _\nA = _("{share}% got through")\n')
    locale = tmp_path / "locale"
    tool.update(locale, package)
    path = tool.po_path("sv", locale)
    _translate(path, {"{share}% got through": "{share} % tog du dig igenom"})
    tool.update(locale, package)  # a merge makes the messages anew
    for written in (tool.POT_PATH.name, path):
        text = (locale / written if isinstance(written, str) else written).read_text(encoding="utf-8")
        assert "#, python-brace-format\n" in text and "python-format" not in text


# ---- the compiler (tools/i18n.py compile) ---------------------------------------------------


def test_compiled_catalog_is_what_gettext_reads(tmp_path):
    path = tmp_path / "sv.mo"
    path.write_bytes(tool.mo_bytes(_sample()))
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
    catalog = _sample()
    assert tool.mo_bytes(catalog) == tool.mo_bytes(tool.read_po_text(tool.dumps(catalog).decode()))


def _one_message(msgid, msgstr):
    catalog = tool.read_po_text('msgid ""\nmsgstr ""\n"Language: sv\\n"\n')
    catalog.add(msgid, msgstr)
    return catalog


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
    problems = tool.problems(_one_message(msgid, msgstr), "sv.po")
    assert problems and complaint in problems[0]


def test_compile_writes_no_mo_for_a_broken_catalog(tmp_path):
    path = tool.po_path("sv", tmp_path)
    path.parent.mkdir(parents=True)
    path.write_bytes(tool.dumps(_one_message("{n} urges today", "sug i dag")))
    changed, problems = tool.compile_all(tmp_path)
    assert changed == [] and problems
    assert not tool.mo_path("sv", tmp_path).exists()


def test_plural_singular_form_may_spell_out_one():
    """ "One step is still empty" has no {n}: a translation may drop it too."""
    ids = ("One step is still empty.", "{n} steps are still empty.")
    catalog = _one_message(ids, ("Ett steg är tomt.", "{n} steg är tomma."))
    assert tool.problems(catalog) == []
    catalog = _one_message(ids, ("Ett steg är tomt.", "Några steg är tomma."))
    assert tool.problems(catalog)


# ---- names the app stores in English and shows translated ------------------------------------


@pytest.mark.parametrize("language", ["sv", "da", "nb"])
def test_every_builtin_addiction_has_a_name_in_each_language(language):
    from recoveryjournal.i18n.labels import addiction_label
    from recoveryjournal.records import BUILTIN_ADDICTIONS

    catalog = tool.read(tool.po_path(language))
    for name in BUILTIN_ADDICTIONS:
        message = catalog.get(name, context="addiction")
        assert message is not None, name
        assert message.string and not message.fuzzy, name
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

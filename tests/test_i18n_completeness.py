"""Every message and every exercise text exists in Swedish, Danish and Norwegian,
with the same placeholders, and the shipped `.mo` files are the `.po` files compiled.

When one of these fails after you add or change a `_()` string:

    .venv/bin/python tools/i18n.py extract   # brings the new text into each .po
    (translate the empty msgstr entries in i18n/locale/*/LC_MESSAGES/recoveryjournal.po)
    .venv/bin/python tools/i18n.py compile   # writes the .mo files

The catalogs are read with Babel, through tools/i18n.py, the developers' command
(pyproject puts tools/ on pytest's path).
"""

from __future__ import annotations

import gettext
import io
import re
import tomllib
from pathlib import Path

import i18n as tool  # tools/i18n.py
import pytest

LANGUAGES = tool.CATALOG_LANGUAGES
REPO = Path(__file__).resolve().parent.parent
EXERCISE_FILES = sorted((REPO / "exercises").glob("*.toml"))
HOW_TO_FIX = "run `python tools/i18n.py extract`, translate, then `python tools/i18n.py compile`"


def _show(problems: list[str], limit: int = 25) -> str:
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return "\n".join(problems[:limit]) + more


def _singular(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _forms(message) -> list[str]:
    return [message.string] if isinstance(message.string, str) else list(message.string)


def _translated(message) -> bool:
    return all(_forms(message)) and not message.fuzzy


def _live(catalog) -> list:
    return [m for m in catalog if m.id]  # the header is the message with an empty id


@pytest.fixture(scope="module")
def source():
    """The messages the source uses now, as `tools/i18n.py extract` finds them."""
    return tool.template()


@pytest.fixture(scope="module")
def catalogs():
    return {language: tool.read(tool.po_path(language)) for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_source_is_translated(language, source, catalogs):
    catalog = catalogs[language]
    missing = []
    for found in _live(source):
        message = catalog.get(found.id, context=found.context)
        where = found.locations[0][0]
        if message is None:
            missing.append(f"{where}: not in the {language} catalog: {_singular(found)!r}")
        elif message.id != found.id:
            missing.append(f"{where}: the {language} catalog has other plural ids: {found.id!r}")
        elif not _translated(message):
            missing.append(f"{where}: no {language} translation yet: {_singular(found)!r}")
    assert not missing, f"{HOW_TO_FIX}\n" + _show(missing)


def _keys(catalog) -> set:
    return {(m.context, m.id if isinstance(m.id, str) else tuple(m.id)) for m in _live(catalog)}


@pytest.mark.parametrize("name", ["pot", *LANGUAGES])
def test_catalogs_hold_exactly_the_messages_of_the_source(name, source):
    """No message left the source but stayed live in a catalog, and none is missing:
    the same msgids, plurals and contexts (the layout may differ between Babel
    versions; what a person sees may not)."""
    path = tool.POT_PATH if name == "pot" else tool.po_path(name)
    catalog = tool.read(path)
    stale = sorted(map(str, _keys(catalog) - _keys(source)))
    missing = sorted(map(str, _keys(source) - _keys(catalog)))
    assert not stale and not missing, (
        f"{path.name} ({name}) is out of date; {HOW_TO_FIX}\n"
        f"no longer in the source: {_show(stale, 10)}\nnot in the catalog: {_show(missing, 10)}")


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language, catalogs):
    problems = tool.problems(catalogs[language], language)
    assert not problems, _show(problems)


def _mo_messages(data: bytes) -> dict:
    """What gettext finds in a .mo, without the header entry."""
    found = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    found.pop("", None)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_mo_is_the_po_compiled(language, catalogs):
    """The app loads the .mo: every translation in the .po must be in it, as written."""
    shipped = tool.mo_path(language)
    assert shipped.exists(), f"{shipped} is missing; {HOW_TO_FIX}"
    expected = _mo_messages(tool.mo_bytes(catalogs[language]))
    assert len(expected) >= len(_live(catalogs[language]))
    assert _mo_messages(shipped.read_bytes()) == expected, (
        f"{shipped} does not match its .po; run `python tools/i18n.py compile`")


def _without_placeholders(text: str) -> str:
    for placeholder in tool.placeholders(text):
        text = text.replace(placeholder, " ")
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_is_left_in_english(language, catalogs):
    """A translation identical to a multi-word English message was almost certainly
    pasted, not translated."""
    same = [
        _singular(m) for m in _live(catalogs[language])
        if _translated(m) and len(re.findall(r"[A-Za-z]{2,}", _without_placeholders(_singular(m)))) >= 3
        and any(t == s for t, s in zip(_forms(m), [m.id] if isinstance(m.id, str) else m.id))
    ]
    assert not same, _show(same)


# Words we chose not to use (see i18n/GLOSSARY.md): loaded or shaming words for a
# lapse, and the other word for an urge, so one thing always has one name. "Relapse"
# is allowed only in the name of relapse prevention, the term people know from paper.
# "Use" with no object is a calque in Swedish and Danish and does not fit gambling or
# food: "using" is "giving in" (ge efter / give efter) or the noun for a use.
_SV_OBJECT = r"(?!\s+(?:det|den|dem|din|ditt|dina|min|mitt|mina|\d))"
_DA_OBJECT = r"(?!\s+(?:det|den|dem|din|dit|dine|min|mit|mine|\d))"
AVOIDED = {
    "sv": [r"\bbegär", r"återfall(?!sprevention)", r"misslyck", r"\bfiasko", r"\bnederlag",
           r"\bmissbrukare", r"stimulantia",
           r"\b(?:jag|du|vi|senast) använde\b" + _SV_OBJECT,
           r"\b(?:jag|du|vi) använder\b" + _SV_OBJECT + r"(?!\s+(?:språket|aldrig))",
           r"\batt använda\b" + _SV_OBJECT],
    "da": [r"tilbagefald(?!sforebyggelse)", r"\bfiasko", r"\bnederlag", r"\bmislyk",
           r"\bmisbruger", r"\bsug\b", r"stimulantia", r"mærkat",
           r"(?<!penge, )\b(?:jeg|du|vi) (?:brugte|bruger)\b" + _DA_OBJECT,
           r"\bat bruge\b" + _DA_OBJECT],
    "nb": [r"tilbakefall(?!sforebygging)", r"\bfiasko", r"\bnederlag", r"\bmislyk",
           r"\brusmisbruker", r"\btrang\b", r"stimulantia", r"ærlig med deg selv"],
}


def _exercise_texts(language: str):
    """(file, path, text) for every text of every shipped exercise in `language`."""
    for path in EXERCISE_FILES:
        for where, table in _text_tables(tomllib.loads(path.read_text(encoding="utf-8"))):
            if isinstance(table.get(language), str):
                yield path.name, where, table[language]


@pytest.mark.parametrize("language", LANGUAGES)
def test_wording_stays_kind_and_consistent(language, catalogs):
    texts = [(f"catalog {_singular(m)!r}", t) for m in _live(catalogs[language]) for t in _forms(m)]
    texts += [(f"{name} {where}", text) for name, where, text in _exercise_texts(language)]
    found = [
        f"{place}: {pattern!r} in {text!r}"
        for place, text in texts for pattern in AVOIDED[language]
        if re.search(pattern, text, re.IGNORECASE)
    ]
    assert not found, _show(found)


# ---- exercises ------------------------------------------------------------------------------


def _text_tables(node, where: str = ""):
    """Every table in an exercise that holds a text by language (it has an `en` key,
    or any of sv/da/nb), with a readable path such as `steps[2].prompt`."""
    if isinstance(node, dict):
        if any(key in node for key in ("en", *LANGUAGES)):
            yield where or "(top)", node
        for key, value in node.items():
            if key not in ("en", *LANGUAGES):
                yield from _text_tables(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _text_tables(value, f"{where}[{index}]")


def test_exercise_files_are_there():
    assert len(EXERCISE_FILES) >= 10


@pytest.mark.parametrize("path", EXERCISE_FILES, ids=lambda p: p.name)
def test_every_exercise_text_is_in_all_four_languages(path):
    document = tomllib.loads(path.read_text(encoding="utf-8"))
    problems = []
    tables = list(_text_tables(document))
    assert tables, f"{path.name} has no texts at all"
    for where, table in tables:
        english = table.get("en")
        if not isinstance(english, str) or not english.strip():
            problems.append(f"{path.name} {where}: no English text")
            continue
        for language in LANGUAGES:
            text = table.get(language)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{path.name} {where}: no {language} text")
            elif tool.placeholders(text) != tool.placeholders(english):
                problems.append(f"{path.name} {where}: {language} placeholders "
                                f"{tool.placeholders(text)} differ from {tool.placeholders(english)}")
            elif len(english.split()) >= 4 and text == english:
                problems.append(f"{path.name} {where}: {language} is the English text")
    for key in ("title", "purpose"):
        if not isinstance(document.get(key), dict):
            problems.append(f"{path.name}: {key} is not given by language")
    for index, step in enumerate(document.get("steps", [])):
        for key in ("prompt", "example"):
            if key in step and not isinstance(step[key], dict):
                problems.append(f"{path.name} steps[{index}].{key}: not given by language")
    assert not problems, _show(problems)

"""Every message and every exercise text exists in Swedish, Danish and Norwegian,
with the same placeholders, and the shipped `.mo` files are the `.po` files compiled.

When one of these fails after you add or change a `_()` string:

    .venv/bin/python -m recoveryjournal.i18n.extract   # brings the new text into each .po
    (translate the empty msgstr entries in i18n/locale/*/LC_MESSAGES/recoveryjournal.po)
    .venv/bin/python -m recoveryjournal.i18n.compile   # writes the .mo files
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from recoveryjournal.i18n import compile as compiler
from recoveryjournal.i18n import extract, po

LANGUAGES = extract.CATALOG_LANGUAGES
REPO = Path(__file__).resolve().parent.parent
EXERCISE_FILES = sorted((REPO / "exercises").glob("*.toml"))
HOW_TO_FIX = "run `python -m recoveryjournal.i18n.extract`, translate, then `python -m recoveryjournal.i18n.compile`"


def _show(problems: list[str], limit: int = 25) -> str:
    more = f"\n... and {len(problems) - limit} more" if len(problems) > limit else ""
    return "\n".join(problems[:limit]) + more


@pytest.fixture(scope="module")
def source_keys():
    found, _dynamic = extract.scan()
    return {(f.msgctxt, f.msgid): f for f in found}


@pytest.fixture(scope="module")
def catalogs():
    return {language: po.read(extract.po_path(language)) for language in LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_the_source_is_translated(language, source_keys, catalogs):
    translated = catalogs[language].by_key()
    missing = []
    for key, found in source_keys.items():
        message = translated.get(key)
        where = f"{found.path}:{found.line}"
        if message is None:
            missing.append(f"{where}: not in the {language} catalog: {found.msgid!r}")
        elif not message.is_translated():
            missing.append(f"{where}: no {language} translation yet: {found.msgid!r}")
    assert not missing, f"{HOW_TO_FIX}\n" + _show(missing)


def test_catalogs_are_in_step_with_the_source():
    """The .pot and .po files hold exactly the messages the source has now."""
    changed, _dynamic = extract.update(write=False)
    assert changed == [], f"out of date: {[str(p) for p in changed]}; {HOW_TO_FIX}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_every_placeholder(language, catalogs):
    problems = compiler.problems(catalogs[language], language)
    assert not problems, _show(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_mo_is_the_po_compiled(language, catalogs):
    shipped = compiler.mo_path(language)
    assert shipped.exists(), f"{shipped} is missing; {HOW_TO_FIX}"
    assert shipped.read_bytes() == compiler.mo_bytes(catalogs[language]), (
        f"{shipped} does not match its .po; run `python -m recoveryjournal.i18n.compile`")


def _without_placeholders(text: str) -> str:
    for placeholder in po.placeholders(text):
        text = text.replace(placeholder, " ")
    return text


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_sentence_is_left_in_english(language, catalogs):
    """A translation identical to a multi-word English message was almost certainly
    pasted, not translated."""
    same = [
        m.msgid for m in catalogs[language].live()
        if m.is_translated() and len(re.findall(r"[A-Za-z]{2,}", _without_placeholders(m.msgid))) >= 3
        and any(t == s for t, s in zip(m.translations(), [m.msgid, m.msgid_plural or m.msgid]))
    ]
    assert not same, _show(same)


# Words we chose not to use (see i18n/GLOSSARY.md): loaded or shaming words for a
# lapse, and the other word for an urge, so one thing always has one name. "Relapse"
# is allowed only in the name of relapse prevention, the term people know from paper.
AVOIDED = {
    "sv": [r"\bbegär", r"återfall(?!sprevention)", r"misslyck", r"\bfiasko", r"\bnederlag",
           r"\bmissbrukare", r"\bjag använde\b", r"stimulantia"],
    "da": [r"tilbagefald(?!sforebyggelse)", r"\bfiasko", r"\bnederlag", r"\bmislyk",
           r"\bmisbruger", r"\bsug\b", r"\bjeg brugte\b", r"stimulantia", r"mærkat"],
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
    texts = [(f"catalog {m.msgid!r}", t) for m in catalogs[language].live() for t in m.translations()]
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
            elif po.placeholders(text) != po.placeholders(english):
                problems.append(f"{path.name} {where}: {language} placeholders "
                                f"{po.placeholders(text)} differ from {po.placeholders(english)}")
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

"""Crisis and help lines by country, read from `data/crisis-lines.toml`.

Generic numbers only (never anything a person wrote), so they may be shown before
the journal is unlocked: F2 on the unlock screen shows them. Which country: the
person's choice in Settings (`Settings.country`), else the one whose language the app
speaks, else the neutral fallback ("your local emergency number").

Each line says whether its number was confirmed from a published source; one that
was not is shown as such. Pure Python: no textual, no journal.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from .i18n import LANGUAGES, _, current_language

DATA_FILE = Path(__file__).resolve().parent / "data" / "crisis-lines.toml"
FALLBACK = "other"  # the neutral entry: your local emergency number


@dataclass(frozen=True)
class CrisisLine:
    """One number to call: what it is, what it is for, when it answers."""

    number: str  # "" for the neutral entries ("your local emergency number")
    name: dict[str, str]
    purpose: dict[str, str]
    hours: dict[str, str]
    confirmed: bool
    source: str

    def text(self, field: str, language: str | None = None) -> str:
        """`name`, `purpose` or `hours` in `language` (the current one), else English."""
        table = getattr(self, field)
        return table.get(language or current_language()) or table.get("en", "")


@dataclass(frozen=True)
class Country:
    """The lines of one country, and the day they were last checked."""

    code: str
    name: dict[str, str]
    checked: date
    languages: tuple[str, ...]
    lines: tuple[CrisisLine, ...]

    def label(self, language: str | None = None) -> str:
        return self.name.get(language or current_language()) or self.name.get("en", self.code)


def _texts(raw: object) -> dict[str, str]:
    if not isinstance(raw, dict):
        return {}
    return {k: str(v).strip() for k, v in raw.items() if k in LANGUAGES and str(v).strip()}


@cache
def load_countries(path: Path = DATA_FILE) -> tuple[Country, ...]:
    """Every country in the file, in file order (the fallback last)."""
    document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    countries = []
    for raw in document.get("country", []):
        lines = tuple(
            CrisisLine(number=str(line.get("number", "")).strip(), name=_texts(line.get("name")),
                       purpose=_texts(line.get("for")), hours=_texts(line.get("hours")),
                       confirmed=bool(line.get("confirmed", False)),
                       source=str(line.get("source", "")))
            for line in raw.get("line", [])
        )
        checked = raw.get("checked")
        countries.append(Country(
            code=str(raw["code"]), name=_texts(raw.get("name")),
            checked=checked if isinstance(checked, date) else date.min,
            languages=tuple(raw.get("languages", ())), lines=lines))
    return tuple(countries)


def country_codes() -> list[str]:
    """The codes a person can choose, in file order."""
    return [c.code for c in load_countries()]


def country_for_language(language: str) -> str:
    """The country a language suggests ("sv" -> "SE"); the fallback for English."""
    for country in load_countries():
        if language in country.languages and country.code != FALLBACK:
            return country.code
    return FALLBACK


def country(code: str | None, language: str | None = None) -> Country:
    """The chosen country; with no (or an unknown) choice, the one the language suggests."""
    by_code = {c.code: c for c in load_countries()}
    if code in by_code:
        return by_code[code]
    return by_code[country_for_language(language or current_language())]


def emergency_line(chosen: Country) -> str:
    """One line for the top of the screen: the number to call in danger right now."""
    numbers = {"SE": "112", "DK": "112", "NO": "113"}
    if chosen.code == "NO":
        return _("In danger right now? Call 113 for an ambulance, 112 for the police.")
    if chosen.code in numbers:
        return _("In danger right now? Call {number}.").format(number=numbers[chosen.code])
    return _("In danger right now? Call your local emergency number (112 in the EU).")


def checked_note(chosen: Country) -> str:
    """Says when the numbers were checked, and that they may change."""
    from .i18n.formats import format_date_numeric

    return _("These numbers were checked on {date} and may change.").format(
        date=format_date_numeric(chosen.checked))


def line_lines(chosen: Country) -> list[tuple[str, str, bool]]:
    """The lines as (heading, details, confirmed) in the current language, for a screen
    or a printout: "90101  Mind Självmordslinjen" and "What it is for. Day and night."."""
    shown = []
    for line in chosen.lines:
        heading = f"{line.number}  {line.text('name')}" if line.number else line.text("name")
        details = line.text("purpose")
        if line.hours:
            details += " " + _("Open: {hours}.").format(hours=line.text("hours"))
        if not line.confirmed:
            details += " " + _("(Not confirmed: please look this number up before you rely on it.)")
        shown.append((heading, details, line.confirmed))
    return shown

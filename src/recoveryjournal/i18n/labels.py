"""Names of built-in things, stored as English ids, shown in the person's language.

Records keep the id ("alcohol", "resisted"), so a journal reads the same whatever
language it is opened in; only the display changes. A name the person typed
themselves is theirs and is shown as they wrote it.
"""

from __future__ import annotations

from . import current_language, pgettext


def addiction_label(name: str) -> str:
    """A built-in addiction in the current language; any other name unchanged."""
    labels = {
        "alcohol": pgettext("addiction", "alcohol"),
        "cannabis": pgettext("addiction", "cannabis"),
        "stimulants": pgettext("addiction", "stimulants"),
        "opioids": pgettext("addiction", "opioids"),
        "medication": pgettext("addiction", "medication"),
        "gambling": pgettext("addiction", "gambling"),
        "gaming": pgettext("addiction", "gaming"),
        "nicotine": pgettext("addiction", "nicotine"),
        "food": pgettext("addiction", "food"),
    }
    return labels.get(name, name)


def outcome_label(outcome: str) -> str:
    """How an urge ended ("resisted" / "acted"), said without judgement."""
    labels = {
        "resisted": pgettext("urge outcome", "got through it without using"),
        "acted": pgettext("urge outcome", "used"),
    }
    return labels.get(outcome, outcome)


_COPING: dict[str, dict[str, str]] = {}


def coping_label(tool: str) -> str:
    """A built-in coping tool (stored by id, e.g. "urge-surfing") as people say it;
    a tool the person named themselves unchanged."""
    # Translated once per language: an export calls this for each of 50,000 urges.
    labels = _COPING.get(current_language())
    if labels is None:
        labels = _COPING[current_language()] = {
            "urge-surfing": pgettext("coping tool", "Urge surfing"),
            "delay": pgettext("coping tool", "Waiting it out"),
            "play-the-tape": pgettext("coping tool", "Playing the tape through"),
            "call": pgettext("coping tool", "Calling someone"),
        }
    return labels.get(tool, tool)


def trigger_label(trigger: str) -> str:
    """A built-in trigger category as people say it; a trigger the person typed is
    theirs and shown as written."""
    labels = _TRIGGERS.get(current_language())
    if labels is None:
        labels = _TRIGGERS[current_language()] = {
            "stress": pgettext("trigger", "stress"),
            "people": pgettext("trigger", "people"),
            "place": pgettext("trigger", "a place"),
            "boredom": pgettext("trigger", "boredom"),
            "tired": pgettext("trigger", "tired"),
            "alone": pgettext("trigger", "alone"),
        }
    return labels.get(trigger, trigger)


_TRIGGERS: dict[str, dict[str, str]] = {}


_UNITS: dict[str, dict[str, str]] = {}


def unit_label(unit: str) -> str:
    """A common unit (as the app and the demo store it, in English) in the current
    language; a unit the person typed in their own words unchanged."""
    labels = _UNITS.get(current_language())
    if labels is None:
        labels = _UNITS[current_language()] = {
            "drinks": pgettext("unit", "drinks"),
            "grams": pgettext("unit", "grams"),
            "kronor": pgettext("unit", "kronor"),
            "hours": pgettext("unit", "hours"),
            "cigarettes": pgettext("unit", "cigarettes"),
        }
    return labels.get(unit, unit)

"""Private by default: what a group share leaves out unless the person ticks it.

A share meant for a room of people must not carry, by accident, the safety plan,
someone's name or phone number, a place or an amount of money. Each of these is a
*private group*; a group share leaves every one out unless the person includes it
for that share. They are known three ways:

- record fields (`Urge.people`, `Urge.place`, `Use.amount`, `unit`, `money`);
- exercise steps that declare `carries = [...]` in their file (exercises/README.md);
- phone-like numbers anywhere in free text, found by `hide_phone_numbers`.

Names typed in free text cannot be found; the first-time sentence says so.
Pure Python: nothing here writes a file or imports the TUI.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..i18n import N_, _, ngettext

# The private groups, in the order they are offered. Each is also a FIELD_GROUPS
# key (export/choices.py), so `--include names` and the app's ticks mean the same.
PRIVATE_GROUPS = ("safety", "names", "phones", "places", "amounts")

PRIVATE_LABELS = {
    "safety": N_("My safety plan"),
    "names": N_("People's names"),
    "phones": N_("Phone numbers"),
    "places": N_("Places"),
    "amounts": N_("Amounts and money"),
}

# Seven or more digits, possibly grouped by single spaces, dashes, dots, slashes or
# brackets, possibly after a +: "0701234567", "070-123 45 67", "+46 70 123 45 67",
# "(08) 123 456". Fewer digits are an amount or a count, not a phone number.
_CANDIDATE = re.compile(r"(?<![\w+])\+?\(?\d(?:[ ./\-]?\(?\d\)?){6,}(?!\w)")
# A date or a time is not a phone number: 2026-11-30, 30.11.2026, 30/11/2026 10:00.
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")
# What every phone-like number contains: seven or more of digits and separators,
# from a digit to a digit (no look-arounds, so the search is quick).
_MAYBE = re.compile(r"[0-9][0-9 ()./+\-]{5,}[0-9]")
_MOST_DIGITS = 15  # the longest international number (ITU E.164)


def private_label(group: str) -> str:
    """A private group as the person reads it."""
    return _(PRIVATE_LABELS[group]) if group in PRIVATE_LABELS else group


def left_out_groups(included: Iterable[str] = ()) -> tuple[str, ...]:
    """The private groups a group share leaves out when `included` are ticked."""
    chosen = set(included)
    return tuple(group for group in PRIVATE_GROUPS if group not in chosen)


def group_share_excluded(included: Iterable[str] = ()) -> frozenset[str]:
    """The field names a group share leaves out unless `included` (private groups)."""
    from .choices import FIELD_GROUPS

    return frozenset(name for group in left_out_groups(included)
                     for name in FIELD_GROUPS[group])


def looks_like_phone_number(text: str) -> bool:
    """Whether `text` (one candidate run) is phone-like rather than a date or amount."""
    digits = sum(ch.isdigit() for ch in text)
    if not 7 <= digits <= _MOST_DIGITS:
        return False
    return not _DATE.match(text.lstrip("+("))  # a date, maybe with its time after it


def find_phone_numbers(text: str) -> list[str]:
    """Every phone-like number in `text`, as written."""
    return [m.group(0) for m in _CANDIDATE.finditer(text) if looks_like_phone_number(m.group(0))]


def hide_phone_numbers(text: str) -> tuple[str, int]:
    """`text` with each phone-like number replaced by a short note, and how many."""
    # The common case first, with a pattern that is three times faster than the
    # full one: no run of seven digits and separators, so no phone number.
    if not text or not _MAYBE.search(text) or not _CANDIDATE.search(text):
        return text, 0
    hidden = 0

    def replace(found: re.Match) -> str:
        nonlocal hidden
        if not looks_like_phone_number(found.group(0)):
            return found.group(0)
        hidden += 1
        return _("(number left out)")

    return _CANDIDATE.sub(replace, text), hidden


def left_out_sentence(included: Iterable[str] = (), command_line: bool = False) -> str:
    """The sentence a person reads the first time they share (and in the CLI):
    what a group share leaves out and how to add it."""
    groups = left_out_groups(included)
    if not groups:
        return _("Everything you chose is included, names and numbers too.")
    names = ", ".join(private_label(g).lower() for g in groups)
    if command_line:
        return _("To keep it private, a share with the group leaves out: {groups}. To add "
                 "one, name it with --include ({ids}). Names you wrote in your own words "
                 "stay in: read the file before you share it.").format(
                     groups=names, ids=", ".join(groups))
    return _("To keep it private, a share with the group leaves out: {groups}. Tick them "
             "under \u201cAlso share\u201d to add them. Names in your own words stay in: "
             "read the preview.").format(groups=names)


def hidden_numbers_note(count: int) -> str:
    """Said when phone-like numbers were taken out of the text."""
    return ngettext("{n} phone number was left out of the text.",
                    "{n} phone numbers were left out of the text.", count).format(n=count)

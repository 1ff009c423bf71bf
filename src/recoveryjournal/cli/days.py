"""Days typed on the command line (--date, --from, --to, --week-ending).

Python's dates start at year 1, but turning 0001-01-01 into a local time or
counting a week back from it fails; no journal holds days before 1900, so a
day before then is refused with a message instead."""

from __future__ import annotations

from datetime import date

from ..i18n import _

EARLIEST = date(1900, 1, 1)


def too_early(day: date) -> str | None:
    """Why `day` cannot be used, or None."""
    if day < EARLIEST:
        return _("Please give a day from {earliest} on, not {day}.").format(
            earliest=EARLIEST.isoformat(), day=day.isoformat())
    return None

"""Short, calm health notes where they matter (issue 19), in the person's language.

- Stopping daily drinking, benzodiazepines or opioids suddenly can be dangerous:
  the change plan says so (exercises/change-plan.toml, step `health_check`), and
  `health_note_stopping()` gives the same words to any screen that needs them.
- After a use-free stretch, tolerance is lower and the old amount can be an
  overdose: `health_note_after_use()` says so when a use of such a substance is
  logged after a break (the CLI `lapse` command shows it; the app may too).

Pure functions: dates in, text out; no journal, no textual.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

from .i18n import N_, _, ngettext
from .records import normalise_addiction

# Addictions where a sudden stop can be dangerous and a break lowers tolerance enough
# for the old amount to be an overdose: the built-in names (benzodiazepines are
# usually logged under "medication"), and common names people type for their own.
HIGHER_RISK_ADDICTIONS = frozenset({
    "alcohol", "opioids", "medication",
    "benzodiazepines", "benzos", "sleeping pills", "heroin", "methadone", "buprenorphine",
    "oxycodone", "fentanyl", "morphine", "tramadol", "codeine", "painkillers",
})

# A break of this many days or more counts as a use-free stretch: tolerance starts to
# fall within days, so a week is a cautious, not a precise, threshold.
BREAK_DAYS = 7

HEALTH_NOTE_STOPPING = N_(
    "A word on health: if you drink every day, or take benzodiazepines or opioids, "
    "stopping suddenly can be dangerous. Talk to a doctor first; they can help you "
    "cut down safely.")


def is_higher_risk(addiction: str) -> bool:
    """Whether a break in this addiction lowers tolerance enough to matter."""
    return normalise_addiction(addiction) in HIGHER_RISK_ADDICTIONS


def health_note_stopping() -> str:
    """The note for a plan to stop, in the current language."""
    return _(HEALTH_NOTE_STOPPING)


def health_note_after_use(addiction: str, used_on: date, earlier_uses: Iterable[date], *,
                          tracked_since: date | None = None,
                          break_days: int = BREAK_DAYS) -> str | None:
    """The note to show when a use is logged after a use-free stretch, else None.

    `addiction`: the addiction's name as tracked ("alcohol", "opioids", ...).
    `used_on`: the day of the use just logged.
    `earlier_uses`: the days of the other uses of the same addiction (any order; days
    on or after `used_on` are ignored, so the use just logged may be among them).
    `tracked_since`: when tracking began; with no earlier use, a stretch since then
    counts as a break.
    Returns None for addictions where tolerance is not the risk (gambling, gaming,
    nicotine, food...), and when the last use was less than `break_days` days before.
    """
    if not is_higher_risk(addiction):
        return None
    before = [day for day in earlier_uses if day < used_on]
    start = max(before) if before else tracked_since
    if start is None:
        return None
    days = (used_on - start).days
    if days < break_days:
        return None
    return ngettext(
        "After {days} day without, your tolerance is lower: the amount you used to take "
        "can now be an overdose. If you use again, take much less, do not use alone, and "
        "call the emergency number if someone cannot be woken.",
        "After {days} days without, your tolerance is lower: the amount you used to take "
        "can now be an overdose. If you use again, take much less, do not use alone, and "
        "call the emergency number if someone cannot be woken.",
        days).format(days=days)

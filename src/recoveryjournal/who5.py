"""The WHO-5 Well-Being Index: its five statements, its answers and its score.

A check-in (records.Checkin) stores the five answers; this module says the questions
in the person's language and turns the answers into the score the paper form gives.
Scores over time (for charts and the course summary) are insights.who5_over_time().
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .i18n import N_, _

# The WHO-5 Well-Being Index (WHO Regional Office for Europe, 1998), original English
# wording. Official translations exist (Psychiatric Research Unit, Region Hovedstaden,
# who-5.org); a catalog that ships one lists its language in WHO5_OFFICIAL_LANGUAGES,
# every other translation is shown with WHO5_UNOFFICIAL_NOTE.
WHO5_INTRO = N_("Over the last two weeks:")
WHO5_ITEMS = (
    N_("I have felt cheerful and in good spirits"),
    N_("I have felt calm and relaxed"),
    N_("I have felt active and vigorous"),
    N_("I woke up feeling fresh and rested"),
    N_("My daily life has been filled with things that interest me"),
)
WHO5_ANSWERS = (  # value, label; highest first as on the paper form
    (5, N_("All of the time")),
    (4, N_("Most of the time")),
    (3, N_("More than half of the time")),
    (2, N_("Less than half of the time")),
    (1, N_("Some of the time")),
    (0, N_("At no time")),
)
# Danish: the official "WHO-5 Trivselsindeks" wording (issue 19); sv and nb are ours.
WHO5_OFFICIAL_LANGUAGES = frozenset({"en", "da"})
WHO5_UNOFFICIAL_NOTE = N_("This wording is our translation, not an official WHO-5 translation.")
WHO5_LOW_PERCENT = 50  # below this, the WHO-5 suggests a closer look at well-being


def intro() -> str:
    return _(WHO5_INTRO)


def items() -> list[str]:
    """The five statements in the current language."""
    return [_(item) for item in WHO5_ITEMS]


def answers() -> list[tuple[int, str]]:
    """(value, label) pairs, 5 down to 0, in the current language."""
    return [(value, _(label)) for value, label in WHO5_ANSWERS]


def translation_note(language: str) -> str | None:
    """A note to show beside the items when their wording is not official."""
    return None if language in WHO5_OFFICIAL_LANGUAGES else _(WHO5_UNOFFICIAL_NOTE)


@dataclass(frozen=True)
class Who5:
    raw: int  # 0..25
    percent: int  # raw x 4, 0..100
    low: bool  # below 50 %: worth a gentle word

    @property
    def message(self) -> str:
        """What to say after a check-in: the score, and a gentle suggestion when low."""
        text = _("Your well-being score is {raw} of 25 ({percent}%).").format(
            raw=self.raw, percent=self.percent)
        if self.low:
            text += " " + _(
                "That is below 50%, which can mean a hard stretch. It may help to talk "
                "it over with someone you trust, your group or your doctor.")
        return text


def score(items: Sequence[int]) -> Who5:
    """Score five answers (each 0..5): raw 0..25, percent = raw x 4, low below 50 %."""
    if len(items) != 5 or any(isinstance(v, bool) or not isinstance(v, int)
                              or not 0 <= v <= 5 for v in items):
        raise ValueError("The WHO-5 has five answers, each a whole number from 0 to 5.")
    raw = sum(items)
    return Who5(raw=raw, percent=raw * 4, low=raw * 4 < WHO5_LOW_PERCENT)


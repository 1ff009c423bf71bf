"""The weekly check-in card: the short report a member gives at the start of a
meeting. The person chooses what it holds (`CARD_PARTS`): urges and how many were
resisted, the tools that helped, meetings, the latest WHO-5, one exercise of the
week, a line they want to bring up, and (only if they tick it) a line about a lapse.

It is a `Document`, so it is written as Markdown, text or HTML like any share; a
handful of short lines, so it fits a phone screen and half a printed page.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from datetime import date, datetime, time, timedelta
from operator import attrgetter

from ..i18n import N_, _, ngettext
from ..i18n.labels import addiction_label, coping_label
from ..records import Checkin, ExerciseResponse, Meeting, Urge, Use
from ..safetext import clean
from .privacy import hide_phone_numbers
from .shared_records import Document, SharedRecord, exercise_title

TOOLS_SHOWN = 5

# What a card may hold, in the order it is shown; the lapse line only when ticked.
CARD_PARTS = ("urges", "tools", "meetings", "who5", "exercise", "bring_up", "lapse")
CARD_PARTS_SHOWN = ("urges", "tools", "meetings", "who5", "exercise", "bring_up")
CARD_PART_LABELS = {
    "urges": N_("Urges"),
    "tools": N_("Tools that helped"),
    "meetings": N_("Meetings"),
    "who5": N_("Well-being (WHO-5)"),
    "exercise": N_("Exercise of the week"),
    "bring_up": N_("To bring up"),
    "lapse": N_("A line on a lapse"),
}


def card_part_label(part: str) -> str:
    """A part of the card as the person reads it."""
    return _(CARD_PART_LABELS[part]) if part in CARD_PART_LABELS else part


def week_of(week_ending: date) -> tuple[date, date]:
    """The seven days ending on `week_ending`, both ends included."""
    return week_ending - timedelta(days=6), week_ending


def exercises_of_week(journal, week_ending: date) -> list[ExerciseResponse]:
    """The week's exercise responses, newest first (to pick the exercise of the week)."""
    start, end = week_of(week_ending)
    found = [x for x in journal.records(ExerciseResponse)
             if start <= x.when.astimezone().date() <= end]
    return list(reversed(found))


def build_card(journal, week_ending: date, worked_on: str = "",
               excluded: frozenset[str] = frozenset(), *,
               parts: tuple[str, ...] = CARD_PARTS_SHOWN, bring_up: str = "",
               exercise: str | None = None) -> Document:
    """The card for the seven days ending on `week_ending`, holding `parts`.
    `exercise` is the id of the week's exercise response to name (default: the
    latest finished one); `worked_on` and `bring_up` are lines the person typed."""
    start, end = week_of(week_ending)

    def in_week(record) -> bool:
        return start <= record.when.astimezone().date() <= end

    def of_the_week(kind: type) -> list:
        """The records of `kind` whose local day is in the week. Only those near it
        are looked at (a bisection by the moment, a day to spare at each end): ten
        years of urges are 50,000, and each test converts a time to a local day."""
        found = journal.records(kind)
        low = datetime.combine(start - timedelta(days=1), time(0)).astimezone()
        high = datetime.combine(end + timedelta(days=2), time(0)).astimezone()
        when = attrgetter("when")
        try:
            found = found[bisect_left(found, low, key=when):bisect_left(found, high, key=when)]
        except TypeError:
            pass  # a time without its offset (edited by hand) compares with none: look at all
        return [r for r in found if in_week(r)]

    urges = of_the_week(Urge)
    resisted = [u for u in urges if u.outcome == "resisted"]
    hide_numbers = "phone_numbers" in excluded
    facts: list[tuple[str, str]] = []

    def free(text: str) -> str:
        """Text the person typed elsewhere: cleaned, numbers out unless included."""
        return clean(hide_phone_numbers(text)[0] if hide_numbers else text)

    if "urges" in parts:
        facts.append((_("Urges"), _("{n} this week, {resisted} resisted").format(
            n=len(urges), resisted=len(resisted))))
        if "addiction" not in excluded and len({u.addiction for u in urges}) > 1:
            for addiction in sorted({u.addiction for u in urges}):
                mine = [u for u in urges if u.addiction == addiction]
                name = clean(addiction_label(addiction))
                facts.append((f"  {name}", ngettext(
                    "{n} urge, {resisted} resisted", "{n} urges, {resisted} resisted",
                    len(mine)).format(n=len(mine),
                                      resisted=sum(u.outcome == "resisted" for u in mine))))
    if "tools" in parts and "coping" not in excluded:
        helped = Counter(tool for u in resisted for tool in u.coping if tool.strip())
        if helped:
            facts.append((_("Tools that helped"), ", ".join(
                f"{free(coping_label(tool))} ({n})" if n > 1 else free(coping_label(tool))
                for tool, n in helped.most_common(TOOLS_SHOWN))))
    if "meetings" in parts:
        meetings = of_the_week(Meeting)
        meeting_text = _("{n} attended").format(n=len(meetings))
        groups = sorted({free(m.group) for m in meetings if m.group.strip()})
        if groups and "group" not in excluded:
            meeting_text += f" ({', '.join(groups)})"
        facts.append((_("Meetings"), meeting_text))
    if "who5" in parts and "items" not in excluded:
        checkins = of_the_week(Checkin)
        if checkins:
            latest = checkins[-1]
            facts.append((_("Well-being (WHO-5)"), _("{percent}% on {day}").format(
                percent=latest.percent, day=latest.when.astimezone().date().isoformat())))
        else:
            facts.append((_("Well-being (WHO-5)"), _("no check-in this week")))
    if "exercise" in parts:
        chosen = _exercise_of_week(exercises_of_week(journal, week_ending), exercise)
        if chosen is not None:
            facts.append((_("Exercise of the week"), exercise_title(chosen.exercise_id)))
    if "lapse" in parts:
        days = {u.when.astimezone().date() for u in of_the_week(Use)}
        facts.append((_("Lapse"), ngettext(
            "I had a lapse on {n} day this week, and I am back on track.",
            "I had a lapse on {n} days this week, and I am back on track.", len(days)).format(
                n=len(days)) if days else _("no use this week")))

    passages = []
    if worked_on.strip():
        passages.append((_("One thing I worked on"), clean(worked_on.strip())))
    if "bring_up" in parts and bring_up.strip():
        passages.append((_("What I'd like to bring up"), clean(bring_up.strip())))

    card = SharedRecord(heading=_("My week"), when=None, facts=facts, passages=passages)
    return Document(
        title=_("Weekly check-in"),
        subtitle=_("{start} to {end}").format(start=start.isoformat(), end=end.isoformat()),
        records=[card],
    )


def _exercise_of_week(responses: list[ExerciseResponse],
                      wanted: str | None) -> ExerciseResponse | None:
    """The response the person picked, else the latest finished one of the week."""
    if wanted is not None:
        return next((x for x in responses if x.id == wanted), None)
    return next((x for x in responses if x.finished), None)


def suggest_worked_on(exercises: list[ExerciseResponse]) -> str:
    """The latest finished exercise of the week, as a starting suggestion."""
    finished = [x for x in exercises if x.finished]
    if not finished:
        return ""
    return _("The exercise \u201c{title}\u201d").format(title=exercise_title(finished[-1].exercise_id))

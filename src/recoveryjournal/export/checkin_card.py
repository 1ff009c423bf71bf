"""The weekly check-in card: the short report a member gives at the start of a
meeting. Urges and how many were resisted, the tools that helped, meetings
attended, the latest WHO-5, and one thing worked on this week.

It is a `Document`, so it is written as Markdown, text or HTML like any share.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from ..i18n import _
from ..i18n.labels import addiction_label
from ..records import Checkin, ExerciseResponse, Meeting, Urge
from ..safetext import clean
from .selection import Document, SharedRecord, exercise_title

TOOLS_SHOWN = 5


def week_of(week_ending: date) -> tuple[date, date]:
    """The seven days ending on `week_ending`, both ends included."""
    return week_ending - timedelta(days=6), week_ending


def build_card(journal, week_ending: date, worked_on: str = "",
               excluded: frozenset[str] = frozenset()) -> Document:
    """The card for the seven days ending on `week_ending`."""
    start, end = week_of(week_ending)

    def in_week(record) -> bool:
        return start <= record.when.astimezone().date() <= end

    urges = [u for u in journal.records(Urge) if in_week(u)]
    meetings = [m for m in journal.records(Meeting) if in_week(m)]
    checkins = [c for c in journal.records(Checkin) if in_week(c)]
    exercises = [x for x in journal.records(ExerciseResponse) if in_week(x)]

    facts: list[tuple[str, str]] = []
    resisted = [u for u in urges if u.outcome == "resisted"]
    facts.append((_("Urges"), _("{n} this week, {resisted} resisted").format(
        n=len(urges), resisted=len(resisted))))
    if "addiction" not in excluded and len({u.addiction for u in urges}) > 1:
        for addiction in sorted({u.addiction for u in urges}):
            mine = [u for u in urges if u.addiction == addiction]
            name = clean(addiction_label(addiction))
            facts.append((f"  {name}", _("{n} urges, {resisted} resisted").format(
                n=len(mine), resisted=sum(u.outcome == "resisted" for u in mine))))
    if "coping" not in excluded:
        helped = Counter(tool for u in resisted for tool in u.coping if tool.strip())
        if helped:
            facts.append((_("Tools that helped"), ", ".join(
                f"{clean(tool)} ({n})" if n > 1 else clean(tool)
                for tool, n in helped.most_common(TOOLS_SHOWN))))
    meeting_text = _("{n} attended").format(n=len(meetings))
    groups = sorted({clean(m.group) for m in meetings if m.group.strip()})
    if groups and "group" not in excluded:
        meeting_text += f" ({', '.join(groups)})"
    facts.append((_("Meetings"), meeting_text))
    if checkins and "items" not in excluded:
        latest = checkins[-1]
        facts.append((_("Well-being (WHO-5)"), _("{percent}% on {day}").format(
            percent=latest.percent, day=latest.when.astimezone().date().isoformat())))
    else:
        facts.append((_("Well-being (WHO-5)"), _("no check-in this week")))

    passages = []
    worked_on = worked_on.strip() or suggest_worked_on(exercises)
    if worked_on:
        passages.append((_("One thing I worked on"), clean(worked_on)))

    card = SharedRecord(heading=_("My week"), when=None, facts=facts, passages=passages)
    return Document(
        title=_("Weekly check-in"),
        subtitle=_("{start} to {end}").format(start=start.isoformat(), end=end.isoformat()),
        records=[card],
    )


def suggest_worked_on(exercises: list[ExerciseResponse]) -> str:
    """The latest finished exercise of the week, as a starting suggestion."""
    finished = [x for x in exercises if x.finished]
    if not finished:
        return ""
    return _("The exercise \u201c{title}\u201d").format(title=exercise_title(finished[-1].exercise_id))

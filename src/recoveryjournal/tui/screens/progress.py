"""Progress: charts of urges, use, well-being and meetings over a chosen range.

← → (or n / p) step through the charts, r changes the range (4 weeks, 12 weeks,
1 year, all), a the addiction. Each chart's series is built once per range and
addiction and kept until the screen closes, so stepping back and forth is instant;
a short range is cut from the sorted record lists by bisection, so it does not
touch ten years of urges. The urge charts (urges per week, intensity, share
resisted, meetings beside urges, top triggers, coping tools, and the hour x
weekday grid of the whole journal) and the streak lines come from the sealed
summary when it is current (summary.py), the same figures, so they need not wait
for the app's worker to decode the urges nor read ten years of them; so does the
mood chart of the whole journal (a mean mood a week: ten years of days are more
than the columns). An urge
chart counts the urges whose day (of `when` in its own offset) is in the range's
weeks up to today, as the summary's week rows do.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, time, timedelta
from operator import attrgetter
from typing import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ... import charts, insights, records
from ...charts import ChartColours
from ...i18n import N_, _
from ...i18n.formats import format_number
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...records import Checkin, Entry, ExerciseResponse, Meeting, Mood, Urge, Use
from ...safetext import one_line
from ..widgets.chart import Chart
from ..widgets.keys_footer import KeysFooter

RANGES: tuple[tuple[int | None, str], ...] = (
    (4, N_("4 weeks")), (12, N_("12 weeks")), (52, N_("1 year")), (None, N_("all")))

CHARTS: tuple[tuple[str, str], ...] = (
    ("urges", N_("Urges per week")),
    ("intensity", N_("Urge intensity")),
    ("resisted", N_("Share resisted")),
    ("triggers", N_("Top triggers")),
    ("coping", N_("Coping that helped")),
    ("heatmap", N_("Hour x weekday")),
    ("calendar", N_("Use calendar")),
    ("who5", N_("Well-being (WHO-5)")),
    ("mood", N_("Mood")),
    ("meetings", N_("Meetings and urges")),
    ("balance", N_("Lifestyle balance")),
    ("waves", N_("Urge-surfing waves")),
    ("limit", N_("Amount against my limit")),  # only while a limit goal is set
    ("course", N_("My course")),  # only while a course is set (Goals, g)
)

Draw = Callable[[int, int, ChartColours], str]

# The charts of urges: from the sealed summary when it can say, else from the urges
# of the range's weeks.
URGE_CHARTS = ("urges", "intensity", "resisted", "meetings", "triggers", "coping", "heatmap")

# The lifestyle-balance exercise's step ids (exercises/README.md) as short labels.
LIFE_AREA_LABELS = {
    "health": N_("body and health"), "sleep": N_("rest and sleep"),
    "family": N_("family and partner"), "friends": N_("friends"),
    "work": N_("work or study"), "money": N_("money and home"),
    "leisure": N_("fun and interests"), "meaning": N_("meaning and values"),
}

SUMMARY_LINES = 3  # streak lines under the chart; the chart keeps 18 of 24 rows


class _When:
    """A meeting as the weekly count reads it: only its day."""

    __slots__ = ("when",)

    def __init__(self, when: datetime):
        self.when = when


class ProgressScreen(Screen):
    """Charts over time; never a verdict, always several numbers side by side."""

    CSS_PATH = "progress.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("right,n", "step(1)", N_("Next chart")),
        Binding("left,p", "step(-1)", N_("Previous")),
        Binding("r", "next_range", N_("Range")),
        Binding("a", "next_addiction", N_("Addiction")),
    ]

    def __init__(self, journal: Journal, *, today: date | None = None):
        super().__init__()
        self.journal = journal
        self._today = today
        self.chart_index = 0
        self.range_index = 1  # 12 weeks: enough to see a trend, short enough to be about now
        self.addiction_index = 0  # 0: all addictions
        self._cache: dict[tuple, Draw] = {}
        self._weekly: dict[tuple, object] = {}  # UrgeWeeks, or the summary's two series
        self._days_of_use: tuple = (None, [])  # (the summary, its uses_by_day())
        self.addictions: list[str] = []
        self.charts = CHARTS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="progress-controls")
        yield Chart(id="progress-chart")
        yield Static(id="progress-summary")
        yield KeysFooter()

    def on_mount(self) -> None:
        tracked = self.journal.tracked_addictions()
        glance = self.journal.summary()
        if glance is not None:  # the summary knows them: no waiting for the uses to decode
            seen = set(glance.uses)
        else:
            seen = {records.normalise_addiction(u.addiction) for u in self.journal.records(Use)}
        self.addictions = tracked + sorted(seen - set(tracked))
        hidden = set()
        if not self._limit_goals():
            hidden.add("limit")
        if self.journal.settings().course_start is None:
            hidden.add("course")
        self.charts = tuple(c for c in CHARTS if c[0] not in hidden)
        self.show_chart()

    # ---- what is chosen -------------------------------------------------------------------

    @property
    def today(self) -> date:
        if self._today is not None:
            return self._today
        clock = getattr(self.app, "clock", None)
        return (clock() if callable(clock) else records.now()).date()

    @property
    def chart_id(self) -> str:
        return self.charts[self.chart_index][0]

    @property
    def weeks(self) -> int | None:
        return RANGES[self.range_index][0]

    @property
    def addiction(self) -> str | None:
        return self.addictions[self.addiction_index - 1] if self.addiction_index else None

    def action_step(self, step: int) -> None:
        self.chart_index = (self.chart_index + step) % len(self.charts)
        self.show_chart()

    def action_next_range(self) -> None:
        self.range_index = (self.range_index + 1) % len(RANGES)
        self.show_chart()

    def action_next_addiction(self) -> None:
        self.addiction_index = (self.addiction_index + 1) % (len(self.addictions) + 1)
        self.show_chart()

    def select(self, chart: str | None = None, weeks: int | None | str = "keep",
               addiction: str | None | bool = False) -> None:
        """Jump straight to a chart, range and addiction (for the command palette and tests)."""
        if chart is not None:
            self.chart_index = [c for c, _label in self.charts].index(chart)
        if weeks != "keep":
            self.range_index = [w for w, _label in RANGES].index(weeks)
        if addiction is not False:
            self.addiction_index = 0 if addiction is None else self.addictions.index(addiction) + 1
        self.show_chart()

    def action_close(self) -> None:
        self.app.pop_screen()

    # ---- drawing ------------------------------------------------------------------------------

    def show_chart(self) -> None:
        key = (self.chart_id, self.weeks, self.addiction, self.today)
        draw = self._cache.get(key)
        if draw is None:
            draw = self._cache[key] = self._series(self.chart_id)
        label = _(self.charts[self.chart_index][1])
        addiction = one_line(addiction_label(self.addiction), 24) if self.addiction else _("all addictions")
        self.query_one("#progress-controls", Static).update(Content.assemble(
            (f"{self.chart_index + 1}/{len(self.charts)} ", "dim"), (label, "bold"), "  ·  ",
            (_("range: {range}").format(range=_(RANGES[self.range_index][1])), ""), "  ·  ",
            addiction))
        self.query_one("#progress-chart", Chart).show(draw)
        self.query_one("#progress-summary", Static).update(Content(self._summary()))

    def _start(self) -> datetime | None:
        """The first moment of the range (a day early: records keep their own offsets)."""
        if self.weeks is None:
            return None
        monday = insights.weeks_back(self.today, self.weeks)[0] - timedelta(days=1)
        return datetime.combine(monday, time(0)).astimezone()

    def _in_range(self, kind):
        found = self.journal.records(kind)
        start = self._start()
        return insights.since(found, start) if start is not None else found

    def _series(self, chart: str) -> Draw:
        """Build the series for one chart now, and return how to draw it at any size."""
        today, weeks, addiction = self.today, self.weeks, self.addiction
        if chart in URGE_CHARTS:
            quick = self._from_summary(chart)
            if quick is not None:
                return quick
            urges = self._urges_in_weeks()
        if chart in ("urges", "intensity", "resisted"):
            together = self._urge_weeks(urges)
            if chart == "urges":
                return lambda w, h, c: charts.urges_per_week(together.per_addiction, w, h, c)
            if chart == "intensity":
                return lambda w, h, c: charts.intensity_trend(together.intensity, w, h, c)
            return lambda w, h, c: charts.share_resisted(together.resisted, w, h, c)
        if chart == "triggers":
            triggers = [(one_line(name, 30), n) for name, n in insights.top_triggers(urges, 12)]
            return lambda w, h, c: charts.top_triggers(triggers, w, h, c)
        if chart == "coping":
            coping = insights.coping_that_worked(urges, 12)
            return lambda w, h, c: charts.coping_tools(coping, w, h, c)
        if chart == "heatmap":
            grid = insights.hour_weekday(urges)
            return lambda w, h, c: charts.hour_weekday_heatmap(grid, w, h, c)
        if chart == "calendar":
            return self._calendar()
        if chart == "limit":
            return self._limit()
        if chart == "course":
            settings = self.journal.settings()
            if settings.course_start is None:
                return lambda w, h, c: charts.calm_note(_("No course set."), w, h)
            course = insights.programme(self.journal.records(Meeting),
                                        self.journal.records(Checkin), settings.course_start,
                                        settings.course_weeks, today)
            return lambda w, h, c: charts.programme(course, w, h, c)
        if chart == "who5":
            points = insights.who5_over_time(self._in_range(Checkin))
            first = insights.weeks_back(today, weeks)[0] if weeks else None
            return lambda w, h, c: charts.who5_line(points, w, h, c, first=first, last=today)
        if chart == "mood" and weeks is None:
            # The whole journal: a mean a week (ten years of days are more than the
            # columns), from the summary when it is current.
            glance = self.journal.summary()
            points = insights.mood_weeks_from_summary(glance) if glance is not None else \
                insights.mood_per_week(self.journal.records(Mood), self.journal.records(Entry))
            return lambda w, h, c: charts.mood_line(points, w, h, c, last=today, per_week=True)
        if chart == "mood":
            first = insights.weeks_back(today, weeks)[0] if weeks else None
            points = insights.mood_per_day(self._in_range(Mood), self._in_range(Entry), since=first)
            return lambda w, h, c: charts.mood_line(points, w, h, c, first=first, last=today)
        if chart == "meetings":
            both = insights.meetings_and_urges_per_week(
                self._in_range(Meeting), urges, today, weeks=weeks, addiction=addiction,
                per_week=self._urge_weeks(urges).per_addiction)
            return lambda w, h, c: charts.meetings_beside_urges(both, w, h, c)
        responses = self.journal.records(ExerciseResponse)
        if chart == "balance":
            latest = insights.lifestyle_balance(responses)
            areas = [(_(LIFE_AREA_LABELS[area]) if area in LIFE_AREA_LABELS else one_line(area, 30),
                      rating) for area, rating in latest[1]] if latest else None
            return lambda w, h, c: charts.lifestyle_balance(areas, w, h, c)
        start = self._start()
        # Only the minute-by-minute sessions: an urge's before/after pair is in "intensity".
        # The range cut by bisection first: a few weeks need not look at every answer.
        waves = insights.urge_waves(self._in_range(ExerciseResponse), since=start)
        return lambda w, h, c: charts.urge_waves(waves, w, h, c)

    def _urges_in_weeks(self) -> Sequence[Urge]:
        """The urges of the range's weeks (the chosen addiction's): those whose day
        (of `when` in its own offset) is from the range's first Monday to today, as
        the weekly charts and the summary's week rows count them."""
        urges = self.journal.records(Urge)
        if self.addiction:  # first: held as columns, only the range's urges are built
            urges = insights.urges_matching(urges, self.addiction)
        last = self.today.toordinal()
        first = 0

        def moment(day: date) -> datetime:
            return datetime.combine(day, time(0)).astimezone()

        def position(day: date) -> int:
            return bisect_left(urges, moment(day), key=attrgetter("when"))

        # By the moment, with two days to spare at each end (offsets differ by at
        # most 26 hours); only the urges near an end are placed by their own day.
        start = safe_from = 0
        if self.weeks is not None:
            monday = insights.weeks_back(self.today, self.weeks)[0]
            first = monday.toordinal()
            start = position(monday - timedelta(days=2))
            safe_from = max(start, position(monday + timedelta(days=2)))
        safe_to = max(safe_from, position(self.today - timedelta(days=1)))
        def in_range(urge: Urge) -> bool:
            return first <= urge.when.toordinal() <= last

        rows = getattr(urges, "rows", None)
        if rows is not None:  # held as columns: the same urges, as a list built as read
            return urges.of_rows(  # type: ignore[attr-defined]
                [row for row, urge in zip(rows[start:safe_from], urges[start:safe_from])
                 if in_range(urge)] + list(rows[safe_from:safe_to])
                + [row for row, urge in zip(rows[safe_to:], urges[safe_to:]) if in_range(urge)])
        found = [u for u in urges[start:safe_from] if in_range(u)]
        found += urges[safe_from:safe_to]
        found += [u for u in urges[safe_to:] if in_range(u)]
        return found

    def _from_summary(self, chart: str) -> Draw | None:
        """The urge charts from the sealed summary, so they need not wait for the
        urges to decode nor read ten years of them: the same series as from the
        records, or None when the summary cannot give them (then the records)."""
        glance = self.journal.summary()
        if glance is None:
            return None
        if chart in ("triggers", "coping"):
            words = insights.urge_words_from_summary(glance, self.today, weeks=self.weeks,
                                                     addiction=self.addiction)
            if words is None:
                return None
            if chart == "triggers":
                triggers = [(one_line(name, 30), n)
                            for name, n in insights.top_of_trigger_counts(words[0], 12)]
                return lambda w, h, c: charts.top_triggers(triggers, w, h, c)
            coping = insights.coping_of_tally(words[1], 12)
            return lambda w, h, c: charts.coping_tools(coping, w, h, c)
        if chart == "heatmap":
            # The whole journal's grid is kept; a shorter range reads its own urges.
            grid = insights.hour_weekday_from_summary(
                glance, self.today, self.addiction) if self.weeks is None else None
            if grid is None:
                return None
            return lambda w, h, c: charts.hour_weekday_heatmap(grid, w, h, c)
        key = ("summary-weeks", self.weeks, self.addiction, self.today)
        if key not in self._weekly:
            self._weekly[key] = insights.urge_weeks_from_summary(
                glance, self.today, weeks=self.weeks, addiction=self.addiction)
        found = self._weekly[key]
        if found is None:
            return None
        per_week = found.per_addiction
        if chart == "urges":
            return lambda w, h, c: charts.urges_per_week(per_week, w, h, c)
        if chart == "intensity":
            return lambda w, h, c: charts.intensity_trend(found.intensity, w, h, c)
        if chart == "resisted":
            return lambda w, h, c: charts.share_resisted(found.resisted, w, h, c)
        first = insights.weeks_back(self.today, self.weeks)[0] if self.weeks else None
        days = glance.meeting_days(self.today, first) if glance is not None else None
        if days is None:
            return None
        # The weekly count reads only each meeting's day (in its own offset).
        both = insights.meetings_and_urges_per_week(
            [_When(datetime.combine(date.fromordinal(day), time(12)))
             for day, n in days for _n in range(n)], [],
            self.today, weeks=self.weeks, addiction=self.addiction, per_week=per_week)
        return lambda w, h, c: charts.meetings_beside_urges(both, w, h, c)

    def _urge_weeks(self, urges: list) -> insights.UrgeWeeks:
        """The three weekly urge series, built together once per range and addiction."""
        key = ("urge-weeks", self.weeks, self.addiction, self.today)
        if key not in self._weekly:
            self._weekly[key] = insights.urge_weeks(
                urges, self.today, weeks=self.weeks, addiction=self.addiction)
        return self._weekly[key]

    def _limit_goals(self) -> list[records.Addiction]:
        return [a for a in self.journal.settings().addictions
                if insights.goal_per(a.goal) and a.limit is not None]

    def _limit(self) -> Draw:
        """The amount per day (or week) against the limit, for the chosen addiction
        when it has a limit goal, else the first that has one."""
        goals = self._limit_goals()
        chosen = next((a for a in goals if a.name == self.addiction), goals[0] if goals else None)
        if chosen is None:
            text = _("No limit goal set. Goals (g) on the dashboard sets one.")
            return lambda w, h, c: charts.calm_note(text, w, h)
        amounts = insights.amounts_per_day(self._in_range(Use), chosen.name)
        days = (self.weeks or 52) * 7
        today, limit, per = self.today, chosen.limit, insights.goal_per(chosen.goal)
        name = addiction_label(chosen.name)
        unit = f"{name}, {one_line(chosen.unit, 20)}" if chosen.unit else name
        return lambda w, h, c: charts.amount_against_limit(amounts, limit, per, today, days,
                                                           w, h, c, unit=unit)

    def _calendar(self) -> Draw:
        today, addiction = self.today, self.addiction
        if self.weeks is not None:
            days = self.weeks * 7
        else:
            starts = [a.tracked_since for a in self.journal.settings().addictions if a.tracked_since]
            uses = self.journal.records(Use)
            if uses:
                starts.append(uses[0].when.date())
            days = (today - min(starts, default=today)).days + 1
        by_day = insights.use_calendar(self._in_range(Use), today, days, addiction=addiction)
        note = self._not_spent()
        since = self._tracked_since()
        return lambda w, h, c: charts.use_calendar(by_day, today, days, w, h, c, note=note,
                                                   since=since)

    def _tracked_since(self) -> date | None:
        """The first day there is anything to count: the earliest tracking start of
        the addictions shown (or of the one chosen), or the first use logged."""
        settings = self.journal.settings()
        starts = [a.tracked_since for a in settings.addictions if a.tracked_since
                  and (self.addiction is None or a.name == self.addiction)]
        first = next((u for u in self.journal.records(Use)  # oldest first: stop at one
                      if self.addiction is None or records.normalise_addiction(u.addiction)
                      == records.normalise_addiction(self.addiction)), None)
        if first is not None:
            starts.append(first.when.date())
        return min(starts) if starts else None

    def _not_spent(self) -> str:
        """Money not spent since tracking began, for the addictions with a cost per use."""
        uses = self.journal.records(Use)
        wanted = [a for a in self.journal.settings().addictions
                  if a.cost_per_use and (self.addiction is None or a.name == self.addiction)]
        counted = [insights.not_spent(a, uses, self.today) for a in wanted]
        money = sum(c.money or 0 for c in counted)
        if not money:
            return ""
        # The cost per use has no currency stored: say what the number is made of.
        return _("Not spent since tracking began: about {money} in the money you count in "
                 "({days} use-free days × your cost per use)").format(
            money=format_number(money, 0), days=sum(c.abstinent_days for c in counted))

    def _summary(self) -> str:
        """Days since last use, longest streak and use-free days, side by side."""
        settings = self.journal.settings()
        glance = self.journal.summary()
        # A use a day from the summary gives the same streaks, without the uses decoded.
        if glance is None:
            uses = self.journal.records(Use)
        else:
            if self._days_of_use[0] is not glance:
                self._days_of_use = (glance, glance.uses_by_day())
            uses = self._days_of_use[1]
        shown = [self.addiction] if self.addiction else [a.name for a in settings.addictions]
        lines = []
        for name in shown[:SUMMARY_LINES]:
            tracked = settings.addiction(name)
            s = insights.streaks(uses, name, self.today,
                                 since=tracked.tracked_since if tracked else None)
            lines.append(one_line(insights.streak_summary(s), 200))
        if len(shown) > SUMMARY_LINES:
            lines[-1] = _("… and {n} more: press a to see one addiction at a time").format(
                n=len(shown) - SUMMARY_LINES + 1)
        return "\n".join(lines)

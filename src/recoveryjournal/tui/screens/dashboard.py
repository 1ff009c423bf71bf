"""The dashboard: where each tracked addiction stands, today's urges, a
suggested next step and one key for every main action.

It reads only what it shows, from the journal's sealed summary
(`Journal.summary()`: uses per day, urges per day, the latest check-ins,
entries and meetings, the waiting drafts), so unlocking shows it after a
constant number of reads whatever the journal's size. A journal without a
current summary (made before it) is counted from its records as before: uses
at once, today's urges and the suggested step once the app's worker has
decoded the rest (`app.fully_loaded`).
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date, datetime, timedelta

from textual.app import ComposeResult
from textual import events
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ...come_back import COME_BACK_DAYS, plans_to_come_back
from ...exercises import load_exercises
from ...i18n import _, ngettext
from ...i18n.labels import addiction_label
from ...i18n.formats import format_date
from ...journal import Journal
from ...i18n.formats import format_number
from ...insights import (
    LimitDays, Streaks, goal_per, limit_days, milestone_reached, streaks, streaks_of_day_numbers,
    streaks_of_recent_days,
)
from ...records import Checkin, Entry, ExerciseResponse, Meeting, Urge, Use, normalise_addiction
from ...safetext import one_line
from ...summary import Summary
from ...vault.errors import JournalError
from .. import keymap
from ..drafts import drafts_note
from ..widgets.key_menu import KeyMenu, layout_for
from ..widgets.keys_footer import KeysFooter


def urges_today(journal: Journal, now: datetime) -> list[Urge]:
    """Urges logged since local midnight (the list is sorted by `when`)."""
    urges = journal.records(Urge)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    start = bisect_left(urges, midnight, key=lambda urge: urge.when)
    return [urge for urge in urges[start:] if urge.when <= now + timedelta(minutes=5)]


def urge_counts_today(journal: Journal, glance: Summary | None,
                      now: datetime) -> tuple[int, int, int]:
    """(urges today, resisted, acted on): from the summary when there is one."""
    if glance is not None:
        return glance.urges_on(now.date())
    found = urges_today(journal, now)
    return (len(found), sum(1 for u in found if u.outcome == "resisted"),
            sum(1 for u in found if u.outcome == "acted"))


def addiction_streaks(glance: Summary, name: str, today: date,
                      since: date | None) -> Streaks:
    """`name`'s streaks from the summary: from its glance (the last 91 days of use and
    three numbers, whatever the journal's size) while its day tables are not parsed,
    else straight from its days (no record made per day of use)."""
    addiction = normalise_addiction(name)
    kept = glance.streak_days(addiction, today)
    if kept is not None:
        return streaks_of_recent_days(*kept, name, today, since=since)
    return streaks_of_day_numbers(glance.use_day_numbers(addiction), name, today, since=since)


def addiction_rows(streaks: list[Streaks], compact: bool = False) -> Content:
    """A small table: the figures side by side, so no single number carries the day.
    Use-free days come first: after a lapse, the first number a person reads is the
    month that went well, not a zero. `compact` (a terminal under 80 columns): short
    headings, so a row stays one line."""
    if compact:
        headings = (_("free/30"), _("free/90"), _("since use"), _("longest"))
    else:
        headings = (_("use-free, 30 days"), _("90 days"), _("days since last use"),
                    _("longest"))
    name_width = min(max((len(addiction_label(s.addiction)) for s in streaks), default=0),
                     10 if compact else 18)
    widths = [max(len(h), 7 if compact else 8) for h in headings]

    def row(name: Content, cells: list[str], style: str = "") -> Content:
        parts = [name, *(Content.styled(c.rjust(w), style) for c, w in zip(cells, widths))]
        return Content("  ").join(parts)

    lines = [row(Content(" " * name_width), list(headings), "dim")]
    for s in streaks:
        if s.days_since_last_use is None:
            since = _("none logged")
        else:
            since = ngettext("{n} day", "{n} days", s.days_since_last_use).format(
                n=s.days_since_last_use)
        cells = [
            f"{s.abstinent_30}/{s.days_30}",
            f"{s.abstinent_90}/{s.days_90}",
            since,
            ngettext("{n} day", "{n} days", s.longest_streak).format(n=s.longest_streak),
        ]
        name = Content.styled(one_line(addiction_label(s.addiction), name_width).ljust(name_width),
                              "bold")
        lines.append(row(name, cells))
    return Content("\n").join(lines)


def limit_rows(found: list[LimitDays], units: dict[str, str]) -> Content:
    """The addictions with a limit goal: days within the limit, 30 and 90 days, first."""
    headings = (_("within my limit, 30 days"), _("90 days"), _("my limit"), _("so far"))
    name_width = min(max((len(addiction_label(f.addiction)) for f in found), default=0), 18)
    widths = [max(len(h), 8) for h in headings]

    def row(name: Content, cells: list[str], style: str = "") -> Content:
        parts = [name, *(Content.styled(c.rjust(w), style) for c, w in zip(cells, widths))]
        return Content("  ").join(parts)

    rows = []
    for f in found:
        unit = one_line(units.get(f.addiction, ""), 12)
        if f.per == "day":
            limit = _("{n} {unit} a day").format(n=format_number(f.limit), unit=unit)
        else:
            limit = _("{n} {unit} a week").format(n=format_number(f.limit), unit=unit)
        name = Content.styled(one_line(addiction_label(f.addiction), name_width).ljust(name_width),
                              "bold")
        rows.append((name, [f"{f.within_30}/{f.days_30}", f"{f.within_90}/{f.days_90}",
                            " ".join(limit.split()), format_number(f.today_amount)]))
    # "3 snacks a day" is wider than its heading: each column as wide as its widest cell.
    widths = [max([w] + [len(cells[i]) for _name, cells in rows]) for i, w in enumerate(widths)]
    lines = [row(Content(" " * name_width), list(headings), "dim")]
    lines += [row(name, cells) for name, cells in rows]
    return Content("\n").join(lines)


def milestone_text(addiction: str, days: int, limit: bool) -> str:
    if limit:
        text = ngettext("You have passed {n} day in a row within your limit ({name}).",
                        "You have passed {n} days in a row within your limit ({name}).", days)
    else:
        text = ngettext("You have passed {n} use-free day in a row ({name}).",
                        "You have passed {n} use-free days in a row ({name}).", days)
    return text.format(n=days, name=addiction_label(addiction)) + " " + _("Worth noticing.")


def meetings_line(journal: Journal, glance: Summary | None, now: datetime) -> str:
    """"3 meetings in the last 4 weeks" (the list is sorted by `when`)."""
    start = now - timedelta(weeks=4)
    count = glance.count_since("meeting", start) if glance is not None else None
    if count is None:
        meetings = journal.records(Meeting)
        count = len(meetings) - bisect_left(meetings, start, key=lambda m: m.when)
    return ngettext("{n} meeting in the last 4 weeks", "{n} meetings in the last 4 weeks",
                    count).format(n=count)


def come_back_note(journal: Journal, now: datetime) -> str | None:
    """A plan the person means to come back to (come_back.py), as one gentle line."""
    recent = [r for r in journal.records(ExerciseResponse)
              if now - r.created <= timedelta(days=COME_BACK_DAYS)]
    if not recent:
        return None  # the common case costs no exercise files read
    waiting = plans_to_come_back(load_exercises(), recent, now)
    if not waiting:
        return None
    plan = waiting[0]
    title = one_line(plan.exercise.title.get())
    if plan.plan:
        return _("Did you get to try “{plan}”? When you have, open {title} (e) to say "
                 "how it went.").format(plan=plan.plan, title=title)
    return _("When you have tried your plan from {title}, open it (e) to say how it "
             "went.").format(title=title)


def _latest(journal: Journal, glance: Summary | None, kind) -> datetime | None:
    if glance is not None:
        return glance.latest(kind.kind)
    found = journal.records(kind)
    return found[-1].when if found else None


def suggested_step(journal: Journal, glance: Summary | None, now: datetime,
                   today: tuple[int, int, int], plans: bool = True) -> str:
    """One gentle suggestion, picked from what the journal shows. `today`: the
    urges logged today, resisted and acted on (`urge_counts_today`). `plans`: look
    for a plan to come back to (false while the records are still being read: the
    summary does not hold exercise answers, and the dashboard is drawn again once
    they are in)."""
    waiting = drafts_note(journal)
    if waiting is not None:
        return waiting
    urges, _resisted, acted = today
    if acted:
        return _("A use today is information, not a verdict. Writing down what led up to it "
                 "(w) can help you see the pattern.")
    if urges:
        return _("You noticed an urge today. An exercise (e) can help with the next one.")
    come_back = come_back_note(journal, now) if plans else None
    if come_back is not None:
        return come_back
    checked_in = _latest(journal, glance, Checkin)
    if checked_in is None or now - checked_in > timedelta(days=7):
        return _("A short well-being check-in (c) helps you see how the weeks go.")
    written = _latest(journal, glance, Entry)
    if written is None or written.date() != now.date():
        return _("A few lines about today (w) is a good way to close the day.")
    return _("You have written today. Maybe look back at your progress (p).")


def _noticed(settings, name: str, run_start: date) -> int:
    """The milestone already noticed in the run that began on `run_start`."""
    stamp = settings.milestones.get(name, "")
    day, _sep, days = stamp.partition(":")
    return int(days) if day == run_start.isoformat() and days.isdigit() else 0


class DashboardScreen(Screen):
    """Home: the numbers that matter today and the keys to everything else."""

    CSS_PATH = "dashboard.tcss"
    BINDINGS = keymap.dashboard_bindings()

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.milestones: list[str] = []  # noticed in this visit; shown until it ends

    def compose(self) -> ComposeResult:
        # The size classes before anything mounts: set after, each one restyles every
        # widget on the screen while the person waits for the first paint.
        self._size_classes(self.app.size.width, self.app.size.height)
        yield Header()
        with VerticalScroll(id="dashboard"):
            with Vertical(classes="column"):
                yield Static(id="today", classes="title")
                if self.journal.read_only:
                    yield Static(_("This journal is read-only (read-only media or file): "
                                   "you can read and export it, not write to it."),
                                 id="read-only")
                yield Static(id="addictions")
                yield Static(id="milestone", classes="message -ok")
                yield Static(id="urges")
                yield Static(_("Suggested next step"), classes="title")
                yield Static(id="next-step")
                yield Static(_("What would you like to do?"), classes="title")
                yield KeyMenu(keymap.dashboard_keys(), layout_for(self.app.size.width),
                              id="menu")
        yield KeysFooter()

    def on_resize(self, event: events.Resize) -> None:
        was_compact = self.has_class("-compact")
        self._size_classes(event.size.width, event.size.height)
        self.query_one(KeyMenu).layout_name = layout_for(event.size.width)
        if self.has_class("-compact") != was_compact:
            self.refresh_numbers()

    def _size_classes(self, width: int, height: int) -> None:
        # Below ~120 columns the one-line explanations would be cut off: show labels only.
        # Below 80x24 (60x20): short headings, no blank lines between the parts.
        self.set_class(width < 120, "-narrow")
        self.set_class(height < 24, "-short")
        self.set_class(width < 80, "-compact")

    def on_screen_suspend(self) -> None:
        # A milestone is said once: while the person is here, not again on return.
        self.milestones = []

    def on_screen_resume(self) -> None:
        # Numbers change after writing, logging or checking in: recount on return.
        self.refresh_numbers()

    def journal_changed(self) -> None:
        """Another process saved something (the app calls this): recount."""
        self.refresh_numbers()

    def _notice_milestones(self, runs: dict[str, tuple[int, bool]], today: date) -> None:
        """1, 7, 30, 90, 180, 365 days in a row: said once, gently, and kept in the
        settings so it is not said again; a new run after a use starts afresh, and
        nothing is ever counted down or taken back."""
        settings = self.journal.settings()
        changed = False
        for name, (days, limit) in runs.items():
            if days <= 0:
                continue
            run_start = today - timedelta(days=days - 1)
            reached = milestone_reached(days, _noticed(settings, name, run_start))
            if reached is None:
                continue
            settings.milestones[name] = f"{run_start.isoformat()}:{reached}"
            self.milestones.append(milestone_text(name, reached, limit))
            changed = True
        # Viewing must not write while the journal has problems the person was told
        # "Continue" leaves untouched (screens/problems.py): noticed, not kept.
        if changed and not self.journal.problems:
            try:
                self.journal.save_settings(settings)
            except JournalError:
                pass  # noticed on screen; the journal may be read-only or locked

    def refresh_numbers(self) -> None:
        if self.journal.is_locked or not self.is_mounted:
            return
        now = self.app.clock()
        today = now.date()
        self.query_one("#today", Static).update(
            Content(_("Today, {day}").format(day=format_date(now)))
        )
        settings = self.journal.settings()
        glance = self.journal.summary()
        uses = None if glance is not None else self.journal.records(Use)
        addictions = self.query_one("#addictions", Static)
        if settings.addictions:
            runs: dict[str, tuple[int, bool]] = {}
            free = [a for a in settings.addictions if goal_per(a.goal) is None or a.limit is None]
            limited = [a for a in settings.addictions if a not in free]
            tables = []
            if free:
                if glance is not None:
                    found = [addiction_streaks(glance, a.name, today, a.tracked_since)
                             for a in free]
                else:
                    found = [streaks(uses, a.name, today, since=a.tracked_since) for a in free]
                tables.append(addiction_rows(found, compact=self.has_class("-compact")))
                runs.update((s.addiction, (s.current_streak, False)) for s in found)
            if limited:
                # From the summary: only each limited addiction's own days of use.
                found_limits = [limit_days(
                    uses if uses is not None else glance.uses_by_day(normalise_addiction(a.name)),
                    a.name, a.limit, goal_per(a.goal), today, since=a.tracked_since)
                    for a in limited]
                tables.append(limit_rows(found_limits, {a.name: a.unit for a in limited}))
                runs.update((f.addiction, (f.current_run, True)) for f in found_limits)
            addictions.update(Content("\n\n").join(tables))
            # Once the set of records is checked (the worker after unlock): a journal
            # changed outside the app gets no write from merely being looked at.
            if getattr(self.app, "fully_loaded", True):
                self._notice_milestones(runs, today)
        else:
            addictions.update(Content(_(
                "Nothing tracked yet. Add an addiction in Settings (s) to see your "
                "days and streaks here."
            )))

        milestone = self.query_one("#milestone", Static)
        milestone.update(Content("\n".join(self.milestones)))
        milestone.display = bool(self.milestones)

        if glance is None and not getattr(self.app, "fully_loaded", True):
            self.query_one("#urges", Static).update(Content(_("Counting today's urges…")))
            self.query_one("#next-step", Static).update(Content(_("One moment…")))
            return
        today_counts = urge_counts_today(self.journal, glance, now)
        count, resisted, _acted = today_counts
        if count:
            text = ngettext("{n} urge today", "{n} urges today", count).format(
                n=count
            ) + " · " + _("{n} got through without use").format(n=resisted)
        else:
            text = _("No urges logged today. If one comes, press u.")
        text += "\n" + meetings_line(self.journal, glance, now)
        self.query_one("#urges", Static).update(Content(text))
        self.query_one("#next-step", Static).update(
            Content(suggested_step(self.journal, glance, now, today_counts,
                                   plans=getattr(self.app, "fully_loaded", True)))
        )

"""Log a use (a lapse) in a few keys: which addiction, when, and, only if the person
wants, how much, the money and time it took, and a note.

Reached from the dashboard (one key), the command palette, and the end of "Urge
now" when the urge was acted on. A use is information, never a verdict: after
saving, the screen says so and offers (never pushes) the lapse-review exercise
when one with the id `lapse-review` is loaded. Streaks and charts read the
journal afresh when the person is back, so they change at once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, ContentSwitcher, Header, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from ... import records
from ...i18n import N_, _
from ...i18n.labels import addiction_label
from ...journal import Journal
from ...records import BUILTIN_ADDICTIONS, InvalidRecord, Use
from ...safetext import one_line
from ...vault.errors import JournalError
from ..widgets.keys_footer import KeysFooter

LAPSE_REVIEW = "lapse-review"

WHEN_CHOICES = (("now", N_("Now")), ("today", N_("Earlier today")), ("day", N_("Another day")))


def parse_amount(text: str) -> float | None:
    """A number as a person types it ("2", "1,5", "0.5"); None when left empty.
    Raises ValueError for anything else (or a negative number)."""
    text = text.strip().replace(",", ".")
    if not text:
        return None
    value = float(text)
    if not 0 <= value < 1e12:
        raise ValueError(text)
    return value


def parse_when(choice: str, detail: str, now: datetime) -> datetime:
    """The moment of a use: now; earlier today at HH:MM (now when left empty); or
    another day (YYYY-MM-DD) at noon, as the CLI's `--date` does. Raises ValueError."""
    detail = detail.strip()
    if choice == "now":
        return now
    if choice == "today":
        if not detail:
            return now
        hours, _sep, minutes = detail.replace(".", ":").partition(":")
        moment = time(int(hours), int(minutes or 0))
        return datetime.combine(now.date(), moment, tzinfo=now.tzinfo)
    day = date.fromisoformat(detail)
    if day == now.date():
        return now
    return datetime.combine(day, time(12, 0), tzinfo=now.tzinfo)


class LogUseScreen(Screen):
    """A short form; Ctrl+S (or Save) keeps it, Esc leaves without saving."""

    CSS_PATH = "log_use.tcss"
    BINDINGS = [
        Binding("ctrl+s", "save", N_("Save")),
        Binding("escape", "close", N_("Back")),
    ]

    def __init__(self, journal: Journal, addiction: str | None = None):
        super().__init__()
        self.journal = journal
        self.addictions = journal.tracked_addictions() or list(BUILTIN_ADDICTIONS)
        wanted = records.normalise_addiction(addiction) if addiction else None
        if wanted and wanted not in self.addictions:
            self.addictions.append(wanted)
        self.first = wanted or self.addictions[0]
        self.saved: Use | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="log-use"):
            with Vertical(classes="column"):
                yield Static(_("Log a use"), classes="title")
                with ContentSwitcher(initial="use-form", id="use-steps"):
                    with Vertical(id="use-form"):
                        yield Static(_("It happened. Noting it helps you see what led up to it. "
                                       "Only the first two lines are needed."), classes="hint")
                        with Horizontal(classes="row"):
                            yield Static(_("Addiction"), classes="label")
                            yield Select([(Content(one_line(addiction_label(n), 40)), n)
                                          for n in self.addictions], value=self.first,
                                         allow_blank=False, id="use-addiction")
                        with Horizontal(classes="row"):
                            yield Static(_("When"), classes="label")
                            yield Select([(_(label), key) for key, label in WHEN_CHOICES],
                                         value="now", allow_blank=False, id="use-when")
                            yield Input(id="use-when-detail", max_length=10)
                        with Horizontal(classes="row"):
                            yield Static(_("How much"), classes="label")
                            yield Input(id="use-amount", max_length=12, placeholder=_("e.g. 3"))
                            yield Input(id="use-unit", max_length=30, placeholder=_("unit"))
                        with Horizontal(classes="row"):
                            yield Static(_("Money spent"), classes="label")
                            yield Input(id="use-money", max_length=12)
                            yield Static(_("Minutes"), classes="label short")
                            yield Input(id="use-minutes", max_length=6)
                        with Horizontal(classes="row"):
                            yield Static(_("A note"), classes="label")
                            yield Input(id="use-note", max_length=2000,
                                        placeholder=_("what happened, what you noticed"))
                        with Horizontal(classes="row"):
                            yield Button(_("Save"), variant="primary", id="use-save")
                            yield Static("", id="use-message", classes="message")
                    with Vertical(id="use-done"):
                        yield Static(id="use-done-text")
                        yield OptionList(id="use-next")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#use-when-detail").display = False
        self._show_unit(self.first)
        self.query_one("#use-addiction").focus()

    @on(Select.Changed, "#use-addiction")
    def _addiction_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, str):
            self._show_unit(event.value)

    def _show_unit(self, name: str) -> None:
        tracked = self.journal.settings().addiction(name)
        unit = tracked.unit if tracked else ""
        if not unit:  # the unit of the last use logged, e.g. from `lapse --unit drinks`
            unit = next((u.unit for u in reversed(self.journal.records(Use))
                         if u.addiction == name and u.unit), "")
        self.query_one("#use-unit", Input).value = unit

    @on(Select.Changed, "#use-when")
    def _when_changed(self, event: Select.Changed) -> None:
        detail = self.query_one("#use-when-detail", Input)
        detail.display = event.value != "now"
        now = self.app.clock()
        if event.value == "today":
            detail.placeholder = _("HH:MM")
            detail.value = ""
        elif event.value == "day":
            detail.placeholder = _("YYYY-MM-DD")
            detail.value = (now.date() - timedelta(days=1)).isoformat()

    @on(Button.Pressed, "#use-save")
    def action_save(self) -> None:
        if self.saved is not None:
            return
        message = self.query_one("#use-message", Static)
        name = self.query_one("#use-addiction", Select).value
        choice = self.query_one("#use-when", Select).value
        try:
            when = parse_when(str(choice), self.query_one("#use-when-detail", Input).value,
                              self.app.clock())
        except ValueError:
            message.update(Content(_("Please give the time as HH:MM, or the day as YYYY-MM-DD.")))
            return
        try:
            amount = parse_amount(self.query_one("#use-amount", Input).value)
            money = parse_amount(self.query_one("#use-money", Input).value)
            minutes_text = self.query_one("#use-minutes", Input).value.strip()
            minutes = int(minutes_text) if minutes_text else None
        except ValueError:
            message.update(Content(_("Amount, money and minutes are numbers (or left empty).")))
            return
        use = Use(addiction=str(name), amount=amount, money=money, minutes=minutes,
                  unit=self.query_one("#use-unit", Input).value.strip(),
                  note=self.query_one("#use-note", Input).value.strip(), when=when)
        try:
            if self.journal.settings().addiction(use.addiction) is None:
                self.journal.track(use.addiction)
            self.saved = self.journal.add(use)
        except (InvalidRecord, JournalError) as exc:
            message.update(Content(str(exc)))
            return
        self._show_done()

    def _health_note(self) -> str | None:
        """After a break, tolerance is lower: the calm note for alcohol, opioids and
        medicines (health_notes.py), as the CLI's `lapse` says it too."""
        from ... import health_notes

        use = self.saved
        if use is None or not health_notes.is_higher_risk(use.addiction):
            return None
        tracked = self.journal.settings().addiction(use.addiction)
        return health_notes.health_note_after_use(
            use.addiction, use.when.astimezone().date(),
            (u.when.astimezone().date() for u in self.journal.records(Use)
             if u.addiction == use.addiction and u.id != use.id),
            tracked_since=tracked.tracked_since if tracked is not None else None)

    def _show_done(self) -> None:
        text = _("Saved. A lapse is information about what happened; your history stays, "
                 "and every use-free day still counts.")
        note = self._health_note()
        if note:
            text += "\n\n" + note
        options = [Option(_("Back"), id="back")]
        if _lapse_review() is not None:
            text += "\n\n" + _("When you feel ready, the lapse review can help you see what "
                               "led up to it and what to try next time. No hurry.")
            options.append(Option(_("Do the lapse review now"), id="review"))
        self.query_one("#use-done-text", Static).update(Content(text))
        next_steps = self.query_one("#use-next", OptionList)
        next_steps.clear_options()
        next_steps.add_options(options)
        self.query_one("#use-steps", ContentSwitcher).current = "use-done"
        next_steps.highlighted = 0
        next_steps.focus()

    @on(OptionList.OptionSelected, "#use-next")
    def _next_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id == "review":
            from .exercises.run import ExerciseRunScreen

            exercise = _lapse_review()
            if exercise is not None:
                self.app.switch_screen(ExerciseRunScreen(self.journal, exercise))
                return
        self.dismiss(self.saved)

    def action_close(self) -> None:
        self.dismiss(self.saved)


def _lapse_review():
    """The lapse-review exercise when one is loaded (shipped or the person's own)."""
    try:
        from ...exercises import load_exercises

        return load_exercises().get(LAPSE_REVIEW)
    except Exception:  # a broken exercise file must not stop a use from being logged
        return None

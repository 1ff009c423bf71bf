"""The person's safety plan, one key away from every screen (F2, bound by the app).

Shows the newest saved plan; with none yet, offers to fill it in. Updating the plan
saves a new response, so earlier versions stay in the exercise's history. Below the
plan: the help lines of the person's country (`crisis_lines.py`), with the day they
were checked.

`CrisisLinesScreen` is what F2 opens while the journal is locked: the generic help
lines only, never anything from the person's plan.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Button, Header, Static

from ... import crisis_lines
from ...exercises import SAFETY_PLAN_ID, Exercise, ExerciseLibrary, load_exercises
from ...i18n import N_, _, current_language
from ...journal import Journal
from ...records import ExerciseResponse
from ..read_only import refused
from ..widgets.exercise_fields import literal, translate_bindings
from .exercises.answers import answers_content, draft_purpose, responses_for, when_text
from .exercises.history import HistoryScreen
from .exercises.start import open_exercise
from ..widgets.keys_footer import KeysFooter

def crisis_lines_content(country: crisis_lines.Country) -> Content:
    """The help lines of one country, with the day they were checked (all our text,
    from the shipped data file, shown literally all the same)."""
    parts = [Content.styled(_("Help lines: {country}").format(country=country.label()), "bold"),
             Content("\n"),
             Content.styled(crisis_lines.checked_note(country), "italic")]
    for heading, details, confirmed in crisis_lines.line_lines(country):
        parts += [Content("\n\n"), Content.styled(heading, "bold" if confirmed else "")]
        parts += [Content("\n"), literal(details)]
    return Content("").join(parts)


class SafetyPlanScreen(Screen):
    """My safety plan: read it on a hard day, change it on a calm one."""

    CSS_PATH = "safety_plan.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("e", "edit", N_("Fill in / update")),
        Binding("h", "history", N_("Earlier versions")),
    ]

    def __init__(self, journal: Journal, library: ExerciseLibrary | None = None):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.library = library or load_exercises()
        self.exercise: Exercise | None = self.library.get(SAFETY_PLAN_ID)
        self.country = crisis_lines.country(journal.settings().country)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(crisis_lines.emergency_line(self.country), id="safety-emergency")
        with VerticalScroll(id="safety-body"):
            yield Static("", id="safety-plan")
            yield Static(crisis_lines_content(self.country), id="crisis-lines")
        with Horizontal(id="safety-buttons"):
            yield Button(_("Fill in my safety plan"), id="safety-edit", variant="primary",
                         compact=True)
            yield Button(_("Earlier versions"), id="safety-history", compact=True)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("My safety plan")
        self.refresh_plan()

    def on_screen_resume(self) -> None:
        if not self.journal.is_locked:  # the app closes screens one by one as it locks
            self.refresh_plan()

    @property
    def latest(self) -> ExerciseResponse | None:
        saved = responses_for(self.journal, SAFETY_PLAN_ID)
        return saved[0] if saved else None

    def refresh_plan(self) -> None:
        plan = self.query_one("#safety-plan", Static)
        edit = self.query_one("#safety-edit", Button)
        history = self.query_one("#safety-history", Button)
        if self.exercise is None:
            plan.update(_("The safety plan exercise could not be loaded, so it cannot be shown "
                          "here. Your saved answers are safe in the journal."))
            edit.display = history.display = False
            return
        latest = self.latest
        history.display = len(responses_for(self.journal, SAFETY_PLAN_ID)) > 1
        has_draft = self.journal.draft(draft_purpose(self.exercise)) is not None
        if latest is None:
            parts = [
                Content.styled(_("You have not made a safety plan yet."), "bold"),
                Content("\n\n"),
                literal(self.exercise.purpose.get()),
                Content("\n\n"),
                literal(_("It takes about {minutes} minutes. Press e or the button below to "
                          "begin.").format(minutes=self.exercise.minutes)),
            ]
            if has_draft:
                parts += [Content("\n\n"), Content.styled(
                    _("✎ You started one earlier; you can carry on where you left off."),
                    "italic")]
            plan.update(Content("").join(parts))
            edit.label = _("Carry on with my plan") if has_draft else _("Fill in my safety plan")
            return
        plan.update(Content("").join([
            Content.styled(_("Saved {when}").format(when=when_text(latest.when)), "italic"),
            Content("\n\n"),
            answers_content(self.exercise, latest.answers),
        ]))
        edit.label = _("Update my plan")

    def action_edit(self) -> None:
        if self.exercise is None or refused(self, self.journal):
            return
        latest = self.latest
        # Updating starts from the newest plan: most of it usually still holds.
        open_exercise(self, self.journal, self.exercise,
                      prefill=dict(latest.answers) if latest else None)

    def action_history(self) -> None:
        if self.exercise is not None and responses_for(self.journal, SAFETY_PLAN_ID):
            self.app.push_screen(HistoryScreen(self.journal, self.exercise))

    @on(Button.Pressed, "#safety-edit")
    def _edit_pressed(self) -> None:
        self.action_edit()

    @on(Button.Pressed, "#safety-history")
    def _history_pressed(self) -> None:
        self.action_history()

    def action_close(self) -> None:
        self.dismiss()


class CrisisLinesScreen(Screen):
    """Help lines while the journal is locked (F2 on the unlock screen): generic
    numbers for a country, nothing about the person. `n` shows another country."""

    CSS_PATH = "safety_plan.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("n", "next_country", N_("Another country")),
    ]

    def __init__(self, country_code: str = ""):
        super().__init__()
        translate_bindings(self)
        self.country = crisis_lines.country(country_code, current_language())

    def compose(self) -> ComposeResult:
        yield Static(crisis_lines.emergency_line(self.country), id="safety-emergency")
        with VerticalScroll(id="safety-body"):
            yield Static(_("Your safety plan is in your journal and opens after you unlock it. "
                           "These help lines need no passphrase."), id="crisis-intro")
            yield Static(crisis_lines_content(self.country), id="crisis-lines")
        yield KeysFooter()

    def action_next_country(self) -> None:
        codes = crisis_lines.country_codes()
        self.country = crisis_lines.country(
            codes[(codes.index(self.country.code) + 1) % len(codes)])
        self.query_one("#safety-emergency", Static).update(
            crisis_lines.emergency_line(self.country))
        self.query_one("#crisis-lines", Static).update(crisis_lines_content(self.country))

    def action_close(self) -> None:
        self.dismiss()

"""Starting an exercise: when unsaved answers are waiting, ask first whether to
carry on with them or start afresh; when a saved plan waits to be told how it went
(come_back.py), offer that."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from ....come_back import ComeBack, plans_to_come_back
from ....exercises import Exercise, ExerciseLibrary
from ....i18n import N_, _
from ....journal import Journal
from ...widgets.exercise_fields import literal, translate_bindings
from .answers import draft_purpose, response_of, responses_for, when_text
from .run import ExerciseRunScreen


def open_exercise(screen: Screen, journal: Journal, exercise: Exercise,
                  prefill: dict[str, Any] | None = None) -> None:
    """Start an exercise, offering first to carry on with a draft if there is one, or
    else to say how a plan went when a saved response waits for that (come_back.py)."""
    app = screen.app
    if app.screen is not screen:
        return  # a key typed ahead while another screen was opening: open only one
    draft = journal.draft(draft_purpose(exercise))
    if draft is None or not draft.content.get("answers"):
        waiting = None if prefill else plan_to_come_back(journal, exercise)
        if waiting is None:
            app.push_screen(ExerciseRunScreen(journal, exercise, prefill))
            return

        def come_back_chosen(choice: str | None) -> None:
            if choice == "resume":
                app.push_screen(ExerciseRunScreen(
                    journal, exercise, dict(waiting.response.answers),
                    step=waiting.step_index, responding_to=waiting.response))
            elif choice == "fresh":
                app.push_screen(ExerciseRunScreen(journal, exercise, prefill))

        app.push_screen(ComeBackScreen(waiting), come_back_chosen)
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            app.push_screen(ExerciseRunScreen(
                journal, exercise, dict(draft.content.get("answers", {})),
                step=int(draft.content.get("step", 0) or 0),
                responding_to=response_of(journal, draft.content)))
        elif choice == "fresh":
            # The old draft stays until the new answers replace it: nothing is lost
            # by a slip of the finger.
            app.push_screen(ExerciseRunScreen(journal, exercise, prefill))

    app.push_screen(ResumeDraftScreen(exercise, draft.updated), chosen)


def plan_to_come_back(journal: Journal, exercise: Exercise) -> ComeBack | None:
    """This exercise's latest saved response, if it waits for its "after trying it" step."""
    mine = responses_for(journal, exercise.id)
    library = ExerciseLibrary(exercises={exercise.id: exercise})
    waiting = plans_to_come_back(library, mine[:1], datetime.now().astimezone())
    return waiting[0] if waiting else None


class ResumeDraftScreen(ModalScreen[str | None]):
    """Carry on with unsaved answers, or start afresh. Escape does neither."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [Binding("escape", "dismiss(None)", N_("Cancel"))]

    def __init__(self, exercise: Exercise, updated: datetime):
        super().__init__()
        translate_bindings(self)
        self.exercise = exercise
        self.updated = updated

    def compose(self) -> ComposeResult:
        with Vertical(id="resume-box"):
            yield Static(literal(_("You have unsaved answers to “{title}” from {when}.").format(
                title=self.exercise.title.get(), when=when_text(self.updated))),
                id="resume-question")
            with Horizontal(id="resume-buttons"):
                yield Button(_("Carry on"), id="resume", variant="primary")
                yield Button(_("Start afresh"), id="fresh")

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)


class ComeBackScreen(ResumeDraftScreen):
    """Say how a plan went (the saved answers, at their come-back step), or start afresh."""

    def __init__(self, waiting: ComeBack):
        super().__init__(waiting.exercise, waiting.response.created)
        self.waiting = waiting

    def compose(self) -> ComposeResult:
        when = when_text(self.waiting.response.created)
        if self.waiting.plan:
            question = _("On {when} you planned “{plan}”. Would you like to say how it "
                         "went?").format(when=when, plan=self.waiting.plan)
        else:
            question = _("On {when} you made a plan in “{title}”. Would you like to say "
                         "how it went?").format(when=when, title=self.exercise.title.get())
        with Vertical(id="resume-box"):
            yield Static(literal(question), id="resume-question")
            with Horizontal(id="resume-buttons"):
                yield Button(_("Say how it went"), id="resume", variant="primary")
                yield Button(_("Start afresh"), id="fresh")

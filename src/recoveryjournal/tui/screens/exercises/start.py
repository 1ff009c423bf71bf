"""Starting an exercise: when unsaved answers are waiting, ask first whether to
carry on with them or start afresh."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from ....exercises import Exercise
from ....i18n import N_, _
from ....journal import Journal
from ...widgets.exercise_fields import literal, translate_bindings
from .answers import draft_purpose, when_text
from .run import ExerciseRunScreen


def open_exercise(screen: Screen, journal: Journal, exercise: Exercise,
                  prefill: dict[str, Any] | None = None) -> None:
    """Start an exercise, offering first to carry on with a draft if there is one."""
    app = screen.app
    if app.screen is not screen:
        return  # a key typed ahead while another screen was opening: open only one
    draft = journal.draft(draft_purpose(exercise))
    if draft is None or not draft.content.get("answers"):
        app.push_screen(ExerciseRunScreen(journal, exercise, prefill))
        return

    def chosen(choice: str | None) -> None:
        if choice == "resume":
            app.push_screen(ExerciseRunScreen(
                journal, exercise, dict(draft.content.get("answers", {})),
                step=int(draft.content.get("step", 0) or 0)))
        elif choice == "fresh":
            # The old draft stays until the new answers replace it: nothing is lost
            # by a slip of the finger.
            app.push_screen(ExerciseRunScreen(journal, exercise, prefill))

    app.push_screen(ResumeDraftScreen(exercise, draft.updated), chosen)


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

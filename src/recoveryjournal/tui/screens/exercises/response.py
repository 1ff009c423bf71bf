"""One saved answer to an exercise, or two side by side."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ....exercises import Exercise, answer_lines, is_answered
from ....i18n import N_, _
from ....records import ExerciseResponse
from ....safetext import clean
from ...widgets.exercise_fields import literal, translate_bindings
from ...widgets.keys_footer import KeysFooter
from .answers import short_prompt, when_text


class ResponseScreen(Screen):
    """One saved answer, or two side by side (older on the left), step by step so
    the two answers to the same step stay level with each other."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [Binding("escape", "close", N_("Back"))]

    def __init__(self, exercise: Exercise, responses: list[ExerciseResponse]):
        super().__init__()
        translate_bindings(self)
        self.exercise = exercise
        self.responses = responses

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="response-body"):
            with Horizontal(classes="response-row"):
                for response in self.responses:
                    yield Static(Content.styled(_("Saved {when}").format(
                        when=when_text(response.when)), "bold underline"),
                        classes="response-when response-cell")
            for step in self.exercise.all_steps or self.exercise.steps:
                if step.retired and not any(is_answered(step, r.answers.get(step.id))
                                            for r in self.responses):
                    continue  # no longer asked, and not answered back then either
                yield Static(Content.styled(clean(short_prompt(step)), "bold"),
                             classes="response-step")
                with Horizontal(classes="response-row"):
                    for response in self.responses:
                        lines = answer_lines(step, response.answers.get(step.id),
                                             answers=response.answers)
                        yield Static(literal("\n".join(lines)),
                                     classes="response-answers response-cell")
        yield KeysFooter()

    def on_mount(self) -> None:
        # The title, not the sub-title: the app keeps "DEMO" there.
        title = clean(self.exercise.title.get())
        self.title = (_("{title}, side by side").format(title=title)
                      if len(self.responses) == 2 else title)

    def action_close(self) -> None:
        self.dismiss()

"""Looking back: the earlier answers to one exercise, to open one or compare two."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, SelectionList, Static
from textual.widgets.selection_list import Selection

from ....exercises import Exercise, answer_lines, is_answered
from ....i18n import N_, _
from ....journal import Journal
from ....records import ExerciseResponse
from ....safetext import one_line
from ...widgets.exercise_fields import literal, translate_bindings
from ...widgets.keys_footer import KeysFooter
from ...widgets.tick_list import TickList
from .answers import responses_for, when_text
from .response import ResponseScreen


class HistoryScreen(Screen):
    """Earlier answers to one exercise: open one, or mark two and compare them."""

    CSS_PATH = "exercises.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("enter,o", "open", N_("Open"), priority=True),
        Binding("c", "compare", N_("Compare two")),
    ]

    def __init__(self, journal: Journal, exercise: Exercise):
        super().__init__()
        translate_bindings(self)
        self.journal = journal
        self.exercise = exercise
        self.responses = responses_for(journal, exercise.id)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(literal(_("Earlier answers: {title}").format(title=self.exercise.title.get())),
                     id="history-heading")
        yield TickList[str](
            *(Selection(literal(self._describe(r)), r.id) for r in self.responses),
            id="history-list")
        yield Static(_("Space marks an answer; mark two and press c to see them side by side."),
                     id="history-hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = _("Earlier answers")
        self.query_one(SelectionList).focus()

    def _describe(self, response: ExerciseResponse) -> str:
        first = next((s for s in self.exercise.steps
                      if is_answered(s, response.answers.get(s.id))), None)
        summary = one_line(answer_lines(first, response.answers.get(first.id))[0], 40) if first else ""
        state = "" if response.finished else " · " + _("partly done")
        return f"{when_text(response.when)}{state}  {summary}"

    def _by_id(self, response_id: str) -> ExerciseResponse | None:
        return next((r for r in self.responses if r.id == response_id), None)

    def action_open(self) -> None:
        listing = self.query_one(SelectionList)
        option = listing.highlighted_option
        response = self._by_id(option.value) if option else None  # type: ignore[union-attr]
        if response is not None:
            self.app.push_screen(ResponseScreen(self.exercise, [response]))

    def action_compare(self) -> None:
        marked = [self._by_id(i) for i in self.query_one(SelectionList).selected]
        marked = [r for r in marked if r is not None]
        if len(marked) != 2:
            self.notify(_("Mark exactly two answers with Space to compare them."))
            return
        marked.sort(key=lambda r: r.when)
        self.app.push_screen(ResponseScreen(self.exercise, marked))

    def action_close(self) -> None:
        self.dismiss()

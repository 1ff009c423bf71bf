"""The well-being check-in: the five WHO-5 statements, one at a time, then a mood.

Each answer is one key (0-5, or the arrows and Enter). The answers so far are kept
as a draft ("checkin"), so a lock or a closed screen halfway does not lose them;
the check-in is saved when the fifth answer is given. The score is shown with a
gentle word when it is below 50 %.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from ... import records, who5
from ...i18n import N_, _, current_language
from ...journal import Journal
from ...records import Checkin, Mood
from ..widgets.keys_footer import KeysFooter

DRAFT_PURPOSE = "checkin"

MOODS = ((5, N_("Very good")), (4, N_("Good")), (3, N_("Okay")), (2, N_("Low")), (1, N_("Very low")))


class CheckinScreen(Screen):
    """Five questions about the last two weeks, and how today feels."""

    CSS_PATH = "checkin.tcss"
    BINDINGS = [
        Binding("escape", "close", N_("Back")),
        Binding("backspace", "previous", N_("Previous"), show=True),
    ] + [Binding(str(n), f"answer({n})", show=False) for n in range(6)]

    def __init__(self, journal: Journal):
        super().__init__()
        self.journal = journal
        self.answers: list[int] = []
        self.checkin: Checkin | None = None
        self.step = "items"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="checkin"):
            with Vertical(classes="column"):
                yield Static(_("Well-being check-in"), classes="title")
                yield Static(id="checkin-progress", classes="hint")
                yield Static(id="checkin-result")
                yield Static(id="checkin-question", classes="question")
                yield OptionList(id="checkin-options")
                yield Static(id="checkin-note", classes="hint")
        yield KeysFooter()

    def on_mount(self) -> None:
        draft = self.journal.draft(DRAFT_PURPOSE)
        if draft is not None:
            saved = [a for a in draft.content.get("answers", []) if isinstance(a, int) and 0 <= a <= 5]
            self.answers = saved[:4]
            if self.answers:
                self.notify(_("Carrying on where you left off."))
        note = who5.translation_note(current_language())
        self.query_one("#checkin-note", Static).update(Content(note or ""))
        self._show_item()

    # ---- the five statements ------------------------------------------------------------

    def _show_item(self) -> None:
        number = len(self.answers)
        self.step = "items"
        self.query_one("#checkin-progress", Static).update(Content(
            _("Statement {n} of 5 · a digit 0-5 answers").format(n=number + 1)))
        self.query_one("#checkin-result").display = False
        self.query_one("#checkin-question", Static).update(Content(
            who5.intro() + "\n" + who5.items()[number]))
        options = self.query_one("#checkin-options", OptionList)
        options.clear_options()
        options.add_options(Option(Content(f"{value}  {label}"), id=f"v{value}")
                            for value, label in who5.answers())
        options.highlighted = 0
        options.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "answer":
            return self.step == "items" or (self.step == "mood" and 1 <= int(parameters[0]) <= 5)
        if action == "previous":
            return self.step == "items" and bool(self.answers)
        return True

    @on(OptionList.OptionSelected, "#checkin-options")
    def _option_chosen(self, event: OptionList.OptionSelected) -> None:
        value = int((event.option.id or "v0")[1:])
        if self.step == "items":
            self.action_answer(value)
        elif self.step == "mood":
            self._mood(value)

    def action_answer(self, value: int) -> None:
        if self.step == "mood":
            self._mood(value)
            return
        if self.step != "items":
            return
        self.answers.append(value)
        if len(self.answers) < 5:
            self.journal.save_draft(DRAFT_PURPOSE, {"answers": list(self.answers)})
            self._show_item()
            return
        self._finish()

    def action_previous(self) -> None:
        if self.step == "items" and self.answers:
            self.answers.pop()
            self._show_item()

    def _finish(self) -> None:
        score = who5.score(self.answers)
        self.checkin = self.journal.add(Checkin(items=list(self.answers), when=_now(self)))
        self.journal.discard_draft(DRAFT_PURPOSE)
        result = self.query_one("#checkin-result", Static)
        result.update(Content(score.message))
        result.set_class(score.low, "-low")
        result.display = True
        self.query_one("#checkin-note").display = False
        self.step = "mood"
        self.query_one("#checkin-progress", Static).update(Content(_("Saved.")))
        self.query_one("#checkin-question", Static).update(
            Content(_("And how is your mood today? (1-5, or Esc to skip)")))
        options = self.query_one("#checkin-options", OptionList)
        options.clear_options()
        options.add_options(Option(Content(f"{value}  {_(label)}"), id=f"v{value}")
                            for value, label in MOODS)
        options.highlighted = 0
        options.focus()
        self.refresh_bindings()

    def _mood(self, value: int) -> None:
        self.journal.add(Mood(mood=value, when=_now(self)))
        self.step = "done"
        self.query_one("#checkin-options").display = False
        self.query_one("#checkin-question", Static).update(
            Content(_("Thank you. Both are saved; Progress (p) shows how the weeks go.")))
        self.refresh_bindings()

    # ---- leaving -----------------------------------------------------------------------

    def save_draft(self) -> None:
        """Keep the answers given so far (before a lock, or when leaving halfway)."""
        if self.step == "items" and self.answers:
            self.journal.save_draft(DRAFT_PURPOSE, {"answers": list(self.answers)})

    def action_close(self) -> None:
        self.save_draft()
        self.app.pop_screen()


def _now(screen: Screen):
    clock = getattr(screen.app, "clock", None)
    return clock() if callable(clock) else records.now()

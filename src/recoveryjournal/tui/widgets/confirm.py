"""A yes/no question in a small dialog, answered with y/n, Enter or Escape, and the
one question every entry screen asks with it: delete this entry for good?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Static

from ...i18n import N_, _
from ...i18n.formats import format_datetime
from ...records import Entry
from ...safetext import one_line


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True for yes and False for no. `question` is shown literally."""

    BINDINGS = [
        Binding("escape,n", "answer(False)", N_("No")),
        Binding("y", "answer(True)", N_("Yes")),
    ]

    def __init__(self, question: str, yes: str, no: str, *, danger: bool = False):
        super().__init__()
        self.question = question
        self.yes = yes
        self.no = no
        self.danger = danger

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            yield Static(Content(self.question), id="confirm-question")
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(self.no), id="no")
                yield Button(Content(self.yes), id="yes",
                             variant="error" if self.danger else "primary")

    def on_mount(self) -> None:
        # The safe answer has the focus, so a stray Enter never deletes anything.
        self.query_one("#no" if self.danger else "#yes").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def confirm_delete(screen: Screen, entry: Entry, after) -> None:
    """Ask before deleting `entry` for good; `after()` runs once it is gone."""
    when = entry.when.astimezone()

    def answered(yes: bool | None) -> None:
        if yes and screen.app.journal is not None:
            screen.app.journal.delete(entry)
            screen.app.journal.discard_draft(f"entry:{entry.id}")
            screen.app.notify(_("The entry was deleted."))
            after()

    screen.app.push_screen(
        ConfirmScreen(
            _("Delete the entry from {when} for good? “{title}”").format(
                when=format_datetime(when, numeric=True), title=one_line(entry.title, 50)
            ),
            yes=_("Delete"), no=_("Keep it"), danger=True,
        ),
        answered,
    )

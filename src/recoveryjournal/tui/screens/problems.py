"""Shown once after unlock when some records could not be read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ...i18n import N_, _


class ProblemsScreen(ModalScreen[None]):
    """A calm list of damaged records; everything else opened normally."""

    BINDINGS = [Binding("escape,enter", "dismiss", N_("Continue"))]
    def __init__(self, problems: list[str]):
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        with Vertical(id="problems-box"):
            yield Static(_("Some of your journal could not be read"), classes="title")
            yield Static(_(
                "Everything else opened normally. What could not be read was left as it "
                "is on disk; a backup from before may still hold it."
            ))
            with VerticalScroll(id="problems-list"):
                for problem in self.problems:
                    yield Static(Content("• " + problem))
            yield Button(_("Continue"), variant="primary", id="continue")

    def on_button_pressed(self) -> None:
        self.dismiss()

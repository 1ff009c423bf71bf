"""Placeholder app until the TUI lands."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static


class RecoveryJournalApp(App):
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, path: Path):
        super().__init__()
        self.journal_path = path

    def compose(self) -> ComposeResult:
        yield Static("recoveryjournal — the full-screen app is on its way. Press q to quit.")
        yield Footer()

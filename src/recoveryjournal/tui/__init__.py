"""The full-screen app (Textual). Only this package imports textual."""

from __future__ import annotations

from pathlib import Path


def run(path: Path) -> int:
    """Start the app on the journal at `path`."""
    from .app import RecoveryJournalApp

    RecoveryJournalApp(path).run()
    return 0

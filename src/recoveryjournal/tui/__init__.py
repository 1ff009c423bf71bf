"""The full-screen app (Textual). Only this package imports textual."""

from __future__ import annotations

from pathlib import Path


def run(path: Path, demo: bool = False, journal=None) -> int:
    """Start the app on the journal at `path` (a first-run welcome if there is none).

    `journal`, when given, is already unlocked (the demo opens straight on the dashboard).
    Returns the exit code: 1 after a crash.
    """
    from .app import RecoveryJournalApp

    app = RecoveryJournalApp(Path(path), demo=demo, journal=journal)
    app.run()
    return app.return_code or 0

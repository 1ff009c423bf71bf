"""`recoveryjournal demo`: every screen and chart on sample data, in one command.

The demo journal is a real, encrypted journal in a fresh temporary folder, filled
with 90 days of sample data (`recoveryjournal.demo`), opened with "DEMO" on every
screen, and deleted when the app closes, also on Ctrl-C or a termination signal.
The person's own journal is never opened or touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..i18n import _

ORDER = 90  # last in --help


def register(subparsers: argparse._SubParsersAction) -> None:
    demo = subparsers.add_parser(
        "demo", help=_("try the app on sample data in a throwaway journal (yours is not touched)"))
    demo.add_argument("--days", type=int, default=90, help=_("days of sample data (default 90)"))
    demo.add_argument("--seed", type=int, default=2024, help=_("a different seed, a different story"))
    demo.set_defaults(handler=cmd_demo)


def cmd_demo(args: argparse.Namespace, path: Path) -> int:
    # Imported here, not at the top: every command builds the parser, which
    # imports this module, and only the demo needs these.
    import shutil
    import signal
    import tempfile

    from .. import demo
    from ..journal import Journal

    days = max(7, min(args.days, 3650))
    folder = Path(tempfile.mkdtemp(prefix="recoveryjournal-demo-"))
    # Termination and a closed terminal (SIGHUP) must delete the demo folder too.
    stops = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {number: signal.signal(number, _stop) for number in stops}
    try:
        journal_path = folder / "demo.db"
        print(_("Making a demo journal with {days} days of sample data…").format(days=days),
              file=sys.stderr)
        journal, _code = Journal.create(journal_path, demo.DEMO_PASSPHRASE)
        demo.populate(journal, days=days, seed=args.seed)
        code = _run_app(journal_path, journal, demo.DEMO_PASSPHRASE)
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        shutil.rmtree(folder, ignore_errors=True)
    print(_("The demo journal is deleted. Your own journal was not touched."), file=sys.stderr)
    return code


def _run_app(journal_path: Path, journal, passphrase: str) -> int:
    """Open the app already unlocked when it can take a journal; else say the passphrase."""
    import inspect

    from .. import tui

    if "journal" in inspect.signature(tui.run).parameters:
        # Decrypt into memory here, on the thread that opened the file: the app's
        # loading worker runs on another thread, and SQLite connections stay put.
        journal.load()
        return tui.run(journal_path, demo=True, journal=journal) or 0
    journal.lock()
    print(_("The demo passphrase is: {passphrase}").format(passphrase=passphrase), file=sys.stderr)
    return tui.run(journal_path, demo=True) or 0


def _stop(signum, frame) -> None:
    # The signal becomes an exception, so the `finally` above deletes the demo folder.
    raise SystemExit(128 + signum)

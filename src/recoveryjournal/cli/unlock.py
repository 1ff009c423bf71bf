"""Unlocking a journal from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import _
from ..journal import Journal
from .questions import Answers


def unlock(path: Path, answers: Answers, preload: bool | str = False) -> Journal:
    """Ask the passphrase (one try: the CLI is scripted) and open the journal.

    `preload`: what to read while the passphrase is checked (Journal.open): the
    search reads which row is an entry (preload="kinds"); an export reads nothing
    then, and every row after, a batch at a time."""
    check_journal_file(path)
    journal = Journal.open(path, answers.secret(_("Passphrase: ")), preload=preload)
    try:
        warning = journal.check_rollback()
        if warning:
            print(f"recoveryjournal: {warning}", file=sys.stderr)
        for problem in journal.quick_check():
            say_problem(problem)
    except BaseException:
        journal.lock()
        raise
    return journal


_said: set[str] = set()  # one command per process: each problem is said once


def say_problem(problem: str) -> None:
    """A problem line on stderr, once per process (the quick check at unlock and a
    full read may both find the same one)."""
    if problem not in _said:
        _said.add(problem)
        print(_("Note: {problem}").format(problem=problem), file=sys.stderr)


def check_journal_file(path: Path) -> None:
    """Refuse a missing or foreign file before any secret is asked for, so "no
    journal yet" is said without a prompt."""
    from ..vault import crypto
    from ..vault.store import Store

    Store.open(path, crypto.FORMAT_VERSION).close()

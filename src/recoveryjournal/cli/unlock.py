"""Unlocking a journal from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from ..i18n import _
from ..journal import Journal
from .answers import Answers


def unlock(path: Path, answers: Answers, preload: bool = False) -> Journal:
    """Ask the passphrase (one try: the CLI is scripted) and open the journal.

    preload=True for commands that read (list, search, export): the sealed
    records are read from disk while the passphrase is checked."""
    check_journal_file(path)
    journal = Journal.open(path, answers.secret(_("Passphrase: ")), preload=preload)
    warning = journal.check_rollback()
    if warning:
        print(f"recoveryjournal: {warning}", file=sys.stderr)
    return journal


def check_journal_file(path: Path) -> None:
    """Refuse a missing or foreign file before any secret is asked for, so "no
    journal yet" is said without a prompt."""
    from ..vault import crypto
    from ..vault.store import Store

    Store.open(path, crypto.FORMAT_VERSION).close()

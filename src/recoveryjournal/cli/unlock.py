"""Unlocking a journal from the command line."""

from __future__ import annotations

from pathlib import Path

from ..i18n import _
from ..journal import Journal
from .answers import Answers


def unlock(path: Path, answers: Answers, preload: bool = False) -> Journal:
    """Ask the passphrase (one try: the CLI is scripted) and open the journal.

    preload=True for commands that read everything (list, search): the sealed
    records are read from disk while the passphrase is checked."""
    from ..vault.store import Store
    from ..vault import crypto

    # Check the file before asking, so "no journal yet" is said without a prompt.
    Store.open(path, crypto.FORMAT_VERSION).close()
    return Journal.open(path, answers.secret(_("Passphrase: ")), preload=preload)

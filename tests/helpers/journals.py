"""Journals for subprocess tests: the real CLI refuses conftest's tiny KDF floor."""

from __future__ import annotations

import shutil
from pathlib import Path

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry
from recoveryjournal.vault import crypto

REAL_FLOOR = crypto.KdfParams(salt=b"", memory_kib=65536, iterations=3, lanes=4)


def make_cli_journal(path: Path, passphrase: str, texts: list[str]) -> tuple[list[str], str]:
    """A journal at the shipped KDF floor holding `texts`; returns (ids, recovery code).

    In-process tests run with conftest's fast floor patched in; the real floor
    is put back only while the key slots are made, then restored."""
    fast = crypto.KDF_FLOOR
    crypto.KDF_FLOOR = REAL_FLOOR
    try:
        journal, code = Journal.create(path, passphrase, addictions=["alcohol"])
    finally:
        crypto.KDF_FLOOR = fast
    ids = [journal.add(Entry(text=text)).id for text in texts]
    journal.lock()
    return ids, code


class Template:
    """One CLI-ready journal made once per module and copied for each test (the
    real KDF costs ~0.3 s per journal)."""

    def __init__(self, folder: Path, passphrase: str, texts: list[str]):
        self.source = folder / "template.db"
        self.passphrase = passphrase
        self.ids, self.recovery_code = make_cli_journal(self.source, passphrase, texts)

    def copy_to(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(self.source, path)
        return path

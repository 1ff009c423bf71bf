"""Shared fixtures: a fast KDF in-process, a home that is never the developer's, English
in every test, and journals. Helper functions and constants are in tests/helpers/."""

from __future__ import annotations

import pytest

from recoveryjournal.vault import crypto

from helpers import PASSPHRASE


@pytest.fixture(autouse=True)
def fast_kdf(monkeypatch):
    """Argon2id at its real floor costs ~0.15 s per unlock; in-process tests use a
    tiny floor instead. Subprocess tests (the real CLI) still run the real KDF."""
    monkeypatch.setattr(
        crypto, "KDF_FLOOR", crypto.KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1)
    )


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch):
    """Keep the developer's real journal, config and data folders out of every test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("RECOVERYJOURNAL_PATH", raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    return home


@pytest.fixture(autouse=True)
def english():
    """Every test starts and ends in English: tests read English words, and one that
    switches the language (or a journal's settings that do) must not leave it set for
    the next test. A test about another language sets it itself."""
    from recoveryjournal.i18n import set_language

    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def journal_path(tmp_path):
    return tmp_path / "journal" / "j.db"


@pytest.fixture
def journal(journal_path):
    """A fresh, unlocked journal tracking alcohol and gambling."""
    from recoveryjournal.journal import Journal

    opened, _code = Journal.create(journal_path, PASSPHRASE, addictions=["alcohol", "gambling"])
    yield opened
    opened.lock()

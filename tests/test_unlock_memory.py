"""The session's peak memory is the unlock: Argon2id's 64 MiB lands on top of
whatever the app holds on the unlock screen (issue 18: ≤ 120 MB for a whole
session at the benchmark journal). So before the key derivation the app holds
only what the unlock screen needs: the screens, charts and exporters that come
after it are imported after the KDF, the command line's commands are not
imported when it opens the app, and the journal file is read no further than
its format marker until the passphrase is checked.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from helpers import PASSPHRASE
from helpers.processes import DEADLINE_S
from helpers.tui import make_journal
from recoveryjournal.cli import opens_the_app
from recoveryjournal.journal import Journal
from recoveryjournal.vault import crypto, store

# Imported after the KDF, never before (resident at the time of the KDF, each adds
# to the peak; MB measured one after the other on 2026-11-30).
AFTER_UNLOCK = [
    "recoveryjournal.tui.screens.dashboard",  # 1.3 MB with what it imports
    "recoveryjournal.charts",                 # 0.8
    "plotext",                                # 4.8
    "sqlite_utils",                           # 3.4 (only creating a journal needs it)
    "recoveryjournal.tui.screens.progress",   # 1.7
    "recoveryjournal.insights",
    "recoveryjournal.tui.screens.entries",
    "recoveryjournal.tui.screens.urge_now",
    "recoveryjournal.tui.screens.checkin",
    "recoveryjournal.tui.screens.export",
    "recoveryjournal.export.html",
    "recoveryjournal.export.markdown",
    "recoveryjournal.export.csv_export",
    "recoveryjournal.export.json_export",
]

ON_THE_UNLOCK_SCREEN = textwrap.dedent("""
    import asyncio, json, sys
    from pathlib import Path
    from recoveryjournal.tui.app import RecoveryJournalApp
    from recoveryjournal.tui.screens.unlock import UnlockScreen

    async def main():
        app = RecoveryJournalApp(Path(sys.argv[1]))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await app.workers.wait_for_complete()
            assert isinstance(app.screen, UnlockScreen), app.screen
            print(json.dumps(sorted(sys.modules)))

    asyncio.run(main())
""")


def test_the_unlock_screen_imports_nothing_the_journal_needs_only_after_unlock(tmp_path):
    path = make_journal(tmp_path / "j.db")
    result = subprocess.run([sys.executable, "-c", ON_THE_UNLOCK_SCREEN, str(path)],
                            capture_output=True, text=True, timeout=DEADLINE_S)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.splitlines()[-1]))
    assert "recoveryjournal.tui.screens.unlock" in imported  # the probe saw the screen
    early = [name for name in AFTER_UNLOCK if name in imported]
    assert early == [], f"imported before the KDF, under its 64 MiB: {early}"


APP_FROM_THE_COMMAND_LINE = textwrap.dedent("""
    import json, sys
    import recoveryjournal.tui

    def instead_of_the_app(path, *args, **kwargs):
        print(json.dumps(sorted(sys.modules)))
        return 0

    recoveryjournal.tui.run = instead_of_the_app
    from recoveryjournal.cli import main

    sys.exit(main(["--journal", sys.argv[1]]))
""")


def test_opening_the_app_from_the_command_line_imports_no_command(tmp_path):
    """`recoveryjournal` alone: the commands' modules and their parser (0.5 MB
    resident in the real process) are not in memory under the KDF."""
    result = subprocess.run([sys.executable, "-c", APP_FROM_THE_COMMAND_LINE,
                             str(tmp_path / "j.db")],
                            capture_output=True, text=True, timeout=DEADLINE_S)
    assert result.returncode == 0, result.stderr
    imported = set(json.loads(result.stdout.splitlines()[-1]))
    assert "recoveryjournal.cli" in imported  # the probe ran through the CLI
    commands = sorted(name for name in imported if name.startswith("recoveryjournal.cli."))
    assert commands == [], f"imported to open the app: {commands}"


def test_only_the_apps_own_options_skip_the_commands():
    assert opens_the_app([])
    assert opens_the_app(["--journal", "j.db"])
    assert opens_the_app(["--journal=j.db"])
    for words in (["list"], ["--journal", "j.db", "list"], ["--help"], ["-h"],
                  ["--version"], ["--journal"], ["--journal="], ["--journal", "-x"],
                  ["--journl", "j.db"], ["lst"]):
        assert not opens_the_app(words), words


def test_the_journal_file_is_read_no_further_than_its_marker_before_the_kdf(
        tmp_path, monkeypatch):
    """The sealed summary (262 KB at the benchmark journal) stayed in SQLite's
    page cache through the KDF when the whole `vault` table was read to check the
    format marker."""
    path = tmp_path / "j.db"
    journal, _code = Journal.create(path, PASSPHRASE)
    journal.lock()
    statements: list[str] = []
    read_before_kdf: list[str] = []
    connect, derive_key = store._connect, crypto.derive_key

    def traced_connect(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    def noting_derive_key(*args, **kwargs):
        read_before_kdf.extend(statements)
        return derive_key(*args, **kwargs)

    monkeypatch.setattr(store, "_connect", traced_connect)
    monkeypatch.setattr(crypto, "derive_key", noting_derive_key)
    opened = Journal.open(path, PASSPHRASE)
    try:
        vault_reads = [s for s in read_before_kdf if "FROM vault" in s]
        assert vault_reads, "the format marker is read before the KDF"
        assert all("'magic'" in s and "'format'" in s and "summary" not in s
                   for s in vault_reads), vault_reads
        assert not any("FROM records" in s for s in read_before_kdf), read_before_kdf
        assert opened.summary() is not None  # read after the KDF, as before
    finally:
        opened.lock()

"""End to end: the installed `recoveryjournal` in a real pseudo-terminal.

Creates a journal through the first-run screens, writes an entry, quits,
reopens and finds it. The real KDF runs (a subprocess does not see conftest's
fast floor). No sleeps: the pyte screen is polled until the expected text
appears, with a generous overall deadline.
"""

from __future__ import annotations

import time

import pytest

pytest.importorskip("ptyprocess")
pytest.importorskip("pyte")

from helpers.terminal import Terminal, command  # noqa: E402

DEADLINE_S = 60
PASSPHRASE = "paper boats on the river"


@pytest.fixture
def terminals():
    opened: list[Terminal] = []

    def open_terminal(argv):
        terminal = Terminal(argv)
        opened.append(terminal)
        return terminal

    yield open_terminal
    for terminal in opened:
        terminal.close()


def test_first_run_write_quit_reopen_and_find_the_entry(tmp_path, terminals):
    deadline = time.monotonic() + DEADLINE_S
    journal = tmp_path / "journal.db"
    argv = command() + ["--journal", str(journal)]

    first = terminals(argv)
    first.wait_for("Welcome to recoveryjournal", deadline)
    first.send("\r")
    first.wait_for("Choose a passphrase", deadline)
    # Wait for each cue: keys typed ahead of a focus change could land in the old box.
    first.send(PASSPHRASE + "\r")
    first.wait_for("once more", deadline)
    first.send(PASSPHRASE + "\r")
    code = first.wait_for(r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}", deadline).group(0)
    first.send("\r")
    wanted = first.wait_for(r"type group (\d) and group (\d)", deadline)
    groups = code.split("-")
    first.send(groups[int(wanted.group(1)) - 1] + "\r")
    first.wait_for("And now group", deadline)
    first.send(groups[int(wanted.group(2)) - 1] + "\r")
    first.wait_for("keep track of", deadline)
    first.send(" ")  # tick the first addiction
    first.wait_for("Chosen: alcohol", deadline)
    first.send("\x13")  # ctrl+s: start
    first.wait_for("Suggested next step", deadline)
    first.wait_for("alcohol", deadline)
    first.send("w")
    first.wait_for("New entry", deadline)
    first.send("Called my sponsor and we talked it through")
    first.wait_for("talked it through", deadline)
    first.send("\x13")  # ctrl+s
    first.wait_for("Suggested next step", deadline)
    first.send("\x11")  # ctrl+q
    assert first.wait_for_exit(deadline) == 0
    assert journal.exists()
    assert b"sponsor" not in journal.read_bytes()

    second = terminals(argv)
    second.wait_for("Your journal is locked", deadline)
    assert "alcohol" not in second.text()
    second.send(PASSPHRASE + "\r")
    second.wait_for("Suggested next step", deadline)
    second.send("j")
    second.wait_for("Called my sponsor and we talked it through", deadline)
    second.send("\x11")
    assert second.wait_for_exit(deadline) == 0

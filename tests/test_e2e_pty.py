"""End to end: the installed `recoveryjournal` in a real pseudo-terminal.

Creates a journal through the first-run screens, writes an entry, quits,
reopens and finds it. The real KDF runs (a subprocess does not see conftest's
fast floor). No sleeps: the pyte screen is polled until the expected text
appears, with a generous overall deadline.
"""

from __future__ import annotations

import os
import re
import select
import shutil
import sys
import time
from pathlib import Path

import pytest

ptyprocess = pytest.importorskip("ptyprocess")
pyte = pytest.importorskip("pyte")

DEADLINE_S = 60
PASSPHRASE = "paper boats on the river"


def command() -> list[str]:
    script = Path(sys.executable).with_name("recoveryjournal")
    if script.exists():
        return [str(script)]
    found = shutil.which("recoveryjournal")
    return [found] if found else [sys.executable, "-m", "recoveryjournal"]


class Terminal:
    """A pty running the app, its output fed into an 80x24 pyte screen."""

    def __init__(self, argv: list[str]):
        env = dict(os.environ, TERM="xterm-256color", COLUMNS="80", LINES="24")
        env.pop("TEXTUAL", None)
        self.process = ptyprocess.PtyProcess.spawn(argv, env=env, dimensions=(24, 80))
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.process.fd], [], [], timeout)
        if ready:
            try:
                self.stream.feed(self.process.read(65536))
            except EOFError:
                pass

    def wait_for(self, pattern: str, deadline: float) -> re.Match:
        """Poll the screen until `pattern` (a regex) shows; fail with the screen if not."""
        while time.monotonic() < deadline:
            found = re.search(pattern, self.text())
            if found:
                return found
            if not self.process.isalive():
                self.pump(0.1)
                found = re.search(pattern, self.text())
                if found:
                    return found
                break
            self.pump(0.2)
        pytest.fail(f"{pattern!r} never appeared. The screen:\n{self.text()}")

    def send(self, keys: str) -> None:
        self.process.write(keys.encode())

    def wait_for_exit(self, deadline: float) -> int:
        while self.process.isalive() and time.monotonic() < deadline:
            self.pump(0.2)
        assert not self.process.isalive(), f"the app did not quit. The screen:\n{self.text()}"
        self.process.close()
        return self.process.exitstatus

    def close(self) -> None:
        if self.process.isalive():
            self.process.terminate(force=True)


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

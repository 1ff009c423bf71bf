"""The installed app in a real pseudo-terminal, read through an 80x24 pyte screen.

No sleeps: the screen is polled until the expected text appears, with a deadline.
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

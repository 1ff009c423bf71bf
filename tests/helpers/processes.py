"""Running the real CLI and the writer helper as subprocesses, with deadlines."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

HELPERS = Path(__file__).resolve().parent
WRITER = HELPERS / "writer.py"
DEADLINE_S = 60  # a hung subprocess fails the test instead of hanging CI


def cli_env(home: Path, **extra: str) -> dict[str, str]:
    """An environment for the CLI whose home, data, config, cache and temp
    folders all live under `home`, so a test can search every byte it wrote."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RECOVERYJOURNAL", "XDG_")) and key not in ("TMPDIR",)
    }
    tmp = home / "tmp"
    for folder in (home, tmp, home / ".cache", home / ".config", home / ".local" / "share"):
        folder.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        TMPDIR=str(tmp),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_CACHE_HOME=str(home / ".cache"),
        LANG="C.UTF-8",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("LC_ALL", None)
    env.pop("LANGUAGE", None)
    env.update(extra)
    return env


def run_cli(
    args: list[str],
    journal: Path,
    env: dict[str, str],
    stdin: bytes | str = b"",
    prefix: list[str] | None = None,
    **popen: object,
) -> subprocess.CompletedProcess:
    """`python -m recoveryjournal --journal JOURNAL ARGS`, stdin given, bytes out."""
    if isinstance(stdin, str):
        stdin = stdin.encode("utf-8")
    command = [*(prefix or []), sys.executable, "-m", "recoveryjournal",
               "--journal", str(journal), *args]
    return subprocess.run(
        command, input=stdin, capture_output=True, env=env, timeout=DEADLINE_S, **popen
    )


class LineReader:
    """Reads a subprocess's stdout line by line, failing after a deadline."""

    def __init__(self, process: subprocess.Popen):
        self.process = process
        self.fd = process.stdout.fileno()
        self.buffer = b""

    def readline(self, deadline_s: float = DEADLINE_S) -> str:
        until = time.monotonic() + deadline_s
        while b"\n" not in self.buffer:
            left = until - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no line from the subprocess within {deadline_s} s")
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                chunk = os.read(self.fd, 65536)
                if not chunk:
                    raise EOFError(f"the subprocess closed its output; so far: {self.buffer!r}")
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")


def assert_clear_error(result: subprocess.CompletedProcess, *phrases: str) -> str:
    """The CLI failed with a message (no traceback) holding each phrase; returns it."""
    stderr = result.stderr.decode("utf-8", "replace")
    assert result.returncode != 0, f"expected a failure, got: {result.stdout!r}"
    assert "Traceback" not in stderr, stderr
    assert stderr.startswith("recoveryjournal: ") or stderr.startswith("usage:"), stderr
    for phrase in phrases:
        assert phrase in stderr, f"{phrase!r} not in {stderr!r}"
    return stderr

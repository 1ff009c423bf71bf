"""Timing whole processes: wall time and the child's own peak memory, and summaries.

Machines here are shared and noisy, so every figure is a median of several runs,
shown with its min and max, and ratios are taken between figures of one run.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


@dataclass
class ProcessRun:
    """One finished process: seconds from spawn to exit, peak RSS in MB (10^6 bytes, as the budget), its output."""

    seconds: float
    peak_mb: float
    returncode: int
    stdout: bytes
    stderr: bytes
    timed_out: bool = False


# Settings of a development shell (or this sandbox) that a person's machine does
# not have: without bytecode caching every run compiles the whole program from
# source again, and unbuffered output makes each printed line a system call.
# Timed processes of both tools run without them, as installed programs do.
DEVELOPMENT_ONLY = ("PYTHONDONTWRITEBYTECODE", "PYTHONUNBUFFERED", "PYTHONPYCACHEPREFIX")


def as_installed(env: dict | None) -> dict:
    """`env` (or this process's environment) without DEVELOPMENT_ONLY settings."""
    base = dict(os.environ if env is None else env)
    for name in DEVELOPMENT_ONLY:
        base.pop(name, None)
    return base


def run_process(command: list[str], stdin: bytes = b"", env: dict | None = None,
                new_session: bool = True, timeout: float | None = None) -> ProcessRun:
    """Run `command` with `stdin`; time it and read its own peak RSS (wait4 rusage).

    A new session has no controlling terminal, so programs that use getpass read the
    passphrase from stdin instead of prompting on the developer's terminal.
    After `timeout` seconds the process (and its group) is killed and `timed_out` set.
    """
    import signal
    import threading

    env = as_installed(env)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                env=env, start_new_session=new_session)
        killed = threading.Event()

        def kill() -> None:
            killed.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL) if new_session else proc.kill()
            except ProcessLookupError:
                pass

        timer = threading.Timer(timeout, kill) if timeout else None
        if timer:
            timer.start()
        try:
            proc.stdin.write(stdin)  # small: fits the pipe buffer
            proc.stdin.close()
        except BrokenPipeError:
            pass
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        if timer:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return ProcessRun(seconds, usage.ru_maxrss * 1024 / 1e6, proc.returncode, out.read(),
                          err.read(), killed.is_set())


@dataclass
class Figure:
    """Repeated measurements of one operation."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: list[float] = field(default_factory=list)
    resident_mb: list[float] = field(default_factory=list)  # at the end, where measured
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def low(self) -> float:
        return min(self.seconds)

    @property
    def high(self) -> float:
        return max(self.seconds)

    @property
    def peak(self) -> float | None:
        return max(self.peak_mb) if self.peak_mb else None

    def cell(self) -> str:
        """`median (min–max)` in the unit that reads best."""
        if not self.seconds:
            return "n/a"
        return f"{fmt(self.median)} ({fmt(self.low)}–{fmt(self.high)})"


def fmt(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.1f} ms" if seconds < 0.1 else f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def recoveryjournal_command() -> list[str]:
    """The installed console script beside this Python, as a person would run it."""
    script = Path(sys.executable).parent / "recoveryjournal"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "recoveryjournal"]


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 2**20:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "memory": memory,
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def package_versions(names: list[str]) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in names:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found

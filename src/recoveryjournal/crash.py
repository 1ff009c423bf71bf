"""What happens when something unexpected goes wrong: a calm message and a
short report, never a traceback on the screen.

A traceback can quote anything: Textual's shows every local variable (decrypted
entries among them), and an exception's message may hold a record's text. The
report therefore keeps only what helps find the bug: the program's version, the
type of each exception in the chain and its frames as `folder/file.py:line in
function`. No messages, no values, no journal content. It is written 0600 in
the person's state folder, where they can read it before sending it to anyone.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .i18n import _

REPORTS_KEPT = 10


def reports_folder() -> Path:
    """`crash-reports/` in the person's state folder (e.g. ~/.local/state/recoveryjournal)."""
    import platformdirs

    return platformdirs.user_state_path("recoveryjournal") / "crash-reports"


def describe(error: BaseException) -> str:
    """The report's text: versions, exception types and frames, nothing else."""
    lines = [
        f"recoveryjournal {__version__}, Python {platform.python_version()}, "
        f"{platform.system()}",
        "No messages, values or journal content are included.",
        "",
    ]
    seen: set[int] = set()
    chain: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append(current)
        current = current.__cause__ or current.__context__
    for number, exc in enumerate(reversed(chain)):
        if number:
            lines.append("which led to")
        lines.append(f"{type(exc).__module__}.{type(exc).__qualname__}")
        for frame in traceback.extract_tb(exc.__traceback__):
            lines.append(f"  {_short(frame.filename)}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_report(error: BaseException, moment: datetime | None = None) -> Path | None:
    """Write the short report; returns where, or None if it could not be written
    (a crash on a full or read-only disk must still end calmly)."""
    from .export.files import write_export

    moment = moment or datetime.now(timezone.utc)
    folder = reports_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        path = folder / f"crash-{moment:%Y-%m-%d-%H%M%S-%f}.txt"
        written = write_export(path, describe(error))
    except Exception:  # noqa: BLE001 (any failure here must not hide the first one)
        return None
    _prune(folder)
    return written


def message(error: BaseException, report: Path | None) -> str:
    """What the person reads: what happened, that nothing saved was lost, where the report is."""
    text = _("Something unexpected went wrong ({error}) and recoveryjournal had to stop. "
             "Everything you saved is still in your journal.").format(
                 error=type(error).__name__)
    if report is not None:
        text += " " + _("A short report without any journal content is at {path}.").format(
            path=report)
    return text


def _short(filename: str) -> str:
    """`package/module.py` only: a full path can name the person (their home folder)."""
    parts = Path(filename).parts
    return "/".join(parts[-2:]) if len(parts) >= 2 else filename


def _prune(folder: Path) -> None:
    with contextlib.suppress(OSError):
        reports = sorted(p for p in folder.iterdir()
                         if p.name.startswith("crash-") and p.suffix == ".txt")
        for old in reports[:-REPORTS_KEPT]:
            with contextlib.suppress(OSError):
                os.unlink(old)


def report_to_stderr(error: BaseException) -> int:
    """For the command line: the calm message on standard error; the exit code 1."""
    report = write_report(error)
    print(f"recoveryjournal: {message(error, report)}", file=sys.stderr)
    return 1

"""Writing export files safely: 0600 from the first byte, never replacing a file
unless asked, and atomically (temp file, fsync, rename, fsync the folder)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path
from typing import Iterable

from ..i18n import _
from ..vault.errors import JournalError


class ExportExists(JournalError):
    """The chosen file exists and the person has not said to replace it."""

    def __init__(self, path: Path):
        self.path = path
        super().__init__(
            _("{path} already exists, so nothing was written. Choose another name, "
              "or add --force to replace it.").format(path=path)
        )


class ExportFailed(JournalError):
    def __init__(self, path: Path, reason: str):
        self.path = path
        super().__init__(
            _("Could not write {path}: {reason}. Nothing was written.").format(
                path=path, reason=reason)
        )


def not_encrypted_notice() -> str:
    """The line every export carries, in the person's language."""
    return _(
        "This file is not encrypted: anyone who can open it can read it. "
        "Keep it somewhere private and delete it when you no longer need it."
    )


def write_export(path: Path, content: str | bytes, force: bool = False,
                 journal: Path | None = None) -> Path:
    """Write `content` to `path` (mode 0600). Refuses an existing path unless
    `force`; then the old file is replaced in one step, never left half-written.
    Never the `journal` file itself (or its logs), even with `force`."""
    return write_export_pieces(path, [content], force=force, journal=journal)


def write_export_pieces(path: Path, pieces: Iterable[str | bytes],
                        force: bool = False, journal: Path | None = None) -> Path:
    """`write_export` for an export made a piece at a time (text as UTF-8): each
    piece goes to disk as it comes, so the whole export never sits in memory.
    If anything fails, making a piece included, nothing appears at `path` and
    no temporary file is left behind."""
    path = check_target(path, force, journal)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportFailed(path, _("the folder {folder} does not exist").format(folder=folder))
    try:
        # mkstemp creates the file 0600 before any byte lands.
        fd, temp_name = tempfile.mkstemp(prefix=".export-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportFailed(path, exc.strerror or str(exc)) from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            for piece in pieces:
                handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
            handle.flush()
            os.fsync(handle.fileno())
        if not force:
            # Publish without ever replacing: link() fails if the name appeared meanwhile.
            try:
                os.link(temp_name, path)
            except FileExistsError as exc:
                raise ExportExists(path) from exc
            except OSError:
                # Some filesystems (FAT on USB sticks) have no hard links.
                if path.exists():
                    raise ExportExists(path) from None
                os.replace(temp_name, path)
        else:
            os.replace(temp_name, path)
        fsync_folder(folder)
    except OSError as exc:
        raise ExportFailed(path, exc.strerror or str(exc)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
    return path


def check_target(path: Path, force: bool = False, journal: Path | None = None) -> Path:
    """Refuse a target that cannot be written (ExportExists, ExportFailed), before
    anything is made; returns the path with ~ expanded. `--force` onto the
    `journal` itself (or its logs) would put plain text in its place: refused.

    Only a regular file (or a link, which is replaced, never written through) is
    ever replaced: --force on /dev/full (as root) would otherwise swap the device
    for a plain-text file."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise ExportFailed(path, _("it is a folder"))
    if (path.exists() or path.is_symlink()) and not force:
        raise ExportExists(path)
    if journal is not None and _is_the_journal(path, Path(journal)):
        raise ExportFailed(path, _("it is your encrypted journal itself"))
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise ExportFailed(path, exc.strerror or str(exc)) from exc
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise ExportFailed(path, _("it is not a regular file (it is a device, a pipe or a "
                                   "socket), and only a file is ever replaced"))
    return path


def _is_the_journal(path: Path, journal: Path) -> bool:
    """By the file system's identity (stat only: the live journal is never opened here)."""
    for name in (journal.name, journal.name + "-wal", journal.name + "-shm"):
        try:
            if os.path.samefile(path, journal.with_name(name)):
                return True
        except OSError:
            continue
    return False


def fsync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (no-op where folders cannot be opened)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

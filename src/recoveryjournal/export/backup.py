"""Encrypted backups: on request, once a day on unlock (the last seven kept),
and restoring one safely.

A backup is a consistent copy of the still-encrypted journal file, taken with
SQLite's online backup API through `Journal.backup`, so it can be made while
the journal is open and being written. It opens with the same passphrase and
recovery code as the journal it came from.

Restoring checks everything before anything is replaced: the backup is copied
next to the journal, opened with the passphrase, and every record read; any
problem and the copy is removed and nothing else changes. The current journal
is then renamed aside (never deleted) and the checked copy moved into place
with os.replace, after fsync of the file and of the folder.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import stat
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from ..i18n import _
from ..vault.errors import JournalError
from ..vault.store import fold_write_ahead_log, open_elsewhere
from .files import fsync_folder

BACKUP_FOLDER = "backups"
DAILY_KEEP = 7
_DAILY_NAME = re.compile(r"^daily-(\d{4}-\d{2}-\d{2})\.db$")
_SIDECARS = ("-wal", "-shm")  # SQLite's write-ahead log and its index
RESTORE_PREFIX = ".restore-"
_RESTORE_COPY = re.compile(r"^\.restore-[A-Za-z0-9_]{8}\.db$")  # tempfile.mkstemp's names


class BackupFailed(JournalError):
    pass


class RestoreRefused(JournalError):
    """The backup was not restored; nothing was changed."""

    def __init__(self, reason: str):
        super().__init__(_("{reason} Nothing was changed.").format(reason=reason))


def backups_folder(journal_path: Path) -> Path:
    """Where backups go: `backups/` beside the journal file (in the data folder)."""
    return Path(journal_path).parent / BACKUP_FOLDER


def timestamped_name(moment: datetime | None = None) -> str:
    """e.g. journal-2026-11-25-094036.db"""
    moment = moment or datetime.now()
    return f"journal-{moment:%Y-%m-%d-%H%M%S}.db"


def make_backup(journal, destination: Path | None = None) -> Path:
    """Back the journal up to `destination` (default: a timestamped file in the
    backups folder). Refuses an existing destination. Returns the path."""
    if destination is None:
        folder = _ensure_folder(backups_folder(journal.path))
        destination = folder / timestamped_name()
    destination = Path(destination).expanduser()
    if destination.exists() or destination.is_symlink():
        raise BackupFailed(_("{path} already exists; choose another name. Nothing was written.")
                           .format(path=destination))
    if not destination.parent.is_dir():
        raise BackupFailed(_("The folder {folder} does not exist. Nothing was written.")
                           .format(folder=destination.parent))
    if _same_file(destination, journal.path):
        raise BackupFailed(_("A backup cannot replace the journal itself."))
    _backup_via_partial(journal, destination)
    return destination


def daily_backup(journal, folder: Path, today: date) -> Path | None:
    """Once a day: a backup named daily-YYYY-MM-DD.db in `folder`, keeping the
    last seven daily backups (older daily ones are removed; other files in the
    folder are never touched). Returns the new file, or None if today's exists."""
    folder = _ensure_folder(Path(folder))
    destination = folder / f"daily-{today.isoformat()}.db"
    if destination.exists():
        return None
    _backup_via_partial(journal, destination)
    with contextlib.suppress(OSError):  # today's backup is made; tidying can wait
        prune_daily(folder, keep=DAILY_KEEP)
    return destination


def prune_daily(folder: Path, keep: int = DAILY_KEEP) -> list[Path]:
    """Remove all but the newest `keep` daily backups; returns what was removed."""
    daily = sorted(
        (p for p in Path(folder).iterdir() if _DAILY_NAME.match(p.name) and p.is_file()),
        key=lambda p: p.name,
    )
    removed = daily[:-keep] if keep > 0 else daily
    for path in removed:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return removed


@dataclass
class RestoreReport:
    """What was restored, and where the journal it replaced was kept."""

    restored: Path
    counts: Counter = field(default_factory=Counter)
    kept_aside: Path | None = None

    def summary(self) -> str:
        from .selection import kind_label

        parts = [f"{n} × {kind_label(kind)}" for kind, n in sorted(self.counts.items())
                 if kind not in ("settings", "draft")]
        text = _("Restored {path}: {parts}.").format(
            path=self.restored, parts=", ".join(parts) or _("no records"))
        if self.kept_aside is not None:
            text += "\n" + _("Your previous journal was kept, unchanged, at {path}.").format(
                path=self.kept_aside)
        return text


# How a backup relates to the journal it would replace (see `compare`).
SAME_JOURNAL = "same"
OTHER_JOURNAL = "other"  # another data key: another journal, another recovery code
OTHER_PASSPHRASE = "other-passphrase"  # the backup's passphrase does not open the journal


def check_backup(backup: Path, passphrase: str, folder: Path,
                 current: Path | None = None) -> tuple[Path, Counter, str | None]:
    """Copy `backup` into `folder` and open and read every record of the copy.
    Returns the checked copy (the caller moves or removes it), counts by kind,
    and how the backup relates to the journal at `current` (SAME_JOURNAL,
    OTHER_JOURNAL, OTHER_PASSPHRASE, or None when there is none to compare).
    Raises RestoreRefused (the copy removed) if anything is wrong; its message
    names the person's backup, never the hidden copy."""
    from ..journal import Journal
    from ..records import KINDS

    backup = Path(backup).expanduser()
    if not backup.is_file():
        raise RestoreRefused(_("There is no backup file at {path}.").format(path=backup))
    try:
        fd, temp_name = tempfile.mkstemp(prefix=RESTORE_PREFIX, suffix=".db", dir=folder)
    except OSError as exc:
        raise RestoreRefused(_("Could not make a copy to check in {folder}: {reason}.").format(
            folder=folder, reason=exc.strerror or exc)) from exc
    copy = Path(temp_name)
    # Held while the copy exists: a restore that is still running keeps its copy
    # (see remove_abandoned_restores). flock, not fcntl: closing this descriptor
    # cannot drop the locks SQLite takes on the copy.
    # Where a folder has no locks (some network shares) the cleanup cannot lock
    # either, so it leaves every copy alone.
    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        with open(backup, "rb") as source, open(copy, "wb") as target:
            shutil.copyfileobj(source, target)
            target.flush()
            os.fsync(target.fileno())
        try:
            opened = Journal.open(copy, passphrase)
        except JournalError as exc:
            raise RestoreRefused(str(exc).replace(str(copy), str(backup))) from exc
        try:
            opened.load()
            opened.decode_all()  # a record that decrypts but cannot be read is a problem too
            if opened.problems:
                raise RestoreRefused(_("The backup has problems: {problems}").format(
                    problems=" ".join(opened.problems[:3])))
            counts = Counter({kind: opened.count(cls) for kind, cls in KINDS.items()})
            relation = compare(opened, current, passphrase) if current else None
            opened.forget_newer_copies()  # put back on purpose: no "older copy" warning
        finally:
            opened.lock()
        # Closing the last connection folds the log into the file; a log left with
        # content would be lost when the copy is moved, so refuse rather than guess.
        log = _sidecar(copy, "-wal")
        if log.exists() and log.stat().st_size:
            raise RestoreRefused(_("The checked copy could not be closed cleanly."))
        _remove_sidecars(copy)
        with open(copy, "rb") as handle:
            os.fsync(handle.fileno())
    except BaseException as exc:
        _tidy(copy)
        os.close(fd)
        if isinstance(exc, OSError):  # a full disk, a read-only folder, a failing disk
            raise RestoreRefused(_("Could not copy {path} to check it: {reason}.").format(
                path=backup, reason=exc.strerror or exc)) from exc
        raise
    os.close(fd)
    return copy, +counts, relation


def compare(backup, current: Path, passphrase: str) -> str | None:
    """How the unlocked `backup` relates to the journal file at `current`, which
    is opened (through SQLite only) with the backup's passphrase to find out.
    None when there is no journal there, or one that cannot be read anyway."""
    from ..journal import Journal
    from ..vault.errors import WrongSecret

    if not current.exists():
        return None
    try:
        journal = Journal.open(current, passphrase)
    except WrongSecret:
        return OTHER_PASSPHRASE
    except JournalError:
        return None  # damaged or unreadable: restoring over it is what the person wants
    try:
        return SAME_JOURNAL if journal.same_journal_as(backup) else OTHER_JOURNAL
    finally:
        journal.lock()


def difference_warning(relation: str | None, journal_path: Path) -> str | None:
    """What a person must know before a backup replaces their journal, or None."""
    if relation == OTHER_JOURNAL:
        return _("This backup is of a different journal than {path} (it has another "
                 "recovery code). Restoring it replaces everything in your journal with "
                 "that journal.").format(path=journal_path)
    if relation == OTHER_PASSPHRASE:
        return _("The backup's passphrase does not open {path}: the backup is of a "
                 "different journal, or it has an older passphrase. After restoring, "
                 "the backup's passphrase is the one that opens your journal.").format(
                     path=journal_path)
    return None


def restore(journal_path: Path, backup: Path, passphrase: str,
            moment: datetime | None = None,
            confirm: Callable[[str], bool] | None = None) -> RestoreReport:
    """Replace the journal at `journal_path` with a checked copy of `backup`.
    The journal that was there is kept aside under a timestamped name. If the
    backup is of a different journal, or has another passphrase, `confirm` is
    asked with the warning (no `confirm`: restore anyway). A journal open in
    another process is refused: that process would go on writing to the old file.
    This process must hold no connection to it (see `store.open_elsewhere`)."""
    journal_path = Path(journal_path).expanduser()
    backup = Path(backup).expanduser()
    if _same_file(backup, journal_path):
        raise RestoreRefused(_("That is the journal itself, not a backup of it."))
    folder = journal_path.parent
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, mode=0o700)
    except OSError as exc:
        raise RestoreRefused(_("Could not make the folder {folder}: {reason}.").format(
            folder=folder, reason=exc.strerror or exc)) from exc
    remove_abandoned_restores(folder)
    copy, counts, relation = check_backup(backup, passphrase, folder, journal_path)
    warning = difference_warning(relation, journal_path)
    try:
        if warning and confirm is not None and not confirm(warning):
            raise RestoreRefused(_("The backup was not restored, as you chose."))
    except BaseException:
        _tidy(copy)
        raise
    if journal_path.exists() and open_elsewhere(journal_path):
        # Its writes would go on into the file set aside, and be lost to the person.
        _tidy(copy)
        raise RestoreRefused(_(
            "The journal is open in another window (the app or a command). Close it "
            "there, then restore again. Nothing was changed."))
    kept_aside = None
    try:
        if journal_path.exists():
            kept_aside = _set_aside(journal_path, moment or datetime.now())
        else:
            # Stale logs of a journal that is gone would be replayed onto the new file.
            _remove_sidecars(journal_path)
        os.chmod(copy, 0o600)
        os.replace(copy, journal_path)
        fsync_folder(folder)
    except OSError as exc:
        _tidy(copy)
        raise BackupFailed(_("Could not put the backup in place: {reason}. "
                             "Your journal is unchanged.").format(
                                 reason=exc.strerror or exc)) from exc
    return RestoreReport(restored=backup, counts=counts, kept_aside=kept_aside)


def remove_abandoned_restores(folder: Path) -> list[Path]:
    """Remove the checked copies that restores cut short (killed, power cut) left
    in `folder`: only names of our own pattern, and only copies no running restore
    holds (the flock taken in `check_backup`). Returns what was removed."""
    removed = []
    try:
        names = [p for p in Path(folder).iterdir() if _RESTORE_COPY.match(p.name)]
    except OSError:
        return removed
    for path in names:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            continue
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                continue
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a restore is still checking it
        else:
            _tidy(path)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


# ---- internals -------------------------------------------------------------------


def older_copies(journal_path: Path) -> list[Path]:
    """The backups and set-aside journals this app keeps beside the journal. They
    open with the passphrase and recovery code of when they were made, so after a
    passphrase or recovery code change the person is offered to delete them."""
    journal_path = Path(journal_path)
    found = sorted(backups_folder(journal_path).glob("*.db"))
    found += sorted(journal_path.parent.glob(f"{journal_path.stem}-before-restore-*"
                                             f"{journal_path.suffix}"))
    return [path for path in found if path.is_file()]


def delete_copies(paths: list[Path]) -> int:
    """Delete these backups (and their SQLite side files); returns how many went."""
    deleted = 0
    for path in paths:
        _tidy(path)
        deleted += not path.exists()
    return deleted


def _backup_via_partial(journal, destination: Path) -> None:
    """Back up to a .partial name first, so a half-made copy never looks like a backup."""
    partial = destination.with_name(destination.name + ".partial")
    _tidy(partial)
    try:
        journal.backup(partial)
        os.replace(partial, destination)
        fsync_folder(destination.parent)
    except OSError as exc:
        _tidy(partial)
        raise BackupFailed(_("Could not write the backup {path}: {reason}.").format(
            path=destination, reason=exc.strerror or exc)) from exc
    except BaseException:
        _tidy(partial)
        raise


def _set_aside(journal_path: Path, moment: datetime) -> Path:
    """Keep the journal under a timestamped name beside it, while it also stays at
    its own name until the checked copy replaces it in one `os.replace`: a crash
    at any moment leaves a whole journal at the journal's path."""
    stem = journal_path.stem
    aside = journal_path.with_name(f"{stem}-before-restore-{moment:%Y-%m-%d-%H%M%S}"
                                   f"{journal_path.suffix}")
    counter = 1
    while aside.exists():
        counter += 1
        aside = journal_path.with_name(
            f"{stem}-before-restore-{moment:%Y-%m-%d-%H%M%S}-{counter}{journal_path.suffix}")
    # After the checkpoint the file alone is the whole journal, and the log left
    # beside it is empty: removing it loses nothing and keeps it from being
    # replayed onto the restored file.
    fold_write_ahead_log(journal_path)
    try:
        os.link(journal_path, aside)
    except OSError:
        shutil.copy2(journal_path, aside)  # a file system without hard links
    fsync_folder(journal_path.parent)
    _remove_sidecars(journal_path)
    return aside


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _remove_sidecars(path: Path) -> None:
    for suffix in _SIDECARS:
        with contextlib.suppress(FileNotFoundError):
            _sidecar(path, suffix).unlink()


def _tidy(path: Path) -> None:
    """Remove a file we made (a partial backup, a checked copy) and its logs; on
    read-only media there is nothing to remove, and that must not hide the real error."""
    for leftover in (path, *(_sidecar(path, suffix) for suffix in (*_SIDECARS, "-journal"))):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _ensure_folder(folder: Path) -> Path:
    """The backups folder, made 0700 if missing; a clear BackupFailed if it cannot
    be made (read-only media, a full disk, no permission)."""
    try:
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise BackupFailed(_("Could not make the backups folder {folder}: {reason}. "
                             "Nothing was written.").format(
                                 folder=folder, reason=exc.strerror or exc)) from exc
    return folder


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.exists() and second.exists() and os.path.samefile(first, second)
    except OSError:
        return False

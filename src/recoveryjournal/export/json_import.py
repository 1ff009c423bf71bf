"""Importing a recoveryjournal JSON export (json_export.py), all or nothing.

Every record is rebuilt and validated before the first one is saved; a file
with any problem imports nothing and the error names the record. Records keep
their ids and their created/updated times, so an export imported into an
empty journal gives back the same journal.
"""

from __future__ import annotations

import json
import os
import stat
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .. import records
from ..i18n import _
from ..journal import SETTINGS_ID
from ..records import Record, Settings
from ..vault.errors import JournalError
from .json_export import EXPORT_FORMAT, EXPORT_VERSION

MAX_IMPORT_BYTES = 512 * 1024 * 1024  # far beyond a lifetime of journaling


class ImportFailed(JournalError):
    """The file cannot be imported; nothing was added."""

    exit_code = 1

    def __init__(self, message: str):
        super().__init__(_("{message} Nothing was imported.").format(message=message))


@dataclass
class ImportReport:
    """What an import added, by kind, and what it left alone."""

    added: Counter = field(default_factory=Counter)
    already_there: int = 0
    settings_replaced: bool = False

    def summary(self) -> str:
        from .selection import kind_label

        parts = [f"{count} × {kind_label(kind)}" for kind, count in sorted(self.added.items())]
        text = _("Imported: {parts}.").format(parts=", ".join(parts) or _("nothing new"))
        if self.already_there:
            text += " " + _("{n} were already in your journal and were left as they are.").format(
                n=self.already_there)
        return text


def read_import_file(path: Path, too_large: str) -> bytes:
    """The bytes of a file to import, read at most MAX_IMPORT_BYTES (+1 to notice a
    larger one); `too_large` is the message, with {path}, for a file past that.

    Only a regular file is read, and its type and size are checked before the
    first byte: a pipe would wait forever and a device (or a link to one, such
    as /dev/zero) would be read to the limit. Opened without blocking, so even
    opening a pipe with no writer returns at once."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise ImportFailed(_("Could not read {path}: {reason}.").format(
            path=path, reason=exc.strerror or exc)) from exc
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ImportFailed(_("{path} is a folder, not a file.").format(path=path))
        if not stat.S_ISREG(info.st_mode):
            raise ImportFailed(_("{path} is not a regular file (it is a device, a pipe or "
                                 "a socket), so it was not read.").format(path=path))
        if info.st_size > MAX_IMPORT_BYTES:
            raise ImportFailed(too_large.format(path=path))
        os.set_blocking(fd, True)
        with os.fdopen(fd, "rb") as handle:
            fd = -1  # the file object closes it now
            raw = handle.read(MAX_IMPORT_BYTES + 1)
    except OSError as exc:
        raise ImportFailed(_("Could not read {path}: {reason}.").format(
            path=path, reason=exc.strerror or exc)) from exc
    finally:
        if fd >= 0:
            os.close(fd)
    if len(raw) > MAX_IMPORT_BYTES:  # it grew while being read
        raise ImportFailed(too_large.format(path=path))
    return raw


def read_export(path: Path) -> list[Record]:
    """Every record of a JSON export file, checked; raises ImportFailed."""
    raw = read_import_file(path, _("{path} is too large to be an export."))
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed(_("{path} is not valid JSON ({detail}).").format(
            path=path, detail=exc)) from exc
    except RecursionError as exc:
        raise ImportFailed(_("{path} is nested too deeply to be an export.").format(
            path=path)) from exc
    return parse_export(document)


def parse_export(document: object) -> list[Record]:
    """The records of an already-decoded export document; raises ImportFailed."""
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise ImportFailed(_("This is not a recoveryjournal JSON export."))
    version = document.get("version")
    if not isinstance(version, int) or version > EXPORT_VERSION:
        raise ImportFailed(_(
            "This export was made by a newer version of recoveryjournal (export "
            "version {version}); please update the app to import it.").format(version=version))
    documents = document.get("records")
    if not isinstance(documents, list):
        raise ImportFailed(_("The export has no list of records."))
    rebuilt: list[Record] = []
    seen: set[str] = set()
    for number, item in enumerate(documents, start=1):
        try:
            if not isinstance(item, dict):
                raise ValueError(_("it is not an object"))
            record = records.from_dict(item)
            if not isinstance(record.id, str):
                raise TypeError(_("its id is not text"))
            if record.kind != "draft":
                record.validate()
        except (ValueError, KeyError, TypeError) as exc:
            raise ImportFailed(_("Record {number} cannot be read: {detail}.").format(
                number=number, detail=exc)) from exc
        if record.id in seen:
            raise ImportFailed(_("Record {number} repeats the id {id}.").format(
                number=number, id=record.id))
        seen.add(record.id)
        rebuilt.append(record)
    return rebuilt


def import_records(journal, incoming: list[Record]) -> ImportReport:
    """Add `incoming` to `journal` as they are (ids and times kept). Records whose
    id is already in the journal are left alone; the settings replace the
    journal's own only when the journal holds nothing else yet, otherwise their
    addictions are added to those tracked."""
    report = ImportReport()
    is_empty = all(
        journal.count(cls) == 0 for kind, cls in records.KINDS.items() if kind != "settings"
    )
    to_store: list[Record] = []
    for record in incoming:
        if isinstance(record, Settings):
            current = journal.settings()
            if is_empty:
                record.id = SETTINGS_ID
                to_store.append(record)
                report.settings_replaced = True
            else:
                for addiction in record.addictions:
                    if current.addiction(addiction.name) is None:
                        current.addictions.append(addiction)
                to_store.append(current)
            continue
        if journal.get(record.id) is not None:
            report.already_there += 1
            continue
        to_store.append(record)
    # Settings last: if a write fails, the records added before it are taken back.
    to_store.sort(key=lambda r: isinstance(r, Settings))
    store_all(journal, to_store)
    for record in to_store:
        if not isinstance(record, Settings):
            report.added[record.kind] += 1
    return report


def store_all(journal, prepared: list[Record]) -> None:
    """Save every prepared record, or none: if one write fails, the records
    this call already added are deleted again before the error is raised."""
    stored: list[Record] = []
    try:
        for record in prepared:
            existed = journal.get(record.id) is not None
            store_as_is(journal, record)
            if not existed:
                stored.append(record)
    except BaseException:
        for record in stored:
            journal.delete(record)
        raise


def store_as_is(journal, record: Record) -> None:
    """Save a record keeping its id and created/updated times (Journal.add would
    stamp them with now)."""
    journal.import_record(record)

"""Importing journals kept with jrnl (https://jrnl.sh): its plain text files,
its JSON export (`jrnl --export json`) and its encrypted journals (given the
password). Tags (`@tag`), starred entries (tag "starred") and dates carry over.

All or nothing: the whole file is read, parsed and every entry built and
validated before the first one is saved.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from ..i18n import _
from ..records import Entry
from .json_import import ImportFailed, read_import_file, store_all

DEFAULT_TIMEFORMAT = "%Y-%m-%d %H:%M"  # jrnl's own default for a journal
DEFAULT_TAGSYMBOLS = "@"
STARRED_TAG = "starred"

# Formats jrnl has written by default, tried when the given one does not fit.
_FALLBACK_TIMEFORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %I:%M:%S %p", "%Y-%m-%d %H:%M:%S")
# Exactly jrnl's entry boundary: a bracketed date at the start of a line, then a space.
_DATE_BLOB = re.compile(r"(?:^|\n)\[([^\]\n]+)\] ")


@dataclass
class JrnlEntry:
    """One jrnl entry as jrnl sees it."""

    when: datetime
    title: str
    body: str = ""
    tags: list[str] = field(default_factory=list)
    starred: bool = False


@dataclass
class JrnlImport:
    """Entries ready to add, and what was left out on the way."""

    entries: list[Entry]
    empty_skipped: int = 0


def read_jrnl(
    path: Path,
    password: Callable[[], str] | None = None,
    timeformat: str = DEFAULT_TIMEFORMAT,
    tagsymbols: str = DEFAULT_TAGSYMBOLS,
) -> JrnlImport:
    """Read a jrnl file of any kind; `password()` is called only if it is encrypted.
    Raises ImportFailed with a clear reason; nothing is changed anywhere."""
    data = _read_bytes(Path(path))
    if is_encrypted(data):
        if password is None:
            raise ImportFailed(_("{path} is an encrypted jrnl journal; its password is needed.")
                               .format(path=path))
        text = decrypt(data, password())
        return build_entries(parse_text(text, timeformat, tagsymbols))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(_("{path} is neither jrnl text nor JSON (it is not UTF-8 text).")
                           .format(path=path)) from exc
    if text.lstrip().startswith("{"):
        return build_entries(parse_json(text, tagsymbols))
    return build_entries(parse_text(text, timeformat, tagsymbols))


def is_encrypted(data: bytes) -> bool:
    """Whether the bytes are an encrypted jrnl journal."""
    from ..vault import jrnl_crypto

    return jrnl_crypto.is_encrypted(data)


def decrypt(data: bytes, password: str) -> str:
    """The plain text of an encrypted jrnl journal; ImportFailed if it will not open."""
    from ..vault import jrnl_crypto

    try:
        return jrnl_crypto.decrypt(data, password)
    except jrnl_crypto.WrongJrnlPassword as exc:
        raise ImportFailed(_("That password does not open the jrnl journal.")) from exc
    except jrnl_crypto.JrnlDecryptError as exc:
        raise ImportFailed(_("The encrypted jrnl journal cannot be read: {detail}.")
                           .format(detail=exc)) from exc


def parse_text(text: str, timeformat: str = DEFAULT_TIMEFORMAT,
               tagsymbols: str = DEFAULT_TAGSYMBOLS) -> list[JrnlEntry]:
    """Entries of a jrnl text journal, split the way jrnl splits them."""
    text = text.replace("\r\n", "\n")
    formats = (timeformat,) + tuple(f for f in _FALLBACK_TIMEFORMATS if f != timeformat)
    starts: list[tuple[int, int, datetime]] = []
    for match in _DATE_BLOB.finditer(text):
        when = _parse_date(match.group(1), formats)
        if when is not None:
            starts.append((match.start(), match.end(), when))
    if not starts:
        if not text.strip():
            raise ImportFailed(_("The jrnl file is empty."))
        raise ImportFailed(_(
            "No jrnl entries were found. Each entry starts on a new line with its date "
            "in brackets, like [2024-03-01 10:00]; if your jrnl uses another timeformat, "
            "give it with --timeformat (it was {format!r})."
        ).format(format=timeformat))
    leading = text[: starts[0][0]].strip()
    if leading:
        raise ImportFailed(_(
            "The file starts with text that is not part of a dated entry: {start!r}. "
            "Is this a jrnl journal, and is --timeformat right?"
        ).format(start=leading[:40]))
    entries = []
    for index, (_start, end, when) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(text)
        entries.append(_entry_from_text(text[end:stop], when, tagsymbols))
    return entries


def parse_json(text: str, tagsymbols: str = DEFAULT_TAGSYMBOLS) -> list[JrnlEntry]:
    """Entries of a `jrnl --export json` file."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(_("The jrnl JSON export is not valid JSON ({detail}).")
                           .format(detail=exc)) from exc
    except RecursionError as exc:
        raise ImportFailed(_("The jrnl JSON export is nested too deeply to be read.")) from exc
    items = document.get("entries") if isinstance(document, dict) else None
    if not isinstance(items, list):
        raise ImportFailed(_("This JSON file is not a jrnl export: it has no list of entries."))
    entries = []
    for number, item in enumerate(items, start=1):
        try:
            if not isinstance(item, dict):
                raise ValueError(_("it is not an object"))
            when = datetime.strptime(f"{item['date']} {item.get('time', '09:00')}",
                                     "%Y-%m-%d %H:%M")
            title, body = item.get("title", ""), item.get("body", "")
            tags = item.get("tags", [])
            if not isinstance(title, str) or not isinstance(body, str) or not isinstance(tags, list):
                raise ValueError(_("title, body or tags have the wrong type"))
            entries.append(JrnlEntry(
                when=when, title=title, body=body,
                tags=sorted({_bare_tag(str(t), tagsymbols) for t in tags} - {""}),
                starred=bool(item.get("starred", False)),
            ))
        except (KeyError, ValueError, TypeError) as exc:
            raise ImportFailed(_("Entry {number} of the jrnl export cannot be read: {detail}.")
                               .format(number=number, detail=exc)) from exc
    return entries


def build_entries(jrnl_entries: list[JrnlEntry]) -> JrnlImport:
    """Our entries from jrnl's, each validated; empty ones are left out."""
    result = JrnlImport(entries=[])
    for item in jrnl_entries:
        text = item.title.strip()
        if item.body.strip():
            text = f"{text}\n{item.body.strip()}" if text else item.body.strip()
        if not text:
            result.empty_skipped += 1
            continue
        tags = list(item.tags)
        if item.starred and STARRED_TAG not in tags:
            tags.append(STARRED_TAG)
        entry = Entry(text=text, tags=tags, when=item.when.astimezone())
        entry.validate()
        result.entries.append(entry)
    return result


def import_entries(journal, prepared: JrnlImport) -> tuple[int, int]:
    """Add the prepared entries; returns (added, already there). An entry with
    the same minute and text as one in the journal is not added twice."""
    existing = {(_minute(e.when), e.text) for e in journal.with_texts(journal.records(Entry))}
    fresh = [e for e in prepared.entries if (_minute(e.when), e.text) not in existing]
    for entry in fresh:
        entry.created = entry.updated = datetime.now().astimezone()
    store_all(journal, fresh)
    return len(fresh), len(prepared.entries) - len(fresh)


# ---- internals -------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    if path.is_dir():
        raise ImportFailed(_(
            "{path} is a folder. Folder journals are not supported; export it with "
            "jrnl --export json and import that file.").format(path=path))
    return read_import_file(path, _("{path} is too large to be a jrnl journal."))


def _parse_date(blob: str, formats: tuple[str, ...]) -> datetime | None:
    for fmt in formats:
        try:
            return datetime.strptime(blob.strip(), fmt)
        except ValueError:
            continue
    return None


def _entry_from_text(raw: str, when: datetime, tagsymbols: str) -> JrnlEntry:
    """jrnl's Entry._parse_text: a first line ending in * is starred; the title is
    the first line (or first sentence), the body the rest."""
    starred = False
    lines = raw.splitlines()
    if lines and lines[0].strip().endswith("*"):
        starred = True
        raw = lines[0].strip("\n *") + "\n" + "\n".join(lines[1:])
    title, body = _split_title(raw)
    return JrnlEntry(when=when, title=title, body=body,
                     tags=_tags_in(raw, tagsymbols), starred=starred)


def _split_title(text: str) -> tuple[str, str]:
    stripped = text.strip()
    first, _newline, rest = stripped.partition("\n")
    return first.strip(), rest.strip()


def _tags_in(text: str, tagsymbols: str) -> list[str]:
    """jrnl's tag rule: a tag symbol after whitespace (or at the start), then
    word characters and - + * # /; lower-cased."""
    pattern = re.compile(rf"(?<!\S)([{re.escape(tagsymbols)}][-+*#/\w]+)")
    return sorted({_bare_tag(t.lower(), tagsymbols) for t in pattern.findall(text)} - {""})


def _bare_tag(tag: str, tagsymbols: str) -> str:
    return tag.strip().lstrip(tagsymbols + "#@")


def _minute(when: datetime) -> datetime:
    return when.astimezone().replace(second=0, microsecond=0)

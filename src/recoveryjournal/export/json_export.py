"""The full JSON export: every record, lossless, versioned (docs/EXPORT.md).

Strings are kept exactly as they are in the journal so that importing the
file gives back the same journal; control characters are never written raw
but as JSON \\u escapes, so the file itself is safe to open in any viewer.

`stream(journal, selection)` writes it in pieces, a window of records built at a
time (ten times the benchmark journal is 459 MB of JSON: it is never one string);
`render(records)` is the join of the same pieces, for records already in hand.
"""

from __future__ import annotations

import dataclasses
import heapq
import json
import math
import re
from array import array
from datetime import date, datetime
from itertools import chain, islice
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator, Sequence

from .. import __version__, records
from ..records import LabelList, Record
from .files import not_encrypted_notice

EXPORT_FORMAT = "recoveryjournal-export"
EXPORT_VERSION = 1

# Characters json.dumps(ensure_ascii=False) would leave raw: DEL, C1 controls,
# bidirectional overrides and the two Unicode line separators.
_RAW_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

WINDOW = 2000  # records built, written and let go at a time by `stream`


def every_record(journal) -> list[Record]:
    """All records of every kind (settings and drafts too), grouped by kind."""
    chosen: list[Record] = []
    for cls in records.KINDS.values():
        found = journal.records(cls)
        chosen.extend(journal.with_texts(found) if cls.kind == "entry" else found)
    return chosen


def render(chosen: Iterable[Record], excluded: frozenset[str] = frozenset(),
           exported_at: str | None = None) -> str:
    """The export document as JSON text: what json.dumps(indent=1) makes of
    `records.to_dict` of each record, less the `excluded` fields (see dumps_indented
    and _record_texts for how it is made quickly). The join of `stream_records`."""
    from .shared_records import paused_gc

    chosen = chosen if isinstance(chosen, list) else list(chosen)
    counts: dict[str, int] = {}
    for record in chosen:
        counts[record.kind] = counts.get(record.kind, 0) + 1
    with paused_gc():
        return "".join(stream_records(counts, [chosen], excluded, exported_at))


def stream(journal, selection, exported_at: str | None = None,
           window: int = WINDOW) -> Iterator[str]:
    """The export of what `selection` chooses (export/selection.py `choose`, in
    its order), in pieces whose join is `render(choose(journal, selection),
    selection.excluded, exported_at)`: the head, then `window` records at a time.
    Only a window of records is built at once (an app that holds urges and
    entries as columns builds each as it is read), and the texts that wait on
    disk are read back a window at a time; nothing is kept once written.
    The records chosen are those of `journal.records` when this is called."""
    chosen = ChosenInWindows(journal, selection, window)
    return stream_records(chosen.counts(), chosen, selection.excluded, exported_at)


def stream_records(counts: dict[str, int], windows: Iterable[Iterable[Record]],
                   excluded: frozenset[str] = frozenset(),
                   exported_at: str | None = None) -> Iterator[str]:
    """The export document in pieces: its head (which names `counts`, how many
    records of each kind follow, in the order of their kinds' first records),
    then the records of each of `windows` in turn, one piece a window."""
    export = {
        "notice": not_encrypted_notice(),
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "record_schema": records.SCHEMA_VERSION,
        "app_version": __version__,
        "exported_at": exported_at or records.now().isoformat(timespec="seconds"),
        "complete": not excluded,
        "counts": counts,
    }
    # The head as dumps_indented writes it, its closing brace replaced by the
    # records (the last key), each written as it would be there. Control
    # characters are escaped a piece at a time: the pattern matches one character.
    head = dumps_indented(export)[:-2] + ',\n "records": '
    if excluded & _ALWAYS_WRITTEN:  # not a field a person can leave out: the plain way
        texts = _plain_record_texts(excluded)
    else:
        texts = _record_texts(excluded)
    separator = "[\n  "
    for window in windows:
        written = texts(window)
        if not written:
            continue
        yield _safe(head + separator + ",\n  ".join(written))
        head, separator = "", ",\n  "
        del written
    yield _safe(head + ("[]" if separator == "[\n  " else "\n ]") + "\n}") + "\n"


def _safe(text: str) -> str:
    """`text` with the characters json.dumps leaves raw as \\u escapes."""
    return _RAW_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


_ALWAYS_WRITTEN = frozenset({"id", "kind", "created", "updated"})


class ChosenInWindows:
    """The records `selection.choose(journal, selection)` gives, in its order, a
    window at a time, without holding them all: each kind's list is taken once
    (`journal.records`), the positions chosen in it found (none to find when the
    whole kind is taken), and the kinds merged by `when` as choose's stable sort
    orders them (earlier kinds first on a tie). Entries whose text waits on disk
    come with it, read back a window at a time (`journal.with_texts`)."""

    def __init__(self, journal, selection, window: int = WINDOW):
        from . import selection as chooser

        self.journal, self.window = journal, window
        takes_all = (selection.ids is None and selection.date_from is None
                     and selection.date_to is None and not selection.tags)
        self._lists: list[tuple[str, Sequence[Record], Sequence[int]]] = []
        for kind in selection.kinds:
            cls = records.KINDS.get(kind)
            if cls is None:  # said as choose() says it (it reads nothing first)
                chooser.choose(journal, dataclasses.replace(selection, kinds=(kind,)))
            found = journal.records(cls)
            no_plan = kind == "exercise" and "safety_plan" in selection.excluded
            if takes_all and not no_plan:
                positions: Sequence[int] = range(len(found))
            else:  # one pass, a record built at a time; only the positions are kept
                positions = array("I", (
                    position for position, record in enumerate(found)
                    if (takes_all or selection.matches(record))
                    and not (no_plan and chooser.is_safety_plan(record))))
            self._lists.append((kind, found, positions))

    def __len__(self) -> int:
        return sum(len(positions) for _kind, _found, positions in self._lists)

    def counts(self) -> dict[str, int]:
        """How many records of each kind are chosen, the kinds in the order their
        first record comes (as a count made going through `choose`'s list)."""
        firsts = sorted((found[positions[0]].when, number)
                        for number, (_kind, found, positions) in enumerate(self._lists)
                        if positions)
        counts: dict[str, int] = {}
        for _when, number in firsts:
            kind, _found, positions = self._lists[number]
            counts[kind] = counts.get(kind, 0) + len(positions)
        return counts

    def __iter__(self) -> Iterator[list[Record]]:
        runs = [self._run(found, positions) for _kind, found, positions in self._lists
                if positions]
        if len(self._lists) > 1 and len(runs) > 1:
            chosen: Iterator[Record] = heapq.merge(*runs, key=attrgetter("when"))
        else:
            chosen = chain.from_iterable(runs)
        while True:
            window = list(islice(chosen, self.window))
            if not window:
                return
            yield self.journal.with_texts(window)

    def _run(self, found: Sequence[Record], positions: Sequence[int]) -> Iterator[Record]:
        """The chosen records of one kind, oldest first, built a few at a time."""
        if found.__class__ is list and positions == range(len(found)):
            yield from found  # objects, all of them: nothing to build
            return
        step = self.window
        for start in range(0, len(positions), step):
            part = positions[start:start + step]
            if isinstance(part, range):
                yield from found[part.start:part.stop]
            else:
                yield from (found[position] for position in part)


def _plain_record_texts(excluded: frozenset[str]) -> Callable[[Iterable[Record]], list[str]]:
    """Each record through records.to_dict, less `excluded`, as written."""

    def texts(chosen: Iterable[Record]) -> list[str]:
        written = []
        for record in chosen:
            document = records.to_dict(record)
            for name in excluded:
                document.pop(name, None)
            written.append(_document_text(document))
        return written

    return texts


# Values whose JSON round trip (records.to_dict) gives them back unchanged.
_AS_THEY_ARE = frozenset({str, int, bool, type(None)})


def _record_texts(excluded: frozenset[str]) -> Callable[[Iterable[Record]], list[str]]:
    """A writer of records as _document_text writes records.to_dict(record) less
    the `excluded` fields, several times faster (a ten-year export spent 3 s
    here): each field is written straight from the record, its key's text made
    once per kind (and kept from one window to the next). A value that the JSON
    round trip of to_dict would change (a nested answer, a number that is not
    finite, a tuple) sends its record through to_dict itself."""
    plans: dict[type, tuple] = {}
    encode = _encode_string

    def texts(chosen: Iterable[Record]) -> list[str]:
        written: list[str] = []
        for record in chosen:
            cls = record.__class__
            plan = plans.get(cls)
            if plan is None:
                names = tuple(f.name for f in dataclasses.fields(cls)
                              if f.name not in _ALWAYS_WRITTEN and f.name not in excluded)
                plan = plans[cls] = (
                    attrgetter(*names) if len(names) > 1 else (lambda r, n=names: tuple(
                        getattr(r, name) for name in n)),
                    tuple(f",\n   {_key_text(name)}: " for name in names),
                    ',\n   "kind": ' + encode(cls.kind) + ',\n   "created": "')
            values, keys, after_id = plan
            created = record.created.isoformat()
            updated = (created if record.updated is record.created
                       else record.updated.isoformat())
            parts = ['{\n   "id": ', encode(record.id), after_id, created,
                     '",\n   "updated": "', updated, '"']
            fields = values(record) if keys else ()
            for key, value in zip(keys, fields):
                kind = value.__class__
                if kind is str:
                    parts += (key, encode(value))
                elif kind is datetime or kind is date:
                    parts += (key, '"', value.isoformat(), '"')
                elif value is None:
                    parts += (key, "null")
                elif kind is int or kind is bool:
                    parts += (key, _scalar_text(value))
                elif (kind is list or kind is LabelList) and all(
                        item.__class__ in _AS_THEY_ARE for item in value):
                    parts.append(key)
                    _write(value, "\n   ", parts)
                elif kind is float and math.isfinite(value):
                    parts += (key, float.__repr__(value))
                else:  # exactly as the round trip through JSON makes it
                    document = records.to_dict(record)
                    for name in excluded:
                        document.pop(name, None)
                    parts = [_document_text(document)]
                    break
            else:
                parts.append("\n  }")
            written.append("".join(parts))
        return written

    return texts


def _document_text(document: dict[str, Any]) -> str:
    """One record's dict as dumps_indented writes it inside the list of records."""
    out: list[str] = []
    _write(document, "\n  ", out)
    return "".join(out)


# The string encoder json.dumps(ensure_ascii=False) uses (in C where it can).
_encode_string = json.encoder.encode_basestring
_FLOAT_WORDS = {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}


def dumps_indented(value) -> str:
    """`json.dumps(value, ensure_ascii=False, indent=1)`, several times faster.

    json.dumps gives up its C encoder whenever it indents, and a ten-year export
    spent most of its time there (4-5 s of 76,500 records). The layout is the
    same character for character: strings go through json's own encoder, numbers
    through repr as json does; tests/test_export_json.py compares the two on
    every kind of value."""
    out: list[str] = []
    _write(value, "\n", out)
    return "".join(out)


def _write(value, newline: str, out: list[str]) -> None:
    """Append `value` as indented JSON; `newline` is a newline and the indent of
    the line `value` starts on."""
    kind = value.__class__
    if kind is str:
        out.append(_encode_string(value))
    elif kind is dict or isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = newline + " "
        separator = "{" + inner
        for key, item in value.items():
            out.append(separator)
            out.append(_key_text(key))
            out.append(": ")
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple or isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = newline + " "
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, inner, out)
            separator = "," + inner
        out.append(newline + "]")
    else:
        out.append(_scalar_text(value))


def _scalar_text(value) -> str:
    """A number, true, false or null as json.dumps writes it."""
    if isinstance(value, str):
        return _encode_string(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        text = float.__repr__(value)
        return _FLOAT_WORDS.get(text, text)
    return json.dumps(value, ensure_ascii=False)  # anything else: json's own word (or error)


def _key_text(key) -> str:
    """A dict key as json.dumps writes it (keys that are not text become text)."""
    if isinstance(key, str):
        return _encode_string(key)
    if isinstance(key, (int, float)) or key is None:
        return _encode_string(_scalar_text(key))
    return json.dumps({key: 0})[1:-4]  # json's own rule, or its TypeError

"""A Markdown export of every record of some kinds, made straight from the rows.

`export --format md` of whole kinds (no dates, tags or picks narrowing it) is the
longest thing the command line does with a big journal: every record decoded into
a record object, described, laid out, escaped and written. Most of that time went
into record objects made only to be described once (issue 18, bench/NOTES.md).
Here the journal hands each batch of rows over as it opens
(`Journal.load_handing_over`), and each record's JSON becomes its Markdown at
once, escaped and cleaned as `markdown.stream` escapes and cleans it; only that
text (and its place in the order) is kept. Once every row is read, the texts are
put in the order `selection.choose` gives and written a batch at a time.

Rows are stored in id order, not time order, so the order needs every row. Past
a cap (`held_for`: at the benchmark's size everything is held, as before) a row
keeps only its place in the order, its id and a digest of its plaintext, in flat
arrays, and is read back from the journal and made again when its turn comes to
be written (`Journal.rows_read_back`, a few thousand at a time): the memory held
no longer grows with the texts of the journal. A row changed or deleted between
the read and the read-back is written whole or not at all, and said.

Entries and urges (nine records in ten) are described from the JSON itself. Any
other kind, and any entry or urge holding a field of a type this app does not
write, takes the ordinary way (`records.from_json`, `describe`,
`markdown._record_text`), so an odd record reads exactly as before, and one that
cannot be read is reported exactly as before. The result is the same file byte
for byte (tests/test_export_same_output.py).
"""

from __future__ import annotations

import re
from array import array
from datetime import datetime, timedelta, timezone
from hashlib import blake2b
from operator import itemgetter
from typing import Any, Callable, Iterable, Iterator

import orjson

from .. import records
from ..i18n import N_, ngettext
from ..i18n.labels import coping_label, trigger_label, unit_label
from ..journal import ProblemLine
from ..record_index import kind_of
from . import markdown
from .selection import Selection, is_safety_plan
from .shared_records import (BATCH_SIZE, DayCachedWhenText, _addiction_heading, _labels,
                             _may_hold_a_number, _number, describer, paused_gc)

_fromisoformat = datetime.fromisoformat
_escape = markdown._escape_and_clean  # what markdown.stream does to every record's text
_SPECIAL = markdown._SPECIAL  # a character that escaping or cleaning changes
# (when, place of its kind in the selection, created, its text before escaping
# when its end needs it (see `bodies`) or None, the start of its heading ("## Urge
# · alcohol · ") or None, then the rest of its Markdown, escaped and cleaned: the
# lines it is made of, or one text). The time, and the lines an export repeats
# (the heading's start, a trigger, a set of feelings), are not copied into each
# record's text, and a row is one tuple: at ten times the benchmark journal a
# text a record was 150 MB more, a second tuple 37 MB.
Row = tuple  # (datetime, int, datetime, str | None, str | None, str, ...)
# Journal.rows_read_back: the plaintexts of these ids as stored now, by id, in parts.
ReadBack = Callable[[list[str]], Iterable[dict[str, bytes]]]

# How much Markdown is held before further rows are let go of (and read back when
# their turn comes): what the memory target of issue 18 (250 MB at ten times the
# benchmark journal) leaves once the process itself and what the load holds per
# record at its peak are counted (the ids and fingerprints the set check needs, and
# each row let go of: 41 bytes). The benchmark journal (76,500 records, counted
# 46 MB) is held whole, as before, three times it nearly so; at ten times it the
# load alone is ~200 MB, and only HELD_LEAST is held (bench/NOTES.md, issue 18).
MEMORY_TARGET = 230 * 2 ** 20
_PROCESS = 40 * 2 ** 20  # the interpreter, the modules an export imports, SQLite's cache
_LOAD_PER_RECORD = 260
HELD_LEAST = 8 * 2 ** 20
HELD_UNKNOWN = 48 * 2 ** 20  # the number of records unknown (no current sealed summary)
# A held row's own memory beside its plaintext's length: the tuple, two times.
_ROW_COST = 150


def held_for(records_in_journal: int | None) -> int:
    """The bytes of Markdown an export of whole kinds holds (see MEMORY_TARGET)
    in a journal of this many records (None: unknown)."""
    if records_in_journal is None:
        return HELD_UNKNOWN
    return max(HELD_LEAST, MEMORY_TARGET - _PROCESS - _LOAD_PER_RECORD * records_in_journal)


READ_BACK_AT_A_TIME = 2000  # rows read back in one query (Journal.rows_read_back)
_CHANGES_NAMED = 20  # records changed meanwhile named one by one; the rest are counted
_LEFT_OUT = N_("Record {id} was changed or deleted while the export was being written; it "
               "was left out of the file. Export it again to include it.")
_NEWER = N_("Record {id} was changed while the export was being written; the file holds "
            "its newer version.")


def takes_whole_kinds(selection: Selection) -> bool:
    """Whether `selection` is every record of its kinds (each kind named once):
    what this module exports."""
    return (selection.ids is None and selection.date_from is None
            and selection.date_to is None and not selection.tags
            and len(set(selection.kinds)) == len(selection.kinds)
            and all(kind in records.KINDS for kind in selection.kinds))


class MarkdownRows:
    """The Markdown of each record handed over (`take`), then the export's body in
    order (`bodies`). Made in the language of the export, like `describer`.

    With `read_back` (Journal.rows_read_back) the Markdown held is bounded: once
    the rows held stand for `held` bytes of plaintext, each further row keeps
    only its place in the order, its id and a digest of its plaintext
    (`_RowsLetGo`), and is read back and made again when its turn comes to be
    written. Without it (or under `held`, as at the benchmark's size) every
    row's Markdown is held until it is written."""

    def __init__(self, kinds: tuple[str, ...], excluded: frozenset[str],
                 read_back: ReadBack | None = None, held: int = HELD_UNKNOWN):
        self._place = {kind: position for position, kind in enumerate(kinds)}
        self._rows: list[Row] = []
        self._when_text = DayCachedWhenText()
        self._describe = describer(excluded)
        self._skip_safety_plan = "safety_plan" in excluded
        self._read_back = read_back
        self._room = held if read_back is not None else None  # plaintext bytes still held
        self._let_go: _RowsLetGo | None = None
        self._problems: list[ProblemLine] = []
        self._changed = 0  # records changed or deleted between the read and the read-back
        self.written = 0  # records written so far (`bodies`)
        label = _labels()
        record_start = _RecordStart(self._when_text)
        self._quick: dict[str, Callable[[dict, int, bytes], Row | None]] = {}
        if "entry" in self._place:
            self._quick["entry"] = _entry_markdown(label, excluded, record_start)
        if "urge" in self._place:
            self._quick["urge"] = _urge_markdown(label, excluded, record_start)
        for kind, make in (("use", _use_markdown), ("meeting", _meeting_markdown),
                           ("checkin", _checkin_markdown), ("mood", _mood_markdown)):
            if kind in self._place:
                self._quick[kind] = make(label, excluded, record_start)

    def __len__(self) -> int:
        return len(self._rows) + (0 if self._let_go is None else len(self._let_go))

    @property
    def problems(self) -> list[str]:
        """What changed between the read and the read-back, in the current language
        (empty when nothing was read back, or nothing had changed)."""
        said = [str(problem) for problem in self._problems]
        more = self._changed - len(self._problems)
        if more > 0:
            said.append(ngettext(
                "{count} more record was changed or deleted while the export was being "
                "written (see above).",
                "{count} more records were changed or deleted while the export was being "
                "written (see above).", more).format(count=more))
        return said

    def take(self, pairs: list[tuple[str, bytes]], unreadable: Callable[[str, object], None]
             ) -> None:
        """Turn a batch of (id, plaintext) into Markdown (Journal.load_handing_over)."""
        rows, quick, place, room = self._rows, self._quick, self._place, self._room
        loads = orjson.loads
        for record_id, payload in pairs:
            row = None
            try:
                document = loads(payload)
            except orjson.JSONDecodeError:
                document = None
            if document.__class__ is dict:
                write = quick.get(document.get("kind"))  # type: ignore[union-attr]
                if write is not None:
                    row = write(document, place[document["kind"]], payload)  # type: ignore[index]
            if row is None:
                row = self._the_ordinary_way(record_id, payload, unreadable)
                if row is None:
                    continue
            if room is not None:
                # What a row holds, counted as its plaintext and a tuple with two
                # times: near what it holds, or more (an urge's lines are shared).
                room -= len(payload) + _ROW_COST
                if room < 0:
                    if self._let_go is None:
                        self._let_go = _RowsLetGo()
                    self._let_go.add(record_id, row, payload)
                    continue
            rows.append(row)
        if room is not None:
            self._room = room

    def take_chosen(self, pairs: list[tuple[str, bytes]],
                    unreadable: Callable[[str, object], None]) -> None:
        """`take` for a load handing over kinds not chosen (so that the journal
        keeps none of them): their rows are passed by unread, as the journal's
        index would have kept them (never decoded, never named)."""
        place = self._place
        chosen = [pair for pair in pairs
                  if (kind := kind_of(pair[1])) is None or kind in place]
        if chosen:
            self.take(chosen, unreadable)

    def _make(self, record_id: str, payload: bytes,
              unreadable: Callable[[str, object], None]) -> Row | None:
        """The row of one record read back, as `take` makes it (None: not exported,
        or not readable, which is said)."""
        try:
            document = orjson.loads(payload)
        except orjson.JSONDecodeError:
            document = None
        if document.__class__ is dict:
            write = self._quick.get(document.get("kind"))  # type: ignore[union-attr]
            if write is not None:
                row = write(document, self._place[document["kind"]], payload)  # type: ignore[index]
                if row is not None:
                    return row
        return self._the_ordinary_way(record_id, payload, unreadable)

    def _the_ordinary_way(self, record_id: str, payload: bytes,
                          unreadable: Callable[[str, object], None]) -> Row | None:
        """A record through the record object, as the export of chosen records
        reads it (None: not exported, or not readable, which is said)."""
        try:
            record = records.from_json(record_id, payload)
        except (ValueError, KeyError, TypeError) as exc:
            unreadable(record_id, exc)
            return None
        place = self._place.get(record.kind)
        if place is None or (self._skip_safety_plan and is_safety_plan(record)):
            return None
        text = markdown._record_text(self._describe(record), self._when_text)
        return _row(record.when, place, record.created, text, False)

    def bodies(self, size: int = BATCH_SIZE) -> Iterator[str]:
        """The records' Markdown in the order of `selection.choose` (oldest first;
        at the same moment, by the order of the kinds chosen, then by when each
        was made, then as read), `size` records a piece, escaped and cleaned,
        without the newlines at the very end (as markdown.stream). Each piece is
        let go of once it is given."""
        when_text = self._when_text
        ordered = self._in_order()
        row = next(ordered, None)
        pieces: list[str] = []
        count = 0
        while row is not None:
            following = next(ordered, None)
            if following is not None:
                if row[4] is None:
                    pieces.append(row[5])
                else:
                    pieces += (row[4], when_text(row[0]), "\n\n")
                    pieces += row[5:]
            # markdown.stream strips the document's last newlines before it
            # escapes and cleans: a character that cleaning drops after a
            # newline there keeps that newline. The last record's text before
            # escaping is kept when it ends so (see _row).
            elif row[3] is not None:
                pieces.append(_escape(row[3].rstrip("\n")))
            elif row[4] is None:
                pieces.append(row[5].rstrip("\n"))
            else:
                pieces.append((row[4] + when_text(row[0]) + "\n\n"
                               + "".join(row[5:])).rstrip("\n"))
            self.written += 1
            count += 1
            if count == size or following is None:
                yield "".join(pieces)
                pieces = []
                count = 0
            row = following

    def _in_order(self) -> Iterator[Row]:
        """Every row in the export's order, each let go of as it is given; the rows
        let go of are read back and made again, `READ_BACK_AT_A_TIME` at a time,
        and slotted in among those held."""
        rows = self._rows
        # The order of (when, place, created, as read): as choose() sorts each kind
        # by created, then by when, then merges the kinds by when. Records at the
        # same moment are few: they alone are sorted again, by place and created.
        rows.sort(key=itemgetter(0))
        first = 0
        for position in range(1, len(rows) + 1):
            if position == len(rows) or rows[position][0] != rows[first][0]:
                if position - first > 1:
                    rows[first:position] = sorted(rows[first:position], key=_place_and_created)
                first = position
        held = len(rows)
        let_go, self._let_go = self._let_go, None
        if let_go is None:
            for position in range(held):
                row = rows[position]
                rows[position] = None  # type: ignore[call-overload]
                yield row
            rows.clear()
            return
        # Every row held was read before every row let go of: at the same place in
        # the order, a held row comes first.
        order = let_go.in_order()
        position = 0
        held_key = _key(rows[0]) if held else None
        for start in range(0, len(order), READ_BACK_AT_A_TIME):
            window = order[start:start + READ_BACK_AT_A_TIME]
            for place_in_order, row in zip(window, self._made_again(let_go, window)):
                key = let_go.key(place_in_order)
                while held_key is not None and held_key <= key:
                    row_held = rows[position]
                    rows[position] = None  # type: ignore[call-overload]
                    yield row_held
                    position += 1
                    held_key = _key(rows[position]) if position < held else None
                if row is not None:
                    yield row
        while position < held:
            row_held = rows[position]
            rows[position] = None  # type: ignore[call-overload]
            yield row_held
            position += 1
        rows.clear()

    def _made_again(self, let_go: "_RowsLetGo", window: array) -> list[Row | None]:
        """The rows at these places of `let_go`, read back and made again: each
        as it was first read, or its newer version where only its words changed;
        None where it was deleted, no longer opens, or moved in the order (said
        in `problems`, never a record of two versions)."""
        assert self._read_back is not None
        ids = [let_go.record_id(place) for place in window]
        found: dict[str, bytes] = {}
        for part in self._read_back(ids):
            found.update(part)
        made: list[Row | None] = []
        for place, record_id in zip(window, ids):
            payload = found.pop(record_id, None)
            row = None if payload is None else self._make(record_id, payload, _not_said)
            if payload is not None and let_go.same_version(place, payload):
                if row is None:  # made as at first, from the same bytes: cannot happen
                    self._note_change(_LEFT_OUT, record_id)
                made.append(row)
            elif row is not None and _key(row) == let_go.key(place):
                self._note_change(_NEWER, record_id)
                made.append(row)
            else:
                self._note_change(_LEFT_OUT, record_id)
                made.append(None)
        return made

    def _note_change(self, template: str, record_id: str) -> None:
        self._changed += 1
        if len(self._problems) < _CHANGES_NAMED:
            self._problems.append(ProblemLine(template, id=record_id))


def _not_said(_record_id: str, _reason: object) -> None:
    """A record read back that no longer reads: said as changed, not as unreadable."""


def _key(row: Row) -> tuple[int, int, int]:
    """A held row's place in the order, as `_RowsLetGo.key` gives it."""
    return _microseconds(row[0]), row[1], _microseconds(row[2])


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_NAIVE_EPOCH = datetime(1970, 1, 1)
_MICROSECOND = timedelta(microseconds=1)


def _microseconds(moment: datetime) -> int:
    """A moment as whole microseconds since 1970 (UTC), ordered and equal as the
    moments themselves are (a time without an offset is taken as UTC: with
    times that have one, the ordinary export could not order it at all)."""
    return (moment - (_NAIVE_EPOCH if moment.tzinfo is None else _EPOCH)) // _MICROSECOND


class _RowsLetGo:
    """The rows whose Markdown was let go of, in flat arrays (41 bytes a row
    against about a kilobyte held): each one's moment, the place of its kind,
    when it was made, its id (16 bytes, the 32 hex digits packed) and the first
    8 bytes of a BLAKE2b digest of its plaintext, to know it again when it is
    read back."""

    def __init__(self) -> None:
        self.when = array("q")
        self.place = bytearray()
        self.created = array("q")
        self.ids = bytearray()
        self.odd_ids: dict[int, str] = {}  # an id not in the app's form (edited outside it)
        self.digests = bytearray()

    def __len__(self) -> int:
        return len(self.place)

    def add(self, record_id: str, row: Row, payload: bytes) -> None:
        """Keep `row`'s place in the order, and what reads it back, not its text."""
        packed = b""
        if len(record_id) == 32:
            try:
                packed = bytes.fromhex(record_id)
            except ValueError:
                pass
        if len(packed) != 16 or packed.hex() != record_id:
            self.odd_ids[len(self.place)] = record_id
            packed = bytes(16)
        self.ids += packed
        self.when.append(_microseconds(row[0]))
        self.place.append(row[1])
        self.created.append(_microseconds(row[2]))
        self.digests += blake2b(payload, digest_size=8).digest()

    def record_id(self, position: int) -> str:
        odd = self.odd_ids.get(position)
        return odd if odd is not None else self.ids[16 * position:16 * position + 16].hex()

    def key(self, position: int) -> tuple[int, int, int]:
        return self.when[position], self.place[position], self.created[position]

    def same_version(self, position: int, payload: bytes) -> bool:
        """Whether `payload` is the plaintext this row had when it was first read."""
        return (blake2b(payload, digest_size=8).digest()
                == self.digests[8 * position:8 * position + 8])

    def in_order(self) -> array:
        """The rows' positions in the export's order (as `MarkdownRows._in_order`
        orders those held)."""
        when, place, created = self.when, self.place, self.created
        order = sorted(range(len(when)), key=when.__getitem__)  # stable: as read
        first = 0
        for position in range(1, len(order) + 1):
            if position == len(order) or when[order[position]] != when[order[first]]:
                if position - first > 1:
                    order[first:position] = sorted(
                        order[first:position], key=lambda at: (place[at], created[at]))
                first = position
        return array("Q", order)


def _place_and_created(row: Row) -> tuple[int, datetime]:
    return row[1], row[2]


def stream(title: str, subtitle: str, rows: MarkdownRows) -> Iterator[str]:
    """The export as Markdown in pieces, as `markdown.stream` writes it."""
    with paused_gc():
        bodies = rows.bodies()
        first = next(bodies, None)
        yield markdown.document_head(title, subtitle, nothing_chosen=first is None)
        if first is not None:
            yield first
            yield from bodies
        yield "\n"


def _row(when: datetime, place: int, created: datetime, text: str, plain: bool) -> Row:
    """A record's row from its whole Markdown (`plain`: known to need no escaping)."""
    if plain:
        return (when, place, created, None, None, text)
    escaped = _escape(text)
    end = text.rstrip("\n")
    # Kept only when cleaning drops its last character before the newlines.
    return (when, place, created, text if end and not _escape(end[-1]) else None, None,
            escaped)


def _plain(text: str) -> bool:
    """Whether escaping and cleaning leave `text` as it is."""
    return _SPECIAL.search(text) is None


# A JSON escape other than a newline, a tab or a quote: a backslash or a control
# character (JSON writes every control character as an escape; DEL it may not).
_ESCAPE_TO_LOOK_AT = re.compile(rb'\\[^nt"]')


def _only_marks_to_escape(payload: bytes) -> bool:
    """Whether every text of this JSON is ASCII without a backslash or a control
    character, so that only < > [ ] | in it could need escaping: three quick looks
    at the bytes instead of a pattern over each text."""
    return (payload.isascii() and b"\x7f" not in payload
            and _ESCAPE_TO_LOOK_AT.search(payload) is None)


# ---- the Markdown of one record from its JSON ------------------------------------------
#
# A record is its heading line, one line per fact ("- **Label:** value"), a blank
# line, then its passages, exactly as `markdown._add_record_pieces` lays out what
# `describe` makes. The lines that repeat (an intensity, a trigger, a set of
# feelings) are made once per export, each with whether its value may hold a
# phone number. When phone numbers are left out and a value may hold one, the
# record takes the ordinary way, which takes them out.

_LINES_KEPT = 10_000  # lines remembered per fact: any number of different ones may exist


def _times(document: dict, data: dict) -> tuple[datetime, datetime] | None:
    """(when, created) as records.from_json reads them, or None when it would not
    read them so (missing, not text, or not a time: the ordinary way says what)."""
    when, created, updated = data["when"], document["created"], document["updated"]
    if when.__class__ is not str or created.__class__ is not str or updated.__class__ is not str:
        return None
    schema = document.get("schema", 0)
    if schema.__class__ is not int or schema > records.SCHEMA_VERSION:
        return None
    try:
        if updated != created:
            _fromisoformat(updated)  # from_json reads it: a bad one is not quietly passed
        return _fromisoformat(when), _fromisoformat(created)
    except ValueError:
        return None


class _Lines:
    """The Markdown lines of one fact, by value: (line, may hold a phone number,
    needs no escaping)."""

    __slots__ = ("start", "made")

    def __init__(self, label_text: str | None):
        self.start = None if label_text is None else "- **" + label_text + ":** "
        self.made: dict[Any, tuple[str, bool, bool]] = {}

    def make(self, key: Any, value: str) -> tuple[str, bool, bool]:
        """The line of `value` (remembered as `key`'s)."""
        text = f"{self.start}{value}\n"
        line = (text, len(value) > 6 and _may_hold_a_number(value), _plain(text))
        if len(self.made) < _LINES_KEPT:
            self.made[key] = line
        return line


def _passage_start(label_text: str | None) -> str | None:
    """What comes before a passage: its heading, or nothing for an unlabelled one."""
    if label_text is None:
        return None
    return f"### {label_text}\n\n" if label_text else ""


def _is_text_list(values: Any) -> bool:
    """A list of texts, as the app writes feelings, coping tools and tags."""
    if values.__class__ is not list:
        return False
    for value in values:
        if value.__class__ is not str:
            return False
    return True


class _RecordStart:
    """"## Heading · 2024-03-01 10:00\n\n" for a record's heading and time, and
    whether it needs no escaping (the time is digits and separators)."""

    def __init__(self, when_text: Callable[[datetime], str]):
        self.when_text = when_text
        self.starts: dict[str, tuple[str, bool]] = {}  # heading → (its start, plain)

    def __call__(self, heading: str, when: datetime) -> tuple[list[str], bool]:
        start = self.starts.get(heading) or self.make(heading)
        return [start[0], self.when_text(when), "\n\n"], start[1]

    def make(self, heading: str) -> tuple[str, bool]:
        """"## Heading · " and whether it needs no escaping (remembered)."""
        start = (f"## {heading} · ", _plain(heading))
        if len(self.starts) < _LINES_KEPT:
            self.starts[heading] = start
        return start


def _entry_markdown(label: dict[str, str], excluded: frozenset[str],
                    record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """An entry's row from its JSON, as shared_records._entry_describer describes
    it; None for fields of other types than the app writes, or a phone number to
    take out."""
    heading = label["entry"]
    moods, tags_lines = _Lines(excluded_or(label, excluded, "mood")), _Lines(
        excluded_or(label, excluded, "tags"))
    text_start = _passage_start(excluded_or(label, excluded, "text"))
    text_start_plain = text_start is None or _plain(text_start)
    hide_numbers = "phone_numbers" in excluded
    starts, when_text = record_start.starts, record_start.when_text

    def row(document: dict, place: int, payload: bytes) -> Row | None:
        try:
            data = document["data"]
            text, mood, tags = data["text"], data["mood"], data["tags"]
            times = _times(document, data)
        except (KeyError, TypeError):
            return None
        if (times is None or text.__class__ is not str or not _is_text_list(tags)
                or (mood is not None and mood.__class__ is not int)):
            return None
        start = starts.get(heading) or record_start.make(heading)
        pieces: list[str] = []
        plain, holds = start[1], False
        if moods.start is not None and mood:
            line = moods.made.get(mood) or moods.make(mood, f"{mood}/5")
            pieces.append(line[0])
            holds, plain = line[1], plain and line[2]
        if tags_lines.start is not None and tags:
            key = tuple(tags)
            line = tags_lines.made.get(key) or tags_lines.make(key, ", ".join(tags))
            pieces.append(line[0])
            holds, plain = holds or line[1], plain and line[2]
        if pieces:
            pieces.append("\n")
        if text_start is not None and text and text.strip():
            text = text.strip("\n")
            if hide_numbers and not holds:
                holds = _may_hold_a_number(text)
            pieces += (text_start, text, "\n\n")
            if plain and text_start_plain:
                if _only_marks_to_escape(payload):
                    plain = not ("<" in text or ">" in text or "[" in text or "]" in text
                                 or "|" in text)
                else:
                    plain = _plain(text)
            else:
                plain = False
        if holds and hide_numbers:
            return None
        when = times[0]
        if plain:
            return (when, place, times[1], None, start[0], *pieces)
        return _row(when, place, times[1],
                    start[0] + when_text(when) + "\n\n" + "".join(pieces), False)

    return row


def _urge_markdown(label: dict[str, str], excluded: frozenset[str],
                   record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """An urge's row from its JSON, as shared_records._urge_describer describes
    it; None for fields of other types than the app writes, or a phone number to
    take out."""
    plain_heading = label["urge"]
    headings: dict[str, str] = {}  # addiction → "Urge · alcohol"
    with_addiction = "addiction" not in excluded

    def lines(name: str) -> _Lines:
        return _Lines(excluded_or(label, excluded, name))

    intensities, afters, minutes_lines = lines("intensity"), lines("intensity_after"), lines("minutes")
    triggers, places, people_lines = lines("trigger"), lines("place"), lines("people")
    feelings_lines, coping_lines, outcomes = lines("feelings"), lines("coping"), lines("outcome")
    note_start = _passage_start(excluded_or(label, excluded, "trigger_note"))
    notes: dict[str, tuple[str, bool, bool]] = {}  # note → (passage, may hold a number, plain)
    resisted, acted = label["resisted"], label["acted"]
    hide_numbers = "phone_numbers" in excluded
    str_, int_, list_, none = str, int, list, type(None)

    intensity_made, after_made, minutes_made = intensities.made, afters.made, minutes_lines.made
    trigger_made, feelings_made, coping_made = triggers.made, feelings_lines.made, coping_lines.made
    outcome_made = outcomes.made
    with_intensity, with_after = intensities.start is not None, afters.start is not None
    with_minutes, with_trigger = minutes_lines.start is not None, triggers.start is not None
    with_place, with_people = places.start is not None, people_lines.start is not None
    with_feelings, with_coping = feelings_lines.start is not None, coping_lines.start is not None
    with_outcome = outcomes.start is not None
    starts = record_start.starts
    when_text = record_start.when_text

    def row(document: dict, place: int, payload: bytes) -> Row | None:
        try:
            data = document["data"]
            addiction, trigger, note = data["addiction"], data["trigger"], data["trigger_note"]
            where, people, outcome = data["place"], data["people"], data["outcome"]
            intensity, after, minutes = data["intensity"], data["intensity_after"], data["minutes"]
            feelings, coping = data["feelings"], data["coping"]
            times = _times(document, data)
        except (KeyError, TypeError):
            return None
        # Only the types the app writes (`thought` is not shared, but from_json reads it).
        if (times is None or addiction.__class__ is not str_ or trigger.__class__ is not str_
                or note.__class__ is not str_ or where.__class__ is not str_
                or people.__class__ is not str_ or outcome.__class__ is not str_
                or data.get("thought", "").__class__ is not str_
                or intensity.__class__ is not int_
                or (after.__class__ is not int_ and after.__class__ is not none)
                or (minutes.__class__ is not int_ and minutes.__class__ is not none)
                or feelings.__class__ is not list_ or coping.__class__ is not list_
                # Feelings and coping tools shared are looked at below, in one go.
                or (not with_feelings and not _is_text_list(feelings))
                or (not with_coping and not _is_text_list(coping))):
            return None
        heading = plain_heading
        if with_addiction and addiction:
            heading = headings.get(addiction)  # type: ignore[assignment]
            if heading is None:
                heading = _addiction_heading(label, "urge-of", addiction)
                if len(headings) < _LINES_KEPT:
                    headings[addiction] = heading
        when = times[0]
        start = starts.get(heading) or record_start.make(heading)
        pieces: list[str] = []
        plain = start[1]
        holds = False
        if with_intensity:
            line = intensity_made.get(intensity) or intensities.make(intensity, f"{intensity}/10")
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_after and after is not None:
            line = after_made.get(after) or afters.make(after, f"{after}/10")
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_minutes and minutes is not None:
            line = minutes_made.get(minutes) or minutes_lines.make(minutes, str(minutes))
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_trigger and trigger:
            line = trigger_made.get(trigger)
            if line is None:
                shown = trigger_label(trigger)
                line = triggers.make(trigger, shown) if shown else ("", False, True)
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_place and where:
            line = places.made.get(where) or places.make(where, where)
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_people and people:
            line = people_lines.made.get(people) or people_lines.make(people, people)
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_feelings and feelings:
            try:  # a label that is not text (not hashable, or not joined) is not ours
                key = tuple(feelings)
                line = feelings_made.get(key) or feelings_lines.make(key, ", ".join(feelings))
            except TypeError:
                return None
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_coping and coping:
            try:  # as feelings: a tool that is not text is not joined
                key = tuple(coping)
                line = coping_made.get(key) or coping_lines.make(
                    key, ", ".join([coping_label(tool) for tool in coping]))
            except TypeError:
                return None
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if with_outcome:
            ended = outcome == "resisted"
            line = outcome_made.get(ended) or outcomes.make(ended, resisted if ended else acted)
            pieces.append(line[0])
            if line[1]:
                holds = True
            if not line[2]:
                plain = False
        if pieces:
            pieces.append("\n")
        if note_start is not None and note and note.strip():
            passage = notes.get(note)
            if passage is None:
                text = note_start + note.strip("\n") + "\n\n"
                passage = (text, _may_hold_a_number(note), _plain(text))
                if len(notes) < _LINES_KEPT:
                    notes[note] = passage
            pieces.append(passage[0])
            if passage[1]:
                holds = True
            if not passage[2]:
                plain = False
        if holds and hide_numbers:
            return None
        if plain:
            return (when, place, times[1], None, start[0], *pieces)
        return _row(when, place, times[1],
                    start[0] + when_text(when) + "\n\n" + "".join(pieces), False)

    return row


def _number_type(value: Any) -> bool:
    """A number as the app writes an amount (not a yes or no)."""
    return value.__class__ is float or value.__class__ is int


def _plain_markdown(kind: str, label: dict[str, str], excluded: frozenset[str],
                    record_start: _RecordStart,
                    describe: Callable[[dict], tuple[str, list[tuple[str, str]], str] | None]
                    ) -> Callable[[dict, int, bytes], Row | None]:
    """A row of a kind with few records (uses, meetings, check-ins, moods):
    `describe(data)` gives its heading, its facts as (field name, value) and its
    note, or None for fields of other types than the app writes."""
    note_start = _passage_start(excluded_or(label, excluded, "note"))
    hide_numbers = "phone_numbers" in excluded

    def row(document: dict, place: int, payload: bytes) -> Row | None:
        try:
            data = document["data"]
            times = _times(document, data)
            described = None if times is None else describe(data)
        except (KeyError, TypeError):
            return None
        if described is None:
            return None
        heading, facts, note = described
        pieces = record_start(heading, times[0])[0]
        texts = []
        for name, value in facts:
            if value and name not in excluded:
                pieces += ("- **", label[name], ":** ", value, "\n")
                texts.append(value)
        if len(pieces) > 3:
            pieces.append("\n")
        if note_start is not None and note and note.strip():
            note = note.strip("\n")
            pieces += (note_start, note, "\n\n")
            texts.append(note)
        if hide_numbers and _may_hold_a_number("\n".join(texts)):
            return None  # the ordinary way takes the number out
        return _row(times[0], place, times[1], "".join(pieces), False)

    return row


def _use_markdown(label: dict[str, str], excluded: frozenset[str],
                  record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """A use's row, as describe() describes a Use."""
    with_addiction, with_unit = "addiction" not in excluded, "unit" not in excluded
    with_amount = "amount" not in excluded

    def describe(data: dict) -> tuple[str, list[tuple[str, str]], str] | None:
        addiction, amount, unit = data["addiction"], data["amount"], data["unit"]
        money, minutes, note = data["money"], data["minutes"], data["note"]
        if (addiction.__class__ is not str or unit.__class__ is not str
                or note.__class__ is not str
                or (amount is not None and not _number_type(amount))
                or (money is not None and not _number_type(money))
                or (minutes is not None and minutes.__class__ is not int)):
            return None
        heading = label["use"]
        if with_addiction and addiction:
            heading = _addiction_heading(label, "use-of", addiction)
        shown_amount = ""
        if amount is not None and with_amount:
            shown_unit = unit_label(unit) if with_unit else ""
            shown_amount = f"{_number(amount)} {shown_unit}".strip()
        return heading, [("amount", shown_amount),
                         ("money", "" if money is None else _number(money)),
                         ("minutes", "" if minutes is None else str(minutes))], note

    return _plain_markdown("use", label, excluded, record_start, describe)


def _meeting_markdown(label: dict[str, str], excluded: frozenset[str],
                      record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """A meeting's row, as describe() describes a Meeting."""
    def describe(data: dict) -> tuple[str, list[tuple[str, str]], str] | None:
        group, note = data["group"], data["note"]
        if group.__class__ is not str or note.__class__ is not str:
            return None
        return label["meeting"], [("group", group)], note

    return _plain_markdown("meeting", label, excluded, record_start, describe)


def _checkin_markdown(label: dict[str, str], excluded: frozenset[str],
                      record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """A check-in's row, as describe() describes a Checkin (its WHO-5 score)."""
    def describe(data: dict) -> tuple[str, list[tuple[str, str]], str] | None:
        items = data["items"]
        if items.__class__ is not list or any(item.__class__ is not int for item in items):
            return None
        raw = sum(items)
        return label["checkin"], [("items", label["who5-score"].format(percent=raw * 4,
                                                                         raw=raw))], ""

    return _plain_markdown("checkin", label, excluded, record_start, describe)


def _mood_markdown(label: dict[str, str], excluded: frozenset[str],
                   record_start: _RecordStart) -> Callable[[dict, int, bytes], Row | None]:
    """A mood's row, as describe() describes a Mood."""
    def describe(data: dict) -> tuple[str, list[tuple[str, str]], str] | None:
        mood = data["mood"]
        if mood.__class__ is not int:
            return None
        return label["mood"], [("mood", f"{mood}/5")], ""

    return _plain_markdown("mood", label, excluded, record_start, describe)


def excluded_or(label: dict[str, str], excluded: frozenset[str], name: str) -> str | None:
    """The label of field `name`, or None when it is left out."""
    return None if name in excluded else label[name]

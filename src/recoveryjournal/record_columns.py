"""Decoded records held as columns: a few dozen bytes a record instead of a Python
object of several hundred, for the kinds a journal holds by the thousand (urges,
entries, uses, check-ins, meetings, exercise answers).

A journal kept for ten years by someone who logs every urge holds half a million
urges and, at ten times the benchmark journal, 200,000 entries. As objects, with
their ids and times, urges took 200 MB; and the entries' objects, left between
the freed pieces of everything read on the way, kept most of the memory those
pieces had taken (bench/NOTES.md). Here each record is a row: its id as 16 bytes,
its three times as microseconds since 1970 beside the number of their UTC offset,
its whole numbers in arrays of small ints, and each text or label list as the
number of one shared copy in a table (people name the same few triggers, places,
feelings and tags again and again, and records.py already shares those copies).
Entries' texts are kept one after another in one UTF-8 string (`_Texts`) until
the app lets go of them (`leave_texts`: read back from the journal file when
asked, records.TextOnDisk); exercise answers as JSON in one string; amounts as
floats beside whether they were whole numbers.

A record is built when one is read (`get`, or going through `in_time_order()`)
and is not kept: a screen holds what it asked for, and nothing else is held.

Rows never change once written (an entry's text aside, which is let go of or
read back, always as saved): saving a record adds a row and marks its old row
gone, so a list in time order taken earlier still reads the records as they were
when it was taken, just as the list of objects it stands in for did.

A record this layout cannot hold exactly (edited by hand: an id that is not 32
hex digits, a number that is not a small whole number, a label list that is not
text, NaN, answers that are not plain JSON) keeps its object beside its row. A
time without a UTC offset cannot be placed in time at all: `pack` then declines,
and the kind stays objects (a save of one turns the kind back into objects).

What goes through every record of a kind reads the columns rather than building
each (~3 µs a record): `InTimeOrder.matching` and `label_tally` (urges),
`searchable` and `rows_that_may_hold` (a search before the word index).

The app's worker decodes these kinds straight into columns
(`RecordIndex._file`); a command-line run, which reads and goes, keeps objects.
Like every decoded record, this is plaintext: it lives in the record index and
goes with it when the journal locks.
"""

from __future__ import annotations

import heapq
import re
from array import array
from collections import Counter
from itertools import compress
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence, overload

import orjson

from . import records
from .records import Checkin, Entry, ExerciseResponse, Meeting, Record, Urge, Use
from .vault import polite
from .vault.packed_ids import packed_id as _packed_id

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_MICROSECOND = timedelta(microseconds=1)
_TIMES = ("created", "updated", "when")
# The whole numbers of each kind held: (field, array type). Every other field
# holds text or a list of labels, or is an entry's text; a new field of another
# type must be given its column here (`_Plan` refuses the kind otherwise, and
# the tests say so).
_NUMBERS: dict[type, tuple[tuple[str, str], ...]] = {
    Urge: (("intensity", "b"), ("intensity_after", "b"), ("minutes", "i")),
    Entry: (("mood", "b"),),
    Use: (("minutes", "i"),),
    Checkin: (),
    Meeting: (),
    ExerciseResponse: (("exercise_version", "i"),),
}
# Amounts: a float (8 bytes) beside what it was: None, a whole number, a fraction.
_AMOUNTS: dict[type, tuple[str, ...]] = {Use: ("amount", "money")}
_NO_AMOUNT, _WHOLE, _FRACTION = 0, 1, 2
# The value an optional number's column holds for None: the array type's least
# (a number equal to it is kept as its record's object).
_NONE = {"b": -128, "i": -(1 << 31)}
_RANGE = {"b": (-127, 127), "i": (-(1 << 31) + 1, (1 << 31) - 1)}
_BUCKETS = 4096  # ids are found by their first three hex digits, then a scan in C
_ID = 16  # bytes of an id
_SLOT = _ID + 4  # an id and its row number, in its bucket
_ZONES_AT_MOST = 255
_NARROW_VALUES = 1 << 16  # distinct texts a label column numbers in two bytes
_EVERY = 512  # records packed between two looks at the person typing
_SORT_PIECE = 4096  # rows sorted at a time by a polite worker (a few milliseconds)
_SCAN = 4 << 20  # bytes of texts lowered at a time by a search's first look


def packs(cls: type) -> bool:
    """Whether records of `cls` are held as columns: every kind a journal holds
    by the thousand (not the settings, drafts or moods, which stay objects)."""
    if cls not in _PLANNED:
        try:
            _PLANNED[cls] = cls in _NUMBERS and _Plan(cls) is not None
        except TypeError:  # a field without a column: kept as objects, as before
            _PLANNED[cls] = False
    return _PLANNED[cls]


_PLANNED: dict[type, bool] = {}


class _Plan:
    """How a kind's fields are held: whole numbers (field, array type, may be
    None), amounts, yes/no fields, texts and label lists (`labels`; lists of
    whole numbers among them, `number_lists`), answers (a dict, as JSON), and
    whether it has an entry's text."""

    def __init__(self, cls: type):
        hints = records.field_types(cls)
        self.numbers = tuple((name, typecode, hints[name] != int)
                             for name, typecode in _NUMBERS[cls])
        self.amounts = _AMOUNTS.get(cls, ())
        self.flags = tuple(name for name, hint in hints.items() if hint is bool)
        self.answers = tuple(name for name, hint in hints.items() if hint == dict[str, Any])
        self.text = cls is Entry
        held = {"id", *_TIMES, *(name for name, _type in _NUMBERS[cls]), *self.amounts,
                *self.flags, *self.answers, *(("text",) if self.text else ())}
        self.labels = tuple(name for name in hints if name not in held)
        self.number_lists = frozenset(name for name in self.labels if hints[name] == list[int])
        for name in self.labels:
            if hints[name] not in (str, list[str], list[int]):
                raise TypeError(f"{cls.__name__}.{name} needs a column of its own")


class RecordColumns:
    """The decoded records of one kind by id, as a dict of them would be (`get`,
    `in`, `[id] = record`, `pop`, `len`, `values`), kept as rows of columns. Used
    under the record index's lock, as the dict it replaces."""

    def __init__(self, cls: type) -> None:
        self.cls = cls
        plan = self._plan = _Plan(cls)
        self._ids = bytearray()  # 16 bytes a row
        self._buckets = [bytearray() for _ in range(_BUCKETS)]  # (id, row) of live rows
        self._odd_ids: dict[str, int] = {}  # live rows whose id is not 32 hex digits
        self._gone = bytearray()  # 1 for a row replaced or removed
        self._times = {name: array("q") for name in _TIMES}
        self._zone_of = {name: array("B") for name in _TIMES}
        self._zones: list[timezone] = []
        self._epochs: list[datetime] = []  # 1970-01-01 00:00 UTC in each of `_zones`
        self._zone_codes: dict[tuple, int] = {}
        self._zone_by_object: dict[int, int] = {}  # id() of a zone object seen -> its code
        self._zone_objects: list[timezone] = []
        self._numbers = {name: array(typecode) for name, typecode, _optional in plan.numbers}
        self._amounts = {name: (array("d"), bytearray()) for name in plan.amounts}
        self._flags = {name: bytearray() for name in plan.flags}
        # Answers as JSON, one after another in one string (`_answer_ends[name][row]`
        # is where the row's ends): no object a row.
        self._answers = {name: bytearray() for name in plan.answers}
        self._answer_ends = {name: array("Q") for name in plan.answers}
        # Two bytes a value's number while the table holds fewer than 65,536
        # distinct values (people write the same few again and again), four after.
        self._labels = {name: array("H") for name in plan.labels}
        self._values: list[Any] = []  # the distinct texts and label lists
        self._value_codes: dict[Any, int] = {}
        # Entries' texts (see `_Texts`); once let go of, read from disk when asked,
        # through `_stand_in[0]`, a records.TextOnDisk.
        self._texts: _Texts | None = _Texts() if plan.text else None
        self._stand_in: list[records.TextOnDisk | None] = [None]
        # While the worker decodes (`read_texts_up_to`): how many bytes of text the
        # string may hold; the texts read past that wait on disk from the start.
        self._text_room: int | None = None
        self._odd: dict[int, Record] = {}  # rows that keep their object (see above)
        # The live rows, oldest first (when, then created); None while rows are
        # added as they are decoded, in no order, until `take_order`.
        self._order: array | None = array("I")
        self._live = 0
        self._build = self._builder()

    # ---- packing -----------------------------------------------------------------

    @classmethod
    def pack(cls, kind: type, ordered: Sequence[Record],
             busy: Callable[[], bool] | None = None) -> RecordColumns | None:
        """Columns holding these records of `kind`, given oldest first as
        `sorted_by_when` lists them (so the rows are in time order and no sort is
        needed); None when one of them has a time that cannot be placed (no UTC
        offset)."""
        packed = cls(kind)
        for position, record in enumerate(ordered):
            if busy is not None and position % _EVERY == _EVERY - 1:
                polite.give_way(busy)
            row = packed._add(record)
            if row is None:
                return None
            packed._order.append(row)  # type: ignore[union-attr]
        return packed

    @classmethod
    def unordered(cls, kind: type) -> RecordColumns:
        """Empty columns to put records in as they are decoded (`put`), in any
        order; placed in time order later (`take_order`) or when first read."""
        packed = cls(kind)
        packed._order = None
        return packed

    def read_texts_up_to(self, size: int, stand_in: records.TextOnDisk) -> None:
        """While records are put in before their order is taken (the app's worker
        decoding the journal), hold texts until the texts string holds `size`
        bytes; the texts read after that wait on disk at once (`stand_in` reads
        them back), as `leave_texts` would leave them. Their number is
        `texts_waiting`. Entries' texts are most of a decoded journal; all of
        them held until the word index was built was the session's highest
        point at ten times the benchmark journal (bench/NOTES.md)."""
        self._text_room = size
        self._stand_in[0] = stand_in

    def rows_in_time_order(self, busy: Callable[[], bool] | None = None) -> array:
        """The live rows oldest first, sorted a piece at a time (a sort of half a
        million rows in one call would hold the screen for a second): pieces
        sorted on their own, then merged in Python, as
        `RecordIndex._sort_politely` does for objects. Ties keep the order the
        rows were added in, as a stable sort does."""
        gone, key = self._gone, self._sort_key()
        rows = [row for row in range(len(gone)) if not gone[row]]
        pieces = []
        for start in range(0, len(rows), _SORT_PIECE):
            if busy is not None:
                polite.give_way(busy)
            pieces.append(sorted(rows[start:start + _SORT_PIECE], key=key))
        return array("I", heapq.merge(*pieces, key=key) if len(pieces) > 1
                     else (pieces[0] if pieces else ()))

    def take_order(self, order: array) -> None:
        """Take the time order `rows_in_time_order` gave, if none is kept yet
        (the caller made sure nothing was saved meanwhile)."""
        if self._order is None:
            self._order = order

    def _sort_key(self) -> Callable[[int], int]:
        """A row's place in time: its `when`, then its `created`, as one number
        (microseconds; `created` shifted to be at least 0)."""
        when, created = self._times["when"], self._times["created"]
        return lambda row: (when[row] << 64) + created[row] + (1 << 63)

    def _add(self, record: Record) -> int | None:
        """Write `record` as a new row and file its id; its row, or None when its
        times cannot be placed. Does not place it in time order."""
        times = []
        for name in _TIMES:
            moment = getattr(record, name)
            zone = moment.tzinfo if moment.__class__ is datetime else None
            if zone is None or zone.__class__ is not timezone or moment.fold:
                return None
            code = self._zone_by_object.get(id(zone))  # decoding shares one per offset
            if code is None:
                key = (zone.utcoffset(None), zone.tzname(None))
                code = self._zone_codes.get(key)
                if code is None:
                    if len(self._zones) >= _ZONES_AT_MOST:
                        return None
                    code = self._zone_codes[key] = len(self._zones)
                    self._zones.append(zone)
                    self._epochs.append(_EPOCH.astimezone(zone))
                if len(self._zone_objects) < _ZONES_AT_MOST:
                    self._zone_objects.append(zone)  # kept, so its id stays its own
                    self._zone_by_object[id(zone)] = code
            times.append(((moment - _EPOCH) // _MICROSECOND, code))
        row = len(self._gone)
        odd = False
        for name, (micros, code) in zip(_TIMES, times):
            self._times[name].append(micros)
            self._zone_of[name].append(code)
        for name, typecode, optional in self._plan.numbers:
            value = getattr(record, name)
            column = self._numbers[name]
            low, high = _RANGE[typecode]
            if value is None and optional:
                column.append(_NONE[typecode])
            elif value.__class__ is int and low <= value <= high:
                column.append(value)
            else:
                column.append(_NONE[typecode])
                odd = True
        for name in self._plan.amounts:
            value = getattr(record, name)
            column, kinds = self._amounts[name]
            if value is None:
                column.append(0.0)
                kinds.append(_NO_AMOUNT)
            elif value.__class__ is int and -(1 << 53) <= value <= 1 << 53:
                column.append(float(value))
                kinds.append(_WHOLE)
            elif value.__class__ is float and value == value:  # (not NaN)
                column.append(value)
                kinds.append(_FRACTION)
            else:
                column.append(0.0)
                kinds.append(_NO_AMOUNT)
                odd = True
        for name in self._plan.flags:
            value = getattr(record, name)
            self._flags[name].append(value is True)
            odd = odd or value.__class__ is not bool
        for name in self._plan.answers:
            value = getattr(record, name)
            try:
                written = orjson.dumps(value)
                exact = value.__class__ is dict and orjson.loads(written) == value
            except (TypeError, orjson.JSONEncodeError):
                written, exact = b"", False
            blob = self._answers[name]
            blob += written if exact else b""
            self._answer_ends[name].append(len(blob))
            odd = odd or not exact
        for name in self._plan.labels:
            value = getattr(record, name)
            code = (self._number_list_code(value) if name in self._plan.number_lists
                    else self._code(value))
            if code is None:
                code, odd = 0, True
            self._labels[name].append(code)  # (`_code` may have widened the columns)
        if self._texts is not None:
            text = records.held_text(record)  # type: ignore[arg-type]
            if text.__class__ is str:
                room = self._text_room
                if room is not None and self._order is None and self._texts.size >= room:
                    text = None  # as saved: read back from its row when asked
                self._texts.append(text)
            else:  # an entry whose text waits on disk: not one of the journal's own
                self._texts.append(None)
                odd = True
        self._gone.append(0)
        packed_id = _packed_id(record.id)
        if packed_id is None:
            self._ids += bytes(_ID)
            self._odd_ids[record.id] = row
            odd = True
        else:
            self._ids += packed_id
            self._buckets[_bucket(record.id)] += packed_id + row.to_bytes(4, "little")
        if odd:
            self._odd[row] = record
        self._live += 1
        return row

    def _code(self, value: Any) -> int | None:
        """The number of `value` (a text or a list of labels) in the table of
        distinct values; None for what the table cannot hold as it is."""
        if value.__class__ is str:
            key: Any = value
        elif value.__class__ is records.LabelList:
            key = tuple(value)  # the list itself is shared, and so is not changed
        elif value.__class__ is list:
            shared = records.shared_labels(value)
            if shared.__class__ is not records.LabelList:
                return None
            value, key = shared, tuple(shared)
        else:
            return None
        code = self._value_codes.get(key)
        if code is None:
            code = self._value_codes[key] = len(self._values)
            self._values.append(value)
            if code == _NARROW_VALUES:
                self._widen_labels()
        return code

    def _number_list_code(self, value: Any) -> int | None:
        """The number of a list of whole numbers (a check-in's answers) in the
        table, kept as a tuple and given as a list of its own each time."""
        if value.__class__ is not list or not all(v.__class__ is int for v in value):
            return None
        key = ("numbers", *value)  # never equal to a tuple of labels (text only)
        code = self._value_codes.get(key)
        if code is None:
            code = self._value_codes[key] = len(self._values)
            self._values.append(tuple(value))
            if code == _NARROW_VALUES:
                self._widen_labels()
        return code

    def _widen_labels(self) -> None:
        """Four bytes a value's number from now on: new arrays (a list taken
        earlier keeps reading the old ones, which hold every row it lists) and
        a builder that reads them."""
        self._labels = {name: array("I", column) for name, column in self._labels.items()}
        self._build = self._builder()

    # ---- reading -----------------------------------------------------------------

    def _row_of(self, record_id: str) -> int | None:
        """The live row of this id, or None."""
        packed_id = _packed_id(record_id)
        if packed_id is None:
            return self._odd_ids.get(record_id)
        bucket = self._buckets[_bucket(record_id)]
        found = bucket.find(packed_id)
        while found >= 0:
            if found % _SLOT == 0:
                return int.from_bytes(bucket[found + _ID:found + _SLOT], "little")
            found = bucket.find(packed_id, found + 1)
        return None

    def record(self, row: int) -> Record:
        """The record of a row, built afresh."""
        return self._build(row)

    def _builder(self) -> Callable[[int], Record]:
        """A function building the record of a row, with every column at hand: it
        runs for each record a screen goes through (half a million urges at ten
        times the benchmark journal), so no lookups by name and no loop."""
        scope: dict[str, Any] = {
            "odd": self._odd, "new": object.__new__, "cls": self.cls, "ids": self._ids,
            "values": self._values, "span": timedelta, "DAY": 86_400_000_000,
            "SECOND": 1_000_000,
            # 1970-01-01 00:00 UTC in each offset: adding the time since then to
            # it gives the moment in its own offset at once (`+ timedelta` of
            # days, seconds and microseconds: a third of the cost of microseconds).
            "epochs": self._epochs, "stand_in": self._stand_in,
            "text_of": self._texts.get if self._texts is not None else None,
            "set_text": records.set_held_text}
        for name in _TIMES:
            scope[f"{name}_at"], scope[f"{name}_zone"] = self._times[name], self._zone_of[name]
        source = ["def build(row):",
                  "    kept = odd.get(row)",
                  "    if kept is not None:",
                  "        return kept",
                  "    made = new(cls)",
                  "    made.id = ids[row * 16:row * 16 + 16].hex()",
                  "    micros = created_at[row]",
                  "    code = created_zone[row]",
                  "    days, micro = divmod(micros, DAY)",
                  "    seconds, micro = divmod(micro, SECOND)",
                  "    created = made.created = epochs[code] + span(days, seconds, micro)",
                  "    if updated_at[row] == micros and updated_zone[row] == code:",
                  "        made.updated = created",
                  "    else:",
                  "        days, micro = divmod(updated_at[row], DAY)",
                  "        seconds, micro = divmod(micro, SECOND)",
                  "        made.updated = epochs[updated_zone[row]] + span(days, seconds, micro)",
                  "    days, micro = divmod(when_at[row], DAY)",
                  "    seconds, micro = divmod(micro, SECOND)",
                  "    made.when = epochs[when_zone[row]] + span(days, seconds, micro)"]
        for n, (name, typecode, optional) in enumerate(self._plan.numbers):
            scope[f"number_{n}"] = self._numbers[name]
            if optional:
                scope[f"none_{n}"] = _NONE[typecode]
                source += [f"    value = number_{n}[row]",
                           f"    made.{name} = None if value == none_{n} else value"]
            else:
                source.append(f"    made.{name} = number_{n}[row]")
        for n, name in enumerate(self._plan.amounts):
            scope[f"amount_{n}"], scope[f"amount_kind_{n}"] = self._amounts[name]
            source += [f"    kind = amount_kind_{n}[row]",
                       f"    made.{name} = (None if kind == NO_AMOUNT else int(amount_{n}[row])"
                       f" if kind == WHOLE else amount_{n}[row])"]
        scope.update(NO_AMOUNT=_NO_AMOUNT, WHOLE=_WHOLE, loads=orjson.loads)
        for n, name in enumerate(self._plan.flags):
            scope[f"flag_{n}"] = self._flags[name]
            source.append(f"    made.{name} = flag_{n}[row] == 1")
        for n, name in enumerate(self._plan.answers):
            scope[f"answers_{n}"], scope[f"answer_ends_{n}"] = (
                self._answers[name], self._answer_ends[name])
            source.append(f"    made.{name} = loads(answers_{n}[answer_ends_{n}[row - 1] if row"
                          f" else 0:answer_ends_{n}[row]])")
        for n, name in enumerate(self._labels):
            scope[f"label_{n}"] = self._labels[name]
            if name in self._plan.number_lists:
                source.append(f"    made.{name} = list(values[label_{n}[row]])")
            else:
                source.append(f"    made.{name} = values[label_{n}[row]]")
        if self._texts is not None:
            source += ["    text = text_of(row)",
                       "    set_text(made, stand_in[0] if text is None else text)"]
        source.append("    return made")
        exec("\n".join(source), scope)  # noqa: S102 - our own field names, not input
        return scope["build"]

    def get(self, record_id: str, default: Any = None) -> Any:
        row = self._row_of(record_id)
        return default if row is None else self._build(row)

    def __getitem__(self, record_id: str) -> Record:
        row = self._row_of(record_id)
        if row is None:
            raise KeyError(record_id)
        return self._build(row)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._row_of(record_id) is not None

    def __len__(self) -> int:
        return self._live

    def __bool__(self) -> bool:
        return self._live > 0

    def in_time_order(self) -> InTimeOrder:
        """The records oldest first, as `RecordIndex.sorted_by_when` lists them: a
        list that stays as it is when records are saved later."""
        if self._order is None:
            self._order = self.rows_in_time_order()
        return InTimeOrder(self, array("I", self._order))

    def values(self) -> InTimeOrder:
        return self.in_time_order()

    def keys(self) -> list[str]:
        return [self._ids[row * _ID:(row + 1) * _ID].hex() if row not in self._odd
                else self._odd[row].id for row in range(len(self._gone)) if not self._gone[row]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def items(self) -> Iterator[tuple[str, Record]]:
        for record in self.in_time_order():
            yield record.id, record

    @property
    def rows_written(self) -> int:
        """Rows written so far, gone ones too: the next row's number."""
        return len(self._gone)

    def ids_of(self, rows: Iterable[int]) -> list[str]:
        """The ids of these rows, without building their records."""
        digits, odd = self._ids.hex(), self._odd
        return [odd[row].id if row in odd else digits[row * 32:row * 32 + 32] for row in rows]

    def searchable(self, rows: Iterable[int], fields: list[tuple[str, bool]],
                   text_of: Callable[[Record], str]) -> Iterator[tuple[int, str]]:
        """(row, its text fields one per line, as `text_of` joins them for a record)
        for these rows, read from the columns without building the records: a
        search before the word index goes through every entry. `fields`: the
        kind's text fields in order, and which are lists. A row kept as its object,
        or whose text waits on disk, is asked through `text_of`."""
        values, odd, texts = self._values, self._odd, self._texts
        parts_of = []
        for name, is_list in fields:
            if name == "text" and texts is not None:
                parts_of.append((0, texts.get))
            else:
                parts_of.append((1 if is_list else 2, self._labels[name].__getitem__))
        for row in rows:
            if row in odd:
                yield row, text_of(odd[row])
                continue
            parts: list[str] | None = []
            for how, part in parts_of:
                if how == 2:
                    parts.append(values[part(row)])  # type: ignore[union-attr]
                elif how == 1:
                    parts.extend(values[part(row)])  # type: ignore[union-attr]
                else:
                    text = part(row)
                    if text is None:
                        parts = None
                        break
                    parts.append(text)  # type: ignore[union-attr]
            yield row, "\n".join(parts) if parts is not None else text_of(self._build(row))

    def rows_that_may_hold(self, words: list[str], fold: Callable[[str], str],
                           but_waiting: bool = False) -> set[int] | None:
        """The rows whose text fields may hold every (folded) word: a superset of
        the matches, found in C over the entries' texts string (lowered a few MB at
        a time) and the table of labels, for a search before the word index.
        None when it cannot tell so quickly: words or texts that are not all
        ASCII (folding may turn other letters into ASCII), or no texts string.
        `but_waiting`: leave out the rows whose text waits on disk (the caller
        tests those itself); else they are in, to be read one by one."""
        texts = self._texts
        if (texts is None or texts._blob is None or not words
                or not all(word.isascii() for word in words)):
            return None
        blob, ends, state = texts._blob, texts._ends, texts._state
        if not blob.isascii():
            return None
        # The rows whose labels (an entry's tags) hold each word, from the few
        # distinct values; the longest word is looked for in the texts first.
        order = sorted(words, key=len, reverse=True)
        in_labels = {word: self._rows_with_label_holding(word, fold) for word in order}
        first, rest = order[0].encode(), [(word.encode(), in_labels[word]) for word in order[1:]]
        # Rows whose text is not in the string, or kept as objects: one by one.
        found = {match.start() for match in re.finditer(
            b"[\x02]" if but_waiting else b"[^\x00]", state)}  # (2: held apart, 1: on disk)
        found.update(self._odd, in_labels[order[0]])
        start_row = 0
        while start_row < len(ends):
            first_byte = ends[start_row - 1] if start_row else 0
            end_row = max(bisect_right(ends, first_byte + _SCAN), start_row + 1)
            lowered = bytes(blob[first_byte:ends[end_row - 1]]).lower()
            at = lowered.find(first)
            while at >= 0:
                row = bisect_right(ends, first_byte + at, start_row, end_row)
                text_start = (ends[row - 1] if row else 0) - first_byte
                text_end = ends[row] - first_byte
                if all(word in lowered[text_start:text_end] or row in labelled
                       for word, labelled in rest):
                    found.add(row)
                at = lowered.find(first, text_end)
            start_row = end_row
        return found

    def _rows_with_label_holding(self, word: str, fold: Callable[[str], str]) -> set[int]:
        """The rows with a text or label field (not an entry's text) holding `word`."""
        found: set[int] = set()
        values = self._values
        codes = {code for code, value in enumerate(values)
                 if any(word in fold(label) for label in
                        ((value,) if value.__class__ is str else value)
                        if label.__class__ is str)}
        if codes:
            for column in self._labels.values():
                found.update(compress(range(len(column)), map(codes.__contains__, column)))
        return found

    # ---- an entry's text ---------------------------------------------------------

    def leave_texts(self, stand_in: records.TextOnDisk, rows: Iterable[int]) -> int:
        """Let go of the texts of these rows (records.TextOnDisk reads them back);
        how many were let go of. Odd rows keep theirs, and so do rows gone since
        (a list taken before an edit reads the text it had, not the new one)."""
        texts, odd, gone, done = self._texts, self._odd, self._gone, 0
        assert texts is not None
        self._stand_in[0] = stand_in
        for row in rows:
            if not texts.waits(row) and row not in odd and not gone[row]:
                texts.let_go(row)
                done += 1
        return done

    @property
    def in_order(self) -> bool:
        """Whether the rows' time order is kept (else it is made when first asked)."""
        return self._order is not None

    def is_live(self, row: int) -> bool:
        return 0 <= row < len(self._gone) and not self._gone[row]

    def sort_key(self) -> Callable[[int], int]:
        """A row's place in time (`in_time_order` sorts the rows, in the order
        written, by it)."""
        return self._sort_key()

    def live_rows(self) -> list[int]:
        gone = self._gone
        return [row for row in range(len(gone)) if not gone[row]]

    @property
    def texts_waiting(self) -> int:
        """How many rows' texts wait on disk (gone rows included)."""
        return self._texts.waiting if self._texts is not None else 0

    def rows_read_back(self, found: dict[str, Any]) -> set[int]:
        """The live rows whose text waits on disk among `found` (id -> `updated` of
        the copy read back from its row): each only if that copy is its version."""
        rows = set()
        for record_id, updated in found.items():
            row = self._row_of(record_id)
            if (row is not None and not self._gone[row] and self.text_waits(row)
                    and self._build(row).updated == updated):
                rows.add(row)
        return rows

    @property
    def texts_went_to_disk(self) -> int:
        """How many times a row's text came to wait on disk (grows, never falls)."""
        return self._texts.went_to_disk if self._texts is not None else 0

    def text_waits(self, row: int) -> bool:
        """Whether this row's text waits on disk (its record reads it back)."""
        return (self._texts is not None and self._texts.waits(row)
                and row not in self._odd)

    def ids_without_text(self) -> list[str]:
        """The ids of the live rows whose text waits on disk."""
        texts = self._texts
        if texts is None:
            return []
        gone, odd, ids = self._gone, self._odd, self._ids
        return [ids[row * _ID:(row + 1) * _ID].hex() for row in texts.rows_waiting()
                if not gone[row] and row not in odd]

    def hold_text(self, fresh: Record) -> None:
        """Give the row of `fresh` (an entry just read back) its text again, if its
        text waits on disk and it is the same version (its `updated`)."""
        row = self._row_of(fresh.id)
        texts = self._texts
        if (row is None or texts is None or not texts.waits(row) or row in self._odd
                or fresh.__class__ is not self.cls):
            return
        held = records.held_text(fresh)  # type: ignore[arg-type]
        if self._build(row).updated == fresh.updated and held.__class__ is str:
            texts.hold(row, held)

    # ---- writing -----------------------------------------------------------------

    def __setitem__(self, record_id: str, record: Record) -> None:
        if record_id != record.id:
            raise ValueError("a record is filed under its own id")
        if not self.put(record):
            raise ValueError("this record's times cannot be placed")  # see RecordIndex._file

    def put(self, record: Record) -> bool:
        """Save a record: a new row, placed in time order, and the old row of its
        id, if any, gone. False, and nothing changed, when its times cannot be
        placed (see `pack`)."""
        old = self._row_of(record.id)
        row = self._add(record)
        if row is None:
            return False
        if old is not None:
            self._retire(old, record.id, forget_id=False)  # (the id now finds `row`)
        if self._order is not None:
            self._order.insert(self._place(row), row)
        return True

    def _place(self, row: int) -> int:
        """Where `row` goes in `_order`: after every record with the same or an
        earlier (when, created), as a stable sort places a record added last."""
        key = self._sort_key()
        return bisect_right(self._order, key(row), key=key)  # type: ignore[arg-type]

    def pop(self, record_id: str, default: Any = None) -> Any:
        row = self._row_of(record_id)
        if row is None:
            return default
        record = self._build(row)
        self._retire(row, record_id, forget_id=True)
        return record

    def _retire(self, row: int, record_id: str, forget_id: bool) -> None:
        """Mark a row gone and take it out of the order and out of its id's
        bucket. A list taken earlier may still read it: it keeps its data (and
        its object, if odd)."""
        self._gone[row] = 1
        self._live -= 1
        if self._order is not None:
            del self._order[self._order.index(row)]
        packed_id = _packed_id(record_id)
        if packed_id is None:
            if forget_id:
                del self._odd_ids[record_id]
            return
        bucket = self._buckets[_bucket(record_id)]
        entry = packed_id + row.to_bytes(4, "little")
        found = bucket.find(entry)
        while found % _SLOT:  # (always there: filed when the row was written)
            found = bucket.find(entry, found + 1)
        del bucket[found:found + _SLOT]


_WAITING = bytes(1 if state == 1 else 0 for state in range(256))  # _Texts._ON_DISK -> 1


class _Texts:
    """Entries' texts by row, one after another in one UTF-8 string rather than a
    string object each: 200,000 texts at ten times the benchmark journal, most
    of them short, were 200,000 small objects spread over memory that Python
    could not hand back once they were let go of (bench/NOTES.md). A text let go
    of (`let_go`) waits on disk; once every text in the string has, the string
    goes, and texts given later (`append` after that, `hold`) are kept one by
    one."""

    __slots__ = ("_blob", "_ends", "_state", "_later", "_in_blob", "went_to_disk")

    _IN_BLOB, _ON_DISK, _LATER = 0, 1, 2

    def __init__(self) -> None:
        self._blob: bytearray | None = bytearray()
        self._ends = array("Q")  # where each row's text ends in the string
        self._state = bytearray()
        self._later: dict[int, str] = {}
        self._in_blob = 0  # rows whose text is in the string
        # Counts each row whose text came to wait on disk: a search that read the
        # waiting texts back sees by it whether more came to wait meanwhile.
        self.went_to_disk = 0

    @property
    def size(self) -> int:
        """Bytes in the string (0 once it has gone)."""
        return len(self._blob) if self._blob is not None else 0

    @property
    def waiting(self) -> int:
        """How many rows' texts wait on disk."""
        return self._state.count(self._ON_DISK)

    def append(self, text: str | None) -> None:
        """The next row's text (None: it waits on disk)."""
        if text is None:
            self._state.append(self._ON_DISK)
            self.went_to_disk += 1
        elif self._blob is None:
            self._later[len(self._state)] = text
            self._state.append(self._LATER)
        else:
            self._blob += text.encode("utf-8", "surrogatepass")
            self._state.append(self._IN_BLOB)
            self._in_blob += 1
        self._ends.append(len(self._blob) if self._blob is not None else 0)

    def get(self, row: int) -> str | None:
        state = self._state[row]
        if state == self._IN_BLOB:
            start = self._ends[row - 1] if row else 0
            return self._blob[start:self._ends[row]].decode(  # type: ignore[index]
                "utf-8", "surrogatepass")
        if state == self._LATER:
            return self._later[row]
        return None

    def waits(self, row: int) -> bool:
        return self._state[row] == self._ON_DISK

    def rows_waiting(self) -> Iterator[int]:
        """The rows whose text waits on disk, in order (found in C)."""
        return compress(range(len(self._state)), self._state.translate(_WAITING))

    def let_go(self, row: int) -> None:
        state = self._state[row]
        self._state[row] = self._ON_DISK
        self.went_to_disk += 1
        if state == self._LATER:
            del self._later[row]
        elif state == self._IN_BLOB:
            self._in_blob -= 1
            if not self._in_blob:
                self._blob = None  # every text in it waits on disk: the string goes

    def hold(self, row: int, text: str) -> None:
        """A text read back for a row whose text waits on disk."""
        self._later[row] = text
        self._state[row] = self._LATER


class InTimeOrder(Sequence[Record]):
    """Records oldest first, built as they are read: what `Journal.records(Urge)`
    and `Journal.records(Entry)` give once those are columns. It reads as a list
    does (len, index, slices, iteration both ways, bisect); a slice is such a
    list too, so cutting a short range off a long journal builds only that range."""

    __slots__ = ("_columns", "_rows")

    def __init__(self, columns: RecordColumns, rows: array):
        self._columns, self._rows = columns, rows

    @property
    def rows(self) -> array:
        """The rows listed, in this list's order (for the word index)."""
        return self._rows

    @property
    def columns(self) -> RecordColumns:
        return self._columns

    def of_rows(self, rows: Iterable[int]) -> InTimeOrder:
        """A list of these rows of the same columns (in the order given)."""
        return InTimeOrder(self._columns, array("I", rows))

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> InTimeOrder: ...

    def __getitem__(self, index: int | slice) -> Record | InTimeOrder:
        if isinstance(index, slice):
            return InTimeOrder(self._columns, self._rows[index])
        return self._columns._build(self._rows[index])

    def matching(self, addiction: str | None = None, at_least: int | None = None) -> InTimeOrder:
        """The urges of one addiction (compared as `records.normalise_addiction`
        does) and/or of at least this intensity, still oldest first, found in the
        columns without building an urge: a screen then builds only those it
        shows. Urges kept as objects (see the module docstring) are tested as
        objects."""
        columns, rows = self._columns, self._rows
        if addiction is None and at_least is None:
            return self
        if columns.cls is not Urge:
            raise TypeError("only urges are chosen by addiction and intensity")
        # A byte a row (1: chosen), in the order rows were written, made in C
        # (`translate`, `int &`); then read in this list's order. About 50 ms
        # for the 500,000 urges of ten times the benchmark journal, where
        # building them to test them took seconds.
        chosen = None
        if at_least is not None:
            strong = bytes(1 if (byte if byte < 128 else byte - 256) >= at_least else 0
                           for byte in range(256))  # the column's bytes are signed
            chosen = columns._numbers["intensity"].tobytes().translate(strong)
        if addiction is not None:
            wanted = records.normalise_addiction(addiction)
            codes = {code for code, value in enumerate(columns._values)
                     if value.__class__ is str and records.normalise_addiction(value) == wanted}
            named = bytes(map(codes.__contains__, columns._labels["addiction"]))
            chosen = named if chosen is None else (
                int.from_bytes(chosen, "little") & int.from_bytes(named, "little")
            ).to_bytes(len(named), "little")
        assert chosen is not None
        found = array("I", compress(rows, map(chosen.__getitem__, rows)))
        odd = [row for row in rows if row in columns._odd] if columns._odd else []
        if odd:  # their columns hold stand-ins: ask the objects
            kept = set(found)
            for row in odd:
                urge = columns._odd[row]
                matches = ((addiction is None or (isinstance(urge.addiction, str) and
                            records.normalise_addiction(urge.addiction) == wanted))
                           and (at_least is None or (isinstance(urge.intensity, int)
                                                     and urge.intensity >= at_least)))
                if matches:
                    kept.add(row)
                else:
                    kept.discard(row)
            found = array("I", [row for row in rows if row in kept])
        return InTimeOrder(columns, found)

    def with_label(self, name: str, value: str) -> InTimeOrder:
        """These records whose text field `name` is `value`, and those kept as
        objects (whose columns hold stand-ins: the caller tests them again), in
        this list's order, found without building the others."""
        columns, rows = self._columns, self._rows
        codes = {code for code, held in enumerate(columns._values)
                 if held.__class__ is str and held == value}
        keep = bytes(map(codes.__contains__, columns._labels[name]))
        odd = columns._odd
        if odd:
            return InTimeOrder(columns, array("I", [row for row in rows if keep[row] or row in odd]))
        return InTimeOrder(columns, array("I", compress(rows, map(keep.__getitem__, rows))))

    def days_and_numbers(self, name: str) -> list[tuple[int, Any]]:
        """(the day of `when` on the clock it was logged on, as an ordinal; the
        whole number `name`) of each record whose `name` is not None (an entry's
        mood), in this list's order, from the columns."""
        columns = self._columns
        when, zone_of = columns._times["when"], columns._zone_of["when"]
        offsets = [zone.utcoffset(None) // _MICROSECOND for zone in columns._zones]
        column, odd = columns._numbers[name], columns._odd
        none = _NONE[column.typecode]
        found = []
        for row in self._rows:
            kept = odd.get(row)
            if kept is not None:
                value = getattr(kept, name)
                if value is not None:
                    found.append((kept.when.toordinal(), value))
            elif column[row] != none:
                found.append(((when[row] + offsets[zone_of[row]]) // 86_400_000_000
                              + _EPOCH_ORDINAL, column[row]))
        return found

    def hour_weekday(self) -> list[list[int]]:
        """These records by weekday (rows, Monday first) and hour (24 columns) of
        their `when` on the clock they were logged on, from the columns (as
        `insights.hour_weekday` counts records)."""
        columns = self._columns
        when, zone_of = columns._times["when"], columns._zone_of["when"]
        offsets = [zone.utcoffset(None) // _MICROSECOND for zone in columns._zones]
        grid = [[0] * 24 for _day in range(7)]
        for row in self._rows:
            hours = (when[row] + offsets[zone_of[row]]) // 3_600_000_000
            grid[(hours // 24 + 3) % 7][hours % 24] += 1  # 1970-01-01 was a Thursday
        return grid

    def label_tally(self, name: str) -> list[tuple[Any, int, int]] | None:
        """For a text or label-list field: each distinct value these urges hold,
        with how many hold it and the position (in this list) of the last, in
        the order the values first appear. Read from the columns, without
        building an urge. None when urges kept as objects are among them
        (their columns hold stand-ins): go through the urges instead."""
        columns = self._columns
        if columns._odd and any(map(columns._odd.__contains__, self._rows)):
            return None
        codes = array("I", map(columns._labels[name].__getitem__, self._rows))
        counts = Counter(codes)
        last = {code: position for position, code in enumerate(codes)}
        values = columns._values
        return [(values[code], counts[code], last[code]) for code in dict.fromkeys(codes)]

    def __iter__(self) -> Iterator[Record]:
        return map(self._columns._build, self._rows)

    def __reversed__(self) -> Iterator[Record]:
        return map(self._columns._build, reversed(self._rows))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, InTimeOrder)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __add__(self, other: Iterable[Record]) -> list[Record]:
        return list(self) + list(other)

    def __radd__(self, other: Iterable[Record]) -> list[Record]:
        return list(other) + list(self)

    def __repr__(self) -> str:
        return f"<{len(self)} {self._columns.cls.kind} records, oldest first>"


def _bucket(record_id: str) -> int:
    return int(record_id[:3], 16)

"""The decoded urges of an unlocked journal held as columns: about a hundred bytes
an urge instead of a Python object of four hundred.

A journal kept for ten years by someone who logs every urge holds half a million
of them (ten times the benchmark journal). As `records.Urge` objects, with their
ids and times, they took 200 MB: half of what the app held once everything was
decoded. Here each urge is a row: its id as 16 bytes, its three times as
microseconds since 1970 beside the number of their UTC offset, its numbers in
arrays of small whole numbers, and each text or label list as the number of one
shared copy in a table (people name the same few triggers, places and feelings
again and again, and records.py already shares those copies).

An `Urge` is built when one is read (`get`, or going through `in_time_order()`)
and is not kept: a screen holds what it asked for, and nothing else is held.

Rows never change once written: saving an urge adds a row and marks its old row
gone, so a list in time order taken earlier still reads the urges as they were
when it was taken, just as the list of objects it stands in for did.

An urge this layout cannot hold exactly (edited by hand: an id that is not 32
hex digits, a number that is not a small whole number, a label list that is not
text) keeps its object beside its row. A time without a UTC offset cannot be
placed in time at all: `pack` then declines, and the urges stay objects.

The app's worker packs the urges once it has decoded and sorted them
(`RecordIndex._pack_urges`); a command-line run, which reads and goes, keeps
objects. Like every decoded record, this is plaintext: it lives in the record
index and goes with it when the journal locks.
"""

from __future__ import annotations

import dataclasses
import heapq
from array import array
from collections import Counter
from itertools import compress
from bisect import bisect_right
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Iterator, Sequence, overload

from . import records
from .records import Urge
from .vault import polite

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_MICROSECOND = timedelta(microseconds=1)
_TIMES = ("created", "updated", "when")
_NUMBERS = ("intensity", "intensity_after", "minutes")
_FIELDS = tuple(f.name for f in dataclasses.fields(Urge))
# Every other field holds text or a list of labels (and a new field of another
# type must be given its column here: the test of this module says so).
_LABELS = tuple(name for name in _FIELDS if name not in ("id", *_TIMES, *_NUMBERS))
_NONE = -128  # intensity_after not given (an intensity is -127..127 here)
_NO_MINUTES = -1
_BUCKETS = 4096  # ids are found by their first three hex digits, then a scan in C
_ID = 16  # bytes of an id
_SLOT = _ID + 4  # an id and its row number, in its bucket
_ZONES_AT_MOST = 255
_NARROW_VALUES = 1 << 16  # distinct texts a label column numbers in two bytes
_EVERY = 512  # urges packed between two looks at the person typing
_SORT_PIECE = 4096  # rows sorted at a time by a polite worker (a few milliseconds)


class UrgeColumns:
    """The decoded urges by id, as a dict of them would be (`get`, `in`,
    `[id] = urge`, `pop`, `len`, `values`), kept as rows of columns. Used under
    the record index's lock, as the dict it replaces."""

    def __init__(self) -> None:
        self._ids = bytearray()  # 16 bytes a row
        self._buckets = [bytearray() for _ in range(_BUCKETS)]  # (id, row) of live rows
        self._odd_ids: dict[str, int] = {}  # live rows whose id is not 32 hex digits
        self._gone = bytearray()  # 1 for a row replaced or removed
        self._times = {name: array("q") for name in _TIMES}
        self._zone_of = {name: array("B") for name in _TIMES}
        self._zones: list[timezone] = []
        self._epochs: list[datetime] = []  # 1970-01-01 00:00 UTC in each of `_zones`
        self._zone_codes: dict[tuple, int] = {}
        self._intensity = array("b")
        self._after = array("b")
        self._minutes = array("i")
        # Two bytes a value's number while the table holds fewer than 65,536
        # distinct values (people write the same few again and again), four after.
        self._labels = {name: array("H") for name in _LABELS}
        self._values: list[Any] = []  # the distinct texts and label lists
        self._value_codes: dict[Any, int] = {}
        self._odd: dict[int, Urge] = {}  # rows that keep their object (see above)
        # The live rows, oldest first (when, then created); None while rows are
        # added as they are decoded, in no order, until `take_order`.
        self._order: array | None = array("I")
        self._live = 0
        self._build = self._builder()

    # ---- packing -----------------------------------------------------------------

    @classmethod
    def pack(cls, ordered: Sequence[Urge],
             busy: Callable[[], bool] | None = None) -> UrgeColumns | None:
        """Columns holding these urges, given oldest first as `sorted_by_when` lists
        them (so the rows are in time order and no sort is needed); None when one
        of them has a time that cannot be placed (no UTC offset)."""
        packed = cls()
        for position, urge in enumerate(ordered):
            if busy is not None and position % _EVERY == _EVERY - 1:
                polite.give_way(busy)
            row = packed._add(urge)
            if row is None:
                return None
            packed._order.append(row)
        return packed

    @classmethod
    def unordered(cls) -> UrgeColumns:
        """Empty columns to add urges to as they are decoded (`add`), in any
        order; placed in time order later (`take_order`) or when first read."""
        packed = cls()
        packed._order = None
        return packed

    def add(self, urge: Urge) -> bool:
        """Keep an urge just decoded (not kept yet); False when its times cannot
        be placed (it is then not kept: the caller keeps objects instead)."""
        row = self._add(urge)
        if row is None:
            return False
        if self._order is not None:
            self._order.insert(self._place(row), row)
        return True

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
        (the caller made sure no urge was saved meanwhile)."""
        if self._order is None:
            self._order = order

    def _sort_key(self) -> Callable[[int], int]:
        """A row's place in time: its `when`, then its `created`, as one number
        (microseconds; `created` shifted to be at least 0)."""
        when, created = self._times["when"], self._times["created"]
        return lambda row: (when[row] << 64) + created[row] + (1 << 63)

    def _add(self, urge: Urge) -> int | None:
        """Write `urge` as a new row and file its id; its row, or None when its
        times cannot be placed. Does not place it in time order."""
        times = []
        for name in _TIMES:
            moment = getattr(urge, name)
            zone = moment.tzinfo if moment.__class__ is datetime else None
            if zone is None or zone.__class__ is not timezone or moment.fold:
                return None
            key = (zone.utcoffset(None), zone.tzname(None))
            code = self._zone_codes.get(key)
            if code is None:
                if len(self._zones) >= _ZONES_AT_MOST:
                    return None
                code = self._zone_codes[key] = len(self._zones)
                self._zones.append(zone)
                self._epochs.append(_EPOCH.astimezone(zone))
            times.append(((moment - _EPOCH) // _MICROSECOND, code))
        row = len(self._gone)
        odd = False
        for name, (micros, code) in zip(_TIMES, times):
            self._times[name].append(micros)
            self._zone_of[name].append(code)
        intensity, after, minutes = urge.intensity, urge.intensity_after, urge.minutes
        if intensity.__class__ is int and -127 <= intensity <= 127:
            self._intensity.append(intensity)
        else:
            self._intensity.append(0)
            odd = True
        if after is None:
            self._after.append(_NONE)
        elif after.__class__ is int and -127 <= after <= 127:
            self._after.append(after)
        else:
            self._after.append(_NONE)
            odd = True
        if minutes is None:
            self._minutes.append(_NO_MINUTES)
        elif minutes.__class__ is int and 0 <= minutes < 1 << 31:
            self._minutes.append(minutes)
        else:
            self._minutes.append(_NO_MINUTES)
            odd = True
        for name in _LABELS:
            code = self._code(getattr(urge, name))
            if code is None:
                code, odd = 0, True
            self._labels[name].append(code)
        self._gone.append(0)
        packed_id = _packed_id(urge.id)
        if packed_id is None:
            self._ids += bytes(_ID)
            self._odd_ids[urge.id] = row
            odd = True
        else:
            self._ids += packed_id
            self._buckets[_bucket(urge.id)] += packed_id + row.to_bytes(4, "little")
        if odd:
            self._odd[row] = urge
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

    def urge(self, row: int) -> Urge:
        """The urge of a row, built afresh."""
        return self._build(row)

    def _builder(self) -> Callable[[int], Urge]:
        """A function building the urge of a row, with every column at hand: it
        runs for each urge a screen goes through (half a million at ten times
        the benchmark journal), so no lookups by name and no loop."""
        ids, odd, values = self._ids, self._odd, self._values
        created_at, updated_at, when_at = (self._times[name] for name in _TIMES)
        created_zone, updated_zone, when_zone = (self._zone_of[name] for name in _TIMES)
        intensity, after_at, minutes_at = self._intensity, self._after, self._minutes
        labels = [self._labels[name] for name in _LABELS]
        # 1970-01-01 00:00 UTC in each offset: adding the time since then to it
        # gives the moment in its own offset at once (`+ timedelta` of days,
        # seconds and microseconds: a third of the cost of microseconds alone).
        epochs = self._epochs
        new = object.__new__
        source = ["def build(row):",
                  "    kept = odd.get(row)",
                  "    if kept is not None:",
                  "        return kept",
                  "    made = new(Urge)",
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
                  "    made.when = epochs[when_zone[row]] + span(days, seconds, micro)",
                  "    made.intensity = intensity[row]",
                  "    after = after_at[row]",
                  "    made.intensity_after = None if after == NONE else after",
                  "    minutes = minutes_at[row]",
                  "    made.minutes = None if minutes == NO_MINUTES else minutes"]
        source += [f"    made.{name} = values[labels[{n}][row]]" for n, name in enumerate(_LABELS)]
        source.append("    return made")
        scope: dict[str, Any] = {
            "odd": odd, "new": new, "Urge": Urge, "ids": ids, "created_at": created_at,
            "updated_at": updated_at, "when_at": when_at, "created_zone": created_zone,
            "updated_zone": updated_zone, "when_zone": when_zone,
            "epochs": epochs, "span": timedelta, "DAY": 86_400_000_000, "SECOND": 1_000_000,
            "intensity": intensity,
            "after_at": after_at, "minutes_at": minutes_at, "NONE": _NONE,
            "NO_MINUTES": _NO_MINUTES, "values": values, "labels": labels}
        exec("\n".join(source), scope)  # noqa: S102 - our own field names, not input
        return scope["build"]

    def get(self, record_id: str, default: Any = None) -> Any:
        row = self._row_of(record_id)
        return default if row is None else self.urge(row)

    def __getitem__(self, record_id: str) -> Urge:
        row = self._row_of(record_id)
        if row is None:
            raise KeyError(record_id)
        return self.urge(row)

    def __contains__(self, record_id: object) -> bool:
        return isinstance(record_id, str) and self._row_of(record_id) is not None

    def __len__(self) -> int:
        return self._live

    def __bool__(self) -> bool:
        return self._live > 0

    def in_time_order(self) -> UrgesInTime:
        """The urges oldest first, as `RecordIndex.sorted_by_when` lists them: a
        list that stays as it is when urges are saved later."""
        if self._order is None:
            self._order = self.rows_in_time_order()
        return UrgesInTime(self, array("I", self._order))

    def values(self) -> UrgesInTime:
        return self.in_time_order()

    def keys(self) -> list[str]:
        return [self._ids[row * _ID:(row + 1) * _ID].hex() if row not in self._odd
                else self._odd[row].id for row in range(len(self._gone)) if not self._gone[row]]

    def __iter__(self) -> Iterator[str]:
        return iter(self.keys())

    def items(self) -> Iterator[tuple[str, Urge]]:
        for urge in self.in_time_order():
            yield urge.id, urge

    # ---- writing -----------------------------------------------------------------

    def __setitem__(self, record_id: str, urge: Urge) -> None:
        """Save an urge: a new row, placed in time order; the old row, if any, gone."""
        if record_id != urge.id:
            raise ValueError("an urge is filed under its own id")
        if not _placeable(urge):  # checked first: the old row must not go for nothing
            raise ValueError("this urge's times cannot be placed")  # see RecordIndex.put
        self.pop(record_id, None)
        self.add(urge)

    def fits(self, urge: Urge) -> bool:
        """Whether this urge's times can be placed (see `pack`)."""
        return _placeable(urge)

    def _place(self, row: int) -> int:
        """Where `row` goes in `_order`: after every urge with the same or an
        earlier (when, created), as a stable sort places a record added last."""
        key = self._sort_key()
        return bisect_right(self._order, key(row), key=key)  # type: ignore[arg-type]

    def pop(self, record_id: str, default: Any = None) -> Any:
        row = self._row_of(record_id)
        if row is None:
            return default
        urge = self.urge(row)
        self._gone[row] = 1
        self._live -= 1
        if self._order is not None:
            del self._order[self._order.index(row)]
        if record_id in self._odd_ids:
            del self._odd_ids[record_id]
        else:
            bucket = self._buckets[_bucket(record_id)]
            packed_id = _packed_id(record_id)
            found = bucket.find(packed_id)
            while found > 0 and found % _SLOT:
                found = bucket.find(packed_id, found + 1)
            del bucket[found:found + _SLOT]
        # A list taken earlier may still read the row: it keeps its data (and
        # its object, if odd).
        return urge


class UrgesInTime(Sequence[Urge]):
    """Urges oldest first, built as they are read: what `Journal.records(Urge)`
    gives once the urges are columns. It reads as a list does (len, index,
    slices, iteration both ways, bisect); a slice is such a list too, so cutting
    a short range off a long journal builds only that range."""

    __slots__ = ("_columns", "_rows")

    def __init__(self, columns: UrgeColumns, rows: array):
        self._columns, self._rows = columns, rows

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> Urge: ...

    @overload
    def __getitem__(self, index: slice) -> UrgesInTime: ...

    def __getitem__(self, index: int | slice) -> Urge | UrgesInTime:
        if isinstance(index, slice):
            return UrgesInTime(self._columns, self._rows[index])
        return self._columns.urge(self._rows[index])

    def matching(self, addiction: str | None = None, at_least: int | None = None) -> UrgesInTime:
        """The urges of one addiction (compared as `records.normalise_addiction`
        does) and/or of at least this intensity, still oldest first, found in the
        columns without building an urge: a screen then builds only those it
        shows. Urges kept as objects (see the module docstring) are tested as
        objects."""
        columns, rows = self._columns, self._rows
        if addiction is None and at_least is None:
            return self
        # A byte a row (1: chosen), in the order rows were written, made in C
        # (`translate`, `int &`); then read in this list's order. About 50 ms
        # for the 500,000 urges of ten times the benchmark journal, where
        # building them to test them took seconds.
        chosen = None
        if at_least is not None:
            strong = bytes(1 if (byte if byte < 128 else byte - 256) >= at_least else 0
                           for byte in range(256))  # the column's bytes are signed
            chosen = columns._intensity.tobytes().translate(strong)
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
        return UrgesInTime(columns, found)

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

    def __iter__(self) -> Iterator[Urge]:
        return map(self._columns._build, self._rows)

    def __reversed__(self) -> Iterator[Urge]:
        return map(self._columns._build, reversed(self._rows))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, UrgesInTime)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __add__(self, other: Iterable[Urge]) -> list[Urge]:
        return list(self) + list(other)

    def __radd__(self, other: Iterable[Urge]) -> list[Urge]:
        return list(other) + list(self)

    def __repr__(self) -> str:
        return f"<{len(self)} urges, oldest first>"


def _placeable(urge: Urge) -> bool:
    for name in _TIMES:
        moment = getattr(urge, name)
        zone = moment.tzinfo if moment.__class__ is datetime else None
        if zone is None or zone.__class__ is not timezone or moment.fold:
            return False
    return True


def _new_urge() -> Urge:
    return object.__new__(Urge)



def _packed_id(record_id: str) -> bytes | None:
    """The 16 bytes of an id of 32 lower-case hex digits (as this app makes
    them); None for any other id."""
    if len(record_id) != 32:
        return None
    try:
        packed = bytes.fromhex(record_id)
    except ValueError:
        return None
    return packed if packed.hex() == record_id else None


def _bucket(record_id: str) -> int:
    return int(record_id[:3], 16)

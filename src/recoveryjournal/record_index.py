"""The in-memory index of an unlocked journal: decrypted records, decoded lazily by kind.

Decoding JSON into records is most of what unlocking a ten-year journal costs,
and most screens need only a few kinds (the dashboard never needs the 20,000
entries; `search` never needs the 50,000 urges). So the decrypted plaintexts are
grouped by kind, read from the first field of each document without parsing it,
and each kind is decoded the first time something asks for it. The app's
worker, which wants everything, has each batch of a streamed read decoded as it
opens (`take(decode=True)`), so no plaintext waits beside the records.

Plaintext lives here and nowhere else; `clear()` drops it.
"""

from __future__ import annotations

import gc
import heapq
import sys
import threading
import time
import unicodedata
from bisect import bisect_right
from itertools import accumulate
from operator import attrgetter
from typing import Callable, Iterable

from . import records
from .i18n import N_
from .record_columns import RecordColumns, packs
from .records import Entry, Record
from .vault import polite
from .word_index import WordIndex

# Records decoded at a time by a polite worker: it looks at `busy` between chunks, so
# a key pressed waits at most one chunk (512 records: a few milliseconds).
_CHUNK = 512
_PAUSE = 0.05  # seconds a polite worker waits while the person types
# Records sorted at a time by a polite worker (`_sort_politely`): a sort holds the
# GIL throughout, and 4,096 records take a few milliseconds.
_SORT_PIECE = 4096

# Every record this app writes starts like this (records.to_json puts kind first).
_KIND_PREFIX = b'{"kind":"'


def _short_kinds() -> dict[bytes, str]:
    """The first four bytes after the prefix name each kind (`entr`, `urge`, `use"`);
    a clash between two kinds just sends both down the slower path."""
    table: dict[bytes, str] = {}
    clashes = set()
    for kind in records.KINDS:
        key = (kind + '"').encode()[:4]
        if key in table:
            clashes.add(key)
        table[key] = kind
    return {k: v for k, v in table.items() if k not in clashes}


_SHORT_KINDS = _short_kinds()
_AFTER = len(_KIND_PREFIX)


def kind_of(payload: bytes) -> str | None:
    """The record kind, read from the start of the JSON without parsing it."""
    kind = _SHORT_KINDS.get(payload[_AFTER:_AFTER + 4])
    if kind is not None and payload.startswith(_KIND_PREFIX):
        return kind
    if payload.startswith(_KIND_PREFIX):
        end = payload.find(b'"', len(_KIND_PREFIX))
        if end > 0:
            return payload[len(_KIND_PREFIX):end].decode("ascii", "replace")
    return None


class RecordIndex:
    """Records by id and by kind; safe to use from a worker thread and the UI."""

    def __init__(self, plaintexts: dict[str, bytes], report: Callable[..., None]):
        # Where "this record could not be read" goes: report(message, **values), the
        # message an English text marked with N_() that the journal translates when shown.
        self._report = report
        self._lock = threading.RLock()
        self._pending: dict[str, list[tuple[str, bytes]]] = {}
        self._kind_of_id: dict[str, str] = {}  # the records not decoded yet
        # A decoded record is found by its kind, then its id: one dict entry a
        # record (at ten times the benchmark journal a dict by id and one of the
        # kind of every id cost ~90 MB).
        self._by_kind: dict[str, dict[str, Record]] = {}
        self._sorted: dict[str, list[Record]] = {}
        self._changes = 0  # counts writes and decodes: a sort made meanwhile is stale
        # The word index of one kind, built by the app's worker (`build_words`);
        # while it is built, what is saved or removed meanwhile is noted here.
        self._words: WordIndex | None = None
        self._words_meanwhile: list[tuple[str, str, Record | None]] | None = None
        self._words_failed = False  # a build raised: not tried again on these records
        # True once entries' texts were let go of (leave_texts_on_disk): a search
        # without the word index reads them back first (Journal.hold_entry_texts).
        self.texts_on_disk = False
        # For the app's worker (set before it hands rows over): entries decoded
        # into columns hold their texts up to this many bytes, and the texts read
        # after that wait on disk from the start, read back by this stand-in
        # (RecordColumns.read_texts_up_to). None: every text is held.
        self.texts_held_at_most: int | None = None
        self.text_stand_in: records.TextOnDisk | None = None
        self.take(plaintexts.items())

    def take(self, items: Iterable[tuple[str, bytes]], decode: bool = False,
             busy: Callable[[], bool] | None = None) -> None:
        """Add (id, plaintext) pairs just opened (a streamed read hands them over a
        batch at a time). decode=True decodes them at once, a chunk at a time,
        giving way to the person (`busy`, vault/polite.py) between chunks: for
        the app's worker, which decodes everything anyway, so the plaintexts of
        the whole journal are never held beside its records."""
        if decode:
            items = list(items)
            for start in range(0, len(items), _CHUNK):
                if busy is not None:
                    polite.give_way(busy)
                chunk = items[start:start + _CHUNK]
                items[start:start + _CHUNK] = [None] * len(chunk)  # type: ignore[list-item]
                with self._lock:
                    self._decode(chunk, polite=busy is not None, columns=True)
            return
        unknown: list[tuple[str, bytes]] = []
        short, prefix, after = _SHORT_KINDS, _KIND_PREFIX, _AFTER
        kind_of_id, pending = self._kind_of_id, self._pending
        for record_id, payload in items:
            # kind_of() inlined for the common case: this runs for every record.
            kind = short.get(payload[after:after + 4])
            if kind is None or not payload.startswith(prefix):
                kind = kind_of(payload)
                if kind is None:
                    unknown.append((record_id, payload))
                    continue
            kind_of_id[record_id] = kind
            found = pending.get(kind)
            if found is None:
                found = pending[kind] = []
            found.append((record_id, payload))
        if unknown:  # not written by this app's to_json: decode now to learn the kind
            with self._lock:
                self._decode(unknown)

    # ---- reading -----------------------------------------------------------------

    def kind(self, record_id: str) -> str | None:
        """The kind of a record that opened (None for an unknown id)."""
        pending = self._kind_of_id.get(record_id)
        if pending is not None:
            return pending
        # A copy of the (few) kinds: a worker decoding may add one meanwhile.
        for kind, found in list(self._by_kind.items()):
            if record_id in found:
                return kind
        return None

    def holds(self, kind: str, record_id: str) -> bool:
        """True when the record `record_id` opened and is of `kind` (one lookup)."""
        found = self._by_kind.get(kind)
        if found is not None and record_id in found:
            return True
        return self._kind_of_id.get(record_id) == kind

    def get(self, record_id: str) -> Record | None:
        kind = self.kind(record_id)
        if kind is None:
            return None
        self._ensure(kind)
        found = self._by_kind.get(kind)
        return None if found is None else found.get(record_id)

    def sorted_by_when(self, kind: str) -> list[Record]:
        """Oldest first; a cached list, rebuilt after a write of that kind."""
        with self._lock:
            self._ensure(kind)
            found = self._by_kind.get(kind)
            if found.__class__ is RecordColumns:
                return found.in_time_order()  # type: ignore[union-attr, return-value]
            if kind not in self._sorted:
                # Ties in `when` by `created`: rows are stored in random id order
                # (format 3), so without it equal times would shuffle between unlocks.
                # Two stable sorts give the order of the key (when, created), in
                # less than half the time: no tuple per record, and comparing two
                # aware datetimes costs more than building the key.
                found = sorted(self._by_kind.get(kind, {}).values(), key=attrgetter("created"))
                found.sort(key=attrgetter("when"))
                self._sorted[kind] = found
            return self._sorted[kind]

    def count(self, kind: str) -> int:
        with self._lock:
            return len(self._by_kind.get(kind, {})) + len(self._pending.get(kind, []))

    def search(self, kind: str, words: list[str],
               found_on_disk: tuple[dict[str, object], int] | None = None
               ) -> list[Record] | None:
        """Records of `kind` whose text holds every (casefolded) word, newest first.

        `found_on_disk`: for entries held as columns whose texts wait on disk,
        (id -> `updated` of the ones that match, as the caller found them by
        reading back in bulk the rows `entries_waiting` named; the mark it
        gave): the others are not read again one by one. None, and nothing
        searched, when more texts came to wait since (read them again).

        While a kind is still undecoded, the decrypted JSON is scanned first and
        only the candidates are decoded: a search from the command line then never
        decodes the thousands of entries that cannot match. JSON escapes quotes and
        backslashes, so a word holding one takes the ordinary path. Once decoded,
        each record's text is folded and looked in; only the records found are
        sorted (the first search of a session, before the app's worker has built
        the word index, is what a person waits for).

        Once the app's worker has built the kind's word index (`build_words`), it
        answers instead, with the same records in the same order.
        """
        with self._lock:
            words_index = self._words
            if words_index is not None and words_index.kind == kind and kind not in self._pending:
                found = words_index.search(words)
                if found is not None:
                    return found
            pending = self._pending.get(kind)
            # (Not for a kind the worker has decoded in part: the rest is decoded.)
            if pending and not self._by_kind.get(kind) and not any(
                    '"' in w or "\\" in w for w in words):
                found = []
                for record_id, payload in _raw_candidates(pending, words):
                    try:
                        record = records.from_json(record_id, payload)
                    except (ValueError, KeyError, TypeError):
                        continue  # reported when the kind is decoded in full
                    if all(word in searchable_text(record) for word in words):
                        found.append(record)
                return _newest_first(found)
            # Folded afresh for each search rather than cached: a cache is a second
            # copy of every entry's text (a third of a decoded journal's memory).
            # Unless the kind is in order already, only the records found are put
            # in order: the answer is that of a pass over `sorted_by_when` newest
            # first (a stable sort of a subset is the subset of the stable sort),
            # without sorting every record of the kind first (12-20 ms for the
            # 20,000 entries of the benchmark journal, on the first search). Only
            # for a kind held as a dict of records by id (in the index's order);
            # any other keeping is searched in `sorted_by_when`'s order itself.
            self._ensure(kind)
            text_of = _text_getter(kind)
            held = self._by_kind.get(kind)
            if held.__class__ is RecordColumns:  # the texts read from the columns
                return self._search_columns(held, kind, words, found_on_disk)  # type: ignore[arg-type]
            if held.__class__ is dict and kind not in self._sorted:
                return _newest_first([record for record in held.values()  # type: ignore[union-attr]
                                      if _holds_all(fold(text_of(record)), words)])
            return [record for record in reversed(self.sorted_by_when(kind))
                    if _holds_all(fold(text_of(record)), words)]

    def _search_columns(self, held: RecordColumns, kind: str, words: list[str],
                        found_on_disk: tuple[dict[str, object], int] | None = None
                        ) -> list[Record] | None:
        """`search` over records held as columns: their text fields joined from the
        columns (no record built but those found), the candidates first found in C
        when it can (`rows_that_may_hold`). Before the worker has put the rows in
        time order, only the rows found are sorted (the first search of a
        session); the order is that of `sorted_by_when`, newest first, all the same
        (a stable sort of rows in the order written, as `rows_in_time_order`)."""
        tested_elsewhere = found_on_disk is not None and held.texts_waiting > 0
        if tested_elsewhere and held.texts_went_to_disk != found_on_disk[1]:  # type: ignore[index]
            return None  # more texts wait than were read back: not tested
        may_hold = held.rows_that_may_hold(words, fold, but_waiting=tested_elsewhere)
        text_of = _text_getter(kind)
        fields = _text_fields(records.KINDS[kind])
        if tested_elsewhere:
            # The rows whose text waits on disk were tested by the caller; the
            # others are tested here, from the texts held.
            waits = held.text_waits
            rows = held.live_rows() if may_hold is None else [
                row for row in may_hold if held.is_live(row)]
            matched = {row for row, text in held.searchable(
                (row for row in rows if not waits(row)), fields, text_of)
                if _holds_all(fold(text), words)}
            matched |= held.rows_read_back(found_on_disk[0])  # type: ignore[index]
            if held.in_order:
                return [held.record(row) for row in reversed(held.in_time_order().rows)
                        if row in matched]
            found = sorted(matched)  # in the order written, then by time: as below
            found.sort(key=held.sort_key())
            return [held.record(row) for row in reversed(found)]
        if held.in_order:
            rows: Iterable[int] = reversed(held.in_time_order().rows)
            if may_hold is not None:
                rows = (row for row in rows if row in may_hold)
            return [held.record(row) for row, text in held.searchable(rows, fields, text_of)
                    if _holds_all(fold(text), words)]
        rows = held.live_rows() if may_hold is None else sorted(
            row for row in may_hold if held.is_live(row))
        found = [row for row, text in held.searchable(rows, fields, text_of)
                 if _holds_all(fold(text), words)]
        found.sort(key=held.sort_key())
        return [held.record(row) for row in reversed(found)]

    def decode_kinds(self, kinds: Iterable[str]) -> None:
        """Decode now what waits of these kinds (after each batch of a streamed
        read, for a caller that reads every record of them next)."""
        for kind in kinds:
            self._ensure(kind)

    def decode_all(self, polite: bool = False, busy: Callable[[], bool] | None = None) -> None:
        """Decode every kind now (e.g. in a worker thread after the dashboard shows).

        polite=True hands the GIL back every few hundred records (decoding is pure
        Python, and a worker that never lets go makes the screen wait to paint) and
        decodes a chunk at a time, letting go of the index in between, so a write
        or a screen never waits for a whole kind; while `busy()` says the person
        is typing, it waits. A screen that needs a kind meanwhile decodes the rest
        of it at once."""
        for kind in list(self._pending):
            if polite:
                self._ensure_politely(kind, busy)
            else:
                self._ensure(kind)
        if polite:  # the app's worker: the first screen to list a kind finds it sorted
            for kind in list(self._by_kind):
                self._sort_politely(kind, busy)
            for kind in list(self._by_kind):
                self._pack(kind, busy)
        # The decoded journal lives until lock: hundreds of thousands of objects the
        # cycle collector would otherwise walk again and again for nothing (records
        # hold no cycles), the first pass right after decoding (250 ms at 1x, seconds
        # at 10x: a frozen screen). Frozen, they are left out of its passes; freed by
        # reference counting as ever. Journal.lock() unfreezes.
        gc.freeze()

    def _ensure_politely(self, kind: str, busy: Callable[[], bool] | None) -> None:
        while True:
            while busy is not None and busy():
                time.sleep(_PAUSE)
            with self._lock:
                pending = self._pending.get(kind)
                if not pending:
                    self._pending.pop(kind, None)
                    return
                chunk = pending[-_CHUNK:]
                del pending[-_CHUNK:]
                if not pending:
                    del self._pending[kind]
                self._decode(chunk, polite=True, columns=True)

    def _sort_politely(self, kind: str, busy: Callable[[], bool] | None) -> None:
        """Put `sorted_by_when(kind)` in place in pieces, for the app's worker.

        Sorting the 500,000 urges of a ten-year journal kept to ten times the
        benchmark's is one C call of 0.6 s that holds the GIL: the screen would
        freeze if the worker made it, and the first screen to list urges waits
        for it if nobody does. Here each piece of `_SORT_PIECE` records is sorted
        on its own (a few milliseconds each) and the pieces are merged in Python,
        where the UI thread gets the GIL every few milliseconds. The order is the
        same as `sorted_by_when`'s (heapq.merge takes equal keys from the earlier
        piece first, so ties keep their order as a stable sort does). A write or a
        decode meanwhile makes it stale: it is then left for the next reader."""
        with self._lock:
            if kind in self._sorted or kind in self._pending:
                return
            columns = self._by_kind.get(kind)
            changes = self._changes
            if columns.__class__ is not RecordColumns:
                found = list(self._by_kind.get(kind, {}).values())
        if columns.__class__ is RecordColumns:  # sorted outside the lock, as below
            order = columns.rows_in_time_order(busy)  # type: ignore[union-attr]
            with self._lock:
                if self._changes == changes:
                    columns.take_order(order)  # type: ignore[union-attr]
            return
        try:
            pieces = []
            for start in range(0, len(found), _SORT_PIECE):
                if busy is not None:
                    polite.give_way(busy)
                piece = sorted(found[start:start + _SORT_PIECE], key=attrgetter("created"))
                piece.sort(key=attrgetter("when"))
                pieces.append(piece)
                time.sleep(0)  # let the UI thread take the GIL
            del found
            if len(pieces) == 1:
                ordered = pieces[0]
            else:
                ordered = list(heapq.merge(*pieces, key=_when_then_created))
        except TypeError:
            return  # times that do not compare (edited by hand): sorted_by_when says so
        with self._lock:
            if self._changes == changes and kind not in self._sorted:
                self._sorted[kind] = ordered

    # ---- writing -----------------------------------------------------------------

    def put(self, record: Record) -> None:
        with self._lock:
            self._ensure(record.kind)
            old_kind = self.kind(record.id)
            if old_kind is not None and old_kind != record.kind:
                self.remove(record.id)
            self._file(record)
            self._sorted.pop(record.kind, None)
            self._changes += 1
            self._tell_words(record.kind, record.id, record)

    def remove(self, record_id: str) -> None:
        with self._lock:
            kind = self.kind(record_id)
            if kind is None:
                return
            self._ensure(kind)
            self._kind_of_id.pop(record_id, None)
            self._by_kind.get(kind, {}).pop(record_id, None)
            self._sorted.pop(kind, None)
            self._changes += 1
            self._tell_words(kind, record_id, None)

    def _file(self, record: Record, worker: bool = False) -> None:
        """Keep a decoded or saved record by its kind and id (under the lock). The
        app's worker (`worker`) decodes urges straight into columns
        (urge_columns.py), so their objects never all exist at once."""
        found = self._by_kind.get(record.kind)
        if found is None:
            if worker and packs(record.__class__):
                found = self._by_kind[record.kind] = RecordColumns.unordered(  # type: ignore[assignment]
                    record.__class__)
                if (record.__class__ is Entry and self.texts_held_at_most is not None
                        and self.text_stand_in is not None):
                    found.read_texts_up_to(  # type: ignore[union-attr]
                        self.texts_held_at_most, self.text_stand_in)
            else:
                found = self._by_kind[record.kind] = {}
        if found.__class__ is RecordColumns:
            if found.put(record):  # type: ignore[union-attr]
                return  # a new row (the old one, if any, gone)
            # A time the columns cannot place (edited by hand, or a clock without
            # an offset): the urges go back to being objects for this session.
            found = self._by_kind[record.kind] = dict(found.items())  # type: ignore[union-attr]
        found[record.id] = record

    # ---- urges as columns --------------------------------------------------------

    def _pack(self, kind: str, busy: Callable[[], bool] | None = None) -> bool:
        """Hold the decoded records of `kind` as columns (record_columns.py) rather
        than objects, if it is a kind held so: for the app's worker, once every
        record is decoded and sorted, when they were decoded as objects before it
        came to them (a screen asked first). Packed outside the lock, politely; a
        write meanwhile leaves them as objects until the next try. True when
        they are columns."""
        cls = records.KINDS.get(kind)
        if cls is None or not packs(cls):
            return False
        for _attempt in range(3):
            with self._lock:
                found = self._by_kind.get(kind)
                if found.__class__ is RecordColumns:
                    return True
                if kind in self._pending or not found or self._words_meanwhile is not None:
                    return False  # (a word index being built holds the objects)
                changes = self._changes
                ordered = self.sorted_by_when(kind)
            try:
                packed = RecordColumns.pack(cls, ordered, busy)
            except TypeError:
                return False  # times that do not compare: sorted_by_when says so
            if packed is None:
                return False
            del ordered
            with self._lock:
                if self._changes == changes:
                    self._by_kind[kind] = packed  # type: ignore[assignment]
                    self._sorted.pop(kind, None)
                    if self._words is not None and self._words.kind == kind:
                        self._words = None  # it lists the objects: built again on the columns
                    return True
        return False

    # ---- the word index ----------------------------------------------------------

    def build_words(self, kind: str, busy: Callable[[], bool] | None = None,
                    stop: Callable[[], bool] | None = None,
                    read_texts: Callable[[list[Record]], list[Record]] | None = None) -> bool:
        """Build the word index of `kind` (word_index.py), unless it is there or being
        built; for the app's worker once everything is decoded. The records are
        taken under the lock and indexed outside it, politely (`busy`), so the
        screen and writes go on; what is saved meanwhile is laid over it. `stop()`
        true (the journal locked) abandons it. True when an index is in place.
        `read_texts` (`Journal.with_texts`) gives a block of records with the
        texts that wait on disk read back in bulk."""
        if kind in self._pending:  # records read again (accept_changes): decode politely
            self._ensure_politely(kind, busy)
        with self._lock:
            if self._words is not None and self._words.kind == kind:
                return True
            if self._words_meanwhile is not None:
                return False  # another worker is building it
            self._ensure(kind)
            found = self._by_kind.get(kind, {})
            # Columns give their list in time order, built as the index reads it.
            taken = (found.in_time_order() if found.__class__ is RecordColumns  # type: ignore[union-attr]
                     else list(found.values()))
            self._words = None
            self._words_meanwhile = []
        built = None
        try:
            built = WordIndex.build(kind, taken, searchable_text, busy, stop, read_texts)
        except Exception:
            self._words_failed = True  # e.g. a hand-edited time that cannot be compared
            raise
        finally:
            with self._lock:
                meanwhile, self._words_meanwhile = self._words_meanwhile or [], None
                if built is not None:
                    for written_kind, record_id, record in meanwhile:
                        if written_kind != kind:
                            continue
                        if record is None:
                            built.remove(record_id)
                        else:
                            built.put(record)
                    if not built.stale:
                        self._words = built
        return self._words is built and built is not None

    @property
    def has_words(self) -> bool:
        """True when the word index is in place (search answers from it)."""
        return self._words is not None

    @property
    def words_missing(self) -> bool:
        """True when no word index is in place or being built (none yet, or it was
        dropped as stale after many writes), and no build failed."""
        return self._words is None and self._words_meanwhile is None and not self._words_failed

    def _tell_words(self, kind: str, record_id: str, record: Record | None) -> None:
        """Keep the word index up with a write (under the lock)."""
        if self._words_meanwhile is not None:
            self._words_meanwhile.append((kind, record_id, record))
        words_index = self._words
        if words_index is None or words_index.kind != kind:
            return
        if record is None:
            words_index.remove(record_id)
        else:
            words_index.put(record)
        if words_index.stale:
            self._words = None  # search scans until the worker builds it again

    # ---- entries' texts left on disk ---------------------------------------------

    def leave_texts_on_disk(self, stand_in: records.TextOnDisk,
                            busy: Callable[[], bool] | None = None,
                            before_words: bool = False) -> int:
        """Let go of every decoded entry's text (records.TextOnDisk): only while the
        word index answers searches, which then need no text; or, `before_words`,
        entries held as columns before the index is built (a search then reads
        the texts back in bulk and keeps none: `Journal.search`). A chunk at a
        time under the lock, giving way to the person between chunks. How many
        entries let go of their text."""
        with self._lock:
            found = self._by_kind.get(Entry.kind, {})
            if (found.__class__ is not RecordColumns if before_words
                    else not self._words_answer(Entry.kind)):
                return 0
            self.texts_on_disk = True
            if found.__class__ is RecordColumns:
                rows = found.live_rows()  # type: ignore[union-attr]
            else:
                taken = list(found.values())
        done = 0
        if found.__class__ is RecordColumns:
            for start in range(0, len(rows), _CHUNK):
                if busy is not None:
                    polite.give_way(busy)
                with self._lock:
                    if not (before_words or self._words_answer(Entry.kind)) or self._by_kind.get(
                            Entry.kind) is not found:
                        break  # the word index stepped aside, or the kind was read again
                    done += found.leave_texts(stand_in, rows[start:start + _CHUNK])  # type: ignore[union-attr]
                time.sleep(0)
            return done
        for start in range(0, len(taken), _CHUNK):
            if busy is not None:
                polite.give_way(busy)
            with self._lock:
                if not self._words_answer(Entry.kind):
                    break  # the word index stepped aside: searching needs the texts
                entries = self._by_kind.get(Entry.kind, {})
                for entry in taken[start:start + _CHUNK]:
                    # Only the journal's own copy, as saved: an entry written since
                    # was put in its place, and an older copy a screen holds keeps
                    # the text it has.
                    if entries.get(entry.id) is entry:
                        records.leave_text_on_disk(entry, stand_in)  # type: ignore[arg-type]
                        done += 1
            time.sleep(0)  # let the UI thread take the GIL
        return done

    @property
    def entries_as_columns(self) -> bool:
        """Whether the decoded entries are held as columns (record_columns.py)."""
        with self._lock:
            return self._by_kind.get(Entry.kind).__class__ is RecordColumns

    def entry_texts_wait(self) -> bool:
        """Whether some decoded entries' texts wait on disk since they were read
        (past `texts_held_at_most`)."""
        with self._lock:
            found = self._by_kind.get(Entry.kind)
            return found.__class__ is RecordColumns and found.texts_waiting > 0  # type: ignore[union-attr]

    def entries_waiting(self) -> tuple[list[str], int]:
        """The ids of the entries held as columns whose text waits on disk, and a
        mark that `search` compares to see whether more came to wait since."""
        with self._lock:
            found = self._by_kind.get(Entry.kind)
            if found.__class__ is not RecordColumns:
                return [], -1
            return found.ids_without_text(), found.texts_went_to_disk  # type: ignore[union-attr]

    def entries_without_text(self) -> list[str]:
        """The ids of the decoded entries whose text waits on disk."""
        with self._lock:
            found = self._by_kind.get(Entry.kind, {})
            if found.__class__ is RecordColumns:
                return found.ids_without_text()  # type: ignore[union-attr]
            return [record_id for record_id, entry in found.items()
                    if records.text_waits_on_disk(entry)]  # type: ignore[arg-type]

    def hold_texts(self, read: Iterable[Record]) -> None:
        """Give the entries whose text waits on disk their text again, from these
        records just read back: each only if it is still the journal's copy and
        the row read is the same version of it (its `updated`)."""
        with self._lock:
            entries = self._by_kind.get(Entry.kind, {})
            if entries.__class__ is RecordColumns:
                for fresh in read:
                    entries.hold_text(fresh)  # type: ignore[union-attr]
                return
            for fresh in read:
                entry = entries.get(fresh.id)
                if (entry is not None and isinstance(fresh, Entry)
                        and records.text_waits_on_disk(entry)  # type: ignore[arg-type]
                        and fresh.updated == entry.updated):
                    records.hold_text(entry, fresh.text)  # type: ignore[arg-type]

    def _words_answer(self, kind: str) -> bool:
        words_index = self._words
        return words_index is not None and words_index.kind == kind and kind not in self._pending

    # ---- decoding ----------------------------------------------------------------

    def _ensure(self, kind: str, polite: bool = False) -> None:
        if kind in self._pending:
            with self._lock:
                pending = self._pending.pop(kind, None)
                if pending:
                    self._decode(pending, polite)

    def _decode(self, items: list[tuple[str, bytes]], polite: bool = False,
                columns: bool = False) -> None:
        """Decode these (id, plaintext) pairs into records; `columns`: the app's
        worker, which decodes every record and keeps urges as columns."""
        # Thousands of new objects would trigger full garbage collections that
        # find nothing to free; pause them while decoding.
        collecting = gc.isenabled()
        gc.disable()
        self._changes += 1
        try:
            for position in range(len(items)):
                record_id, payload = items[position]  # type: ignore[misc]
                # Each plaintext goes as soon as its record exists, so a kind's
                # JSON and its records are never all in memory together.
                items[position] = None  # type: ignore[call-overload]
                if polite and position % 256 == 255:
                    time.sleep(0)  # let the UI thread take the GIL
                try:
                    record = records.from_json(record_id, payload)
                except (ValueError, KeyError, TypeError) as exc:
                    self._kind_of_id.pop(record_id, None)
                    self._report(
                        N_("Record {id} could not be read ({reason}); it was left as it is."),
                        id=record_id, reason=exc,
                    )
                    continue
                self._file(record, columns)
                self._kind_of_id.pop(record_id, None)
                self._sorted.pop(record.kind, None)
        finally:
            if collecting:
                gc.enable()


def _newest_first(found: list[Record]) -> list[Record]:
    """Records of one kind (in the index's order) as `reversed(sorted_by_when(kind))`
    lists them: a stable sort of some records is the part of the stable sort of
    all that holds them, ties between equal times reversed alike."""
    found.sort(key=attrgetter("created"))
    found.sort(key=attrgetter("when"))
    found.reverse()
    return found


def _when_then_created(record: Record) -> tuple:
    return (record.when, record.created)


_AFTER_A_BACKSLASH = "bfnrtu0123456789abcdef"  # what JSON writes after `\\` in an escape


def _joins_an_escape(first: str) -> bool:
    """Whether a word starting with `first` could fold into the letter before it."""
    return not first.isascii() and (bool(unicodedata.combining(first)) or any(
        unicodedata.normalize("NFC", letter + first) != letter + first
        for letter in _AFTER_A_BACKSLASH))


def may_hold(words: list[str]) -> Callable[[bytes], bool]:
    """For casefolded `words`: a test of a record's plaintext (its JSON, padding
    and all) that is true for every record whose text holds every word, and
    false for most others, without decoding the JSON (search's prefilter; the
    records it lets through are checked by the plain definition).

    For ASCII bytes `lower()` is `casefold()`, runs in C and needs no decoding;
    other plaintexts are decoded and folded (casefold may turn them into ASCII:
    "ß" -> "ss"). JSON writes `"`, `\\` and control characters as escapes, so a
    word holding one lets every record through; so does a word that starts with
    a combining accent, which in the JSON may join the letter of an escape
    (a newline, `\\n`, then "\u0301" folds to `\\ń`)."""
    if any(c in '"\\' or c < " " for word in words for c in word) or any(
            _joins_an_escape(word[0]) for word in words):
        return lambda plaintext: True
    ascii_words = [w.encode() for w in words] if all(w.isascii() for w in words) else None

    def test(plaintext: bytes) -> bool:
        if plaintext.isascii():
            if ascii_words is None:
                return False  # folded ASCII holds no other character
            lowered = plaintext.lower()
            for word in ascii_words:
                if word not in lowered:
                    return False
            return True
        text = fold(plaintext.decode("utf-8", "replace"))
        return all(word in text for word in words)

    test.ascii_words = ascii_words  # for may_hold_among
    return test


def may_hold_among(words: list[str]) -> Callable[[list[bytes]], list[int]]:
    """For casefolded `words`: a test of many plaintexts at once, giving the
    positions of exactly those `may_hold(words)` lets through, in order.

    For the CLI's search, which tests 200,000 entries at 10x, and a search of
    entries not decoded yet (`_raw_candidates`): when a chunk of
    plaintexts is all ASCII it is joined and lowered once, the first word
    found in it and each hit traced back to its plaintext, rather than a
    Python call, a `lower()` and a search per plaintext. The plaintexts are
    joined with NUL, which JSON never writes and no word holds (a word with a
    control character lets everything through), so no hit spans two."""
    test = may_hold(words)
    ascii_words = getattr(test, "ascii_words", None)

    def one_by_one(plaintexts: list[bytes]) -> list[int]:
        return [n for n, plaintext in enumerate(plaintexts) if test(plaintext)]

    if not ascii_words:
        return one_by_one
    first, rest = ascii_words[0], ascii_words[1:]

    def among(plaintexts: list[bytes]) -> list[int]:
        joined = b"\0".join(plaintexts)
        if not joined.isascii():
            return one_by_one(plaintexts)
        lowered = joined.lower()
        del joined
        ends = list(accumulate([len(plaintext) + 1 for plaintext in plaintexts]))
        found = []
        position = lowered.find(first)
        while position >= 0:
            n = bisect_right(ends, position)  # the plaintext the hit is in
            if all(word in plaintexts[n].lower() for word in rest):
                found.append(n)
            position = lowered.find(first, ends[n])  # on from the next plaintext
        return found

    return among



# Plaintexts `_raw_candidates` tests at a time (may_hold_among joins them): about
# half a megabyte of JSON at the benchmark's sizes of entry.
_RAW_PIECE = 1024


def _raw_candidates(pending: list[tuple[str, bytes]], words: list[str]) -> list[tuple[str, bytes]]:
    """The undecoded records whose JSON may hold every (casefolded) word: a
    superset of the matches, found without decoding the rest (`may_hold`)."""
    among = may_hold_among(words)
    found: list[tuple[str, bytes]] = []
    for start in range(0, len(pending), _RAW_PIECE):
        piece = pending[start:start + _RAW_PIECE]
        found += map(piece.__getitem__, among([payload for _id, payload in piece]))
    return found


def searchable_text(record: Record) -> str:
    """Every text field of a record, casefolded, for search."""
    return fold(_text_getter(record.kind)(record))


def _holds_all(haystack: str, words: list[str]) -> bool:
    for word in words:
        if word not in haystack:
            return False
    return True


_TEXT_GETTERS: dict[str, Callable[[Record], str]] = {}


def _text_getter(kind: str) -> Callable[[Record], str]:
    """For a kind: a function giving every text field of a record, one per line
    (not yet folded). Built once per kind as one expression (an entry's is
    `"\\n".join((r.text, *r.tags))`): search calls it for every record, and a
    loop over the fields cost twice the folding itself."""
    getter = _TEXT_GETTERS.get(kind)
    if getter is None:
        fields = _text_fields(records.KINDS[kind])
        items = ", ".join(f"*r.{name}" if is_list else f"r.{name}" for name, is_list in fields)
        source = (f"def getter(r):\n    try:\n        return '\\n'.join(({items},))\n"
                  "    except TypeError:\n        return checked(r)\n")
        scope: dict[str, object] = {"checked": lambda r: _checked_text(r, fields)}
        exec(source, scope)  # noqa: S102 - field names of our own classes, not input
        getter = _TEXT_GETTERS[kind] = scope["getter"]  # type: ignore[assignment]
    return getter


def _checked_text(record: Record, fields: list[tuple[str, bool]]) -> str:
    """The text fields of a record edited by hand, where a field may hold a value
    that is not text: those are left out."""
    parts = []
    for name, is_list in fields:
        value = getattr(record, name)
        if is_list:
            parts.extend(v for v in value or () if isinstance(v, str))
        elif isinstance(value, str):
            parts.append(value)
    return "\n".join(parts)


# Every Latin-1 character but "ß" and "µ" casefolds to one Latin-1 character: this
# table folds such text a byte at a time (bytes.translate, in C), where casefold
# looks each character up in Unicode's tables (~15 ns a character).
_LATIN1_FOLD = bytes(ord(chr(n).casefold()) if n not in (0xB5, 0xDF) else n for n in range(256))
# CPython keeps a str one byte a character when every character is below U+0100;
# such a str's size is this plus its length (a str of wider characters is bigger).
_ONE_BYTE_STR = sys.getsizeof("\xe9") - 1


def fold(text: str) -> str:
    """Text as search compares it: casefolded and in Unicode NFC, so "café" typed
    with one code point finds "café" stored as "e" and a combining accent.

    The same text by shorter ways where they apply (tests/test_record_index.py
    checks them against the definition): ASCII is in NFC and its casefold is
    `lower()`; casefolded text within Latin-1 (Swedish, Danish, Norwegian, most
    of Western Europe) is in NFC too, since no character below U+0300 takes part
    in a composition, and without "ß" or "µ" it folds by a byte table."""
    if text.isascii():
        return text.lower()
    if sys.getsizeof(text) == _ONE_BYTE_STR + len(text) and "\xdf" not in text \
            and "\xb5" not in text:
        try:
            return text.encode("latin-1").translate(_LATIN1_FOLD).decode("latin-1")
        except UnicodeEncodeError:  # (the size said one byte a character wrongly)
            pass
    folded = text.casefold()
    # Only a str of one byte a character is worth trying: for any other the attempt
    # costs about what NFC does, and fails.
    if sys.getsizeof(folded) == _ONE_BYTE_STR + len(folded):
        try:
            folded.encode("latin-1")
            return folded
        except UnicodeEncodeError:
            pass
    return unicodedata.normalize("NFC", folded)


_TEXT_FIELDS: dict[type, list[tuple[str, bool]]] = {}


def _text_fields(cls: type) -> list[tuple[str, bool]]:
    """(field name, is a list) for each field of `cls` that holds text; once per class."""
    if cls not in _TEXT_FIELDS:
        import dataclasses
        from typing import get_type_hints

        hints = get_type_hints(cls)
        _TEXT_FIELDS[cls] = [
            (f.name, hints[f.name] == list[str])
            for f in dataclasses.fields(cls)
            if f.name != "id" and hints[f.name] in (str, list[str])
        ]
    return _TEXT_FIELDS[cls]

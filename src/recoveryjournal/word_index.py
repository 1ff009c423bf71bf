"""A word index of one kind of decoded record (the entries), so that a search in the
app answers at once at ten times the benchmark journal.

Search has one definition (record_index.py): a record matches when its folded
text holds every query word as a substring. Folding and scanning every entry
for each search costs half a second at 200,000 entries. The index keeps the
definition exact: a text's tokens are its pieces between spaces, tabs and
newlines ("lake." and "don't" are tokens, punctuation and all), and a query
word, which holds no space, lies inside one token of every text that holds it.
So one scan of the vocabulary for the tokens holding the word gives exactly
the records that hold it, whatever the word (letters, digits, punctuation).

Shaped for memory as much as for speed:
- the records are given slots in the order the journal lists them (oldest
  first, ties as `RecordIndex.sorted_by_when`), so the hits' order is read off
  their slot numbers, and only records saved later need sorting;
- a token found in more than one record in 32 keeps its slots as a bitmap (a
  Python int, one bit a slot: `&` and `|` run in C), the rarer ones 4 bytes a
  slot in one shared array;
- the index is built once, in the app's worker, and never changed after: a record
  saved later (a new one, or a new version of one) waits beside it and is checked
  against the definition at each search, its old slot marked gone. When too many
  wait, the index says it is `stale` and is built again.

It is derived from the plaintext and is as private as the records: it lives
inside the record index and goes with it (`Journal.lock()`).
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect, bisect_left
from collections import deque
from functools import reduce
from itertools import chain, compress, repeat
from operator import and_
from typing import Callable, Iterable, Sequence

from .records import Record
from .vault import polite
from .vault.packed_ids import packed_id

# Tokens are the UTF-8 bytes of a folded text split at ASCII spaces, tabs and
# newlines (`bytes.split()`, in C); query words never hold those (`str.split()`
# splits at them and more). Bytes work as text here: UTF-8 is self-synchronising,
# so one encoded text is inside another exactly when the text is.
_SEPARATOR = b"\n"  # between tokens in the joined vocabulary: never in a token
# Slots are kept by pages of 65,536: a rare token's slots as 2-byte offsets into
# the page, and a page's bits of a token in more than one of its records in 16
# (where 2 bytes a slot cost more than a bit a slot) in the token's bitmap.
_PAGE = 1 << 16
_COMMON = 16
_EVERY = 128  # records tokenised between two looks at `busy` (a few milliseconds)
_BLOCK = 2000  # records taken at a time (their texts read back in one query)
_ONES = bytes.maketrans(b"01", b"\x00\x01")  # "0"/"1" digits to false/true selectors


def tokens_of(text: str) -> set[bytes]:
    """The distinct tokens of a folded text."""
    return set(text.encode("utf-8", "surrogatepass").split())


def _bits(slots: Iterable[int], width: int) -> int:
    """An int with bit `s` set for each slot s (all below `width`), built in C: one
    "0"/"1" digit a slot, read as a base-2 number."""
    if not width:
        return 0
    digits = bytearray(b"0") * width
    deque(map(digits.__setitem__, slots, repeat(49)), maxlen=0)  # 49: "1"
    digits.reverse()
    return int(digits, 2)


def _slots_newest_first(bitmap: int) -> list[int]:
    """The set bits of `bitmap`, highest first, found in C."""
    if not bitmap:
        return []
    digits = format(bitmap, "b").encode().translate(_ONES)
    return list(compress(range(len(digits) - 1, -1, -1), digits))


class _PackedIds:
    """Sorted ids of 32 hex digits as 16 bytes each, read as a sorted list of
    their bytes (for `bisect`)."""

    __slots__ = ("_blob",)

    def __init__(self, blob: bytes):
        self._blob = blob

    @classmethod
    def of(cls, ids: list[str]) -> "_PackedIds | list[str]":
        """The ids packed, or the list as it is when one is not 32 lower-case hex
        digits (edited by hand)."""
        if not all(len(record_id) == 32 for record_id in ids):
            return ids
        digits = "".join(ids)
        try:
            blob = bytes.fromhex(digits)
        except ValueError:
            return ids
        return cls(blob) if blob.hex() == digits else ids

    key = staticmethod(packed_id)

    def __len__(self) -> int:
        return len(self._blob) // 16

    def __getitem__(self, at: int) -> bytes:
        return self._blob[at * 16:at * 16 + 16]


class _Listed:
    """The records of the slots, read from a list in time order whose records are
    built as they are read (record_columns.InTimeOrder), with the slots gone
    marked: as the list of records `build` keeps otherwise, where a gone slot
    holds None."""

    __slots__ = ("_records", "_gone")

    def __init__(self, listed: Sequence[Record]):
        self._records = listed
        self._gone = bytearray(len(listed))

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, slot: int) -> Record | None:
        return None if self._gone[slot] else self._records[slot]

    def __setitem__(self, slot: int, value: None) -> None:
        assert value is None  # only ever marked gone
        self._gone[slot] = 1


class WordIndex:
    """Tokens → slots of the records of one kind, built once (`build`), then told of
    every record saved or removed (`put`, `remove`) until it is `stale`."""

    def __init__(self, kind: str, listed: Sequence[Record | None], ranks: array,
                 tokens: list[bytes], common: dict[int, int],
                 pages: list[tuple[array, array]], text_of: Callable[[Record], str],
                 ids: list[str] | None = None, next_rank: int | None = None):
        self.kind = kind
        self._text_of = text_of  # a record's searchable text, folded
        # Slot -> record, oldest first as listed; None once a newer version or a
        # removal made it gone.
        self._listed = listed
        self._base = len(listed)
        # Slot -> place in the order records were added to the record index (the
        # last tie-break of the listed order), for merging records saved later.
        self._ranks = ranks
        self._next_rank = len(listed) if next_rank is None else next_rank
        # Records held as columns (record_columns.py): a record saved again takes
        # a new row, after those of the same time, so here it takes a new rank.
        self._saved_go_last = next_rank is not None
        self._live = (1 << len(listed)) - 1  # a bit a slot not gone
        self._gone = 0
        # Id -> slot by binary search: 12 bytes a record, where a dict costs ~100.
        if ids is None:
            ids = [listed[slot].id for slot in range(len(listed))]  # type: ignore[union-attr]
        by_id = sorted(range(len(ids)), key=ids.__getitem__)
        # As 16 bytes each when every id is this app's 32 hex digits (sorted the
        # same): a string a record kept for the session would be 200,000 small
        # objects at ten times the benchmark journal.
        self._ids: Sequence[str] | _PackedIds = _PackedIds.of([ids[slot] for slot in by_id])
        self._slot_of_id = array("I", by_id)
        del ids, by_id
        # The vocabulary, one string: a scan for a word runs in C over all of it.
        self._joined = _SEPARATOR.join(tokens)
        starts, at = array("I"), 0
        for token in tokens:
            starts.append(at)
            at += len(token) + 1
        self._starts = starts
        # Token i's slots: the bitmap `_common[i]` (of the pages where it is common),
        # and in each page (rare, at) the offsets rare[at[i]:at[i + 1]] (one array
        # a page for every token: an array object each cost more than the slots).
        self._common = common
        self._pages = pages
        self._page_size = _PAGE
        # Records saved since the build: id -> (record, rank).
        self._saved_since: dict[str, tuple[Record, int]] = {}

    # ---- building -----------------------------------------------------------------

    @classmethod
    def build(cls, kind: str, records: Iterable[Record], text_of: Callable[[Record], str],
              busy: Callable[[], bool] | None = None,
              stop: Callable[[], bool] | None = None,
              read_texts: Callable[[list[Record]], list[Record]] | None = None
              ) -> "WordIndex | None":
        """Index `records` (given in the record index's order, which breaks the last
        ties). With `busy` (a worker): hand the GIL over every few hundred records
        and wait while `busy()` says the person types. None when `stop()` turned
        true meanwhile (the journal locked: keep nothing). `read_texts` gives a
        block of records back with the texts that wait on disk read in bulk
        (`Journal.with_texts`): one read of a few thousand rows, not one each."""
        ids = next_rank = None
        rows = getattr(records, "rows", None)
        if rows is not None:
            # Records held as columns (record_columns.InTimeOrder): listed in this
            # order already, ties by row, and built as they are read, so the index
            # holds no record of its own.
            columns = records.columns  # type: ignore[attr-defined]
            listed: Sequence[Record | None] = _Listed(records)  # type: ignore[arg-type]
            ranks = array("I", rows)
            ids = columns.ids_of(rows)
            next_rank = columns.rows_written
        else:
            found = list(records)
            # The listed order: by `when`, ties by `created`, then by the order given
            # (two stable sorts, as RecordIndex.sorted_by_when).
            order = sorted(range(len(found)), key=[r.created for r in found].__getitem__)
            order.sort(key=[r.when for r in found].__getitem__)
            listed = [found[i] for i in order]
            ranks = array("I", order)
            del found, order
        size = len(listed)
        # Every token seen, in the order first seen (its number), with this page's
        # offsets (None when it has none): one dict, never a second copy of the
        # vocabulary, and only one page's offsets held at once.
        offsets: dict[bytes, array | None] = {}
        common: dict[int, int] = {}
        pages: list[tuple[array, array]] = []
        for first in range(0, size, _PAGE):
            end = min(size, first + _PAGE)
            for block in range(first, end, _BLOCK):
                taken = [listed[slot] for slot in range(block, min(end, block + _BLOCK))]
                if read_texts is not None:
                    taken = read_texts(taken)  # type: ignore[arg-type]
                for slot, record in enumerate(taken, start=block):
                    if slot % _EVERY == 0:
                        polite.give_way(busy)  # the UI thread takes the GIL; wait while typing
                        if stop is not None and stop():
                            return None
                    at_page = slot - first
                    for token in tokens_of(text_of(record)):  # type: ignore[arg-type]
                        held = offsets.get(token)
                        if held is None:
                            held = offsets[token] = array("H")
                        held.append(at_page)
                del taken
            common_from = max(2, (end - first) // _COMMON)
            rare, at = array("H"), array("I", [0])
            for number, (token, held) in enumerate(offsets.items()):
                if held is not None:
                    if len(held) >= common_from:
                        common[number] = common.get(number, 0) | _bits(held, end - first) << first
                    else:
                        rare.extend(held)
                    offsets[token] = None
                at.append(len(rare))
            pages.append((rare, at))
        tokens = list(offsets)
        del offsets
        return cls(kind, listed, ranks, tokens, common, pages, text_of, ids, next_rank)

    # ---- keeping up with writes ---------------------------------------------------

    def put(self, record: Record) -> None:
        """A record of this kind was saved (new, or a new version): it waits beside
        the index; an older version's slot is marked gone. Ranks follow the record
        index's dict: a known id keeps its place, a new one goes last."""
        kept = self._saved_since.get(record.id)
        if kept is not None and not self._saved_go_last:
            rank = kept[1]
        else:
            slot = self._slot(record.id)
            if slot is not None:
                rank = self._ranks[slot]
                self._drop(slot)
                if self._saved_go_last:
                    rank = self._next_rank
                    self._next_rank += 1
            else:
                rank = self._next_rank
                self._next_rank += 1
        self._saved_since[record.id] = (record, rank)

    def remove(self, record_id: str) -> None:
        """A record of this kind was removed (deleted, or now of another kind)."""
        if self._saved_since.pop(record_id, None) is None:
            slot = self._slot(record_id)
            if slot is not None:
                self._drop(slot)

    @property
    def stale(self) -> bool:
        """True when enough was saved or removed since the build that building it
        again pays: each search checks the records saved since one by one."""
        return (len(self._saved_since) > max(1024, self._base // 16)
                or self._gone > max(1024, self._base // 4))

    def _slot(self, record_id: str) -> int | None:
        ids = self._ids
        wanted = ids.key(record_id) if isinstance(ids, _PackedIds) else record_id
        if wanted is None:
            return None
        at = bisect_left(ids, wanted)  # type: ignore[arg-type]
        if at < len(ids) and ids[at] == wanted:
            slot = self._slot_of_id[at]
            if self._listed[slot] is not None:
                return slot
        return None

    def _drop(self, slot: int) -> None:
        self._listed[slot] = None
        self._live &= ~(1 << slot)
        self._gone += 1

    # ---- searching ----------------------------------------------------------------

    def search(self, words: Sequence[str]) -> list[Record] | None:
        """The records whose text holds every (folded) word, newest first, as the
        plain definition gives them; None for no words, or a word holding a space
        (not from `str.split()`): the caller scans."""
        encoded = {word.encode("utf-8", "surrogatepass"): None for word in words}
        if not encoded or any(word.split() != [word] for word in encoded):
            return None
        listed = self._listed
        slots = self._base_hits(list(encoded))
        if self._saved_since:
            return self._with_saved_since(slots, words)
        return list(map(listed.__getitem__, slots))  # type: ignore[arg-type]

    def _tokens_holding(self, word: bytes) -> list[int]:
        """The numbers of the vocabulary's tokens that hold `word` (no space in it)."""
        starts, found = self._starts, []
        last = -1
        for match in re.finditer(re.escape(word), self._joined):
            token = bisect(starts, match.start()) - 1
            if token != last:
                found.append(token)
                last = token
        return found

    def _base_hits(self, words: list[bytes]) -> list[int]:
        """Slots (not gone) of the indexed records holding every word, newest first."""
        bitmaps: list[int] = []
        sets: list[set[int]] = []
        bitmap_of, pages, page_size = self._common.get, self._pages, self._page_size
        for word in words:
            common = 0
            rare: list[Iterable[int]] = []
            for token in self._tokens_holding(word):
                held = bitmap_of(token)
                if held is not None:
                    common |= held
                for page, (offsets, at) in enumerate(pages):
                    if token + 1 < len(at) and at[token] != at[token + 1]:
                        found = offsets[at[token]:at[token + 1]]
                        rare.append(map((page * page_size).__add__, found) if page else found)
            if not common and not rare:
                return []
            if common:
                if rare:
                    common |= _bits(chain.from_iterable(rare), self._base)
                bitmaps.append(common)
            else:
                sets.append(set(chain.from_iterable(rare)))
        if not sets:
            return _slots_newest_first(reduce(and_, bitmaps) & self._live)
        sets.sort(key=len)
        found = sets[0].intersection(*sets[1:])
        if bitmaps:
            both = (reduce(and_, bitmaps) & self._live).to_bytes((self._base + 7) // 8, "little")
            return sorted((s for s in found if both[s >> 3] >> (s & 7) & 1), reverse=True)
        listed = self._listed
        return sorted((s for s in found if listed[s] is not None), reverse=True)

    def _with_saved_since(self, slots: list[int], words: Sequence[str]) -> list[Record]:
        """The records of `slots` (newest first) with the matching records saved since
        the build put in their places: by `when`, `created`, then rank, as the
        record index lists them."""
        listed, ranks, text_of = self._listed, self._ranks, self._text_of
        extra = sorted(((record.when, record.created, rank), record)
                       for record, rank in self._saved_since.values()
                       if all(word in text_of(record) for word in words))
        oldest_first = slots[::-1]

        def place(slot: int) -> tuple:
            record = listed[slot]
            return (record.when, record.created, ranks[slot])  # type: ignore[union-attr]

        merged: list[Record] = []
        start = 0
        for at_place, record in extra:
            at = bisect(oldest_first, at_place, lo=start, key=place)
            merged += map(listed.__getitem__, oldest_first[start:at])  # type: ignore[arg-type]
            merged.append(record)
            start = at
        merged += map(listed.__getitem__, oldest_first[start:])  # type: ignore[arg-type]
        merged.reverse()
        return merged

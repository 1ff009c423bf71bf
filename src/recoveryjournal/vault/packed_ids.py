"""Record ids held as 16 bytes each instead of a string each.

This app's ids are 32 lower-case hex digits (records.new_id): 16 bytes, where a
Python string of them takes 81 and is one more small object. A journal kept for
ten years at ten times the benchmark's size holds 765,000 records, and every
place that keeps all their ids for a session or a read (the versions the vault
compares with, a full read's fingerprints, the records held as columns, the
word index) keeps them packed. An id edited by hand that is not 32 lower-case
hex digits is kept as it is, beside (`PackedIds`).
"""

from __future__ import annotations

from typing import Iterator, Sequence, overload

SIZE = 16  # bytes of a packed id
_ZERO = bytes(SIZE)


def packed_id(record_id: str) -> bytes | None:
    """The 16 bytes of an id of 32 lower-case hex digits; None for any other id."""
    if len(record_id) != 32:
        return None
    try:
        packed = bytes.fromhex(record_id)
    except ValueError:
        return None
    return packed if packed.hex() == record_id else None


class PackedIds(Sequence[str]):
    """A list of ids that grows (`append`), read as a list of strings (each made
    when read), held as 16 bytes an id; any other id by its position."""

    __slots__ = ("_blob", "_other")

    def __init__(self) -> None:
        self._blob = bytearray()
        self._other: dict[int, str] = {}

    def append(self, record_id: str) -> None:
        packed = packed_id(record_id)
        if packed is None:
            self._other[len(self._blob) // SIZE] = record_id
            packed = _ZERO
        self._blob += packed

    def packed(self) -> tuple[bytes, dict[int, str]]:
        """The 16 bytes of every id, and the other ids by position (their 16 bytes
        zero)."""
        return bytes(self._blob), dict(self._other)

    def __len__(self) -> int:
        return len(self._blob) // SIZE

    @overload
    def __getitem__(self, position: int) -> str: ...

    @overload
    def __getitem__(self, position: slice) -> list[str]: ...

    def __getitem__(self, position: int | slice) -> str | list[str]:
        count = len(self)
        if isinstance(position, slice):
            start, end, step = position.indices(count)
            if step != 1:
                return [self[at] for at in range(start, end, step)]
            digits = self._blob[start * SIZE:max(start, end) * SIZE].hex()
            found = [digits[at:at + 32] for at in range(0, len(digits), 32)]
            for at, record_id in self._other.items():
                if start <= at < end:
                    found[at - start] = record_id
            return found
        if position < 0:
            position += count
        if not 0 <= position < count:
            raise IndexError(position)
        other = self._other.get(position)
        if other is not None:
            return other
        return self._blob[position * SIZE:position * SIZE + SIZE].hex()

    def __iter__(self) -> Iterator[str]:
        for start in range(0, len(self), 4096):
            yield from self[start:start + 4096]

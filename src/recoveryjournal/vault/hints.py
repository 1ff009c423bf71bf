"""The kind hints of a journal's rows, gathered before the key is known.

Each row stores its kind as `code XOR mask` (docs/FORMAT.md, "Kind hints"). The
masks need the key, but everything else does not: this gathers, in row order,
the mask inputs and the stored hints as two flat byte strings, so that after
the key is known one AES call and one XOR give every row's kind code. The
prefetch thread runs this while Argon2id holds the main thread, which makes
it free for the commands that read everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field

NONCE_SIZE = 12
_AFTER_NONCE = bytes(4)  # the mask input is the nonce and four zero bytes


@dataclass
class HintColumn:
    blocks: bytes = b""  # 16 bytes per row: the input of its mask
    stored: bytes = b""  # one byte per row: the stored hint (0 where there is none)
    missing: list[int] = field(default_factory=list)  # rows with no hint (format 1)
    odd: list[int] = field(default_factory=list)  # rows whose hint is not a byte


def read_hint_column(rows: list) -> HintColumn:
    """The hint column of `rows`, each (id, blob, stored hint or None)."""
    column = HintColumn()
    column.blocks = b"".join([row[1][:NONCE_SIZE].ljust(NONCE_SIZE, b"\0") + _AFTER_NONCE
                              for row in rows])
    stored = bytearray(len(rows))
    for position, row in enumerate(rows):
        hint = row[2]
        if type(hint) is int and 0 <= hint <= 255:
            stored[position] = hint
        elif hint is None:
            column.missing.append(position)
        else:
            column.odd.append(position)
    column.stored = bytes(stored)
    return column


def positions_of(codes: bytes, wanted: frozenset[int]) -> list[int]:
    """Where in `codes` any of the `wanted` codes stands (found in C, not per row)."""
    found: list[int] = []
    for code in wanted:
        needle = bytes([code])
        position = codes.find(needle)
        while position >= 0:
            found.append(position)
            position = codes.find(needle, position + 1)
    return found

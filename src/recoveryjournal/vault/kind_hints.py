"""The kind hints of a journal's rows, gathered before the key is known.

Each row stores its kind as `code XOR mask`, where the mask comes from the
record's id under a secret key (docs/FORMAT.md, "Kind hints"). The masks need
the key, but everything else does not: this gathers, in row order, the mask
inputs and the stored hints as two flat byte strings, so that after the key is
known one AES call and one XOR give every row's kind code. The prefetch thread
runs this while Argon2id runs, which makes it free for the commands that read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Sequence

BLOCK = 16  # one AES block per row


@dataclass
class HintColumn:
    blocks: bytes = b""  # 16 bytes per row: the input of its mask
    stored: bytes = b""  # one byte per row: the stored hint (0 where there is none)
    missing: list[int] = field(default_factory=list)  # rows with no hint (format 1)
    odd: list[int] = field(default_factory=list)  # rows whose hint is not a byte


def hint_block(record_id: str) -> bytes:
    """The mask input of a record: its id's 16 bytes when the id is 32 lower-case
    hex digits (every id the app makes), else the first 16 bytes of SHA-256 of the
    id (UTF-8)."""
    # Lower case only: an upper-case id is another id and must not share a mask.
    if len(record_id) == 2 * BLOCK and record_id == record_id.lower():
        try:
            return bytes.fromhex(record_id)
        except ValueError:
            pass
    return hashlib.sha256(record_id.encode("utf-8", "surrogatepass")).digest()[:BLOCK]


def read_hint_column(ids: Sequence[str], hints: Sequence[object]) -> HintColumn:
    """The hint column of rows with these ids and stored hints (None where none)."""
    column = HintColumn(blocks=_blocks(ids))
    try:
        column.stored = bytes(hints)  # every row has a hint: checked in C
        return column
    except (TypeError, ValueError):
        pass  # some rows have none (format 1) or an odd one: look at each
    stored = bytearray(len(hints))
    for position, hint in enumerate(hints):
        if type(hint) is int and 0 <= hint <= 255:
            stored[position] = hint
        elif hint is None:
            column.missing.append(position)
        else:
            column.odd.append(position)
    column.stored = bytes(stored)
    return column


def _blocks(ids: Sequence[str]) -> bytes:
    # Nearly every id is 32 hex digits: one fromhex over all of them runs in C.
    # The few others (the settings record's "settings") are hashed one by one.
    joined = "".join([i if len(i) == 2 * BLOCK and i == i.lower() else hint_block(i).hex()
                      for i in ids])
    try:
        blocks = bytes.fromhex(joined)
        if len(blocks) == BLOCK * len(ids):
            return blocks
    except ValueError:
        pass
    return b"".join(map(hint_block, ids))


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

"""The integrity check, done again only where something changed since the last one.

The whole-set check (Vault.check_integrity) XORs one keyed MAC per row and
compares the result with the sealed accumulator; at ten years of records that is
a third of a second of CPU at every unlock, nearly all of it spent on rows that
have not changed since the previous unlock. So the rows are taken in **groups**,
the rows whose ids share their first two characters (256 groups of random ids),
and for each group the check remembers two things:

- its **fingerprint**: SHA-256 over the group's ids (one a line) and each row's
  nonce and tag, exactly the bytes its MACs are computed from, in one C call;
- its **share**: the XOR of its rows' MACs.

After each complete check every group's (fingerprint, share) is kept in a small
file outside the journal (below), sealed under the journal's record key. At the
next check a group whose fingerprint is the remembered one takes its share from
there; only the groups with a row written (or tampered with) since are MACed
again. Besides, one group in `RECHECK_EVERY` (a different slice at each check,
in turn, fixed per group) is MACed again whatever the file says, so every row's
MAC is recomputed at least every `RECHECK_EVERY` complete checks, as a guard
against a fault in this very shortcut.

Why the verdict is the whole-set check's, at every unlock: an unchanged
fingerprint means the very same ids, nonces and tags (SHA-256 does not collide),
so the very same MAC inputs and the same share. Nobody can make the file say
anything else without the key: it is sealed (AES-GCM) and bound to the journal.
A file deleted, damaged, from an older check or from another copy of the journal
holds only true statements or does not open: at worst the check does more work.
Every fingerprint covers only rows whose nonce and tag are whole (28 bytes); a
group with a shorter one (a blob cut short outside the app) is always MACed.

The file: `checked/<name>` in the user's cache folder, where the name is a hash
of the journal's random id (sealed in the journal), like the high-water mark
(highwater.py). Its content is sealed and padded to a fixed size, so it says
nothing without the journal and its passphrase, not even which journal it
belongs to; its presence and time stamp say a journal was opened here then.
It is a cache: written without fsync, and anything wrong with it costs only time.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import operator
import zlib
from collections.abc import Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import Callable

from . import polite
from .packed_ids import PackedIds
from .polite import Busy
from .private_file import replace_private_file

FOLDER = "checked"
RECHECK_EVERY = 16  # every row MACed again at least every this many complete checks
_FINGERPRINT = 28  # nonce (12) + GCM tag (16): what a whole row contributes
_PAD_TO = 65536  # the sealed document's size does not show the number of groups


def _folder() -> Path:
    import platformdirs

    return platformdirs.user_cache_path("recoveryjournal") / FOLDER


def file_name(journal_id: str) -> str:
    """The file's name: a hash of the journal's sealed random id."""
    return hashlib.sha256(b"recoveryjournal checked name|" + journal_id.encode()).hexdigest()[:32]


class Remembered:
    """What the last complete check found: group -> (fingerprint, share), and
    which slice of the groups is MACed again next."""

    def __init__(self, groups: dict[str, tuple[bytes, int]] | None = None, turn: int = 0):
        self.groups = groups or {}
        self.turn = turn

    def to_json(self) -> bytes:
        document = json.dumps({
            "v": 1, "turn": self.turn,
            "groups": {name: fingerprint.hex() + f"{share:064x}"
                       for name, (fingerprint, share) in self.groups.items()},
        }, separators=(",", ":")).encode()
        return document + b" " * (-len(document) % _PAD_TO)

    @classmethod
    def from_json(cls, payload: bytes) -> "Remembered":
        raw = json.loads(payload)
        if raw.get("v") != 1:
            raise ValueError("unknown version")
        groups = {}
        for name, value in raw["groups"].items():
            if not isinstance(name, str) or not isinstance(value, str) or len(value) != 128:
                raise ValueError("not a group")
            groups[name] = (bytes.fromhex(value[:64]), int(value[64:], 16))
        return cls(groups, int(raw["turn"]))


def recall(journal_id: str, open_sealed: Callable[[bytes], bytes]) -> Remembered:
    """What the last complete check of this journal remembered (nothing when there
    is no file, or it does not open under this key, or it is not well formed)."""
    if not journal_id:
        return Remembered()
    try:
        blob = (_folder() / file_name(journal_id)).read_bytes()
        return Remembered.from_json(open_sealed(blob))
    except Exception:  # noqa: BLE001 - a cache: anything wrong means "check everything"
        return Remembered()


def remember(journal_id: str, sealed: bytes) -> None:
    """Keep the sealed document (0600, replaced atomically). Best effort, no fsync:
    a lost or torn file only means a full check next time."""
    if not journal_id:
        return
    replace_private_file(_folder(), file_name(journal_id), sealed, durable=False)


def _groups(ids: list[str]):
    """(name, start, end) of each run of rows (sorted by id) sharing a name: the
    first two characters of the id. Which rows form a group only decides what
    is remembered together; a fingerprint and a share always cover the same rows."""
    start, total = 0, len(ids)
    while start < total:
        name = ids[start][:2]
        end = max(bisect.bisect_left(ids, name + "\U0010ffff", start), start + 1)
        yield name, start, end
        start = end


def _slice(name: str) -> int:
    """Which of the RECHECK_EVERY checks in turn MACs this group again whatever is
    remembered: fixed per group, so no group waits longer than that."""
    return zlib.crc32(name.encode("utf-8", "surrogatepass")) % RECHECK_EVERY


def _fingerprint(names: list[str], fingerprints: bytes) -> bytes | None:
    """A group's fingerprint from its ids and its rows' nonces and tags, joined."""
    if len(fingerprints) != _FINGERPRINT * len(names):
        return None  # a row cut short: no fingerprint is unambiguous, always MAC it
    ids = "n" + "\n".join(names)
    if ids.count("\n") != len(names) - 1:
        ids = "j" + json.dumps(names)  # an id with a line break in it: still unambiguous
    raw = ids.encode("utf-8", "surrogatepass")
    return hashlib.sha256(len(raw).to_bytes(8, "big") + raw + fingerprints).digest()


def _parts(rows: Sequence[tuple[str, bytes]], start: int, end: int) -> tuple[list[str], bytes]:
    """The ids and the joined nonces and tags of rows[start:end]; sliced in C from
    the flat form, without a tuple a row."""
    if isinstance(rows, FingerprintRows):
        return rows.ids[start:end], rows.joined(start, end)
    group = rows[start:end]
    return list(map(itemgetter(0), group)), b"".join(map(itemgetter(1), group))


class FingerprintRows(Sequence):
    """The (id, nonce + tag) of every row a full read saw, in the order read, held
    flat: the ids as 16 bytes each (packed_ids.py) and 28 bytes a row in one byte
    string, instead of a tuple, a string and a bytes object a row (the strings
    alone were 62 MB at ten times the benchmark journal, for the time between the
    read and the check, spread between the records being decoded). A row cut
    short outside the app keeps its own, shorter, bytes."""

    __slots__ = ("ids", "_flat", "_short", "in_id_order", "_last")

    def __init__(self) -> None:
        self.ids = PackedIds()
        self._flat = bytearray()
        self._short: dict[int, bytes] = {}
        self.in_id_order = True  # as a streamed read gives them (checked as they come)
        self._last = ""

    def append(self, record_id: str, fingerprint: bytes) -> None:
        if len(fingerprint) != _FINGERPRINT:
            self._short[len(self.ids)] = fingerprint
            fingerprint = bytes(_FINGERPRINT)
        self._flat += fingerprint
        self.ids.append(record_id)
        if record_id <= self._last:
            self.in_id_order = False
        self._last = record_id

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, position):  # type: ignore[override]
        if isinstance(position, slice):
            start, end, step = position.indices(len(self.ids))
            if step != 1:
                return [self[i] for i in range(start, end, step)]
            # The ids of the run made at once (packed_ids), the bytes sliced here.
            flat, short, size = self._flat, self._short, _FINGERPRINT
            return [(record_id, short[at] if at in short else bytes(flat[at * size:at * size + size]))
                    for at, record_id in zip(range(start, end), self.ids[start:end])]
        if position < 0:
            position += len(self.ids)
        found = self._short.get(position)
        if found is None:
            start = position * _FINGERPRINT
            found = bytes(self._flat[start:start + _FINGERPRINT])
        return self.ids[position], found

    def joined(self, start: int, end: int) -> bytes:
        """The nonces and tags of rows start..end-1 joined (rows cut short as they are)."""
        if any(start <= position < end for position in self._short):
            return b"".join(self[position][1] for position in range(start, end))
        return bytes(self._flat[start * _FINGERPRINT:end * _FINGERPRINT])

    def __iter__(self):
        return (self[position] for position in range(len(self.ids)))

    def nonces(self, size: int) -> tuple[bytes, dict[int, bytes]]:
        """Each row's nonce (its first `size` bytes) in order, `size` bytes a row
        in one byte string, and apart the rows cut short (position -> what they
        have). Copied slice by slice: no object a row, even for a moment."""
        flat, count = memoryview(self._flat), len(self.ids)
        out = bytearray(count * size)
        for position in range(count):
            start = position * _FINGERPRINT
            out[position * size:(position + 1) * size] = flat[start:start + size]
        flat.release()
        return bytes(out), {position: fingerprint[:size]
                            for position, fingerprint in self._short.items()}


def _ids(rows: Sequence[tuple[str, bytes]]) -> Sequence[str]:
    return rows.ids if isinstance(rows, FingerprintRows) else [row[0] for row in rows]


def _in_id_order(rows: Sequence[tuple[str, bytes]], ids: Sequence[str]) -> bool:
    if isinstance(rows, FingerprintRows):
        return rows.in_id_order
    return all(map(operator.lt, ids, islice(ids, 1, None)))


def accumulate(rows: Sequence[tuple[str, bytes]], mac: Callable[[str, bytes], int],
               remembered: Remembered, busy: Busy | None = None
               ) -> tuple[int, Remembered, int]:
    """The XOR of `mac(id, nonce + tag)` over `rows` (as `read_all` saw them), using
    what the last check remembered where a group is unchanged. Returns the
    accumulator, what to remember now, and how many rows were MACed."""
    ids = _ids(rows)
    if not _in_id_order(rows, ids):  # as read they are in id order already
        rows = sorted(rows)
        ids = _ids(rows)
    turn = remembered.turn % RECHECK_EVERY
    acc, maced, since_look = 0, 0, 0
    now: dict[str, tuple[bytes, int]] = {}
    for name, start, end in _groups(ids):
        fingerprint = _fingerprint(*_parts(rows, start, end))
        known = remembered.groups.get(name)
        if (fingerprint is not None and known is not None and known[0] == fingerprint
                and _slice(name) != turn):
            share = known[1]
        else:
            share = 0
            for record_id, row_fingerprint in rows[start:end]:
                share ^= mac(record_id, row_fingerprint)
            maced += end - start
            since_look += end - start
            if since_look >= polite.EVERY:
                polite.give_way(busy)
                since_look = 0
        if fingerprint is not None:
            now[name] = (fingerprint, share)
        acc ^= share
    return acc, Remembered(now, remembered.turn + 1), maced

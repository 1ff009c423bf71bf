"""Ids kept as 16 bytes each (vault/packed_ids.py) read back as the strings they were."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from recoveryjournal.records import new_id
from recoveryjournal.vault.checked import FingerprintRows
from recoveryjournal.vault.packed_ids import PackedIds, packed_id

# This app's ids, and ids edited by hand: capitals, too short, not hex, "settings".
_IDS = st.one_of(st.builds(new_id), st.builds(lambda: new_id().upper()),
                 st.sampled_from(["settings", "0" * 31, "g" * 32, "ä" * 32, ""]))


@settings(max_examples=200, deadline=None)
@given(st.lists(_IDS, max_size=30), st.integers(-35, 35), st.integers(-35, 35))
def test_packed_ids_read_back_as_the_strings_they_were(ids, start, end):
    packed = PackedIds()
    for record_id in ids:
        packed.append(record_id)
    assert len(packed) == len(ids)
    assert list(packed) == ids and packed[start:end] == ids[start:end]
    assert packed[::-1] == ids[::-1]
    for position in range(-len(ids), len(ids)):
        assert packed[position] == ids[position]
    blob, other = packed.packed()
    assert len(blob) == 16 * len(ids)
    assert all(packed_id(record_id) is None for record_id in other.values())


def test_only_this_apps_ids_are_packed():
    record_id = new_id()
    assert packed_id(record_id) == bytes.fromhex(record_id)
    assert packed_id(record_id.upper()) is None and packed_id("settings") is None


def test_a_full_reads_fingerprints_know_whether_the_ids_came_in_order():
    rows = FingerprintRows()
    for record_id in sorted(new_id() for _ in range(5)):
        rows.append(record_id, bytes(28))
    assert rows.in_id_order
    rows.append("0" * 32, bytes(28))
    assert not rows.in_id_order and rows[5] == ("0" * 32, bytes(28))


def test_a_run_of_fingerprint_rows_reads_as_the_rows_one_by_one():
    rows = FingerprintRows()
    ids = [new_id() for _ in range(6)] + ["settings"]
    for n, record_id in enumerate(ids):
        rows.append(record_id, bytes([n]) * (28 if n != 3 else 10))  # one cut short
    for start in range(-8, 8):
        for end in range(-8, 8):
            assert rows[start:end] == [rows[i] for i in range(*slice(start, end).indices(7))]
    assert rows[3] == (ids[3], bytes([3]) * 10) and rows[6][0] == "settings"

"""An independent decryptor written from docs/FORMAT.md alone, checked against the app.

It uses `cryptography` primitives directly and nothing from recoveryjournal, so if
the app and the document drift apart, this test says so.
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import datetime, timedelta, timezone
import hmac
import json
import sqlite3
import subprocess
import sys
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PASS = "Blåbärssoppa i Östersund"  # non-ASCII on purpose: NFC + UTF-8
KIND_CODES = {"settings": 1, "entry": 2, "urge": 3, "use": 4, "checkin": 5, "mood": 6,
              "meeting": 7, "exercise": 8, "draft": 9}  # the table in FORMAT.md


def buckets():
    """768, then x1.25 rounded up to a multiple of 64 ("records" in FORMAT.md)."""
    size = 768
    while True:
        yield size
        size = -(-size * 5 // 256) * 64


def bucket_of(length: int) -> int:
    return next(size for size in buckets() if size >= length)


def decrypt_journal(path, secret: str, slot: str = "passphrase", state: dict | None = None):
    db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    vault = dict(db.execute("SELECT key, value FROM vault"))
    assert vault["magic"] == b"recoveryjournal" and int(vault["format"]) == 3
    assert all(type(v) is bytes for v in vault.values())  # BLOBs
    schema = db.execute("SELECT sql FROM sqlite_master WHERE name='records'").fetchone()[0]
    assert schema.endswith("WITHOUT ROWID")
    if slot == "recovery":  # format 3: the code opens the recovery private key
        slot = "recovery-key"
        secret = secret.upper().replace(" ", "")  # already canonical here: dashes kept
    kdf_text, wrapped = db.execute(
        "SELECT kdf, wrapped FROM key_slots WHERE name=?", (slot,)).fetchone()
    kdf = json.loads(kdf_text)
    assert kdf["algorithm"] == "argon2id"
    assert 65536 <= kdf["memory_kib"] <= 2097152 and 3 <= kdf["iterations"] <= 16
    assert 4 <= kdf["lanes"] <= 16
    kek = Argon2id(salt=base64.b64decode(kdf["salt"]), length=32,
                   iterations=kdf["iterations"], lanes=kdf["lanes"],
                   memory_cost=kdf["memory_kib"]).derive(
        unicodedata.normalize("NFC", secret).encode("utf-8"))
    data_key = AESGCM(kek).decrypt(
        wrapped[:12], wrapped[12:],
        b"recoveryjournal key slot v1|" + slot.encode() + b"|" + kdf_text.encode())
    recovery_public = None
    if slot == "recovery-key":
        private = X25519PrivateKey.from_private_bytes(data_key)
        recovery_public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        seal = vault["recovery_seal"]
        assert len(seal) == 92
        ephemeral = seal[:32]
        info = b"recoveryjournal recovery seal v3|" + ephemeral + recovery_public
        shared = private.exchange(X25519PublicKey.from_public_bytes(ephemeral))
        seal_key = HKDF(hashes.SHA256(), 32, None, info).derive(shared)
        data_key = AESGCM(seal_key).decrypt(seal[32:44], seal[44:], info)

    def subkey(info):
        return HKDF(hashes.SHA256(), 32, None, info).derive(data_key)

    record_key, mac_key = subkey(b"recoveryjournal records v1"), subkey(b"recoveryjournal integrity v1")
    hint_key = subkey(b"recoveryjournal kind hint v2")
    records, acc = {}, 0
    rows = db.execute("SELECT id, blob, hint FROM records").fetchall()
    for record_id, blob, hint in rows:
        assert re.fullmatch(r"[0-9a-f]{32}", record_id) or record_id == "settings"
        plain = AESGCM(record_key).decrypt(
            blob[:12], blob[12:], b"recoveryjournal record v1|" + record_id.encode())
        body = plain.rstrip(b" ")
        # Padded to its bucket, no further; the settings record to at least 3072.
        least = 3072 if record_id == "settings" else 0
        assert len(plain) == bucket_of(max(len(body), least))
        records[record_id] = json.loads(body)
        try:
            block = bytes.fromhex(record_id) if len(record_id) == 32 else None
        except ValueError:
            block = None
        if block is None:
            block = hashlib.sha256(record_id.encode("utf-8")).digest()[:16]
        mask = Cipher(algorithms.AES(hint_key), modes.ECB()).encryptor().update(block)[0]
        assert hint is not None and hint ^ mask == KIND_CODES[records[record_id]["kind"]]
        acc ^= int.from_bytes(hmac.new(mac_key, record_id.encode() + b"\x00" + blob[:12] + blob[-16:],
                                       hashlib.sha256).digest(), "big")
    sealed = vault["integrity"]
    integrity = json.loads(AESGCM(record_key).decrypt(
        sealed[:12], sealed[12:], b"recoveryjournal integrity v1"))
    assert integrity["acc"] == f"{acc:064x}" and integrity["count"] == len(rows)
    assert isinstance(integrity["writes"], int) and integrity["writes"] >= len(rows)
    saved = datetime.strptime(integrity["saved"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    assert abs(datetime.now(timezone.utc) - saved) < timedelta(hours=1)
    assert re.fullmatch(r"[0-9a-f]{32}", integrity["journal"])
    if recovery_public is not None:  # the public half of the key the code opened
        assert bytes.fromhex(integrity["recovery"]) == recovery_public
    if state is not None:
        state.update(integrity)
    if "summary" in vault:
        check_summary(vault["summary"], record_key, integrity, records)
    db.close()
    return records


def check_summary(sealed: bytes, record_key: bytes, integrity: dict, records: dict) -> None:
    """"The summary" in FORMAT.md: sealed, padded by the count alone, and saying
    what the records say."""
    plain = AESGCM(record_key).decrypt(sealed[:12], sealed[12:], b"recoveryjournal summary v1")
    body = plain.rstrip(b" ")
    size = -(-min(8192 + 32 * integrity["count"], 262144) // 4096) * 4096
    while size < len(body):
        size *= 2
    assert len(plain) == size
    document = json.loads(body)
    assert document["v"] == 4 and document["writes"] == integrity["writes"]
    # The day and week tables are one JSON string beside the rest.
    tables = json.loads(document["tables"])
    assert not set(tables) & set(document)
    summary = {**document, **tables}
    kinds: dict = {}
    for record in records.values():
        kinds[record["kind"]] = kinds.get(record["kind"], 0) + 1
    assert summary["kinds"] == kinds

    def day_table(table):
        found, number = {}, 0
        for gap, cells in zip(table["d"], table["c"]):
            number += gap
            found[datetime.fromordinal(number).date().isoformat()] = cells
        return found

    uses: dict = {}
    urges: dict = {}
    for record in records.values():
        data = record["data"]
        day = data["when"][:10]
        if record["kind"] == "use":
            name = " ".join(data["addiction"].lower().split())
            cells = uses.setdefault(name, {}).setdefault(day, [0, 0])
            cells[0] += 1
            cells[1] += round((1 if data["amount"] is None else data["amount"]) * 1000)
        elif record["kind"] == "urge":
            cells = urges.setdefault(day, [0, 0])
            cells[0] += 1
            cells[1] += data["outcome"] == "acted"
    assert {name: day_table(t) for name, t in summary["uses"].items()} == uses
    assert day_table(summary["urges"]) == urges
    check_glance(summary["glance"], uses, urges)
    check_urge_weeks(summary, records)
    moods: dict = {}
    for record in records.values():
        mood = record["data"].get("mood") if record["kind"] in ("entry", "mood") else None
        if mood is not None:
            when = datetime.fromisoformat(record["data"]["when"])
            monday = (when.date() - timedelta(days=when.weekday())).isoformat()
            cells = moods.setdefault(monday, [0, 0])
            cells[0] += 1
            cells[1] += mood
    found, number = {}, 0
    for gap, cells in zip(summary["moods"]["w"], summary["moods"]["c"]):
        number += gap
        found[datetime.fromordinal(7 * (number - 1) + 1).date().isoformat()] = cells
    assert found == moods
    entries = sorted(((datetime.fromisoformat(r["data"]["when"]),
                       datetime.fromisoformat(r["created"]), rid)
                      for rid, r in records.items() if r["kind"] == "entry"), reverse=True)
    kept = [item[2] for item in summary["recent"].get("entry", [])]
    assert kept == [rid for _w, _c, rid in entries][:len(kept)]
    assert len(kept) == min(50, len(entries))


def check_glance(glance: dict, uses: dict, urges: dict) -> None:
    """The glance, as FORMAT.md says, from the days of use and of urges (ISO days)."""
    expected = {}
    for name, days in uses.items():
        numbers = sorted(datetime.fromisoformat(day).toordinal() for day in days)
        expected[name] = {"n": len(numbers), "first": numbers[0],
                          "gap": max((b - a for a, b in zip(numbers, numbers[1:])), default=0),
                          "last": numbers[-91:]}
    assert glance["uses"] == expected
    last = sorted(urges)[-8:]
    assert glance["urges"] == [[datetime.fromisoformat(day).toordinal(), *urges[day]]
                               for day in last]


def check_urge_weeks(summary: dict, records: dict) -> None:
    """The week tables, the trigger and coping counts and the offsets, as FORMAT.md
    says, recomputed from the urges."""
    weeks: dict = {}
    offsets: dict = {}
    hours: dict = {}
    words = summary["words"]
    for record in records.values():
        if record["kind"] != "urge":
            continue
        data = record["data"]
        when = datetime.fromisoformat(data["when"])
        monday = (when.date() - timedelta(days=when.weekday())).isoformat()
        name = " ".join(data["addiction"].lower().split())
        week = weeks.setdefault(name, {}).setdefault(
            monday, {"c": [0, 0, 0, 0, 0], "t": {}, "k": {}})
        acted = data["outcome"] == "acted"
        week["c"][0] += 1
        week["c"][1] += acted
        week["c"][2] += data["intensity"]
        if data["intensity_after"] is not None:
            week["c"][3] += data["intensity_after"]
            week["c"][4] += 1
        slot = str(when.weekday() * 24 + when.hour)
        hours.setdefault(name, {})[slot] = hours.get(name, {}).get(slot, 0) + 1
        trigger = " ".join(data["trigger"].lower().split())
        if trigger:
            week["t"][trigger] = week["t"].get(trigger, 0) + 1
        for tool in dict.fromkeys(data["coping"]):
            if tool:
                used, resisted = week["k"].get(tool, (0, 0))
                week["k"][tool] = (used + 1, resisted + (not acted))
        offset = str(int(when.utcoffset().total_seconds()))
        day = when.date().isoformat()
        offsets.setdefault(offset, {})[day] = offsets.get(offset, {}).get(day, 0) + 1

    found: dict = {}
    for name, table in summary["weeks"].items():
        number = 0
        for gap, row in zip(table["w"], table["c"]):
            number += gap
            monday = datetime.fromordinal(7 * (number - 1) + 1).date()
            assert monday.weekday() == 0
            week = {"c": row[:5], "t": {}, "k": {}}
            if words is not None:
                triggers, used, acted = row[5:]
                week["t"] = {words["t"][i]: c for i, c in enumerate(triggers) if c}
                acted = acted + [0] * len(used)
                week["k"] = {words["k"][i]: (c, c - acted[i]) for i, c in enumerate(used) if c}
                assert not (triggers and triggers[-1] == 0 or used and used[-1] == 0)
            else:
                assert len(row) == 5
            found.setdefault(name, {})[monday.isoformat()] = week
    if words is None:  # too many names to keep: only the counts
        weeks = {name: {m: {**w, "t": {}, "k": {}} for m, w in ws.items()}
                 for name, ws in weeks.items()}
    assert found == weeks
    # Urges by weekday x 24 + hour, zeros at the end left off.
    assert all(cells and cells[-1] for cells in summary["hours"].values())
    assert {name: {str(slot): n for slot, n in enumerate(cells) if n}
            for name, cells in summary["hours"].items()} == hours
    # The offset with the most urges is written without its days: they are the rest.
    written = {offset: {day: cells[0] for day, cells in day_table_of(t).items()}
               for offset, t in summary["offsets"].items()}
    main = summary["offset"]
    if main is not None:
        assert str(main) not in written
        rest = {day: cells[0] - sum(o.get(day, 0) for o in written.values())
                for day, cells in day_table_of(summary["urges"]).items()}
        written[str(main)] = {day: n for day, n in rest.items() if n}
    assert written == offsets
    meetings: dict = {}
    for record in records.values():
        if record["kind"] == "meeting":
            when = datetime.fromisoformat(record["data"]["when"])
            days = meetings.setdefault(str(int(when.utcoffset().total_seconds())), {})
            days[when.date().isoformat()] = days.get(when.date().isoformat(), 0) + 1
    assert {offset: {day: cells[0] for day, cells in day_table_of(t).items()}
            for offset, t in summary["meetings"].items()} == meetings


def day_table_of(table):
    found, number = {}, 0
    for gap, cells in zip(table["d"], table["c"]):
        number += gap
        found[datetime.fromordinal(number).date().isoformat()] = cells
    return found


def test_the_documented_format_decrypts_what_the_app_wrote(tmp_path):
    path = tmp_path / "j.db"

    def rj(*args, stdin):
        result = subprocess.run([sys.executable, "-m", "recoveryjournal", "--journal", str(path),
                                 *args], input=stdin, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    out = rj("init", "--track", "alcohol", stdin=f"{PASS}\n{PASS}\n")
    code = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    rj("write", "Gick till mötet", "--mood", "4", "--tag", "möte", stdin=f"{PASS}\n")
    rj("urge", "alcohol", "6", "--after", "3", stdin=f"{PASS}\n")
    rj("urge", "Alcohol", "4", "--trigger", "Stress", "--coping", "call", "--coping", "walk",
       "--coping", "call", "--acted", stdin=f"{PASS}\n")
    rj("lapse", "alcohol", "--amount", "2", stdin=f"{PASS}\n")
    rj("meeting", "Tuesday group", stdin=f"{PASS}\n")

    records = decrypt_journal(path, PASS)
    assert [r["data"]["mood"] for r in records.values() if r["kind"] == "entry"] == [4]
    db = sqlite3.connect(path)
    assert db.execute("SELECT 1 FROM vault WHERE key = 'summary'").fetchone()  # checked above
    db.close()
    kinds = sorted(r["kind"] for r in records.values())
    assert kinds == ["entry", "meeting", "settings", "urge", "urge", "use"]
    entry = next(r for r in records.values() if r["kind"] == "entry")
    assert entry["schema"] == 1
    assert entry["data"]["text"] == "Gick till mötet"
    assert entry["data"]["mood"] == 4 and entry["data"]["tags"] == ["möte"]
    assert records["settings"]["data"]["addictions"][0]["name"] == "alcohol"
    # The same data key sits behind the recovery slot.
    assert decrypt_journal(path, code, slot="recovery") == records
    # Short records of different kinds share the first bucket: 12 + 768 + 16 bytes;
    # the settings record sits in the 3072 bucket.
    db = sqlite3.connect(path)
    sizes = dict(db.execute("SELECT id, length(blob) FROM records"))
    assert sizes.pop("settings") == 12 + 3072 + 16
    assert set(sizes.values()) == {796}
    db.close()


def test_the_documented_rotation_and_padding_hold_for_the_app(tmp_path):
    """After passwd: the new passphrase decrypts everything the documented way, the
    write counter grew, a long entry sits in a larger bucket."""
    path = tmp_path / "j.db"

    def rj(*args, stdin):
        result = subprocess.run([sys.executable, "-m", "recoveryjournal", "--journal", str(path),
                                 *args], input=stdin, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    out = rj("init", stdin=f"{PASS}\n{PASS}\n")
    code = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    rj("write", "-", stdin=f"{PASS}\n" + "Ett långt inlägg. " * 60)
    before: dict = {}
    decrypt_journal(path, PASS, state=before)
    rj("passwd", stdin=f"{PASS}\nett nytt lösenord\nett nytt lösenord\n")
    after: dict = {}
    records = decrypt_journal(path, "ett nytt lösenord", state=after)
    assert decrypt_journal(path, code, slot="recovery") == records
    assert after["writes"] == before["writes"] + 1 and after["journal"] == before["journal"]
    db = sqlite3.connect(path)
    sizes = dict(db.execute("SELECT id, length(blob) FROM records"))
    assert sizes.pop("settings") == 12 + 3072 + 16
    [long_entry] = sizes.values()
    assert long_entry - 28 in (960, 1216, 1536)

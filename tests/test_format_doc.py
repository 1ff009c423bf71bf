"""An independent decryptor written from docs/FORMAT.md alone, checked against the app.

It uses `cryptography` primitives directly and nothing from recoveryjournal, so if
the app and the document drift apart, this test says so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import sqlite3
import subprocess
import sys
import unicodedata

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PASS = "Blåbärssoppa i Östersund"  # non-ASCII on purpose: NFC + UTF-8
KIND_CODES = {"settings": 1, "entry": 2, "urge": 3, "use": 4, "checkin": 5, "mood": 6,
              "meeting": 7, "exercise": 8, "draft": 9}  # the table in FORMAT.md


def decrypt_journal(path, secret: str, slot: str = "passphrase"):
    db = sqlite3.connect(path)
    vault = dict(db.execute("SELECT key, value FROM vault"))
    assert vault["magic"] == b"recoveryjournal" and int(vault["format"]) == 2
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

    def subkey(info):
        return HKDF(hashes.SHA256(), 32, None, info).derive(data_key)

    record_key, mac_key = subkey(b"recoveryjournal records v1"), subkey(b"recoveryjournal integrity v1")
    hint_key = subkey(b"recoveryjournal kind hint v2")
    records, acc = {}, 0
    rows = db.execute("SELECT id, blob, hint FROM records").fetchall()
    for record_id, blob, hint in rows:
        plain = AESGCM(record_key).decrypt(
            blob[:12], blob[12:], b"recoveryjournal record v1|" + record_id.encode())
        assert len(plain) % 64 == 0
        records[record_id] = json.loads(plain.rstrip(b" "))
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
    assert integrity == {"acc": f"{acc:064x}", "count": len(rows)}
    return records


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

    records = decrypt_journal(path, PASS)
    kinds = sorted(r["kind"] for r in records.values())
    assert kinds == ["entry", "settings"]
    entry = next(r for r in records.values() if r["kind"] == "entry")
    assert entry["schema"] == 1
    assert entry["data"]["text"] == "Gick till mötet"
    assert entry["data"]["mood"] == 4 and entry["data"]["tags"] == ["möte"]
    assert records["settings"]["data"]["addictions"][0]["name"] == "alcohol"
    # The same data key sits behind the recovery slot.
    assert decrypt_journal(path, code, slot="recovery") == records

"""Key derivation, key slots and record encryption.

The only module in the project that imports `cryptography`. docs/FORMAT.md
describes every byte produced here; keep the two in step.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Callable, Iterable

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import polite
from .errors import DamagedRecord, NotAJournal, TamperedJournal, WrongSecret
from .polite import Busy

# 2 added records.hint; 3 padded sizes to kind-blind buckets, stored records WITHOUT
# ROWID, sealed the recovery path to a recovery key pair and grew the integrity state
# (see docs/FORMAT.md, "Versions").
FORMAT_VERSION = 3
NONCE_SIZE = 12
KEY_SIZE = 32
TAG_SIZE = 16
SALT_SIZE = 16
WRAPPED_SIZE = NONCE_SIZE + KEY_SIZE + 16  # nonce, sealed data key, GCM tag

SLOT_AAD = b"recoveryjournal key slot v1|"
RECORD_AAD = b"recoveryjournal record v1|"
INTEGRITY_AAD = b"recoveryjournal integrity v1"
SUMMARY_AAD = b"recoveryjournal summary v1"
CHECKED_AAD = b"recoveryjournal checked v1|"  # + the journal id (checked.py; not in the file)
RECOVERY_SEAL_AAD = b"recoveryjournal recovery seal v3|"
RECOVERY_SEAL_SIZE = 32 + NONCE_SIZE + KEY_SIZE + TAG_SIZE  # ephemeral public key first

# Record plaintexts are padded with spaces to the smallest bucket that holds them:
# PAD_FLOOR, then 1.25x steps rounded up to 64 bytes. The floor holds every short
# record of any kind (settings with four addictions is about 700 bytes), so a
# check-in, an urge and a short entry all seal to the same size.
PAD_FLOOR = 768
# The settings record's id is the one id that is not random, so its size says nothing
# about its kind; it starts at a larger bucket (one of the same list) so that how many
# addictions, goals and milestones it holds does not show either.
SETTINGS_ID = "settings"
SETTINGS_PAD_FLOOR = 3072


def padded_size(length: int, floor: int = PAD_FLOOR) -> int:
    """The bucket a plaintext of `length` bytes is padded to (docs/FORMAT.md)."""
    size = PAD_FLOOR
    while size < length or size < floor:
        size = -(-size * 5 // (4 * 64)) * 64
    return size


# The sealed summary (docs/FORMAT.md, "The summary") is padded to a size that
# follows the record count alone, which the file shows anyway: a floor, an allowance
# per record (no record adds more to the summary than that, in practice), and a cap
# that holds decades of daily logging; rounded up to 4 KiB.
SUMMARY_FLOOR = 8 * 1024
SUMMARY_PER_RECORD = 32
SUMMARY_CAP = 256 * 1024


def summary_size(length: int, count: int) -> int:
    """The size a summary plaintext of `length` bytes is padded to, in a journal of
    `count` records. Only a summary larger than the cap (far beyond ten years of
    daily logging) grows past it, in powers of two."""
    size = min(SUMMARY_FLOOR + SUMMARY_PER_RECORD * max(count, 0), SUMMARY_CAP)
    size = -(-size // 4096) * 4096
    while size < length:
        size *= 2
    return size


def pad(plaintext: bytes, record_id: str = "") -> bytes:
    floor = SETTINGS_PAD_FLOOR if record_id == SETTINGS_ID else PAD_FLOOR
    return plaintext + b" " * (padded_size(len(plaintext), floor) - len(plaintext))


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters, stored beside each key slot."""

    salt: bytes
    memory_kib: int = 65536
    iterations: int = 3
    lanes: int = 4

    def to_json(self) -> str:
        """Canonical JSON: the exact bytes are bound into the slot's associated data."""
        return json.dumps(
            {
                "algorithm": "argon2id",
                "salt": base64.b64encode(self.salt).decode("ascii"),
                "memory_kib": self.memory_kib,
                "iterations": self.iterations,
                "lanes": self.lanes,
            },
            sort_keys=True,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> "KdfParams":
        """Parse stored parameters, refusing anything outside FLOOR..CEILING."""
        try:
            raw = json.loads(text)
            params = cls(
                salt=base64.b64decode(raw["salt"], validate=True),
                memory_kib=_whole_number(raw["memory_kib"]),
                iterations=_whole_number(raw["iterations"]),
                lanes=_whole_number(raw["lanes"]),
            )
            algorithm = raw["algorithm"]
        except (ValueError, KeyError, TypeError, RecursionError) as exc:
            raise NotAJournal(f"the key slot parameters are unreadable ({exc})") from exc
        if algorithm != "argon2id":
            raise NotAJournal(f"unknown key derivation {algorithm!r}")
        params.check_bounds()
        return params

    def check_bounds(self) -> None:
        """A tampered file must not weaken the KDF or ask for 100 GiB of memory."""
        floor, ceiling = KDF_FLOOR, KDF_CEILING
        for name in ("memory_kib", "iterations", "lanes"):
            value = getattr(self, name)
            if not getattr(floor, name) <= value <= getattr(ceiling, name):
                raise NotAJournal(
                    f"the key derivation setting {name}={value} is outside the allowed "
                    f"range {getattr(floor, name)}..{getattr(ceiling, name)}; "
                    "the file may have been tampered with"
                )
        if len(self.salt) < SALT_SIZE:
            raise NotAJournal("the key slot salt is too short")


def _whole_number(value: object) -> int:
    """A KDF setting as stored: a JSON integer. Not 1e999 (infinity), 65536.5 or true."""
    if type(value) is not int:
        raise ValueError(f"{type(value).__name__} where a whole number belongs")
    return value


# RFC 9106 section 4, second recommended option: 64 MiB, t=3, p=4.
KDF_FLOOR = KdfParams(salt=b"", memory_kib=65536, iterations=3, lanes=4)
# Generous, but bounded: 2 GiB and a few seconds on a slow laptop.
KDF_CEILING = KdfParams(salt=b"", memory_kib=2 * 1024 * 1024, iterations=16, lanes=16)


def new_kdf_params() -> KdfParams:
    """Fresh parameters at the floor with a random salt."""
    return KdfParams(
        salt=os.urandom(SALT_SIZE),
        memory_kib=KDF_FLOOR.memory_kib,
        iterations=KDF_FLOOR.iterations,
        lanes=KDF_FLOOR.lanes,
    )


def normalise_secret(secret: str) -> bytes:
    """NFC so the same passphrase typed on another keyboard layout still matches."""
    return unicodedata.normalize("NFC", secret).encode("utf-8")


def derive_key(secret: str, params: KdfParams) -> bytes:
    """Argon2id over the NFC UTF-8 secret."""
    params.check_bounds()
    return Argon2id(
        salt=params.salt,
        length=KEY_SIZE,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(normalise_secret(secret))


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_recovery_key() -> tuple[bytes, bytes]:
    """A fresh recovery key pair (X25519): (private, public), 32 bytes each.

    The recovery slot wraps the private key; the data key is sealed to the public
    key. So a new data key can be sealed for the recovery code without knowing the
    code, and whoever held an old data key learns nothing that opens a new one."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PrivateFormat, PublicFormat, NoEncryption

    private = X25519PrivateKey.generate()
    return (private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption()),
            private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _recovery_seal_key(shared: bytes, ephemeral: bytes, public: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None,
                info=RECOVERY_SEAL_AAD + ephemeral + public).derive(shared)


def seal_for_recovery(public: bytes, data_key: bytes) -> bytes:
    """The data key sealed to the recovery public key (ECIES with X25519)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _recovery_seal_key(ephemeral.exchange(X25519PublicKey.from_public_bytes(public)),
                             ephemeral_public, public)
    nonce = os.urandom(NONCE_SIZE)
    return ephemeral_public + nonce + AESGCM(key).encrypt(
        nonce, data_key, RECOVERY_SEAL_AAD + ephemeral_public + public)


def open_recovery_seal(private: bytes, sealed: bytes) -> bytes:
    """The data key from `seal_for_recovery`, or WrongSecret("recovery")."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    if len(sealed) != RECOVERY_SEAL_SIZE or len(private) != KEY_SIZE:
        raise TamperedJournal("the recovery key slot is damaged")
    key_pair = X25519PrivateKey.from_private_bytes(private)
    public = key_pair.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    ephemeral_public, nonce, body = sealed[:32], sealed[32:32 + NONCE_SIZE], sealed[32 + NONCE_SIZE:]
    try:
        key = _recovery_seal_key(
            key_pair.exchange(X25519PublicKey.from_public_bytes(ephemeral_public)),
            ephemeral_public, public)
        return AESGCM(key).decrypt(nonce, body, RECOVERY_SEAL_AAD + ephemeral_public + public)
    except (InvalidTag, ValueError) as exc:
        # Sealed to another recovery key: the code belongs to an older key pair.
        raise WrongSecret("recovery") from exc


def _slot_aad(name: str, params_json: str) -> bytes:
    return SLOT_AAD + name.encode("utf-8") + b"|" + params_json.encode("utf-8")


def wrap_data_key(data_key: bytes, secret: str, name: str) -> tuple[str, bytes]:
    """Return (params JSON, wrapped key) for a slot called `name` (the `recovery-key`
    slot wraps the recovery private key the same way)."""
    params = new_kdf_params()
    params_json = params.to_json()
    nonce = os.urandom(NONCE_SIZE)
    wrapped = nonce + AESGCM(derive_key(secret, params)).encrypt(
        nonce, data_key, _slot_aad(name, params_json)
    )
    return params_json, wrapped


def unwrap_data_key(secret: str, name: str, params_json: str, wrapped: bytes) -> bytes:
    """The data key, or WrongSecret when the secret (or the slot) does not match."""
    params = KdfParams.from_json(params_json)
    if len(wrapped) != WRAPPED_SIZE:
        # Cut short or padded by hand: say so, rather than blame the passphrase.
        raise TamperedJournal(f"the {name.split('-')[0]} key slot is damaged")
    kek = derive_key(secret, params)
    try:
        return AESGCM(kek).decrypt(
            wrapped[:NONCE_SIZE], wrapped[NONCE_SIZE:], _slot_aad(name, params_json)
        )
    except InvalidTag as exc:
        raise WrongSecret(name) from exc


class RecordCipher:
    """Seals and opens records with keys derived from the data key."""

    def __init__(self, data_key: bytes):
        self._aead = AESGCM(_subkey(data_key, b"recoveryjournal records v1"))
        self._mac_key = _subkey(data_key, b"recoveryjournal integrity v1")
        self._hint_key = _subkey(data_key, b"recoveryjournal kind hint v2")

    def seal(self, record_id: str, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, plaintext, RECORD_AAD + record_id.encode())

    def open(self, record_id: str, blob: bytes) -> bytes:
        try:
            return self._aead.decrypt(
                blob[:NONCE_SIZE], blob[NONCE_SIZE:], RECORD_AAD + record_id.encode()
            )
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord(record_id) from exc

    def open_many(
        self, rows: list, busy: Busy | None = None
    ) -> tuple[dict[str, bytes], list[str], list[tuple[str, bytes]]]:
        """Open every (id, blob, ...) row: the plaintexts by id, the ids that did not open,
        and each row's fingerprint (id, nonce + tag) for the integrity check.

        Each row is dropped from `rows` once opened, so ciphertext and plaintext
        of a large journal are never all in memory together. Written flat because
        unlock runs it for every record and Python's call overhead is most of it.

        `busy` (for a background worker): looked at every `polite.EVERY` rows, and
        nothing more is opened while it returns true (see polite.py)."""
        decrypt = self._aead.decrypt
        plaintexts: dict[str, bytes] = {}
        damaged: list[str] = []
        fingerprints: list[tuple[str, bytes]] = []
        total = len(rows)
        step = total if busy is None else polite.EVERY
        for start in range(0, total, step or 1):
            if start:
                polite.give_way(busy)
            for position in range(start, min(start + step, total)):
                row = rows[position]
                record_id, blob = row[0], row[1]  # type: ignore[index]
                rows[position] = None
                fingerprints.append((record_id, blob[:NONCE_SIZE] + blob[-TAG_SIZE:]))
                try:
                    plaintexts[record_id] = decrypt(
                        blob[:NONCE_SIZE], blob[NONCE_SIZE:], RECORD_AAD + record_id.encode()
                    )
                except (InvalidTag, ValueError):
                    damaged.append(record_id)
        return plaintexts, damaged, fingerprints

    def open_batch(self, rows: list, fingerprints=None) -> tuple[list[tuple[str, bytes]], list[str]]:
        """Open a batch of (id, blob, ...) rows of a streamed full read: the
        (id, plaintext without its padding) pairs and the ids that did not open;
        each row's (id, nonce + tag) goes to `fingerprints.append` (if given) for
        the integrity check. The batch is emptied as it is opened. Flat, like
        `open_many`, for the same reason."""
        decrypt = self._aead.decrypt
        note = fingerprints.append if fingerprints is not None else None
        opened: list[tuple[str, bytes]] = []
        damaged: list[str] = []
        for position in range(len(rows)):
            row = rows[position]
            record_id, blob = row[0], row[1]
            rows[position] = None
            if note is not None:
                note(record_id, blob[:NONCE_SIZE] + blob[-TAG_SIZE:])
            try:
                plaintext = decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:],
                                    RECORD_AAD + record_id.encode())
            except (InvalidTag, ValueError):
                damaged.append(record_id)
                continue
            # The padding (spaces after the JSON, docs/FORMAT.md) is half of a
            # short record: the copy kept is the record alone.
            opened.append((record_id, plaintext.rstrip(b" ")))
        return opened, damaged

    def record_mac(self, record_id: str, blob: bytes) -> bytes:
        """One record's share of the integrity accumulator.

        Covers the id, the nonce and the GCM tag: the tag already pins the
        ciphertext under the record key, so MACing the whole blob would add cost
        (checked for every record at every unlock) and no safety. The MAC is keyed
        and secret, so nobody can combine old records into a matching set.
        """
        # hmac.digest is the one-shot C path, several times faster than hmac.new.
        return hmac.digest(
            self._mac_key,
            record_id.encode() + b"\x00" + blob[:NONCE_SIZE] + blob[-TAG_SIZE:],
            "sha256",
        )

    def hint(self, record_id: str, code: int) -> int:
        """The stored kind hint of the record `record_id` whose kind has `code`."""
        from .kind_hints import hint_block

        return code ^ self._masks(hint_block(record_id))[0]

    def kind_codes(self, blocks: bytes, stored: bytes) -> bytes:
        """Every row's kind code at once: stored hint XOR mask, where the mask is
        the first byte of AES-256(hint key, the row's hint block; see kind_hints.py).
        Ids are random, so a stored hint looks random to anyone without the key.
        One ECB call and one big-integer XOR: per-row calls would cost as much
        as the decryption that hints exist to avoid."""
        masks = self._masks(blocks)[::16]
        return (int.from_bytes(masks, "little") ^ int.from_bytes(stored, "little")).to_bytes(
            len(stored), "little")

    def _masks(self, blocks: bytes) -> bytes:
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

        return Cipher(algorithms.AES(self._hint_key), modes.ECB()).encryptor().update(blocks)

    def open_keeping(self, rows: list, keep: Callable[[list[bytes]], Iterable[int]]
                     ) -> tuple[list[tuple[str, bytes]], list[str]]:
        """Open every (id, blob, ...) row and keep (id, plaintext) of those whose
        positions `keep(plaintexts)` gives; also the ids that did not open. Every
        tag is checked before `keep` sees a byte of the plaintexts. For reads that
        hold on to a few rows of many (kind_read.py); flat, as `open_many`.

        One comprehension opens the chunk, and `keep` looks at all of it at once:
        at 10x (200,000 entries) a Python step per row was a fifth of the search."""
        decrypt = self._aead.decrypt
        try:
            plaintexts = [decrypt(row[1][:NONCE_SIZE], row[1][NONCE_SIZE:],
                                  RECORD_AAD + row[0].encode()) for row in rows]
        except (InvalidTag, ValueError):
            return self._open_keeping_one_by_one(rows, keep)
        return [(rows[n][0], plaintexts[n]) for n in keep(plaintexts)], []

    def _open_keeping_one_by_one(self, rows: list, keep: Callable[[list[bytes]], Iterable[int]]
                                 ) -> tuple[list[tuple[str, bytes]], list[str]]:
        """`open_keeping` for a chunk with a row that does not open."""
        decrypt = self._aead.decrypt
        opened: list[tuple[str, bytes]] = []
        damaged: list[str] = []
        for row in rows:
            record_id, blob = row[0], row[1]
            try:
                opened.append((record_id, decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:],
                                                  RECORD_AAD + record_id.encode())))
            except (InvalidTag, ValueError):
                damaged.append(record_id)
        return [opened[n] for n in keep([plaintext for _id, plaintext in opened])], damaged

    def seal_integrity(self, payload: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, payload, INTEGRITY_AAD)

    def open_integrity(self, blob: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], INTEGRITY_AAD)
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord("integrity") from exc

    def seal_summary(self, payload: bytes) -> bytes:
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, payload, SUMMARY_AAD)

    def open_summary(self, blob: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:], SUMMARY_AAD)
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord("summary") from exc

    def seal_checked(self, journal_id: str, payload: bytes) -> bytes:
        """What the last integrity check remembered (checked.py), for outside the file."""
        nonce = os.urandom(NONCE_SIZE)
        return nonce + self._aead.encrypt(nonce, payload, CHECKED_AAD + journal_id.encode())

    def open_checked(self, journal_id: str, blob: bytes) -> bytes:
        try:
            return self._aead.decrypt(blob[:NONCE_SIZE], blob[NONCE_SIZE:],
                                      CHECKED_AAD + journal_id.encode())
        except (InvalidTag, ValueError) as exc:
            raise DamagedRecord("checked") from exc


def key_fingerprint(data_key: bytes) -> bytes:
    """A one-way fingerprint of a data key: equal for two copies of one journal
    (whatever their passphrases), different for two journals."""
    return _subkey(data_key, b"recoveryjournal same journal v1")


def _subkey(data_key: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_SIZE, salt=None, info=info).derive(
        data_key
    )


# Crockford's base32: no I, L, O or U, so a code read aloud or handwritten survives.
RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECOVERY_GROUPS = 8
RECOVERY_GROUP_SIZE = 4  # 32 symbols x 5 bits = 160 bits of entropy


def new_recovery_code() -> str:
    """A random code like `7KQ2-MZ9D-...`, eight groups of four."""
    symbols = [secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_SIZE)]
    groups = [
        "".join(symbols[i : i + RECOVERY_GROUP_SIZE])
        for i in range(0, len(symbols), RECOVERY_GROUP_SIZE)
    ]
    return "-".join(groups)


def normalise_recovery_code(text: str) -> str:
    """Accept lower case, spaces, missing dashes and the usual look-alikes."""
    cleaned = "".join(ch for ch in text.upper() if ch not in " -\t\r\n")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    if len(cleaned) != RECOVERY_GROUPS * RECOVERY_GROUP_SIZE or any(
        ch not in RECOVERY_ALPHABET for ch in cleaned
    ):
        raise WrongSecret("recovery")
    return "-".join(
        cleaned[i : i + RECOVERY_GROUP_SIZE]
        for i in range(0, len(cleaned), RECOVERY_GROUP_SIZE)
    )

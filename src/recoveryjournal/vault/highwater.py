"""The high-water mark: how far a journal had got when this computer last saw it.

A whole journal file put back to an older copy (a backup, a file synced from
another machine) is a valid journal: nothing inside it can tell. So the app keeps,
outside the journal, the largest write count it has seen for it, and warns (never
blocks) when a journal opens with fewer.

One file per journal in the user's config folder, `seen/<name>`. Both the name and
the content come from the journal's random id, which is sealed inside the journal:
the name is a hash of it and the content is the write count sealed with a key
derived from it (36 bytes, the same size always). Without the journal and its
passphrase the file says nothing, not even which journal it belongs to; its mere
presence and time stamp say that some journal was opened on this computer then.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .private_file import replace_private_file

FOLDER = "seen"


def _folder() -> Path:
    import platformdirs

    return platformdirs.user_config_path("recoveryjournal") / FOLDER


def _name_and_key(journal_id: str) -> tuple[str, bytes]:
    secret = bytes.fromhex(journal_id)
    name = hashlib.sha256(b"recoveryjournal high-water name|" + secret).hexdigest()[:32]
    return name, hashlib.sha256(b"recoveryjournal high-water key|" + secret).digest()


def last_seen(journal_id: str) -> int:
    """The largest write count seen for this journal here (0 when never seen)."""
    name, key = _name_and_key(journal_id)
    try:
        blob = (_folder() / name).read_bytes()
        return int.from_bytes(AESGCM(key).decrypt(blob[:12], blob[12:], name.encode()), "big")
    except (OSError, InvalidTag, ValueError):
        return 0  # never seen, unreadable or edited: nothing to compare with


def remember(journal_id: str, writes: int) -> None:
    """Store `writes` as the mark (0600 file, replaced atomically). Best effort: a
    read-only home must not stop the journal from opening."""
    name, key = _name_and_key(journal_id)
    folder = _folder()
    nonce = os.urandom(12)
    blob = nonce + AESGCM(key).encrypt(nonce, writes.to_bytes(8, "big"), name.encode())
    replace_private_file(folder, name, blob, durable=True)

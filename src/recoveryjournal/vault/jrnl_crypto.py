"""Decrypting journals written by jrnl (https://jrnl.sh), for the importer.

Kept in vault/ because only vault/ imports `cryptography`. Read-only: we never
write jrnl's formats. The formats, as jrnl 4.6 writes and reads them
(jrnl/encryption/Jrnlv3Encryption.py and Jrnlv2Encryption.py):

v3 (what jrnl 4.x writes today):
    b"JRNLv3"                      6 bytes, magic
    header_len                     2 bytes, big-endian unsigned
    header                         header_len bytes: base64 of a JSON object
                                   {"salt": "<urlsafe base64 of 16 random bytes>"}
                                   (early v3 files hold the JSON without base64)
    token                          the rest: a Fernet token
    key = urlsafe_base64(PBKDF2-HMAC-SHA256(password utf-8, salt, 100,000, 32 bytes))

v2 (jrnl 2.x to 4.x before v3): the whole file is one Fernet token (it starts
    with "gAAAAA"); the key is derived as above with jrnl's fixed salt.
"""

from __future__ import annotations

import base64
import binascii
import json
import struct

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

V3_MAGIC = b"JRNLv3"
V2_PREFIX = b"gAAAAA"
PBKDF2_ITERATIONS = 100_000
# jrnl's v2 salt was the same for everyone (GHSA-rhx6-37mm-5q9r); v3 fixed that.
V2_FIXED_SALT = b"\xf2\xd5q\x0e\xc1\x8d.\xde\xdc\x8e6t\x89\x04\xce\xf8"


class JrnlDecryptError(ValueError):
    """The password does not open the file, or the file is damaged."""


class WrongJrnlPassword(JrnlDecryptError):
    pass


def is_encrypted(data: bytes) -> bool:
    """Whether `data` looks like an encrypted jrnl journal (v3 or v2)."""
    return data.startswith(V3_MAGIC) or data.startswith(V2_PREFIX)


def decrypt(data: bytes, password: str) -> str:
    """The plain text of an encrypted jrnl journal."""
    if data.startswith(V3_MAGIC):
        salt, token = _parse_v3(data)
    elif data.startswith(V2_PREFIX):
        salt, token = V2_FIXED_SALT, data.strip()
    else:
        raise JrnlDecryptError("this is not an encrypted jrnl journal")
    try:
        plain = Fernet(_key(password, salt)).decrypt(token)
    except InvalidToken as exc:
        raise WrongJrnlPassword("the password does not open this jrnl journal") from exc
    try:
        return plain.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JrnlDecryptError("the decrypted journal is not UTF-8 text") from exc


def _parse_v3(data: bytes) -> tuple[bytes, bytes]:
    offset = len(V3_MAGIC)
    try:
        (length,) = struct.unpack_from(">H", data, offset)
    except struct.error as exc:
        raise JrnlDecryptError("the jrnl header is cut short") from exc
    offset += 2
    field = data[offset: offset + length]
    if len(field) != length:
        raise JrnlDecryptError("the jrnl header is cut short")
    try:
        try:
            header = json.loads(base64.b64decode(field, validate=True))
        except binascii.Error:
            header = json.loads(field)  # early v3 files: JSON without base64
        salt = base64.urlsafe_b64decode(header["salt"])
    except (ValueError, KeyError, TypeError, binascii.Error, RecursionError) as exc:
        raise JrnlDecryptError("the jrnl header cannot be read") from exc
    return salt, data[offset + length:]


def _key(password: str, salt: bytes) -> bytes:
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt,
                     iterations=PBKDF2_ITERATIONS)
    return base64.urlsafe_b64encode(kdf.derive(password.encode("utf-8")))

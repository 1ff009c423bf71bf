"""Passphrase rules and strength feedback for the first-run screens (pure)."""

from __future__ import annotations

import math

from ..passphrase_rules import is_common, passphrase_problem
from ..i18n import _

__all__ = ["passphrase_problem", "strength", "strength_meter", "recovery_groups_to_check",
           "groups_match"]


def strength_meter(passphrase: str) -> str:
    """What the strength line under a new-passphrase box shows ("" for nothing typed)."""
    if not passphrase:
        return ""
    score, word = strength(passphrase)
    return f"{'▰' * score}{'▱' * (4 - score)}  {word}"


def strength(passphrase: str) -> tuple[int, str]:
    """A rough 0..4 score and a kind word about it.

    An estimate, not a promise: the character pool and length give an upper bound
    on guessing effort, and several words in a row are what we encourage.
    """
    if not passphrase:
        return 0, ""
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() for c in passphrase):
        pool += 33
    distinct = len(set(passphrase))
    # Repeating one character adds little, so count length by distinct symbols too.
    effective_length = min(len(passphrase), distinct * 2)
    bits = effective_length * math.log2(max(pool, 2))
    words = len(passphrase.split())
    if words >= 4:
        bits = max(bits, 60)
    if is_common(passphrase):
        return 0, _("too common: guessed first")
    if passphrase_problem(passphrase):
        return 0, _("too short")
    if bits < 40:
        return 1, _("weak: a few more words would help")
    if bits < 60:
        return 2, _("fair: one or two more words would make it strong")
    if bits < 80:
        return 3, _("good")
    return 4, _("strong")


def recovery_groups_to_check(code: str, seed: int) -> tuple[int, int]:
    """Which two groups (1-based) of the recovery code to ask back, chosen by `seed`."""
    count = len(code.split("-"))
    first = seed % count
    second = (first + 1 + (seed // count) % (count - 1)) % count
    return tuple(sorted((first + 1, second + 1)))  # type: ignore[return-value]


def groups_match(code: str, group_number: int, typed: str) -> bool:
    """Whether `typed` is group `group_number` of `code` (case, spaces and look-alikes forgiven)."""
    wanted = code.split("-")[group_number - 1]
    cleaned = "".join(typed.upper().split()).replace("-", "")
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"}))
    return cleaned == wanted

"""Make untrusted text safe to show: on screen, in a terminal, in an export.

Everything a person typed or imported may hold control characters: an ESC
sequence could recolour or rewrite someone's terminal, a NUL could cut a line.
Newline and tab stay; every other C0 and C1 control character and DEL go, and
so do the bidirectional overrides that can make text read differently than it is.
"""

from __future__ import annotations

import re

# Public: the Markdown writer folds this into its one-pass escape.
UNSAFE_CHARACTERS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def clean(text: str) -> str:
    """`text` without control characters (newline and tab kept); CRLF becomes LF."""
    if not text:
        return ""
    return UNSAFE_CHARACTERS.sub("", text.replace("\r\n", "\n"))


def one_line(text: str, width: int | None = None) -> str:
    """Cleaned, on one line (for lists and titles), cut to `width` with an ellipsis."""
    flat = " ".join(clean(text).split())
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat

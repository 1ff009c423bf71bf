"""Plain text: for e-mail, a notes app or paper, with nothing to render.

`stream` writes a batch of records at a time (see markdown.py); `render` is the
same text in one string."""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Callable, Iterable, Iterator

from ..i18n import _
from ..safetext import clean
from .files import not_encrypted_notice
from .selection import (Document, LocalMinutes, SharedRecord, paused_gc, when_text,
                        without_trailing_newlines)


def render(document: Document) -> str:
    """The whole document as plain text, starting with the not-encrypted line."""
    return "".join(stream(document.title, document.subtitle, [document.records]))


def stream(title: str, subtitle: str, batches: Iterable[list[SharedRecord]]) -> Iterator[str]:
    """The document as plain text, in pieces: the heading, then one piece per batch.
    The cycle collector is paused until the last piece (see paused_gc)."""
    with paused_gc():  # from the first batch on: one full collection cost a fifth
        # clean() drops single characters (CR included, so CRLF becomes LF either way):
        # cleaning piece by piece gives exactly what cleaning the whole text gives.
        for piece in without_trailing_newlines(_pieces(title, subtitle, batches)):
            yield clean(piece)
        yield "\n"


def _pieces(title: str, subtitle: str, batches: Iterable[list[SharedRecord]]) -> Iterator[str]:
    """The lines of the whole document joined by newlines, a batch at a time."""
    batches = (batch for batch in batches if batch)
    first = next(batches, None)  # "Nothing was chosen" must be known before the heading
    head: list[str] = [title, "=" * len(title), "", not_encrypted_notice(), ""]
    if subtitle:
        head += [subtitle, ""]
    if first is None:
        head += [_("Nothing was chosen."), ""]
    yield "\n".join(head)
    if first is None:
        return
    local_minutes = LocalMinutes()  # one export's dates, converted a day at a time
    for batch in chain([first], batches):
        lines: list[str] = []
        for shared in batch:
            _render_record(shared, lines, local_minutes)
        yield "\n" + "\n".join(lines)


def _render_record(shared: SharedRecord, out: list[str],
                   when_text: Callable[[datetime], str] = when_text) -> None:
    heading = shared.heading
    if shared.when is not None:
        heading += f" · {when_text(shared.when)}"
    out += [heading, "-" * len(heading)]
    out += [f"{label}: {value}" for label, value in shared.facts]
    if shared.facts:
        out.append("")
    for label, text in shared.passages:
        if label:
            out.append(f"{label}:")
        out += [text, ""]
    if not shared.facts and not shared.passages:
        out.append("")

"""Markdown, the default way to share: readable as it is, and in any viewer.

Characters that would let text become HTML, a link, an image or a table cell in
someone's Markdown viewer (`< > [ ] |`, and the backslash itself) are
backslash-escaped; everything else reads as typed. An exercise's 2x2 grid is a
Markdown table: its own pipes are written as TABLE_BAR until the text is escaped.

`stream` writes a batch of records at a time, so a ten-year export never holds
the whole document in memory; `render` is the same text in one string.
"""

from __future__ import annotations

import re
from datetime import datetime
from itertools import chain
from typing import Callable, Iterable, Iterator

from ..i18n import _
from ..safetext import UNSAFE_CHARACTERS, clean
from .files import not_encrypted_notice
from .shared_records import (Document, DayCachedWhenText, SharedAnswer, SharedRecord,
                             paused_gc,
                             when_text, without_trailing_newlines)


def escape(text: str) -> str:
    """User text, made inert for Markdown viewers."""
    # str.replace runs in C: several times faster than one regex over 75,000 records.
    return (text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
            .replace("[", "\\[").replace("]", "\\]").replace("|", "\\|"))


def render(document: Document) -> str:
    """The whole document as Markdown, starting with the not-encrypted line."""
    return "".join(stream(document.title, document.subtitle, [document.records]))


def stream(title: str, subtitle: str, batches: Iterable[list[SharedRecord]]) -> Iterator[str]:
    """The document as Markdown, in pieces: the heading, then one piece per batch.
    The cycle collector is paused until the last piece (see paused_gc)."""
    return stream_bodies(title, subtitle, _bodies(batch for batch in batches if batch))


def stream_bodies(title: str, subtitle: str, bodies: Iterable[str]) -> Iterator[str]:
    """The document as Markdown, in pieces, from its records' Markdown not yet
    escaped (`_bodies`, or rows_to_markdown.py), a piece per batch of records,
    each ending in the newline that joins it to the next."""
    with paused_gc():  # from the first batch on: one full collection cost a fifth
        bodies = (body for body in bodies if body)
        first = next(bodies, None)  # "Nothing was chosen" must be known before the heading
        yield document_head(title, subtitle, nothing_chosen=first is None)
        if first is not None:
            for piece in without_trailing_newlines(chain([first], bodies)):
                yield _escape_and_clean(piece)
        yield "\n"


def document_head(title: str, subtitle: str, nothing_chosen: bool) -> str:
    """The document's title, the not-encrypted line and the subtitle, escaped and
    cleaned, up to where the first record starts."""
    head: list[str] = [f"# {escape(title)}", "", f"> {not_encrypted_notice()}", ""]
    if subtitle:
        head += [f"_{escape(subtitle)}_", ""]
    if nothing_chosen:
        head += [_("Nothing was chosen."), ""]
    # clean() drops single characters (CR included, so CRLF becomes LF either way):
    # cleaning piece by piece gives exactly what cleaning the whole text gives.
    return clean("\n".join(head) + "\n")


# A table's own column bar before escaping (a private-use character): escaping
# turns every typed "|" into "\|" and only then each TABLE_BAR into "|".
TABLE_BAR = "\ue000"

# What escape() and clean() change, found in one pass instead of six over the text.
_SPECIAL = re.compile(r"[\\<>\[\]|\ue000]|" + UNSAFE_CHARACTERS.pattern)
_ESCAPED = {"\\": "\\\\", "<": "\\<", ">": "\\>", "[": "\\[", "]": "\\]", "|": "\\|",
            TABLE_BAR: "|"}


def _escape_and_clean(text: str) -> str:
    """clean(escape(text)), twice as fast: escaped characters are never control
    characters, so each character is either escaped, dropped or kept as it is."""
    return _SPECIAL.sub(lambda found: _ESCAPED.get(found[0], ""), text)


def _bodies(batches: Iterable[list[SharedRecord]]) -> Iterator[str]:
    """Each batch of records as Markdown, not yet escaped, ending in the newline
    that joins it to the next."""
    cached_when_text = DayCachedWhenText()  # one export's dates, converted a day at a time
    for batch in batches:
        # The records' part holds none of \ < > [ ] of its own making, so a batch
        # is escaped in one pass (in stream): far faster than each small string.
        # Its pieces are gathered in one list and joined once (no string per record).
        pieces: list[str] = []
        for shared in batch:
            _add_record_pieces(shared, pieces, cached_when_text)
        yield "".join(pieces)


def _record_text(shared: SharedRecord,
                 when_text: Callable[[datetime], str] = when_text) -> str:
    """One record, unescaped, each of its lines ending in a newline."""
    pieces: list[str] = []
    _add_record_pieces(shared, pieces, when_text)
    return "".join(pieces)


def _add_record_pieces(shared: SharedRecord, pieces: list[str],
                       when_text: Callable[[datetime], str] = when_text) -> None:
    """Append the pieces of _record_text's text of `shared` to `pieces`."""
    if shared.when is None:
        pieces += ("## ", shared.heading, "\n\n")
    else:
        pieces += ("## ", shared.heading, " · ", when_text(shared.when), "\n\n")
    if shared.facts:
        for label, value in shared.facts:
            pieces += ("- **", label, ":** ", value, "\n")
        pieces.append("\n")
    for label, passage in shared.passages:
        if label:
            pieces += ("### ", label, "\n\n", passage, "\n\n")
        else:
            pieces += (passage, "\n\n")
    for answer in shared.answers:
        pieces += ("### ", answer.question, "\n\n", answer_text(answer))


def answer_text(answer: SharedAnswer) -> str:
    """One exercise answer, unescaped: paragraphs, a list or a table, then a blank line."""
    text = ""
    if answer.lines:
        text += "\n\n".join(answer.lines) + "\n\n"
    if answer.items:
        text += "".join(f"- {_one_line(item)}\n" for item in answer.items) + "\n"
    if answer.rows:
        bar = TABLE_BAR
        text += f"{bar}   {bar} " + f" {bar} ".join(answer.columns) + f" {bar}\n"
        text += f"{bar}---" * (len(answer.columns) + 1) + f"{bar}\n"
        for name, cells in answer.rows:
            text += (f"{bar} **{name}** {bar} "
                     + f" {bar} ".join(_one_line(cell) for cell in cells) + f" {bar}\n")
        text += "\n"
    return text


def _one_line(text: str) -> str:
    """Several lines of a list item or table cell, on one line."""
    return " / ".join(line.strip() for line in text.splitlines() if line.strip())

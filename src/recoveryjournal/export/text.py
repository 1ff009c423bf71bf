"""Plain text: for e-mail, a notes app or paper, with nothing to render.

`stream` writes a batch of records at a time (see markdown.py); `render` is the
same text in one string."""

from __future__ import annotations

from datetime import datetime
from itertools import chain
from typing import Callable, Iterable, Iterator

import textwrap

from ..i18n import _
from ..safetext import clean
from .files import not_encrypted_notice
from .shared_records import (Document, DayCachedWhenText, SharedAnswer, SharedRecord,
                             paused_gc,
                             when_text, without_trailing_newlines)

WIDTH = 76  # a table fits an 80-column terminal and a printed page


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
    cached_when_text = DayCachedWhenText()  # one export's dates, converted a day at a time
    for batch in chain([first], batches):
        lines: list[str] = []
        for shared in batch:
            _render_record(shared, lines, cached_when_text)
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
    for answer in shared.answers:
        out += textwrap.wrap(answer.question, WIDTH) or [answer.question]
        out += answer_lines(answer)
    if not shared.facts and not shared.passages and not shared.answers:
        out.append("")


def answer_lines(answer: SharedAnswer, width: int = WIDTH) -> list[str]:
    """One exercise answer below its question: paragraphs, a list, or an aligned
    2x2 table; then a blank line."""
    out: list[str] = []
    for line in answer.lines:
        out += [line, ""]
    if answer.items:
        for item in answer.items:
            first, *rest = item.splitlines() or [""]
            out.append(f"  - {first}")
            out += [f"    {more}" for more in rest]
        out.append("")
    if answer.rows:
        out += table_lines(answer.columns, answer.rows, width) + [""]
    return out


def table_lines(columns: list[str], rows: list[tuple[str, list[str]]],
                width: int = WIDTH, blank_lines: int = 0) -> list[str]:
    """A small table as aligned text: row labels on the left, each cell wrapped in
    its column; `blank_lines` adds room to write under each row (blank worksheets)."""
    label_width = max([len(name) for name, _cells in rows] + [1])
    cell_width = max((width - label_width - 3 * len(columns)) // max(len(columns), 1), 10)
    rule = "-" * label_width + ("-+-" + "-" * cell_width) * len(columns)

    def line(label: str, cells: list[str]) -> str:
        return (f"{label:<{label_width}}" + "".join(f" | {c:<{cell_width}}" for c in cells)).rstrip()

    out = [line("", [textwrap.shorten(c, cell_width, placeholder="…") for c in columns]), rule]
    for name, cells in rows:
        wrapped = [[piece for part in (cell.splitlines() or [""])
                    for piece in (textwrap.wrap(part, cell_width) or [""])] for cell in cells]
        height = max(len(w) for w in wrapped) + blank_lines
        for number in range(height):
            out.append(line(name if number == 0 else "",
                            [w[number] if number < len(w) else "" for w in wrapped]))
        out.append(rule)
    return out

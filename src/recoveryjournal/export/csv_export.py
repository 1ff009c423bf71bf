"""CSV for spreadsheets: urges, uses or well-being check-ins, one table per kind.

A cell a spreadsheet could run as a formula (starting with = + - @, or a tab
or carriage return) gets a leading apostrophe, so it shows as text.

The file is plain RFC 4180 CSV: the header row first, UTF-8, CRLF. It carries no
"not encrypted" line (a spreadsheet would show it in A1 and a reader would take
it for the header); the terminal and the app say it instead.

`stream(journal, selection)` writes the table a window of rows at a time;
`render(kind, records)` is the join of the same pieces.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from operator import attrgetter
from typing import Any, Callable, Iterable, Iterator

from ..i18n import _
from ..records import Checkin, LabelList, Record, Urge, Use
from ..safetext import clean
from .shared_records import DayCachedWhenText, when_text

CSV_KINDS = ("urge", "use", "checkin")

_COLUMNS: dict[str, tuple[str, ...]] = {
    "urge": ("when", "addiction", "intensity", "intensity_after", "minutes", "trigger",
             "trigger_note", "place", "people", "feelings", "coping", "outcome"),
    "use": ("when", "addiction", "amount", "unit", "money", "minutes", "note"),
    "checkin": ("when", "item1", "item2", "item3", "item4", "item5", "raw", "percent"),
}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns(kind: str, excluded: frozenset[str] = frozenset()) -> list[str]:
    """The columns a CSV of `kind` has, without the left-out fields."""
    if kind not in _COLUMNS:
        raise ValueError(
            _("CSV is for one of: {kinds}. Please choose one with --kind.").format(
                kinds=", ".join(CSV_KINDS))
        )
    hidden = set(excluded)
    if "items" in hidden:
        hidden.update({"item1", "item2", "item3", "item4", "item5", "raw", "percent"})
    return [c for c in _COLUMNS[kind] if c not in hidden]


def safe_cell(value: Any) -> str:
    """A cell's text: cleaned, and never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = clean(str(value))
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


def render(kind: str, chosen: Iterable[Record], excluded: frozenset[str] = frozenset()) -> str:
    """A CSV table of the chosen records of `kind`, the column names first."""
    return "".join(stream_records(kind, [chosen], excluded))


def stream(journal, selection, window: int | None = None) -> Iterator[str]:
    """The CSV table of what `selection` chooses (one kind: `selection.kinds[0]`),
    in pieces whose join is `render(kind, choose(journal, selection),
    selection.excluded)`: the column names, then a window of rows at a time,
    only that window's records built (json_export.ChosenInWindows)."""
    from .json_export import WINDOW, ChosenInWindows

    kind = selection.kinds[0]
    columns(kind, selection.excluded)  # an unknown kind is said before anything is read
    return stream_records(kind, ChosenInWindows(journal, selection, window or WINDOW),
                          selection.excluded)


def stream_records(kind: str, windows: Iterable[Iterable[Record]],
                   excluded: frozenset[str] = frozenset()) -> Iterator[str]:
    """The CSV table of the records of `kind` in `windows`: the column names,
    then one piece of rows for each window that holds any."""
    names = columns(kind, excluded)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    # Ten years of urges are 50,000 rows: each record's fields are read in one call,
    # its time converted a day at a time, and a cell that repeats (an addiction, a
    # place, a feeling) made safe once (safe_cell gives a text the same cell always;
    # what is remembered is kept from one window to the next).
    when_text_cached = DayCachedWhenText()
    cell = _cell_maker()
    fields: dict[type, Any] = {}
    for window in windows:
        for record in window:
            if record.kind != kind:
                continue
            row = _row(record, when_text_cached, fields)
            writer.writerow([cell(row.get(name)) for name in names])
        if buffer.tell():
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def _cell_maker() -> Callable[[Any], str]:
    """safe_cell, remembering the cells of short texts and of lists of texts."""
    texts: dict[str, str] = {}
    lists: dict[tuple, str] = {}

    def cell(value: Any) -> str:
        kind = value.__class__
        if kind is str:
            made = texts.get(value)
            if made is None:
                made = safe_cell(value)
                if len(value) <= 200 and len(texts) < 20000:
                    texts[value] = made
            return made
        if kind is int:
            return str(value)
        if kind is LabelList or kind is list:
            labels = tuple(value)
            made = lists.get(labels)
            if made is None:
                made = safe_cell(value)
                # Only texts: (1,) == (1.0,) == (True,), and their cells differ.
                if len(lists) < 20000 and all(v.__class__ is str for v in labels):
                    lists[labels] = made
            return made
        return safe_cell(value)

    return cell


def _row(record: Record, when_text: Callable = when_text,
         fields: dict[type, Any] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {"when": when_text(record.when)}
    if isinstance(record, Checkin):
        for number, value in enumerate(record.items, start=1):
            row[f"item{number}"] = value
        row["raw"], row["percent"] = record.raw, record.percent
    elif isinstance(record, Urge | Use):
        # Records have __slots__ (no instance dict): their fields, by name, read
        # by one attrgetter per class.
        read = None if fields is None else fields.get(record.__class__)
        if read is None:
            names = tuple(f.name for f in dataclasses.fields(record))
            read = (names, attrgetter(*names))
            if fields is not None:
                fields[record.__class__] = read
        names, values = read
        row.update(zip(names, values(record)))
        row["when"] = when_text(record.when)
    return row

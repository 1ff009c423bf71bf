"""CSV for spreadsheets: urges, uses or well-being check-ins, one table per kind.

A cell a spreadsheet could run as a formula (starting with = + - @, or a tab
or carriage return) gets a leading apostrophe, so it shows as text.

The file is plain RFC 4180 CSV: the header row first, UTF-8, CRLF. It carries no
"not encrypted" line (a spreadsheet would show it in A1 and a reader would take
it for the header); the terminal and the app say it instead.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from typing import Any, Iterable

from ..i18n import _
from ..records import Checkin, Record, Urge, Use
from ..safetext import clean
from .shared_records import when_text

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
    names = columns(kind, excluded)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for record in chosen:
        if record.kind != kind:
            continue
        row = _row(record)
        writer.writerow([safe_cell(row.get(name)) for name in names])
    return buffer.getvalue()


def _row(record: Record) -> dict[str, Any]:
    row: dict[str, Any] = {"when": when_text(record.when)}
    if isinstance(record, Checkin):
        for number, value in enumerate(record.items, start=1):
            row[f"item{number}"] = value
        row["raw"], row["percent"] = record.raw, record.percent
    elif isinstance(record, Urge | Use):
        # Records have __slots__ (no instance dict): their fields, by name.
        row.update({f.name: getattr(record, f.name) for f in dataclasses.fields(record)})
        row["when"] = when_text(record.when)
    return row

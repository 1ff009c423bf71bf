"""A Markdown export of every record of some kinds, made straight from the rows.

`export --format md` of whole kinds (no dates, tags or picks narrowing it) is the
longest thing the command line does with a big journal: every record decoded into
a record object, described, laid out, escaped and written. Most of that time went
into record objects made only to be described once (issue 18, bench/NOTES.md).
Here the journal hands each batch of rows over as it opens
(`Journal.load_handing_over`), and each record's JSON becomes its Markdown at
once; only that text (and its place in the order) is kept. Once every row is
read, the texts are put in the order `selection.choose` gives and written a batch
at a time, escaped and cleaned as `markdown.stream` does.

Entries and urges (nine records in ten) are described from the JSON itself. Any
other kind, and any entry or urge holding a field of a type this app does not
write, takes the ordinary way (`records.from_json`, `describe`,
`markdown._record_text`), so an odd record reads exactly as before, and one that
cannot be read is reported exactly as before. The result is the same file byte
for byte (tests/test_export_same_output.py).
"""

from __future__ import annotations

from datetime import datetime
from operator import itemgetter
from typing import Any, Callable, Iterator

import orjson

from .. import records
from ..i18n.labels import coping_label, trigger_label
from . import markdown
from .selection import Selection, is_safety_plan
from .shared_records import (BATCH_SIZE, DayCachedWhenText, SharedRecord, _addiction_heading,
                             _hide_numbers, _labels, _may_hold_a_number, _may_hold_numbers,
                             describer)

_fromisoformat = datetime.fromisoformat
# (when, place of its kind in the selection, created, its Markdown not yet escaped)
Row = tuple[datetime, int, datetime, str]


def takes_whole_kinds(selection: Selection) -> bool:
    """Whether `selection` is every record of its kinds (each kind named once):
    what this module exports."""
    return (selection.ids is None and selection.date_from is None
            and selection.date_to is None and not selection.tags
            and len(set(selection.kinds)) == len(selection.kinds)
            and all(kind in records.KINDS for kind in selection.kinds))


class MarkdownRows:
    """The Markdown of each record handed over (`take`), then the export's body in
    order (`bodies`). Made in the language of the export, like `describer`."""

    def __init__(self, kinds: tuple[str, ...], excluded: frozenset[str]):
        self._place = {kind: position for position, kind in enumerate(kinds)}
        self._rows: list[Row] = []
        self._when_text = DayCachedWhenText()
        self._describe = describer(excluded)
        self._skip_safety_plan = "safety_plan" in excluded
        label = _labels()
        finish = _finisher(excluded, self._when_text)
        self._quick: dict[str, Callable[[dict, int], Row | None]] = {}
        if "entry" in self._place:
            self._quick["entry"] = _entry_markdown(label, excluded, finish)
        if "urge" in self._place:
            self._quick["urge"] = _urge_markdown(label, excluded, finish)

    def __len__(self) -> int:
        return len(self._rows)

    def take(self, pairs: list[tuple[str, bytes]], unreadable: Callable[[str, object], None]
             ) -> None:
        """Turn a batch of (id, plaintext) into Markdown (Journal.load_handing_over)."""
        rows, quick, place = self._rows, self._quick, self._place
        loads = orjson.loads
        for record_id, payload in pairs:
            row = None
            try:
                document = loads(payload)
            except orjson.JSONDecodeError:
                document = None
            if document.__class__ is dict:
                write = quick.get(document.get("kind"))  # type: ignore[union-attr]
                if write is not None:
                    row = write(document, place[document["kind"]])  # type: ignore[index]
            if row is None:
                row = self._the_ordinary_way(record_id, payload, unreadable)
                if row is None:
                    continue
            rows.append(row)

    def _the_ordinary_way(self, record_id: str, payload: bytes,
                          unreadable: Callable[[str, object], None]) -> Row | None:
        """A record through the record object, as the export of chosen records
        reads it (None: not exported, or not readable, which is said)."""
        try:
            record = records.from_json(record_id, payload)
        except (ValueError, KeyError, TypeError) as exc:
            unreadable(record_id, exc)
            return None
        place = self._place.get(record.kind)
        if place is None or (self._skip_safety_plan and is_safety_plan(record)):
            return None
        text = markdown._record_text(self._describe(record), self._when_text)
        return (record.when, place, record.created, text)

    def bodies(self, size: int = BATCH_SIZE) -> Iterator[str]:
        """The records' Markdown in the order of `selection.choose` (oldest first;
        at the same moment, by the order of the kinds chosen, then by when each
        was made, then as read), `size` records a piece. Each piece is let go of
        once it is given."""
        rows = self._rows
        # Three stable sorts give the order of (when, place, created): as choose()
        # sorts each kind by created, then by when, then merges the kinds by when.
        rows.sort(key=itemgetter(2))
        rows.sort(key=itemgetter(1))
        rows.sort(key=itemgetter(0))
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            rows[start:start + size] = [None] * len(batch)  # type: ignore[list-item]
            piece = "".join([row[3] for row in batch])
            del batch
            yield piece
        rows.clear()


def stream(title: str, subtitle: str, rows: MarkdownRows) -> Iterator[str]:
    """The export as Markdown in pieces, as `markdown.stream` writes it."""
    return markdown.stream_bodies(title, subtitle, rows.bodies())


# ---- the Markdown of one record from its JSON ------------------------------------------


def _times(document: dict, data: dict) -> tuple[datetime, datetime] | None:
    """(when, created) as records.from_json reads them, or None when it would not
    read them so (missing, not text, or not a time: the ordinary way says what)."""
    when, created, updated = data.get("when"), document.get("created"), document.get("updated")
    if when.__class__ is not str or created.__class__ is not str or updated.__class__ is not str:
        return None
    schema = document.get("schema", 0)
    if schema.__class__ is not int or schema > records.SCHEMA_VERSION:
        return None
    try:
        if updated != created:
            _fromisoformat(updated)  # from_json reads it: a bad one is not quietly passed
        return _fromisoformat(when), _fromisoformat(created)
    except ValueError:
        return None


def _finisher(excluded: frozenset[str], when_text: Callable[[datetime], str]
              ) -> Callable[[str, datetime, list, list], str]:
    """The Markdown of a described record (heading, when, facts, passages), as
    `describe` and `markdown._add_record_pieces` make it, phone numbers taken out
    when they are left out (as shared_records._numbers_checker)."""
    hide_numbers = "phone_numbers" in excluded

    def finish(heading: str, when: datetime, facts: list[tuple[str, str]],
               passages: list[tuple[str, str]]) -> str:
        if hide_numbers:
            texts = [value for _name, value in facts if len(value) > 6]
            texts += [value for _name, value in passages]
            if texts and _may_hold_a_number("\n".join(texts)):
                shared = SharedRecord(heading, when, facts, passages, [])
                if _may_hold_numbers(shared):
                    _hide_numbers(shared)
                facts, passages = shared.facts, shared.passages
        pieces = ["## ", heading, " · ", when_text(when), "\n\n"]
        if facts:
            for label, value in facts:
                pieces += ("- **", label, ":** ", value, "\n")
            pieces.append("\n")
        for label, passage in passages:
            if label:
                pieces += ("### ", label, "\n\n", passage, "\n\n")
            else:
                pieces += (passage, "\n\n")
        return "".join(pieces)

    return finish


def _all_text(values: Any) -> bool:
    """A list of texts, as the app writes feelings, coping tools and tags."""
    if values.__class__ is not list:
        return False
    for value in values:
        if value.__class__ is not str:
            return False
    return True


def _entry_markdown(label: dict[str, str], excluded: frozenset[str],
                    finish: Callable[[str, datetime, list, list], str]
                    ) -> Callable[[dict, int], Row | None]:
    """An entry's row from its JSON, as shared_records._entry_describer describes
    it; None for fields of other types than the app writes."""
    heading = label["entry"]
    mood_label = None if "mood" in excluded else label["mood"]
    tags_label = None if "tags" in excluded else label["tags"]
    text_label = None if "text" in excluded else label["text"]

    def row(document: dict, place: int) -> Row | None:
        data = document.get("data")
        if data.__class__ is not dict:
            return None
        times = _times(document, data)
        if times is None:
            return None
        text, mood, tags = data.get("text", ""), data.get("mood"), data.get("tags", [])
        if (text.__class__ is not str or not _all_text(tags)
                or (mood is not None and mood.__class__ is not int)):
            return None
        facts: list[tuple[str, str]] = []
        if mood_label is not None and mood:
            facts.append((mood_label, f"{mood}/5"))
        if tags_label is not None and tags:
            facts.append((tags_label, ", ".join(tags)))
        passages: list[tuple[str, str]] = []
        if text_label is not None and text and text.strip():
            passages.append((text_label, text.strip("\n")))
        return (times[0], place, times[1], finish(heading, times[0], facts, passages))

    return row


# An urge's fields of text as the app writes them (`thought` is not shared, but
# from_json reads it, and one of another type is not read the quick way).
_URGE_TEXTS = ("addiction", "trigger", "trigger_note", "place", "people", "thought", "outcome")


def _urge_markdown(label: dict[str, str], excluded: frozenset[str],
                   finish: Callable[[str, datetime, list, list], str]
                   ) -> Callable[[dict, int], Row | None]:
    """An urge's row from its JSON, as shared_records._urge_describer describes
    it; None for fields of other types than the app writes."""
    plain_heading = label["urge"]
    headings: dict[str, str] = {}  # addiction → "Urge · alcohol"
    with_addiction = "addiction" not in excluded

    def shown(name: str) -> str | None:
        return None if name in excluded else label[name]

    intensity_label, after_label = shown("intensity"), shown("intensity_after")
    minutes_label, trigger_label_, place_label = shown("minutes"), shown("trigger"), shown("place")
    people_label, feelings_label = shown("people"), shown("feelings")
    coping_label_, outcome_label = shown("coping"), shown("outcome")
    note_label = shown("trigger_note")
    resisted, acted = label["resisted"], label["acted"]
    triggers: dict[str, str] = {}  # trigger → its label, in this export's language
    tools: dict[str, str] = {}  # coping tool → its label
    ints = (int, type(None))

    def row(document: dict, place: int) -> Row | None:
        data = document.get("data")
        if data.__class__ is not dict:
            return None
        times = _times(document, data)
        if times is None:
            return None
        get = data.get
        for name in _URGE_TEXTS:
            value = get(name, "")
            if value.__class__ is not str:
                return None
        intensity, after, minutes = get("intensity", 0), get("intensity_after"), get("minutes")
        feelings, coping = get("feelings", []), get("coping", [])
        if (intensity.__class__ is not int or after.__class__ not in ints
                or minutes.__class__ not in ints or not _all_text(feelings)
                or not _all_text(coping)):
            return None
        addiction = get("addiction", "")
        heading = plain_heading
        if with_addiction and addiction:
            heading = headings.get(addiction)  # type: ignore[assignment]
            if heading is None:
                heading = headings[addiction] = _addiction_heading(label, "urge-of", addiction)
        facts: list[tuple[str, str]] = []
        if intensity_label is not None:
            facts.append((intensity_label, f"{intensity}/10"))
        if after_label is not None and after is not None:
            facts.append((after_label, f"{after}/10"))
        if minutes_label is not None and minutes is not None:
            facts.append((minutes_label, str(minutes)))
        trigger = get("trigger", "")
        if trigger_label_ is not None and trigger:
            shown_trigger = triggers.get(trigger)
            if shown_trigger is None:
                shown_trigger = trigger_label(trigger)
                if len(triggers) < 10000:  # a trigger is a word or two, but any number may exist
                    triggers[trigger] = shown_trigger
            if shown_trigger:
                facts.append((trigger_label_, shown_trigger))
        if place_label is not None:
            value = get("place", "")
            if value:
                facts.append((place_label, value))
        if people_label is not None:
            value = get("people", "")
            if value:
                facts.append((people_label, value))
        if feelings_label is not None and feelings:
            facts.append((feelings_label, ", ".join(feelings)))
        if coping_label_ is not None and coping:
            shown_tools = []
            for tool in coping:
                tool_label = tools.get(tool)
                if tool_label is None:
                    tool_label = coping_label(tool)
                    if len(tools) < 10000:
                        tools[tool] = tool_label
                shown_tools.append(tool_label)
            facts.append((coping_label_, ", ".join(shown_tools)))
        if outcome_label is not None:
            facts.append((outcome_label, resisted if get("outcome", "resisted") == "resisted"
                           else acted))
        passages: list[tuple[str, str]] = []
        note = get("trigger_note", "")
        if note_label is not None and note and note.strip():
            passages.append((note_label, note.strip("\n")))
        return (times[0], place, times[1], finish(heading, times[0], facts, passages))

    return row

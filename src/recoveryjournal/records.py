"""Every kind of record the journal keeps, and how each becomes JSON and back.

A record is sealed as one JSON document (docs/FORMAT.md):
    {"kind": "urge", "schema": 1, "created": "...", "updated": "...", "data": {...}}
`data` holds the dataclass fields. Times are ISO 8601 with their UTC offset, so
a record written in Oslo and read in Stockholm still means the same moment.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Callable, ClassVar, get_type_hints

import orjson

from .i18n import _, pgettext

SCHEMA_VERSION = 1

# The built-in addictions offered at first run; users may add their own names.
BUILTIN_ADDICTIONS = (
    "alcohol",
    "cannabis",
    "stimulants",
    "opioids",
    "medication",
    "gambling",
    "gaming",
    "nicotine",
    "food",
)

URGE_OUTCOMES = ("resisted", "acted")
GOAL_KINDS = ("abstinence", "limit-per-day", "limit-per-week")


class InvalidRecord(ValueError):
    """A value a person typed that the record cannot hold; the message says which."""


def now() -> datetime:
    """The local time, aware of its offset."""
    return datetime.now().astimezone()


def new_id() -> str:
    """Random ids: they reveal neither order nor time. A version 4 UUID as 32 hex
    digits, made here because `import uuid` costs every command a few ms."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    return raw.hex()


SETTINGS_ID = "settings"  # the one record whose id is not random (docs/FORMAT.md)
_HEX = frozenset("0123456789abcdef")


def check_id(record_id: object, kind: str) -> None:
    """Refuse an id outside the forms docs/FORMAT.md defines: 32 lower-case hex
    digits, or `settings` for the settings record (and only for it)."""
    if kind == "settings":
        if record_id == SETTINGS_ID:
            return
    elif isinstance(record_id, str) and len(record_id) == 32 and set(record_id) <= _HEX:
        return
    shown = repr(record_id)[:50]
    raise InvalidRecord(_("The record id {id} is not valid: ids are 32 lower-case hex "
                          "digits (the settings record's is \"settings\").").format(id=shown))


@dataclass(kw_only=True, slots=True)
class Record:
    """Fields every record has. `when` is the moment the record is about."""

    kind: ClassVar[str] = ""
    id: str = field(default_factory=new_id)
    created: datetime = field(default_factory=now)
    updated: datetime = field(default_factory=now)
    when: datetime = field(default_factory=now)

    def validate(self) -> None:
        """Raise InvalidRecord when a field is out of range."""


@dataclass(kw_only=True, slots=True)
class Entry(Record):
    """A free-written journal entry."""

    kind: ClassVar[str] = "entry"
    text: str = ""
    mood: int | None = None  # 1 (very low) .. 5 (very good)
    tags: list[str] = field(default_factory=list)

    def validate(self) -> None:
        if self.mood is not None:
            _check_range("mood", self.mood, 1, 5)
        if not self.text.strip():
            raise InvalidRecord(_("An entry needs some text."))

    @property
    def title(self) -> str:
        """The first line, for lists."""
        text = self.text  # one read when the text waits on disk
        return text.strip().splitlines()[0] if text.strip() else ""


class TextOnDisk:
    """Stands in an entry's `text` while the text waits on disk: the app's worker
    lets go of the decoded texts once the word index can answer searches
    (`Journal.leave_entry_texts_on_disk`), the biggest part of a decoded journal
    (116 MB of 200,000 entries at ten times the benchmark journal). Reading
    `entry.text` then reads and opens that one row (`read(entry_id)`); one stand-in
    serves every entry of a journal, so letting go costs no memory per entry."""

    __slots__ = ("read",)

    def __init__(self, read: Callable[[str], str]):
        self.read = read


# The slot the dataclass made for Entry.text, wrapped in a property so that a
# TextOnDisk in it reads the text back. Setting `text` (the dataclass __init__,
# dataclasses.replace, an editor) stores the string as before.
_ENTRY_TEXT = Entry.__dict__["text"]


def _entry_text(entry: Entry) -> str:
    held = _ENTRY_TEXT.__get__(entry, Entry)
    if held.__class__ is TextOnDisk:
        return held.read(entry.id)
    return held


def _set_entry_text(entry: Entry, text: str) -> None:
    _ENTRY_TEXT.__set__(entry, text)


Entry.text = property(_entry_text, _set_entry_text,  # type: ignore[assignment,method-assign]
                      doc="What the person wrote (read from disk when it waits there).")


def held_text(entry: Entry) -> str | TextOnDisk:
    """What an entry's text slot holds: its text, or the stand-in of a text that
    waits on disk (without reading it back)."""
    return _ENTRY_TEXT.__get__(entry, Entry)


def set_held_text(entry: Entry, held: str | TextOnDisk) -> None:
    """Fill an entry's text slot with a text or a stand-in (record_columns.py)."""
    _ENTRY_TEXT.__set__(entry, held)


def leave_text_on_disk(entry: Entry, stand_in: TextOnDisk) -> None:
    """Let go of the text this entry holds: `entry.text` reads it back when asked.
    Only for an entry that is as saved (the journal's own copies)."""
    _ENTRY_TEXT.__set__(entry, stand_in)


def text_waits_on_disk(entry: Entry) -> bool:
    """True when the entry holds no text of its own (see TextOnDisk)."""
    return _ENTRY_TEXT.__get__(entry, Entry).__class__ is TextOnDisk


def hold_text(entry: Entry, text: str) -> None:
    """Give an entry whose text waits on disk its text again (read in bulk)."""
    _ENTRY_TEXT.__set__(entry, text)


@dataclass(kw_only=True, slots=True)
class Urge(Record):
    """A craving: how strong, what set it off, what helped, how it ended."""

    kind: ClassVar[str] = "urge"
    addiction: str = ""
    intensity: int = 0  # 0..10 when it was logged
    intensity_after: int | None = None  # 0..10 after coping, if re-rated
    minutes: int | None = None  # how long it lasted
    trigger: str = ""  # a category, e.g. "stress", "people", "place"
    trigger_note: str = ""
    place: str = ""
    people: str = ""
    feelings: list[str] = field(default_factory=list)
    thought: str = ""  # what the urge said, e.g. "just one won't hurt"
    coping: list[str] = field(default_factory=list)
    outcome: str = "resisted"  # "resisted" or "acted"

    def validate(self) -> None:
        _check_addiction(self.addiction)
        _check_range("intensity", self.intensity, 0, 10)
        if self.intensity_after is not None:
            _check_range("intensity after", self.intensity_after, 0, 10)
        if self.minutes is not None:
            _check_range("minutes", self.minutes, 0, 24 * 60)
        if self.outcome not in URGE_OUTCOMES:
            raise InvalidRecord(f"The outcome must be one of: {', '.join(URGE_OUTCOMES)}.")
        _check_not_future(self.when)


@dataclass(kw_only=True, slots=True)
class Use(Record):
    """A use or lapse, logged as information about what happened."""

    kind: ClassVar[str] = "use"
    addiction: str = ""
    amount: float | None = None
    unit: str = ""  # in the addiction's own unit: drinks, grams, kronor, hours
    money: float | None = None
    minutes: int | None = None
    note: str = ""

    def validate(self) -> None:
        _check_addiction(self.addiction)
        for name in ("amount", "money"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int | float) and 0 <= value < 1e12):
                raise InvalidRecord(_sentence(_("The {what} must be a number, zero or more.")
                                              .format(what=_field(name))))
        if self.minutes is not None:
            _check_range("minutes", self.minutes, 0, 7 * 24 * 60)
        _check_not_future(self.when)


@dataclass(kw_only=True, slots=True)
class Checkin(Record):
    """A WHO-5 well-being check-in: five items, each 0..5."""

    kind: ClassVar[str] = "checkin"
    items: list[int] = field(default_factory=lambda: [0, 0, 0, 0, 0])

    def validate(self) -> None:
        if len(self.items) != 5:
            raise InvalidRecord(_("The well-being check-in has exactly five answers."))
        for number, value in enumerate(self.items, start=1):
            _check_range(f"answer {number}", value, 0, 5)
        _check_not_future(self.when)

    @property
    def raw(self) -> int:
        return sum(self.items)

    @property
    def percent(self) -> int:
        return self.raw * 4


@dataclass(kw_only=True, slots=True)
class Mood(Record):
    """A one-key daily mood, 1 (very low) .. 5 (very good)."""

    kind: ClassVar[str] = "mood"
    mood: int = 3

    def validate(self) -> None:
        _check_range("mood", self.mood, 1, 5)


@dataclass(kw_only=True, slots=True)
class Meeting(Record):
    """A support-group meeting attended."""

    kind: ClassVar[str] = "meeting"
    group: str = ""
    note: str = ""

    def validate(self) -> None:
        _check_not_future(self.when)


@dataclass(kw_only=True, slots=True)
class ExerciseResponse(Record):
    """Answers to one exercise, linked to the exercise id and version."""

    kind: ClassVar[str] = "exercise"
    exercise_id: str = ""
    exercise_version: int = 1
    answers: dict[str, Any] = field(default_factory=dict)
    finished: bool = False

    def validate(self) -> None:
        if not self.exercise_id:
            raise InvalidRecord(_("An exercise response needs the exercise it answers."))


@dataclass(kw_only=True, slots=True)
class Draft(Record):
    """Unsaved work, kept sealed as it is typed: `purpose` says what it belongs to,
    e.g. "entry:new", "entry:<id>" or "exercise:<exercise id>"."""

    kind: ClassVar[str] = "draft"
    purpose: str = ""
    content: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Addiction:
    """One tracked addiction and the person's goal for it."""

    name: str
    goal: str = "abstinence"
    limit: float | None = None  # for limit goals, in `unit`
    unit: str = ""
    cost_per_use: float | None = None
    tracked_since: date | None = None

    def validate(self) -> None:
        _check_addiction(self.name)
        for name in ("limit", "cost_per_use"):
            value = getattr(self, name)
            if value is not None and not (isinstance(value, int | float) and 0 <= value < 1e12):
                raise InvalidRecord(_sentence(_("The {what} must be a number, zero or more.")
                                              .format(what=_field(name.replace("_", " ")))))
        if self.goal not in GOAL_KINDS:
            raise InvalidRecord(f"The goal must be one of: {', '.join(GOAL_KINDS)}.")


@dataclass(kw_only=True, slots=True)
class Settings(Record):
    """The person's settings, sealed like everything else. One per journal."""

    kind: ClassVar[str] = "settings"
    idle_minutes: int = 5
    addictions: list[Addiction] = field(default_factory=list)
    theme: str = "textual-dark"
    language: str = ""  # "" follows LANG
    onboarded: bool = False
    country: str = ""  # for the help lines on the safety plan; "" follows the language
    # Sharing: what the person leaves out of every share (export/choices.py group
    # names; never one of the private groups, which are left out unless ticked for
    # one share), and whether they were told once what a share leaves out.
    share_left_out: list[str] = field(default_factory=list)
    share_told: bool = False
    # The milestone last noticed for each addiction's current run of use-free days
    # (or days within the limit): "YYYY-MM-DD:N", the run's first day and N days.
    milestones: dict[str, str] = field(default_factory=dict)
    # A group course that runs for a set number of weeks (Progress shows "week 7 of 16").
    course_start: date | None = None
    course_weeks: int = 16

    def validate(self) -> None:
        _check_range("idle minutes", self.idle_minutes, 1, 240)
        _check_range("course weeks", self.course_weeks, 1, 104)
        for addiction in self.addictions:
            addiction.validate()

    def addiction(self, name: str) -> Addiction | None:
        wanted = normalise_addiction(name)
        return next((a for a in self.addictions if a.name == wanted), None)


KINDS: dict[str, type[Record]] = {
    cls.kind: cls
    for cls in (Entry, Urge, Use, Checkin, Mood, Meeting, ExerciseResponse, Draft, Settings)
}

# The code of each kind in a row's masked kind hint (docs/FORMAT.md, "Kind hints").
# Fixed for good: a code is never reused for another kind.
KIND_CODES: dict[str, int] = {
    "settings": 1, "entry": 2, "urge": 3, "use": 4, "checkin": 5,
    "mood": 6, "meeting": 7, "exercise": 8, "draft": 9,
}


# ---- validation helpers --------------------------------------------------------


def normalise_addiction(name: str) -> str:
    """Addiction names are compared lower-case with single spaces."""
    return " ".join(name.strip().lower().split())


def _check_addiction(name: str) -> None:
    if not normalise_addiction(name):
        raise InvalidRecord(_("Please name the addiction, for example: alcohol."))
    if len(name) > 60:
        raise InvalidRecord(_("An addiction name can be at most 60 characters."))


def _field(name: str) -> str:
    """A field's name inside a sentence, in the current language."""
    if name.startswith("answer "):
        return pgettext("field", "answer {n}").format(n=name.removeprefix("answer "))
    names = {
        "mood": pgettext("field", "mood"),
        "intensity": pgettext("field", "intensity"),
        "intensity after": pgettext("field", "intensity after"),
        "minutes": pgettext("field", "minutes"),
        "idle minutes": pgettext("field", "idle minutes"),
        "amount": pgettext("field", "amount"),
        "money": pgettext("field", "money"),
        "limit": pgettext("field", "limit"),
        "cost per use": pgettext("field", "cost per use"),
        "course weeks": pgettext("field", "weeks of the course"),
    }
    return names.get(name, name)


def _sentence(text: str) -> str:
    """Translations may start with the field's name: a sentence starts with a capital."""
    return text[:1].upper() + text[1:]


def _check_range(name: str, value, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise InvalidRecord(_sentence(_("The {what} must be a whole number from {low} to {high}.")
                                      .format(what=_field(name), low=low, high=high)))


def _check_not_future(when: datetime) -> None:
    if when > now() + _FUTURE_SLACK:
        raise InvalidRecord(_("That time is in the future; please give a time that has passed."))


# Clocks drift; a record a few minutes "ahead" is a clock, not a mistake.
_FUTURE_SLACK = timedelta(minutes=5)


# ---- (de)serialisation ---------------------------------------------------------


def to_json(record: Record) -> bytes:
    """The sealed form of a record."""
    document = {
        "kind": record.kind,
        "schema": SCHEMA_VERSION,
        "created": record.created.isoformat(),
        "updated": record.updated.isoformat(),
        "data": {
            f.name: _encode(getattr(record, f.name))
            for f in dataclasses.fields(record)
            if f.name not in ("id", "created", "updated")
        },
    }
    try:
        # allow_nan=False: JSON has no Infinity or NaN; a reader would choke on them.
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        # A lone surrogate: half of an emoji, usually from a broken paste.
        raise InvalidRecord(_(
            "The text holds a broken character (often half of an emoji from a paste) "
            "that cannot be saved; please retype that part."
        )) from exc
    except ValueError as exc:
        raise InvalidRecord(_("A number is not a real number (infinite or not a number).")) from exc


def from_json(record_id: str, payload: bytes | str) -> Record:
    """Rebuild a record; raises InvalidRecord for a kind or schema this version cannot read."""
    document = _json_loads(payload)
    if not isinstance(document, dict):
        raise InvalidRecord("a record is not a JSON object")
    cls = KINDS.get(document.get("kind"))
    if cls is None:
        raise InvalidRecord(f"unknown record kind {document.get('kind')!r}")
    if document.get("schema", 0) > SCHEMA_VERSION:
        raise InvalidRecord(f"record schema {document['schema']} is newer than this app")
    values = document.get("data", {})
    converters, known = _decoders(cls)
    if not values.keys() <= known:  # written by a newer version: keep what we know
        values = {k: v for k, v in values.items() if k in known}
    for name in _SHARED_TEXT.get(cls, ()):
        raw = values.get(name)
        if raw.__class__ is str:
            values[name] = _intern(raw)
        elif raw.__class__ is list:
            values[name] = _shared_list(raw)
    for name, convert in converters:
        raw = values.get(name)
        if raw is not None:
            values[name] = convert(raw)
    values["id"] = record_id
    created = values["created"] = _datetime(document["created"])
    # Most records were never edited: one shared (immutable) datetime for both.
    values["updated"] = created if document["updated"] == document["created"] else _datetime(
        document["updated"])
    if len(values) != len(known) + 3:
        # A field left out (written by an older version, or by hand): its default,
        # as the dataclass __init__ would give it, so the fast path below still
        # serves (the benchmark journal's urges have no `thought`).
        for name, default, factory in _defaults(cls):
            if name not in values:
                values[name] = default if factory is None else factory()
    if len(values) == len(known) + 3:
        # Every field is present (as this version writes them): fill the instance
        # directly. The dataclass __init__ would do the same, a few times slower,
        # and unlock decodes every record of a ten-year journal.
        return _filler(cls)(values)
    return cls(**values)


_DEFAULTS: dict[type, list[tuple[str, Any, Any]]] = {}


def _defaults(cls: type) -> list[tuple[str, Any, Any]]:
    """(name, default, default factory or None) of each data field of `cls` that
    has a default; once per class."""
    found = _DEFAULTS.get(cls)
    if found is None:
        found = _DEFAULTS[cls] = [
            (f.name, f.default, None if f.default_factory is dataclasses.MISSING
             else f.default_factory)
            for f in dataclasses.fields(cls)
            if f.name not in ("id", "created", "updated")
            and (f.default is not dataclasses.MISSING
                 or f.default_factory is not dataclasses.MISSING)]
    return found


def _datetime(text: str) -> datetime:
    """datetime.fromisoformat, with one shared tzinfo object per UTC offset: parsing
    makes a new one for each time (UTC aside), and a journal kept in one or two
    time zones holds hundreds of thousands of times."""
    moment = datetime.fromisoformat(text)
    zone = moment.tzinfo
    if zone is None or zone is timezone.utc:
        return moment
    shared = _ZONES.get(zone)
    if shared is None:
        if len(_ZONES) < 512:  # a hand-edited file could hold any number of offsets
            _ZONES[zone] = zone
        return moment
    return moment if shared is zone else moment.replace(tzinfo=shared)


_ZONES: dict[Any, Any] = {}
_FILLERS: dict[type, Any] = {}


def _filler(cls: type) -> Any:
    """A function that builds a `cls` from a dict holding every one of its fields,
    without the dataclass __init__ (records have __slots__: no instance dict to
    fill). Generated once per class: a loop of setattr() calls would cost more
    than the __init__ it replaces."""
    fill = _FILLERS.get(cls)
    if fill is None:
        names = [f.name for f in dataclasses.fields(cls)]
        source = "def fill(values):\n    record = new(cls)\n" + "".join(
            f"    record.{name} = values[{name!r}]\n" for name in names) + "    return record\n"
        scope: dict[str, Any] = {"new": object.__new__, "cls": cls}
        exec(source, scope)  # noqa: S102 - field names of our own classes, not input
        fill = _FILLERS[cls] = scope["fill"]
    return fill


def _json_loads(payload: bytes | str) -> Any:
    # orjson parses three times faster than json, which is most of unlock's cost.
    try:
        return orjson.loads(payload)
    except orjson.JSONDecodeError as exc:
        raise InvalidRecord(f"a record is not valid JSON ({exc})") from exc


def to_dict(record: Record) -> dict[str, Any]:
    """A plain dict (JSON-ready) with id and kind, for exports."""
    document = json.loads(to_json(record))
    return {"id": record.id, "kind": record.kind, "created": document["created"],
            "updated": document["updated"], **document["data"]}


def from_dict(document: dict[str, Any]) -> Record:
    """The inverse of `to_dict`, for importing a JSON export."""
    check_id(document["id"], document["kind"])
    data = {k: v for k, v in document.items() if k not in ("id", "kind", "created", "updated")}
    payload = json.dumps({
        "kind": document["kind"], "schema": SCHEMA_VERSION,
        "created": document["created"], "updated": document["updated"], "data": data,
    }).encode()
    return from_json(document["id"], payload)


# Short labels repeated across thousands of records (addiction, trigger, place,
# feelings...). JSON parsing makes a new string for each; sharing one copy keeps a
# ten-year journal's decoded urges about a quarter smaller in memory. An urge's
# note and thought are free text, but people write the same few again and again.
_SHARED_TEXT: dict[type, tuple[str, ...]] = {
    Entry: ("tags",),
    Urge: ("addiction", "trigger", "trigger_note", "place", "people", "feelings", "coping",
           "thought", "outcome"),
    Use: ("addiction", "unit"),
    Meeting: ("group",),
    ExerciseResponse: ("exercise_id",),
}
_intern = sys.intern


class LabelList(list):
    """A list of labels read from the journal (an urge's feelings, an entry's tags),
    one object shared by every record that holds the same labels: tens of thousands
    of urges name the same few feelings, and a list of its own cost each urge about
    a third of its memory (bench/NOTES.md). Being shared, it cannot
    be changed in place: a change raises TypeError (give the record a new list);
    a copy (`list(x)`, `copy.copy`) is an ordinary list."""

    __slots__ = ()

    def _refuse(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("a record's label list is shared with other records: "
                        "assign a new list instead of changing it")

    append = extend = insert = remove = pop = clear = sort = reverse = _refuse
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo: dict) -> list:
        return list(self)

    def __reduce__(self) -> Any:
        return (list, (list(self),))


# The shared lists by their labels. They are what people wrote (feelings, coping
# tools, tags): `forget_shared_labels()` drops the table when a journal locks.
_LABEL_LISTS: dict[tuple, LabelList] = {}
_LABEL_LISTS_MAX = 65_536  # a hand-edited journal could hold any number of them


def forget_shared_labels() -> None:
    """Let go of the table of shared label lists (Journal.lock): records still
    holding one keep it; the next decode starts a new table."""
    _LABEL_LISTS.clear()


def _shared_list(raw: list) -> list:
    """The one LabelList holding these labels (interned), or a list of its own
    when a label is not text or the table is full."""
    key = tuple(raw)
    shared = _LABEL_LISTS.get(key)
    if shared is not None:
        return shared
    if not all(v.__class__ is str for v in raw) or len(_LABEL_LISTS) >= _LABEL_LISTS_MAX:
        return [_intern(v) if v.__class__ is str else v for v in raw]
    shared = _LABEL_LISTS[key] = LabelList(_intern(v) for v in raw)
    return shared


def shared_labels(raw: list) -> list:
    """The one shared LabelList holding these labels, as decoding gives them (a
    list of its own when it cannot be shared: see `_shared_list`)."""
    return _shared_list(raw)

_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def field_types(cls: type) -> dict[str, Any]:
    """A record class's data fields and their types, in order (`kind` left out)."""
    found = _FIELD_TYPES.get(cls)
    if found is None:
        hints = get_type_hints(cls)
        found = _FIELD_TYPES[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return found


_DECODERS: dict[type, tuple[list[tuple[str, Any]], set[str]]] = {}


def _decoders(cls: type) -> tuple[list[tuple[str, Any]], set[str]]:
    """For a class: the fields that need converting from JSON (with the converter),
    and the names of all its data fields. Built once per class: unlocking a ten-year
    journal decodes tens of thousands of records."""
    if cls not in _DECODERS:
        converters, known = [], set()
        for name, hint in get_type_hints(cls).items():
            if name in ("kind", "id", "created", "updated"):
                continue
            known.add(name)
            if hint in (datetime, datetime | None):
                converters.append((name, _datetime))
            elif hint in (date, date | None):
                converters.append((name, date.fromisoformat))
            elif hint == list[Addiction]:
                converters.append((name, _decode_addictions))
        _DECODERS[cls] = (converters, known)
    return _DECODERS[cls]


def _decode_addictions(raw: list[dict[str, Any]]) -> list[Addiction]:
    converters, known = _decoders(Addiction)
    result = []
    for item in raw:
        values = {k: v for k, v in item.items() if k in known}
        for name, decode in converters:
            if values.get(name) is not None:
                values[name] = decode(values[name])
        result.append(Addiction(**values))
    return result


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Addiction):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value

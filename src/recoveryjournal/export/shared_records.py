"""How each chosen record reads once shared: a `SharedRecord` (labelled facts,
passages and exercise answers) that every text writer lays out, with the
left-out fields already gone, so a writer cannot leak them by mistake.

`describe()` turns one record into a `SharedRecord`; `build_document()` and
`described_in_batches()` do it for a whole export. Which records are chosen is
`selection.py`; nothing here writes a file.
"""

from __future__ import annotations

import contextlib
import gc
from dataclasses import dataclass, field
from datetime import date, datetime, timezone, tzinfo
from typing import Any, Callable, Iterable, Iterator

from .. import records
from ..i18n import _, current_language
from ..i18n.labels import addiction_label, coping_label, trigger_label, unit_label
from ..records import (
    Checkin,
    Entry,
    ExerciseResponse,
    LabelList,
    Meeting,
    Mood,
    Record,
    Urge,
    Use,
)
from ..safetext import clean
from .privacy import hide_phone_numbers
from .selection import is_safety_plan, kind_label


@dataclass
class SharedAnswer:
    """One exercise step as shared: its question, then its answer as paragraphs
    (`lines`), a list (`items`) or a 2x2 table (`columns` across the top, each row
    a label and its cells). `marked`: it may carry a name or a number."""

    question: str
    lines: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    marked: bool = False


@dataclass
class SharedRecord:
    """One record as it will be shared, left-out fields gone (writers clean the text).

    `facts` are short labelled values (one line each); `passages` are labelled
    longer texts (an entry's text has the empty label)."""

    heading: str
    when: datetime | None
    facts: list[tuple[str, str]] = field(default_factory=list)
    passages: list[tuple[str, str]] = field(default_factory=list)
    answers: list[SharedAnswer] = field(default_factory=list)
    # Labels of shared fields that carry a name or a number (the preview marks them),
    # and how many phone-like numbers were taken out of the text.
    marked: list[str] = field(default_factory=list)
    hidden_numbers: int = 0


@dataclass
class Document:
    """A whole export: a title, a line under it, and the shared records."""

    title: str
    subtitle: str = ""
    records: list[SharedRecord] = field(default_factory=list)


def when_text(when: datetime) -> str:
    """Dates as 2024-03-01 10:00: read the same in every country of the group."""
    # isoformat runs in C and pads the same way: "2024-03-01 10:00" is its first 16.
    return when.astimezone().isoformat(" ", "minutes")[:16]


_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_EPOCH_ORDINAL = _EPOCH.toordinal()
_DAY = 86400


class DayCachedWhenText:
    """`when_text` for the many records of one export, a third faster: the local
    UTC offset is looked up once per day instead of once per record (converting
    dates was a fifth of a ten-year export's time). A day whose offset changes
    (a clock change) is left to `when_text`, record by record."""

    def __init__(self) -> None:
        self._offsets: dict[int, int | None] = {}  # UTC day → seconds east of UTC
        self._days: dict[int, str] = {}  # local day → "2024-03-01 "
        # Per fixed UTC offset (as records are read): its own calendar day → that
        # day's "2024-03-01 " when the local offset is the same all through it
        # (a journal written where it is read), else None.
        self._own_days: dict[tzinfo, dict[int, str | None]] = {}

    def __call__(self, when: datetime) -> str:
        zone = when.tzinfo
        if zone is None:
            return when_text(when)  # naive times are local already: the slow path is right
        if zone.__class__ is timezone:
            # The quick way: the time's own date and clock, when they are local.
            days = self._own_days.get(zone)
            if days is None and len(self._own_days) < 512:  # any number may be in a file
                days = self._own_days[zone] = {}
            if days is not None:
                ordinal = when.toordinal()
                prefix = days.get(ordinal, False)
                if prefix is False:
                    prefix = days[ordinal] = _local_all_day(when)
                if prefix is not None:
                    return prefix + _CLOCK[when.hour * 60 + when.minute]
        elapsed = when - _EPOCH
        offset = self._offsets.get(elapsed.days, False)
        if offset is False:
            offset = self._offsets[elapsed.days] = _steady_offset(elapsed.days)
        if offset is None:
            return when_text(when)
        # Whole seconds, as astimezone() counts them; the fraction never changes the minute.
        local_day, second_of_day = divmod(elapsed.days * _DAY + elapsed.seconds + offset, _DAY)
        prefix = self._days.get(local_day)
        if prefix is None:
            try:
                prefix = date.fromordinal(local_day + _EPOCH_ORDINAL).isoformat() + " "
            except ValueError:
                return when_text(when)  # beyond year 1..9999: let when_text say so
            self._days[local_day] = prefix
        return prefix + _CLOCK[second_of_day // 60]


# "00:00" to "23:59", by minute of the day: looked up, not formatted, per record.
_CLOCK = [f"{hour:02d}:{minute:02d}" for hour in range(24) for minute in range(60)]


def _local_all_day(when: datetime) -> str | None:
    """"2024-03-01 " (the calendar day of `when` in its own fixed UTC offset) when
    the local offset is that offset all through that day, else None (assumes no
    place changes its clocks twice within one day and back, as _steady_offset)."""
    try:
        first = when.replace(hour=0, minute=0, second=0, microsecond=0)
        last = when.replace(hour=23, minute=59, second=59, microsecond=999999)
        offset = when.utcoffset()
        if first.astimezone().utcoffset() != offset or last.astimezone().utcoffset() != offset:
            return None
        return first.date().isoformat() + " "
    except (OverflowError, OSError, ValueError):
        return None


def _steady_offset(utc_day: int) -> int | None:
    """The local UTC offset in seconds all through a UTC day, or None if it changes
    (assumes no place changes its clocks twice within one day and back)."""
    try:
        first = datetime.fromtimestamp(utc_day * _DAY, timezone.utc).astimezone()
        last = datetime.fromtimestamp(utc_day * _DAY + _DAY - 1, timezone.utc).astimezone()
    except (OverflowError, OSError, ValueError):
        return None
    start, end = first.utcoffset(), last.utcoffset()
    if start is None or start != end or start.microseconds:
        return None
    return int(start.total_seconds())


def build_document(chosen: Iterable[Record], excluded: frozenset[str] = frozenset(),
                   title: str | None = None, subtitle: str = "") -> Document:
    """The document the Markdown, text and HTML writers lay out."""
    describe_one = describer(excluded)
    with paused_gc():
        shared = [describe_one(r) for r in chosen
                  if "safety_plan" not in excluded or not is_safety_plan(r)]
    return Document(title=title or document_title(), subtitle=subtitle, records=shared)


def document_title() -> str:
    """The title of an export when the person gives none."""
    return _("From my recovery journal")


# Records described at a time by a streamed export: big enough that the per-batch
# work (one join, one escape, one clean, one write) is cheap, small enough that a
# batch of shared text stays around a megabyte.
BATCH_SIZE = 2000


def described_in_batches(chosen: Iterable[Record], excluded: frozenset[str] = frozenset(),
                         size: int = BATCH_SIZE) -> Iterator[list[SharedRecord]]:
    """The chosen records described `size` at a time, so a streamed export never
    holds more than one batch of shared text (the whole document never exists)."""
    batch: list[SharedRecord] = []
    skip_safety_plan = "safety_plan" in excluded
    describe_one = describer(excluded)
    for record in chosen:
        if skip_safety_plan and is_safety_plan(record):
            continue
        batch.append(describe_one(record))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def without_trailing_newlines(pieces: Iterable[str]) -> Iterator[str]:
    """`"".join(pieces).rstrip("\n")`, a piece at a time: newlines at the end of a
    piece are held back until something else follows them."""
    held = 0
    for piece in pieces:
        kept = piece.rstrip("\n")
        if not kept:
            held += len(piece)
            continue
        if held:
            yield "\n" * held
        yield kept
        held = len(piece) - len(kept)


@contextlib.contextmanager
def paused_gc():
    """Pause the cycle collector while an export builds many small objects: with a
    decrypted ten-year journal in memory, each full collection walks all of it,
    which more than doubled the time of an export. Nothing built here has cycles.
    In a streamed export (a generator) the pause lasts until the stream is finished
    or dropped: CPython closes a generator as soon as nothing refers to it."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# Record fields that carry a name or a number: the preview marks them when shared.
MARKED_FIELDS = frozenset({"people", "place", "amount", "money"})


def describe(record: Record, excluded: frozenset[str] = frozenset()) -> SharedRecord:
    """`record` as labelled text without the `excluded` fields. Not yet cleaned of
    control characters: each writer cleans its whole output in one pass."""
    # Called once per record of a ten-year export (75,000 times): the facts go
    # through one loop rather than a helper call each, and headings are cached.
    label = _labels()
    facts: list[tuple[str, str]] = []
    passages: list[tuple[str, str]] = []
    answers: list[SharedAnswer] = []

    def passage(name: str, value: str) -> None:
        if name not in excluded and value and value.strip():
            passages.append((label[name], value.strip("\n")))

    heading = label[record.kind]
    if isinstance(record, Entry):
        _add_facts(facts, label, excluded, (
            ("mood", f"{record.mood}/5" if record.mood else None),
            ("tags", record.tags),
        ))
        passage("text", record.text)
    elif isinstance(record, Urge):
        if "addiction" not in excluded and record.addiction:
            heading = _addiction_heading(label, "urge-of", record.addiction)
        _add_facts(facts, label, excluded, (
            ("intensity", f"{record.intensity}/10"),
            ("intensity_after", None if record.intensity_after is None
             else f"{record.intensity_after}/10"),
            ("minutes", record.minutes),
            ("trigger", trigger_label(record.trigger) if record.trigger else ""),
            ("place", record.place),
            ("people", record.people),
            ("feelings", record.feelings),
            ("coping", [coping_label(tool) for tool in record.coping]),
            ("outcome", label["resisted" if record.outcome == "resisted" else "acted"]),
        ))
        passage("trigger_note", record.trigger_note)
    elif isinstance(record, Use):
        if "addiction" not in excluded and record.addiction:
            heading = _addiction_heading(label, "use-of", record.addiction)
        amount = None
        if record.amount is not None and "amount" not in excluded:
            unit = "" if "unit" in excluded else unit_label(record.unit)
            amount = f"{_number(record.amount)} {unit}".strip()
        _add_facts(facts, label, excluded, (
            ("amount", amount),
            ("money", _number(record.money) if record.money is not None else None),
            ("minutes", record.minutes),
        ))
        passage("note", record.note)
    elif isinstance(record, Checkin):
        _add_facts(facts, label, excluded, (
            ("items", label["who5-score"].format(percent=record.percent, raw=record.raw)),
        ))
    elif isinstance(record, Mood):
        _add_facts(facts, label, excluded, (("mood", f"{record.mood}/5"),))
    elif isinstance(record, Meeting):
        _add_facts(facts, label, excluded, (("group", record.group),))
        passage("note", record.note)
    elif isinstance(record, ExerciseResponse):
        heading = label["exercise-of"].format(title=exercise_title(record.exercise_id))
        if not record.finished:
            facts.append((label["status"], label["not-finished"]))
        if "answers" not in excluded:
            answers = exercise_answers(record, excluded, passages)
    shared = SharedRecord(heading=heading, when=record.when, facts=facts, passages=passages,
                          answers=answers)
    if facts and record.kind in ("urge", "use"):
        marked_labels = label["marked"]
        shared.marked = [name for name, _value in facts if name in marked_labels]
    if answers:
        shared.marked += [a.question for a in answers if a.marked]
    if "phone_numbers" in excluded and _may_hold_numbers(shared):
        _hide_numbers(shared)
    return shared


def describer(excluded: frozenset[str] = frozenset()) -> Callable[[Record], SharedRecord]:
    """`describe(record, excluded)` for the many records of one export, in the
    current language. Entries and urges (nine records in ten of a ten-year
    journal) are described by functions made for this export: what is left out
    and every label are settled once, not per record. The same SharedRecord as
    describe() makes, field for field (tests/test_export_same_output.py)."""
    label = _labels()
    made: dict[type, Callable[[Record], SharedRecord]] = {
        Entry: _entry_describer(label, excluded),
        Urge: _urge_describer(label, excluded),
    }

    def describe_one(record: Record) -> SharedRecord:
        make = made.get(record.__class__)
        return describe(record, excluded) if make is None else make(record)

    return describe_one


def _fact(facts: list[tuple[str, str]], label_text: str, value: Any) -> None:
    """One fact as _add_facts adds it (its name already known not to be left out)."""
    if value is None:
        return
    if value.__class__ is str:
        if value:
            facts.append((label_text, value))
    elif isinstance(value, str):
        if value:
            facts.append((label_text, value))
    elif isinstance(value, list):
        if value:
            facts.append((label_text, ", ".join(map(str, value))))
    else:
        facts.append((label_text, _value_text(value)))


def _numbers_checker(excluded: frozenset[str]) -> Callable[[SharedRecord], None]:
    """What describe() does about phone numbers, for a record without exercise
    answers: nothing unless they are left out; then a quick look, and only a
    record that may hold one goes through _may_hold_numbers (whose search,
    privacy._MAYBE, needs seven characters in a row of one text, starting with
    a digit: a shorter fact such as "7/10" cannot hold one)."""
    def check(shared: SharedRecord) -> None:
        texts = [value for _name, value in shared.facts if len(value) > 6]
        texts += [value for _name, value in shared.passages]
        if _may_hold_a_number("\n".join(texts)) and _may_hold_numbers(shared):
            _hide_numbers(shared)

    if "phone_numbers" in excluded:
        return check
    return lambda shared: None


def _may_hold_a_number(text: str) -> bool:
    """Whether `text` may hold a phone number: False only when hide_phone_numbers
    would find none. Looking for each digit in turn runs in C at memory speed;
    the pattern it saves (privacy._MAYBE, which needs digits) scans a character
    at a time, and most texts hold no digit at all."""
    for digit in "0123456789":
        if digit in text:
            from .privacy import _MAYBE

            return _MAYBE.search(text) is not None
    return False


def _entry_describer(label: dict[str, str],
                     excluded: frozenset[str]) -> Callable[[Record], SharedRecord]:
    """describe() of an Entry, with `excluded` and the labels settled."""
    heading = label["entry"]
    mood_label = None if "mood" in excluded else label["mood"]
    tags_label = None if "tags" in excluded else label["tags"]
    text_label = None if "text" in excluded else label["text"]
    check_numbers = _numbers_checker(excluded)

    def describe_entry(record: Entry) -> SharedRecord:
        facts: list[tuple[str, str]] = []
        if mood_label is not None and record.mood:
            facts.append((mood_label, f"{record.mood}/5"))
        if tags_label is not None:
            tags = record.tags
            if tags.__class__ is LabelList or tags.__class__ is list:
                if tags:
                    facts.append((tags_label, ", ".join(map(str, tags))))
            else:
                _fact(facts, tags_label, tags)
        passages: list[tuple[str, str]] = []
        text = record.text
        if text_label is not None and text and text.strip():
            passages.append((text_label, text.strip("\n")))
        shared = SharedRecord(heading, record.when, facts, passages, [])
        check_numbers(shared)
        return shared

    return describe_entry


def _urge_describer(label: dict[str, str],
                    excluded: frozenset[str]) -> Callable[[Record], SharedRecord]:
    """describe() of an Urge, with `excluded` and the labels settled."""
    plain_heading = label["urge"]
    headings: dict[str, str] = {}  # addiction → "Urge · alcohol"
    with_addiction = "addiction" not in excluded

    def shown(name: str) -> str | None:
        return None if name in excluded else label[name]

    intensity, after, minutes = shown("intensity"), shown("intensity_after"), shown("minutes")
    trigger, place, people = shown("trigger"), shown("place"), shown("people")
    feelings, coping, outcome = shown("feelings"), shown("coping"), shown("outcome")
    trigger_note = shown("trigger_note")
    resisted, acted = label["resisted"], label["acted"]
    marked_labels = label["marked"]
    check_numbers = _numbers_checker(excluded)
    tool_labels: dict[str, str] = {}  # coping tool → its label, in this export's language

    def describe_urge(record: Urge) -> SharedRecord:
        heading = plain_heading
        if with_addiction and record.addiction:
            heading = headings.get(record.addiction)
            if heading is None:
                heading = headings[record.addiction] = _addiction_heading(
                    label, "urge-of", record.addiction)
        facts: list[tuple[str, str]] = []
        if intensity is not None:
            facts.append((intensity, f"{record.intensity}/10"))
        if after is not None and record.intensity_after is not None:
            facts.append((after, f"{record.intensity_after}/10"))
        if minutes is not None:
            value = record.minutes
            if value.__class__ is int:
                facts.append((minutes, str(value)))
            else:
                _fact(facts, minutes, value)
        if trigger is not None and record.trigger:
            _fact(facts, trigger, trigger_label(record.trigger))
        # Free text: a str as a rule (the exact class is the quick test).
        for label_text, value in ((place, record.place), (people, record.people)):
            if label_text is not None:
                if value.__class__ is str:
                    if value:
                        facts.append((label_text, value))
                else:
                    _fact(facts, label_text, value)
        if feelings is not None:
            value = record.feelings
            if value.__class__ is LabelList and value:
                facts.append((feelings, ", ".join(map(str, value))))
            else:
                _fact(facts, feelings, value)
        if coping is not None:
            value = []
            for tool in record.coping:
                tool_label = tool_labels.get(tool)
                if tool_label is None:
                    tool_label = coping_label(tool)
                    if len(tool_labels) < 10000:  # a tool is a word or two, but any number may exist
                        tool_labels[tool] = tool_label
                value.append(tool_label)
            if value:
                facts.append((coping, ", ".join(map(str, value))))
        if outcome is not None:
            facts.append((outcome, resisted if record.outcome == "resisted" else acted))
        passages: list[tuple[str, str]] = []
        note = record.trigger_note
        if trigger_note is not None and note and note.strip():
            passages.append((trigger_note, note.strip("\n")))
        shared = SharedRecord(heading, record.when, facts, passages, [])
        if facts:
            shared.marked = [name for name, _value in facts if name in marked_labels]
        check_numbers(shared)
        return shared

    return describe_urge


def _may_hold_numbers(shared: SharedRecord) -> bool:
    """One search over all of a record's text: most records hold no phone number,
    and one search is far cheaper than one per fact and passage."""
    texts = [value for _name, value in shared.facts]
    texts += [value for _name, value in shared.passages]
    for answer in shared.answers:
        texts += answer.lines
        texts += answer.items
        texts += [cell for _name, cells in answer.rows for cell in cells]
    return hide_phone_numbers("\n".join(texts))[1] > 0


def _hide_numbers(shared: SharedRecord) -> None:
    """Take phone-like numbers out of every text of `shared` (in place)."""
    total = 0

    def hide(text: str) -> str:
        nonlocal total
        text, found = hide_phone_numbers(text)
        total += found
        return text

    shared.facts = [(name, hide(value)) for name, value in shared.facts]
    shared.passages = [(name, hide(value)) for name, value in shared.passages]
    for answer in shared.answers:
        answer.lines = [hide(line) for line in answer.lines]
        answer.items = [hide(item) for item in answer.items]
        answer.rows = [(name, [hide(cell) for cell in cells]) for name, cells in answer.rows]
    shared.hidden_numbers = total


def _add_facts(facts: list[tuple[str, str]], label: dict[str, str],
               excluded: frozenset[str], named_values: tuple[tuple[str, Any], ...]) -> None:
    """Each (field name, value) as a labelled fact, unless left out or empty."""
    # Empty means None, "" or []; 0 is a value. Tested by type: comparing a string
    # with a list is slow in Python, and this runs half a million times.
    for name, value in named_values:
        if value is None or name in excluded:
            continue
        if isinstance(value, str):
            if value:
                facts.append((label[name], value))
        elif isinstance(value, list):
            if value:
                facts.append((label[name], ", ".join(map(str, value))))
        else:
            facts.append((label[name], _value_text(value)))


_HEADING_CACHE: dict[tuple[str, str, str], str] = {}


def _addiction_heading(label: dict[str, str], pattern: str, addiction: str) -> str:
    """"Urge · alcohol", translated once per language and addiction, not per record."""
    key = (current_language(), pattern, addiction)
    heading = _HEADING_CACHE.get(key)
    if heading is None:
        heading = label[pattern].format(addiction=addiction_label(addiction))
        _HEADING_CACHE[key] = heading
    return heading


_LABEL_CACHE: dict[str, dict[str, str]] = {}


def _labels() -> dict[str, str]:
    """Every label `describe` uses, translated once per language (an export of
    ten years calls describe some 75,000 times)."""
    language = current_language()
    if language not in _LABEL_CACHE:
        table = {kind: kind_label(kind) for kind in records.KINDS}
        table.update({
            "text": "",
            "mood": _("Mood"), "tags": _("Tags"), "intensity": _("Intensity"),
            "intensity_after": _("Intensity afterwards"), "minutes": _("Minutes"),
            "trigger": _("Trigger"), "place": _("Place"), "people": _("People"),
            "feelings": _("Feelings"), "coping": _("What I did"),
            "outcome": _("How it ended"), "trigger_note": _("About the trigger"),
            "amount": _("Amount"), "money": _("Money"), "note": _("Note"),
            "items": _("WHO-5"), "group": _("Group"), "status": _("Status"),
            "resisted": _("resisted"), "acted": _("acted on it"),
            "not-finished": _("not finished"),
            "urge-of": _("Urge · {addiction}"), "use-of": _("Use · {addiction}"),
            "exercise-of": _("Exercise · {title}"),
            "who5-score": _("{percent}% ({raw} of 25)"),
        })
        table["marked"] = frozenset(table[name] for name in MARKED_FIELDS)  # type: ignore[assignment]
        _LABEL_CACHE[language] = table
    return _LABEL_CACHE[language]


_LIBRARY: list = []


def exercise_library():
    """The exercises (shipped and the person's own), loaded once per process."""
    if not _LIBRARY:
        from ..exercises import load_exercises

        _LIBRARY.append(load_exercises())
    return _LIBRARY[0]


def exercise_title(exercise_id: str) -> str:
    """An exercise's title from its file, in the person's language; for an exercise
    whose file is gone, its id made readable ("my-plan" → "My plan")."""
    exercise = exercise_library().get(exercise_id)
    if exercise is not None:
        return clean(exercise.title.get())
    return clean(_humanise(exercise_id)) or _("Exercise")


def exercise_answers(record: ExerciseResponse, excluded: frozenset[str] = frozenset(),
                     unknown: list[tuple[str, str]] | None = None) -> list[SharedAnswer]:
    """Each answered step of `record`, its question from the exercise file above
    its answer; steps that carry a left-out private detail are left out. A step no
    longer in the file (or of an exercise whose file is gone) is added to `unknown`
    as (its id made readable, its answer as text)."""
    from ..exercises import SCALE_MAX, is_answered, rating_lines

    exercise = exercise_library().get(record.exercise_id)
    shared: list[SharedAnswer] = []
    for step_id, answer in record.answers.items():
        step = exercise.step(step_id) if exercise is not None else None
        if step is None:  # a step (or exercise) no longer in the file: shown as saved
            text = _answer_text(answer)
            if text.strip() and unknown is not None:
                unknown.append((_humanise(step_id), text))
            continue
        if any(f"carries_{kind}" in excluded for kind in step.carries):
            continue
        if not is_answered(step, answer):
            continue
        item = SharedAnswer(question=step.prompt.get(), marked=bool(step.carries))
        labels = {choice.id: choice.label.get() for choice in step.choices}
        if step.type == "scale":
            item.lines = [scale_text(answer, step)]
        elif step.type == "choice":
            item.lines = [labels.get(answer, _humanise(answer))]
        elif step.type == "checklist":
            item.items = [labels.get(a, _humanise(a)) for a in answer]
        elif step.type == "list":
            item.items = [str(a) for a in answer if str(a).strip()]
        elif step.type == "grid" and isinstance(answer, dict):
            item.columns = [column.label.get() for column in step.columns]
            item.rows = [(row.label.get(),
                          [str(answer.get(row.id, {}).get(column.id, "")).strip()
                           for column in step.columns]) for row in step.rows]
        elif step.type == "ratings" and isinstance(answer, list):
            # Each feeling its own line; rated again: "Sad: 8 of 10 → 4 of 10".
            item.items = rating_lines(step, answer, record.answers)
        elif step.type == "timer":
            item.lines = [_("minute {minute}: {strength} of {top}").format(
                minute=r.get("minute"), strength=r.get("strength"), top=SCALE_MAX)
                for r in answer if isinstance(r, dict)]
        else:
            item.lines = [str(answer).strip("\n")]
        shared.append(item)
    return shared


def scale_text(value: Any, step) -> str:
    """A 0-10 answer as "8 of 10", with what the two ends mean when the file says."""
    from ..exercises import SCALE_MAX, SCALE_MIN

    text = _("{value} of {top}").format(value=value, top=SCALE_MAX)
    if step.low is not None and step.high is not None:
        text += " " + _("({low_value} = {low}, {high_value} = {high})").format(
            low_value=SCALE_MIN, low=step.low.get(), high_value=SCALE_MAX, high=step.high.get())
    return text


def _humanise(identifier: str) -> str:
    words = str(identifier).replace("_", " ").replace("-", " ").split()
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _value_text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, float):
        return _number(value)
    return str(value)


def _answer_text(answer: Any) -> str:
    """An exercise answer of any field type as plain lines."""
    if answer is None:
        return ""
    if isinstance(answer, bool):
        return _("yes") if answer else _("no")
    if isinstance(answer, list):
        return "\n".join(f"- {_answer_text(a)}" for a in answer if _answer_text(a).strip())
    if isinstance(answer, dict):
        return "\n".join(
            f"{_humanise(k)}: {_answer_text(v)}" for k, v in answer.items()
            if _answer_text(v).strip()
        )
    if isinstance(answer, float):
        return _number(answer)
    return str(answer)

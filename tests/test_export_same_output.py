"""The exports made fast stay byte for byte what they were (issue 18: an export of
everything at 1x in 2 s). Each test compares a live writer with a frozen copy of
the code it replaced (at the end of this file), so a change to the live writer
cannot move the reference with it. The whole-document comparisons of md, txt and
html are in test_export_streaming.py; the JSON export's in test_export_json.py."""

from __future__ import annotations

import html
import re
from typing import Iterable, Iterator

import pytest

from recoveryjournal.export import html as html_writer
from recoveryjournal.i18n import _

# Lines that take the quick ways (plain text, "- " items, "**Label:** value") beside
# every shape that must still take the full way.
MARKDOWN_LINES = [
    "plain", "- item", "- item with a trailing space ", "- ", "-  two spaces", "- - -", "---",
    "-x", " - x", "\t- x", "- **Mood:** 4/5", "- **a** b **c**", "- ***x** y", "- **x**** y",
    "**b**", "**x\\[y\\]** z", "- **a\\*\\*b:** c", "_sub_", "text _u_", "> quote", ">",
    "| a | b |", "|---|---|", "| **r** | c |", "after table", "# h1", "## h2", "### h3",
    "#nospace", "* star", "*** ", "___", "\u00a0- nbsp", "\u3000text", "<b>&'\"</b>", "",
    "   ", "end **", "a \\[b\\] c", "back\\\\slash", "**open", "- **Label:**", "-\u00a0nbsp item",
]


@pytest.mark.parametrize("seed", range(6))
def test_html_from_markdown_lines_reads_as_before(seed):
    import random

    rng = random.Random(seed)
    for _ in range(200):
        lines = rng.choices(MARKDOWN_LINES, k=rng.randrange(1, 12))
        new, old = _outcome(html_writer._blocks, lines), _outcome(old_blocks, lines)
        if old is IndexError:  # the old crash on a table of two rules and no row, mended
            assert isinstance(new, list), lines
        else:
            assert new == old, lines


def test_a_table_of_rules_alone_in_an_edited_preview_makes_html_not_an_error():
    page = html_writer.from_markdown("Before\n\n|---|\n|---|\n\nAfter\n")
    assert "<table>" in page and "After" in page


def _outcome(blocks, lines: list[str]):
    """The blocks made of `lines`, or the error they raise (compared, not hidden)."""
    try:
        return list(blocks(lines))
    except Exception as exc:  # noqa: BLE001 - compared, not hidden
        return type(exc)


def test_inline_markdown_reads_as_before():
    for text in MARKDOWN_LINES + ["**a:** b", "**a:** **b**", "****", "**", "***", "a ** b",
                                  "**a\\**", "**<&>:** \"q\""]:
        assert html_writer._inline(text) == old_inline(text), text
        assert html_writer._inline_lines([text, text]) == "<br>\n".join(
            [old_inline(text)] * 2), text


# ---- entries and urges described by a describer made for the export ----------------

PHONE_TEXTS = ["", "plain", "call 070-123 45 67 now", "+46 70 123 45 67", "2026-11-30 10:00",
               "1234567", "123456", "(08) 123 456", "12/10", "\n\n  \n", "ring 0701234567\n"]


def entries_and_urges() -> list:
    """Entries and urges of every shape describe() treats differently, phone numbers
    in every text among them; built directly, so odd types a hand-edited import
    could hold are here too."""
    from datetime import datetime, timezone

    from recoveryjournal.records import Entry, LabelList, Urge

    when = datetime(2024, 3, 30, 22, 45, tzinfo=timezone.utc)
    found: list = []
    for number, text in enumerate(PHONE_TEXTS):
        found.append(Entry(text=text, mood=number % 6 or None, when=when,
                           tags=[text, "tools"] if number % 2 else LabelList(["a", text][:number % 3])))
        urge = Urge(addiction=["alcohol", "", "my own", text][number % 4], when=when,
                    intensity=number % 11, intensity_after=[None, 0, 7][number % 3],
                    minutes=[None, 0, 15, 2.5, 10 ** 7][number % 5], trigger=[
                        "", "stress", "my boss", text][number % 4],
                    trigger_note=text, place=text, people=[text, "", "Lars"][number % 3],
                    feelings=[[text, "calm"], [], ["sad"]][number % 3],
                    coping=[["urge-surfing", "call"], [], ["walk", text]][number % 3],
                    outcome=["resisted", "acted", "other"][number % 3])
        if number % 4 == 3:
            urge.feelings = LabelList(["tired", text])
        found.append(urge)
    odd = Urge(addiction="alcohol", intensity=3, when=when)
    odd.place, odd.people, odd.minutes, odd.feelings = None, 12345678, True, ("a", 1)
    found.append(odd)
    # A seven-digit number in a fact alone (the shortest a phone number can be).
    found.append(Urge(addiction="alcohol", intensity=3, place="1234567", when=when))
    odd_entry = Entry(text="x", when=None)
    odd_entry.tags = "one tag as text"
    found.append(odd_entry)
    return found


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("excluded", [
    frozenset(), frozenset({"phone_numbers"}), frozenset({"phone_numbers", "people", "place"}),
    frozenset({"addiction", "intensity", "intensity_after", "minutes", "trigger", "feelings",
               "coping", "outcome", "trigger_note", "mood", "tags", "text"}),
    frozenset({"place", "people", "carries_names", "phone_numbers", "amount", "safety_plan"}),
])
def test_entries_and_urges_are_described_as_describe_does(language, excluded):
    from recoveryjournal.export.privacy import group_share_excluded
    from recoveryjournal.export.shared_records import describe, describer
    from recoveryjournal.i18n import set_language

    set_language(language)
    for left_out in (excluded, group_share_excluded(), group_share_excluded(["names"])):
        describe_one = describer(left_out)
        for record in entries_and_urges():
            assert describe_one(record) == describe(record, left_out), (record, left_out)


def test_the_quick_clock_reads_as_when_text():
    from datetime import datetime, timedelta, timezone

    from recoveryjournal.export.shared_records import DayCachedWhenText, when_text

    cached = DayCachedWhenText()
    start = datetime(2024, 1, 1, tzinfo=timezone.utc)
    for minute in range(0, 3 * 24 * 60, 7):
        moment = start + timedelta(minutes=minute, seconds=59, microseconds=999999)
        assert cached(moment) == when_text(moment)


# ---- Markdown of whole kinds made straight from the rows (rows_to_markdown.py) ------

# Values each field may hold in a row: what the app writes, and what a hand-edited
# import or an older or newer version could (other types, missing, phone numbers).
_MISSING = object()
URGE_FIELDS = {
    "addiction": ["alcohol", "", "my own", "a\x1b[31m<b>", 5, None, _MISSING],
    "intensity": [0, 7, 10, 12345678, True, 2.5, "7", None, _MISSING],
    "intensity_after": [None, 0, 7, "3", 1.5, 1234567, _MISSING],
    "minutes": [None, 0, 15, 2.5, 10 ** 7, True, "x", _MISSING],
    "trigger": ["", "stress", "my boss", "070-123 45 67", 3, None, _MISSING],
    "trigger_note": ["", "call 070-123 45 67 now", "\n\n  \n", "ring 0701234567\n", "[a] | b",
                     "ends\n\x1b", None, _MISSING],
    "place": ["", "home", "1234567", "x\n\x00", None, 12345678, _MISSING],
    "people": ["", "Lars", "+46 70 123 45 67", ["a"], _MISSING],
    "feelings": [[], ["sad"], ["a", "070-123 45 67"], ["a", 1], ["\u202e", "b\x85"], "sad", None,
                 [[1]], _MISSING],
    "coping": [[], ["urge-surfing", "call"], ["walk", "(08) 123 456"], [1], _MISSING],
    "thought": ["", "just one", ["x"], [[1]], _MISSING],
    "outcome": ["resisted", "acted", "other", 1, _MISSING],
    "a_newer_field": [1, _MISSING],
}
ENTRY_FIELDS = {
    "text": ["", "plain", "call 070-123 45 67 now", "\n\n  \n", "line\r\nnext <i>", None,
             "2026-11-30 10:00", "ends\n\x00", "a \\ b \x7f", "åäö \ue000 🙂", "a <b> [c] | d",
             "back\\slash", "C:\\new\\table\\", "del\x7f", "bell\x07", "cr\r", "tab\tkept", "bidi \u202e", _MISSING],
    "mood": [None, 0, 3, True, "3", 2.5, _MISSING],
    "tags": [[], ["tools"], ["a", "070-123 45 67"], "one tag", [1, "a"], None, [[1]], _MISSING],
    "a_newer_field": [1, _MISSING],
}
USE_FIELDS = {
    "addiction": ["gambling", "", "my own <b>", 5, _MISSING],
    "amount": [None, 2, 2.5, 1e20, 0, True, "2", _MISSING],
    "unit": ["kronor", "", "drinks", None, _MISSING],
    "money": [None, 10.0, 0, 12345678, False, _MISSING],
    "minutes": [None, 0, 30, 2.5, _MISSING],
    "note": ["", "ring 0701234567", "a [note] |", "\n\n", None, _MISSING],
}
MEETING_FIELDS = {
    "group": ["Tuesday", "", "070-123 45 67", 3, _MISSING],
    "note": ["", "listened", "ring 0701234567\n", None, _MISSING],
}
CHECKIN_FIELDS = {"items": [[1, 2, 3, 4, 5], [], [5, 5, 5, 5, 5], [1, 2.5], [True, 1], _MISSING]}
MOOD_FIELDS = {"mood": [4, 0, 1234567, True, "4", None, _MISSING]}
FIELDS = {"entry": ENTRY_FIELDS, "urge": URGE_FIELDS, "use": USE_FIELDS,
          "meeting": MEETING_FIELDS, "checkin": CHECKIN_FIELDS, "mood": MOOD_FIELDS}
OTHER_DATA = {  # these take the ordinary way: one of each
    "exercise": {"exercise_id": "urge-surfing", "exercise_version": 1, "finished": False,
                 "answers": {"what": "a wave"}},
    "settings": {"idle_minutes": 5},
}
WHENS = ["2024-03-30T22:45:00+00:00", "2024-03-30T23:45:00+01:00", "2024-03-31T02:15:00.5+05:45",
         "2024-03-30T22:45:00+00:00", "2023-10-29T01:30:00-03:00", "1969-07-20T20:17:00+00:00"]
CREATED = ["2026-11-30T03:22:57.279549+00:00", "2026-11-30T03:22:57.279549+00:00",
           "2026-11-29T03:22:57+01:00"]


def rows_of_every_shape(seed: int, count: int = 300) -> list[tuple[str, bytes]]:
    """(id, plaintext) of entries, urges and the other kinds, every field taking
    each of its values; a few times the same moment, and rows no version wrote."""
    import json
    import random

    rng = random.Random(seed)
    found: list[tuple[str, bytes]] = []

    def document(kind: str, data: dict) -> dict:
        created = rng.choice(CREATED)
        found_document = {"kind": kind, "schema": 1, "created": created,
                          "updated": rng.choice([created, created, "2026-12-01T10:00:00+00:00"]),
                          "data": {"when": rng.choice(WHENS), **data}}
        return found_document

    for number in range(count):
        kind = rng.choice(["entry", "urge", "urge", "other"])
        if kind == "other":
            kind = rng.choice(sorted(FIELDS.keys() - {"entry", "urge"} | OTHER_DATA.keys()))
        if kind in OTHER_DATA:
            doc = document(kind, OTHER_DATA[kind])
            if kind == "exercise" and number % 3 == 0:  # left out of a group share
                doc["data"] = {**doc["data"], "exercise_id": "safety-plan"}
        else:
            data = {name: rng.choice(values) for name, values in FIELDS[kind].items()}
            doc = document(kind, {k: v for k, v in data.items() if v is not _MISSING})
        odd = rng.randrange(40)
        if odd == 0:
            doc["schema"] = rng.choice([0, 2, "1"])
        elif odd == 1:
            doc["updated"] = "not a time"
        elif odd == 2:
            doc["data"]["when"] = rng.choice(["not a time", 17])
        elif odd == 3:
            del doc["created"]
        elif odd == 4:
            doc = {"schema": 1, **{k: v for k, v in doc.items() if k != "kind"}, "kind": kind}
        payload = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()
        if odd == 5:
            payload = payload[:-1]  # not JSON
        found.append((f"{number:032x}", payload))
    return found


def markdown_the_ordinary_way(pairs, kinds, excluded) -> tuple[str, list[str]]:
    """The export of `pairs` as `export` made it from record objects: decoded as
    the index decodes, each kind in the order of Journal.records, merged by
    selection.choose, written by markdown.stream (and the ids not read)."""
    from operator import attrgetter

    from recoveryjournal import records
    from recoveryjournal.export import markdown, selection
    from recoveryjournal.export.shared_records import described_in_batches, document_title

    decoded, unreadable = [], []
    for record_id, payload in pairs:
        try:
            decoded.append(records.from_json(record_id, payload))
        except (ValueError, KeyError, TypeError):
            unreadable.append(record_id)
    chosen = []
    for kind in kinds:
        found = sorted((r for r in decoded if r.kind == kind), key=attrgetter("created"))
        found.sort(key=attrgetter("when"))
        if kind == "exercise" and "safety_plan" in excluded:
            found = [r for r in found if not selection.is_safety_plan(r)]
        chosen.extend(found)
    if len(kinds) > 1:
        chosen.sort(key=attrgetter("when"))
    subtitle = selection.selection_subtitle(selection.Selection(kinds=kinds))
    return "".join(markdown.stream(document_title(), subtitle,
                                   described_in_batches(chosen, excluded, size=7))), unreadable


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("kinds", [
    ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting"),
    ("urge",), ("entry", "urge"), ("urge", "entry"), ("meeting", "entry"),
])
def test_markdown_straight_from_the_rows_reads_as_from_records(seed, language, kinds):
    from recoveryjournal.export import rows_to_markdown, selection
    from recoveryjournal.export.privacy import group_share_excluded
    from recoveryjournal.export.shared_records import document_title
    from recoveryjournal.i18n import set_language

    set_language(language)
    pairs = rows_of_every_shape(seed)
    for excluded in (frozenset(), group_share_excluded(), group_share_excluded(["phones"]),
                     frozenset({"addiction", "intensity", "intensity_after", "minutes",
                                "trigger", "feelings", "coping", "outcome", "trigger_note",
                                "mood", "tags", "text", "phone_numbers"})):
        expected, expected_unreadable = markdown_the_ordinary_way(pairs, kinds, excluded)
        rows = rows_to_markdown.MarkdownRows(kinds, excluded)
        unreadable: list[str] = []
        for start in range(0, len(pairs), 50):  # as the read hands them over, a batch at a time
            rows.take(pairs[start:start + 50], lambda record_id, _why: unreadable.append(record_id))
        subtitle = selection.selection_subtitle(selection.Selection(kinds=kinds))
        made = "".join(rows_to_markdown.stream(document_title(), subtitle, rows))
        assert made == expected, (kinds, excluded)
        assert sorted(unreadable) == sorted(expected_unreadable)
        if excluded == group_share_excluded():  # phone numbers were there to take out
            assert _("(number left out)") in made
    safety_plans = [p for _id, p in pairs if b'"exercise_id":"safety-plan"' in p]
    assert safety_plans or "exercise" not in kinds
    assert expected_unreadable


def test_records_as_the_app_writes_them_take_the_quick_way(monkeypatch):
    """The test above would pass if every row took the ordinary way: here plain
    rows must not (and an odd one, or one holding a phone number, must)."""
    from datetime import datetime, timezone

    from recoveryjournal import records
    from recoveryjournal.export import rows_to_markdown
    from recoveryjournal.export.privacy import group_share_excluded
    from recoveryjournal.records import Checkin, Entry, Meeting, Mood, Urge, Use

    when = datetime(2024, 3, 30, 22, 45, tzinfo=timezone.utc)
    plain = [Entry(text="a day", tags=["tools"], mood=3, when=when),
             Urge(addiction="alcohol", intensity=7, coping=["call"], feelings=["sad"], when=when),
             Use(addiction="alcohol", amount=2.0, unit="drinks", note="hard", when=when),
             Meeting(group="Tuesday", note="listened", when=when),
             Checkin(items=[1, 2, 3, 4, 5], when=when), Mood(mood=2, when=when)]
    decoded = []
    from_json = records.from_json
    monkeypatch.setattr(records, "from_json",
                        lambda *args: decoded.append(args[0]) or from_json(*args))
    kinds = ("entry", "urge", "use", "meeting", "checkin", "mood")
    rows = rows_to_markdown.MarkdownRows(kinds, group_share_excluded())
    rows.take([(r.id, records.to_json(r)) for r in plain], lambda *why: None)
    assert decoded == [] and len(rows) == 6
    odd = Urge(addiction="alcohol", intensity=7, when=when)
    odd.minutes = 2.5  # not what the app writes: the ordinary way reads it
    rows.take([(odd.id, records.to_json(odd))], lambda *why: None)
    assert decoded == [odd.id] and len(rows) == 7
    ringing = Entry(text="ring 070-123 45 67", when=when)  # the ordinary way takes it out
    rows.take([(ringing.id, records.to_json(ringing))], lambda *why: None)
    assert decoded == [odd.id, ringing.id] and len(rows) == 8
    assert "070" not in "".join(rows.bodies())


@pytest.mark.parametrize("last", [
    {"kind": "entry", "data": {"text": "the last entry\n\x00", "mood": None, "tags": []}},
    {"kind": "entry", "data": {"text": "the last\n\x00\n\x85", "mood": 3, "tags": ["a\n\x00"]}},
    {"kind": "urge", "data": {"addiction": "alcohol", "intensity": 3, "intensity_after": None,
                              "minutes": None, "trigger": "", "trigger_note": "", "place": "",
                              "people": "", "feelings": ["calm\n\x1b"], "coping": [],
                              "outcome": "resisted"}},
    {"kind": "urge", "data": {"addiction": "alcohol", "intensity": 3, "intensity_after": None,
                              "minutes": None, "trigger": "", "trigger_note": "x\n\x00",
                              "place": "", "people": "", "feelings": [], "coping": [],
                              "outcome": "resisted"}},
    {"kind": "meeting", "data": {"group": "g", "note": "n\n\x00"}},
])
def test_the_last_record_ends_as_it_did(last):
    """markdown.stream strips the document's last newlines before it cleans: a
    character cleaning drops after a newline keeps that newline. The rows are
    escaped as they are read; the last one must still end as before."""
    import json

    from recoveryjournal.export import rows_to_markdown, selection
    from recoveryjournal.export.shared_records import document_title

    kinds = ("entry", "urge", "meeting")
    first = {"kind": "entry", "data": {"text": "first", "mood": None, "tags": []}}
    pairs = []
    for number, (document, when) in enumerate([(first, "2024-03-01T10:00:00+00:00"),
                                               (last, "2024-03-02T10:00:00+00:00")]):
        document = {"kind": document["kind"], "schema": 1, "created": CREATED[0],
                    "updated": CREATED[0], "data": {"when": when, **document["data"]}}
        pairs.append((f"{number:032x}", json.dumps(document, separators=(",", ":")).encode()))
    for excluded in (frozenset(), frozenset({"phone_numbers"})):
        expected, _unreadable = markdown_the_ordinary_way(pairs, kinds, excluded)
        rows = rows_to_markdown.MarkdownRows(kinds, excluded)
        rows.take(pairs, lambda *why: None)
        subtitle = selection.selection_subtitle(selection.Selection(kinds=kinds))
        assert "".join(rows_to_markdown.stream(document_title(), subtitle, rows)) == expected


def test_only_whole_kinds_are_made_straight_from_the_rows():
    from datetime import date

    from recoveryjournal.export.rows_to_markdown import takes_whole_kinds
    from recoveryjournal.export.selection import Selection

    assert takes_whole_kinds(Selection(kinds=("entry", "urge")))
    assert not takes_whole_kinds(Selection(kinds=("entry", "entry")))  # each record twice
    assert not takes_whole_kinds(Selection(kinds=("entry",), date_from=date(2024, 1, 1)))
    assert not takes_whole_kinds(Selection(kinds=("entry",), tags=("tools",)))
    assert not takes_whole_kinds(Selection(kinds=("entry",), ids=frozenset({"x"})))


# ---- rows let go of past the cap, read back in order (issue 18) -------------------


class ReadBack:
    """The journal's read-back for rows_to_markdown, over (id, plaintext) pairs that
    a test may change meanwhile; what it was asked for, call by call."""

    def __init__(self, pairs):
        self.stored = dict(pairs)
        self.asked: list[int] = []

    def __call__(self, record_ids):
        self.asked.append(len(record_ids))
        yield {record_id: self.stored[record_id] for record_id in record_ids
               if record_id in self.stored}


def markdown_read_back(pairs, kinds, excluded, held, read_back=None, change=None):
    """The export of `pairs` made by MarkdownRows holding `held` bytes of Markdown,
    the rest read back through `read_back` (after `change(read_back)`, if given):
    (the file, the ids said unreadable, the rows, the read-back)."""
    from recoveryjournal.export import rows_to_markdown, selection
    from recoveryjournal.export.shared_records import document_title

    read_back = read_back or ReadBack(pairs)
    rows = rows_to_markdown.MarkdownRows(kinds, excluded, read_back=read_back, held=held)
    unreadable: list[str] = []
    for start in range(0, len(pairs), 50):
        rows.take(pairs[start:start + 50], lambda record_id, _why: unreadable.append(record_id))
    if change is not None:
        change(read_back)
    subtitle = selection.selection_subtitle(selection.Selection(kinds=kinds))
    return "".join(rows_to_markdown.stream(document_title(), subtitle, rows)), unreadable, \
        rows, read_back


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("kinds", [
    ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting"), ("urge", "entry"),
])
def test_rows_let_go_of_and_read_back_make_the_same_file(seed, kinds, monkeypatch):
    """Past the cap a row keeps only its place in the order and is read back when
    its turn comes: the file is the same, byte for byte, whether nothing, some or
    every row was held (records at the same moment on both sides among them), and
    what cannot be read is said as it is read, as before."""
    from recoveryjournal.export import rows_to_markdown
    from recoveryjournal.export.privacy import group_share_excluded

    monkeypatch.setattr(rows_to_markdown, "READ_BACK_AT_A_TIME", 7)
    pairs = rows_of_every_shape(seed)
    for excluded in (frozenset(), group_share_excluded()):
        expected, expected_unreadable = markdown_the_ordinary_way(pairs, kinds, excluded)
        for held in (0, 20_000, 10 ** 9):
            made, unreadable, rows, read_back = markdown_read_back(pairs, kinds, excluded, held)
            assert made == expected, (held, excluded)
            assert sorted(unreadable) == sorted(expected_unreadable)
            assert rows.problems == []
            assert rows.written == expected.count("\n## ")
            if held == 10 ** 9:
                assert read_back.asked == []  # all held, as before the cap
            else:
                assert read_back.asked and max(read_back.asked) <= 7
                # Some held, some read back; or every one read back.
                assert (sum(read_back.asked) < rows.written) == (held > 0)


def _entry_row(number: int, text: str, when: str = "2024-03-01T10:00:00+00:00") -> tuple[str, bytes]:
    import json

    document = {"kind": "entry", "schema": 1, "created": CREATED[0], "updated": CREATED[0],
                "data": {"when": when, "text": text, "mood": None, "tags": []}}
    return f"{number:032x}", json.dumps(document, separators=(",", ":")).encode()


def test_a_row_changed_or_deleted_before_it_is_read_back_is_said_and_never_mixed():
    """Another program may write while the export is written. A row read back is
    compared with what was first read: its newer version takes its place only
    when it belongs at the same place in the order; deleted, moved in time, no
    longer readable or no longer of a kind chosen, it is left out. Each is said;
    no record is ever made of two versions."""
    import json

    kinds = ("entry", "urge")
    pairs = [_entry_row(number, f"entry number {number} before",
                        when=f"2024-03-{number + 1:02d}T10:00:00+00:00") for number in range(12)]
    ids = [record_id for record_id, _payload in pairs]
    newer = _entry_row(1, "entry number 1 AFTER <b>\x1b[31m", when="2024-03-02T10:00:00+00:00")[1]
    moved = _entry_row(3, "entry number 3 moved", when="2025-01-01T10:00:00+00:00")[1]
    as_mood = json.loads(pairs[5][1])
    as_mood["kind"], as_mood["data"] = "mood", {"when": as_mood["data"]["when"], "mood": 3}

    def change(read_back):
        read_back.stored[ids[1]] = newer
        del read_back.stored[ids[2]]
        read_back.stored[ids[3]] = moved
        read_back.stored[ids[4]] = b'{"kind":"entry", not JSON'
        read_back.stored[ids[5]] = json.dumps(as_mood).encode()

    made, unreadable, rows, _read_back = markdown_read_back(pairs, kinds, frozenset(), 0,
                                                            change=change)
    now = [(ids[1], newer)] + [pair for pair in pairs if pair[0] not in ids[1:6]]
    expected, _unreadable = markdown_the_ordinary_way(now, kinds, frozenset())
    assert made == expected
    assert "entry number 1 AFTER \\<b\\>" in made and "entry number 1 before" not in made
    for number in (2, 3, 4, 5):
        assert f"entry number {number}" not in made
    assert unreadable == [] and rows.written == 8
    said = rows.problems
    assert len(said) == 5
    assert ids[1] in said[0] and "newer version" in said[0]
    for number, line in zip((2, 3, 4, 5), said[1:]):
        assert ids[number] in line and "left out" in line


def test_many_rows_changed_meanwhile_are_counted_past_the_first_twenty():
    from recoveryjournal.export import rows_to_markdown

    pairs = [_entry_row(number, f"entry {number}") for number in range(30)]
    made, _unreadable, rows, _read_back = markdown_read_back(
        pairs, ("entry",), frozenset(), 0, change=lambda read_back: read_back.stored.clear())
    assert rows.written == 0 and "entry 1" not in made
    said = rows.problems
    assert len(said) == rows_to_markdown._CHANGES_NAMED + 1
    assert said[-1].startswith("10 more records were changed or deleted")


def test_an_odd_id_read_back_is_said_safely():
    """An id edited outside the app (not 32 hex digits) is read back by itself, and
    said without its control characters."""
    pairs = [_entry_row(0, "first"), ("\x1b[2Jodd\u202eid", _entry_row(1, "second")[1]),
             ("ABCDEF" + "0" * 26, _entry_row(2, "third")[1])]
    made, _unreadable, rows, read_back = markdown_read_back(pairs, ("entry",), frozenset(), 0)
    assert "second" in made and "third" in made and rows.written == 3
    made, _unreadable, rows, read_back = markdown_read_back(
        pairs, ("entry",), frozenset(), 0,
        change=lambda read_back: read_back.stored.pop("\x1b[2Jodd\u202eid"))
    assert "second" not in made and "third" in made
    (line,) = rows.problems
    assert "odd" in line and "\x1b" not in line and "\u202e" not in line


# ---- CSV -------------------------------------------------------------------------


def csv_records() -> list:
    """Urges, uses and check-ins with cells a spreadsheet could misread, repeated
    (the writer remembers cells) and of every type a cell can be."""
    from datetime import datetime, timedelta, timezone

    from recoveryjournal.records import Checkin, LabelList, Use

    when = datetime(2024, 3, 30, 22, 45, tzinfo=timezone.utc)
    risky = ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "plain", "a,b\"c", "\x1b[31m", "é 🙂",
             "line\r\nnext", ""]
    found = entries_and_urges()
    for number, text in enumerate(risky * 2):
        found.append(Use(addiction=text or "alcohol", amount=[None, 2, 2.5, 1e20][number % 4],
                         unit=text, money=[None, 10.0, 0][number % 3], minutes=number % 2 or None,
                         note=text, when=when + timedelta(minutes=number)))
        found.append(Checkin(items=[number % 6, 1, 2, 3, 4], when=when + timedelta(hours=number)))
    odd = entries_and_urges()[1]
    odd.feelings = [1, "a"]  # equal as tuples, not as cells
    odd2 = entries_and_urges()[3]
    odd2.feelings = [True, "a"]
    odd3 = entries_and_urges()[5]
    odd3.feelings = LabelList(["=calm", "sad"])
    return found + [odd, odd2, odd3]


@pytest.mark.parametrize("kind", ["urge", "use", "checkin"])
@pytest.mark.parametrize("excluded", [frozenset(), frozenset({"place", "amount", "unit", "money"}),
                                      frozenset({"items", "people", "when"})])
def test_csv_reads_as_before(kind, excluded):
    from recoveryjournal.export import csv_export

    chosen = csv_records()
    assert csv_export.render(kind, chosen, excluded) == old_csv_render(kind, chosen, excluded)


def old_csv_render(kind, chosen, excluded=frozenset()) -> str:
    import csv
    import dataclasses
    import io

    from recoveryjournal.export.csv_export import columns
    from recoveryjournal.export.shared_records import when_text
    from recoveryjournal.records import Checkin, Urge, Use
    from recoveryjournal.safetext import clean

    def safe_cell(value):
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int | float):
            return f"{value:g}" if isinstance(value, float) else str(value)
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        text = clean(str(value))
        if text.startswith(("=", "+", "-", "@", "\t", "\r")):
            return "'" + text
        return text

    def row_of(record):
        row = {"when": when_text(record.when)}
        if isinstance(record, Checkin):
            for number, value in enumerate(record.items, start=1):
                row[f"item{number}"] = value
            row["raw"], row["percent"] = record.raw, record.percent
        elif isinstance(record, Urge | Use):
            row.update({f.name: getattr(record, f.name) for f in dataclasses.fields(record)})
            row["when"] = when_text(record.when)
        return row

    names = columns(kind, excluded)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for record in chosen:
        if record.kind != kind:
            continue
        row = row_of(record)
        writer.writerow([safe_cell(row.get(name)) for name in names])
    return buffer.getvalue()


# ---- frozen copies of the code the fast paths replaced (html.py, 2026-11-30) --------

_HEADING = re.compile(r"^(#{1,3})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*[-*]\s+(.*)$")
_RULE = re.compile(r"^\s*(-{3,}|\*{3,}|_{3,})\s*$")
_EMPHASIS_LINE = re.compile(r"^_(.+)_$")
_TABLE_ROW = re.compile(r"^\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\|(\s*:?-{3,}:?\s*\|)+\s*$")
_ESCAPABLE = set("\\`*_{}[]()#+-.!<>|~\"'&=:;/@$%^")


def old_blocks(lines: Iterable[str]) -> Iterator[str]:
    """Markdown lines to HTML blocks; sections open at each level-2 heading."""
    paragraph: list[str] = []
    items: list[str] = []
    quote: list[str] = []
    table: list[str] = []
    in_section = False

    def flush() -> Iterator[str]:
        if paragraph:
            yield "<p>" + "<br>\n".join(old_inline(p) for p in paragraph) + "</p>"
            paragraph.clear()
        if items:
            yield "<ul>\n" + "\n".join(f"<li>{old_inline(i)}</li>" for i in items) + "\n</ul>"
            items.clear()
        if quote:
            yield ("<blockquote><p>" + "<br>\n".join(old_inline(q) for q in quote)
                   + "</p></blockquote>")
            quote.clear()
        if table:
            yield old_table(table)
            table.clear()

    for line in lines:
        if _TABLE_ROW.match(line) and (table or not (paragraph or items or quote)):
            table.append(line)
            continue
        if table:
            yield from flush()
        heading = _HEADING.match(line)
        if not line.strip():
            yield from flush()
        elif heading:
            yield from flush()
            level = len(heading.group(1))
            if level == 2:
                if in_section:
                    yield "</section>"
                yield "<section>"
                in_section = True
            yield f"<h{level}>{old_inline(heading.group(2))}</h{level}>"
        elif _RULE.match(line):
            yield from flush()
            yield "<hr>"
        elif line.startswith(">"):
            if paragraph or items:
                yield from flush()
            quote.append(line[1:].lstrip())
        elif _LIST_ITEM.match(line):
            if paragraph or quote:
                yield from flush()
            items.append(_LIST_ITEM.match(line).group(1))
        elif (emphasis := _EMPHASIS_LINE.match(line.strip())) and not paragraph:
            yield from flush()
            yield f'<p class="subtitle">{old_inline(emphasis.group(1))}</p>'
        else:
            if items or quote:
                yield from flush()
            paragraph.append(line)
    yield from flush()
    if in_section:
        yield "</section>"


def old_table(lines: list[str]) -> str:
    """Markdown table rows as an HTML table: the first row is the header unless no
    rule follows it; a cell in bold at the start of a row heads that row."""
    rows = [old_cells(line) for line in lines if not _TABLE_RULE.match(line)]
    has_header = len(lines) > 1 and bool(_TABLE_RULE.match(lines[1]))
    out = ["<table>"]
    if has_header:
        out.append("<thead><tr>" + "".join(f"<th>{old_inline(c)}</th>" for c in rows[0])
                   + "</tr></thead>")
        rows = rows[1:]
    out.append("<tbody>")
    for cells in rows:
        row = []
        for number, cell in enumerate(cells):
            bold = re.fullmatch(r"\*\*(.+)\*\*", cell)
            if number == 0 and bold:
                row.append(f'<th scope="row">{old_inline(bold.group(1))}</th>')
            else:
                row.append(f"<td>{old_inline(cell)}</td>")
        out.append("<tr>" + "".join(row) + "</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def old_cells(line: str) -> list[str]:
    """A table row's cells: split at each bar that is not backslash-escaped."""
    cells, current = [], ""
    for token in re.split(r"(\\.|\|)", line.strip()[1:]):
        if token == "|":
            cells.append(current.strip())
            current = ""
        else:
            current += token
    if current.strip():
        cells.append(current.strip())
    return cells


_TOKENS = re.compile(r"(\\.|\*\*)")


def old_inline(text: str) -> str:
    """One line of Markdown text as escaped HTML; only backslash escapes and
    **bold** are understood, and bold only when it closes on the same line."""
    if "\\" not in text and "**" not in text:
        return html.escape(text, quote=True)  # the common case, fast
    out: list[str] = []
    pieces = _TOKENS.split(text)
    pending_bold = sum(1 for piece in pieces if piece == "**")
    bold = False
    for piece in pieces:
        if piece == "**" and (bold or pending_bold > 1):
            out.append("</strong>" if bold else "<strong>")
            bold = not bold
            pending_bold -= 1
        elif piece == "**":
            out.append("**")
            pending_bold -= 1
        elif len(piece) == 2 and piece[0] == "\\" and piece[1] in _ESCAPABLE:
            out.append(html.escape(piece[1], quote=True))
        else:
            out.append(html.escape(piece, quote=True))
    if bold:
        out.append("</strong>")
    return "".join(out)


def old_unescape_markdown(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)

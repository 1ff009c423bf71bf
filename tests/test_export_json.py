"""The full JSON export: lossless, versioned, importable back with nothing lost."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from helpers import PASSPHRASE
from recoveryjournal import records
from recoveryjournal.export import json_export, json_import
from recoveryjournal.journal import Journal
from recoveryjournal.records import (
    Addiction, Checkin, Entry, ExerciseResponse, Meeting, Mood, Urge, Use,
)

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"


def fill_every_kind(journal: Journal) -> dict[str, str]:
    """One or more records of every kind, with awkward values; returns ids by kind."""
    past = records.now() - timedelta(days=3)
    settings = journal.settings()
    settings.addictions.append(Addiction(name="cannabis", goal="limit-per-week", limit=2.5,
                                         unit="grams", cost_per_use=120.0,
                                         tracked_since=date(2024, 1, 5)))
    settings.idle_minutes = 12
    settings.onboarded = True
    journal.save_settings(settings)
    made = {
        "entry": journal.add(Entry(text=f"Line one\nLine two {HOSTILE} \u202eevil\u0085",
                                   mood=4, tags=["craving", "støtte"], when=past)),
        "urge": journal.add(Urge(addiction="alcohol", intensity=8, intensity_after=3,
                                 minutes=20, trigger="stress", trigger_note="payday",
                                 place="the bar on Storgatan", people="Lars",
                                 feelings=["restless", "sad"], coping=["walk", "called Eva"],
                                 outcome="resisted", when=past)),
        "use": journal.add(Use(addiction="gambling", amount=1.5, unit="hours", money=350.75,
                               minutes=90, note="=SUM(A1:A9)", when=past)),
        "checkin": journal.add(Checkin(items=[3, 4, 2, 5, 1], when=past)),
        "mood": journal.add(Mood(mood=2, when=past)),
        "meeting": journal.add(Meeting(group="Tuesday group", note="shared about work",
                                       when=past)),
        "exercise": journal.add(ExerciseResponse(
            exercise_id="cost-benefit", exercise_version=2, finished=True,
            answers={"pros": ["calm", "sleep"], "grid": {"short_term": "relief"},
                     "rating": 7, "done": True, "note": None}, when=past)),
    }
    journal.save_draft("entry:new", {"text": "half a thought", "mood": 3})
    return {kind: record.id for kind, record in made.items()}


def snapshot(journal: Journal) -> dict[str, dict]:
    """Every record as a comparable dict, by id."""
    return {
        record.id: records.to_dict(record)
        for cls in records.KINDS.values()
        for record in journal.records(cls)
    }


def test_json_round_trip_of_every_kind_loses_nothing(journal, tmp_path):
    fill_every_kind(journal)
    before = snapshot(journal)
    assert {d["kind"] for d in before.values()} == set(records.KINDS)
    text = json_export.render(json_export.every_record(journal))
    export_file = tmp_path / "export.json"
    export_file.write_text(text, encoding="utf-8")

    empty, _code = Journal.create(tmp_path / "new" / "j.db", PASSPHRASE)
    report = json_import.import_records(empty, json_import.read_export(export_file))
    assert report.settings_replaced
    empty.lock()
    reopened = Journal.open(tmp_path / "new" / "j.db", PASSPHRASE)
    assert snapshot(reopened) == before
    assert reopened.problems == []
    reopened.lock()


def test_json_export_is_versioned_says_it_is_not_encrypted_and_holds_no_raw_controls(journal):
    fill_every_kind(journal)
    text = json_export.render(json_export.every_record(journal))
    document = json.loads(text)
    assert document["format"] == "recoveryjournal-export"
    assert document["version"] == 1
    assert "not encrypted" in document["notice"]
    assert document["counts"]["entry"] == 1
    for char in ("\x1b", "\u202e", "\u0085"):
        assert char not in text  # escaped in the file ...
    entry = next(r for r in document["records"] if r["kind"] == "entry")
    assert "\x1b[31mred" in entry["text"]  # ... and exactly back when read


def test_a_broken_record_imports_nothing(journal, tmp_path):
    fill_every_kind(journal)
    document = json.loads(json_export.render(json_export.every_record(journal)))
    bad = next(r for r in document["records"] if r["kind"] == "checkin")
    bad["items"] = [1, 2]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document))
    target, _code = Journal.create(tmp_path / "t" / "j.db", PASSPHRASE)
    with pytest.raises(json_import.ImportFailed, match="Nothing was imported"):
        json_import.import_records(target, json_import.read_export(path))
    assert target.count(Entry) == 0 and target.count(Urge) == 0


@pytest.mark.parametrize("content, message", [
    (b"not json", "not valid JSON"),
    (b'{"entries": []}', "not a recoveryjournal JSON export"),
    (b'{"format": "recoveryjournal-export", "version": 99, "records": []}', "newer version"),
])
def test_files_that_are_not_exports_are_refused_clearly(tmp_path, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(json_import.ImportFailed, match=message):
        json_import.read_export(path)


def test_importing_twice_adds_nothing_new(journal, tmp_path):
    fill_every_kind(journal)
    path = tmp_path / "e.json"
    path.write_text(json_export.render(json_export.every_record(journal)))
    report = json_import.import_records(journal, json_import.read_export(path))
    assert sum(report.added.values()) == 0
    assert report.already_there == 8  # 7 records and the draft
    assert journal.count(Entry) == 1


def test_a_failed_write_takes_back_what_was_added(journal, monkeypatch):
    prepared = [Entry(text=f"entry {n}", when=datetime(2024, 1, n + 1).astimezone())
                for n in range(5)]
    calls = {"n": 0}
    real = journal._write

    def failing(record):
        calls["n"] += 1
        if calls["n"] == 4:
            raise OSError("disk full")
        real(record)

    monkeypatch.setattr(journal, "_write", failing)
    with pytest.raises(OSError):
        json_import.store_all(journal, prepared)
    monkeypatch.setattr(journal, "_write", real)
    assert journal.count(Entry) == 0


# ---- the fast writer is json.dumps(indent=1) of to_dict, byte for byte -------------


def old_render(chosen, excluded=frozenset(), exported_at=None) -> str:
    """The JSON export as it was written before it was made fast (frozen here, so a
    change to the live writer cannot move the reference with it)."""
    import re
    from collections import Counter

    from recoveryjournal import __version__
    from recoveryjournal.export.files import not_encrypted_notice

    documents = []
    for record in chosen:
        document = records.to_dict(record)
        for name in excluded:
            document.pop(name, None)
        documents.append(document)
    export = {
        "notice": not_encrypted_notice(), "format": "recoveryjournal-export", "version": 1,
        "record_schema": records.SCHEMA_VERSION, "app_version": __version__,
        "exported_at": exported_at or records.now().isoformat(timespec="seconds"),
        "complete": not excluded, "counts": dict(Counter(d["kind"] for d in documents)),
        "records": documents,
    }
    text = json.dumps(export, ensure_ascii=False, indent=1)
    return re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                  lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def awkward_records() -> list:
    """Every kind, with the values whose JSON is easy to get wrong: nested answers,
    floats, huge and negative numbers, empty lists, control and bidi characters,
    quotes and backslashes, an edited record, a naive and a far-off time."""
    when = datetime(2024, 3, 30, 22, 45, 12, 345678).astimezone()
    text = 'q"uote \\back\\ \x00\x1b[31m\x7f\x85 \u2028\u2029 \u202eevil é 🙂\r\n\ttab'
    settings = records.Settings(
        idle_minutes=7, onboarded=True, share_left_out=["tags"], milestones={"alcohol": "x:3"},
        course_start=date(2024, 1, 1),
        addictions=[Addiction(name="alcohol", limit=2.5, tracked_since=date(2024, 1, 5))])
    edited = Entry(text="edited", tags=[], when=when)
    edited.updated = edited.created + timedelta(hours=1)
    return [
        Entry(text=text, mood=None, tags=[text, "tools"], when=when), edited,
        Entry(text="", when=datetime(1969, 7, 20, 20, 17)),  # naive: local already
        Urge(addiction="alcohol", intensity=0, intensity_after=None, minutes=10 ** 20,
             trigger=text, trigger_note="", place=text, people="Lars",
             feelings=[], coping=["walk", text], outcome="acted", when=when),
        Use(addiction="gambling", amount=2.0, unit="", money=1e16, minutes=-3, note=text,
            when=when),
        Use(addiction="alcohol", amount=0.1 + 0.2, money=None, when=when),
        Checkin(items=[0, 5, 3, 2, 1], when=when), Mood(mood=1, when=when),
        Meeting(group=text, note=text, when=when),
        ExerciseResponse(exercise_id="cost-benefit", finished=False, when=when,
                         answers={"list": [text, "", True, None, 1.5, [], {}],
                                  "grid": {"a": {"b": text}}, "n": -0.0, "e": {}}),
        settings,
    ]


@pytest.mark.parametrize("excluded", [
    frozenset(), frozenset({"place", "people", "note", "trigger_note", "addiction"}),
    frozenset({"amount", "unit", "money", "tags", "mood", "answers", "items", "when"}),
    frozenset({"id", "updated"}),  # not offered to a person, but the plain way must agree
])
def test_the_json_export_is_what_json_dumps_made(excluded):
    chosen = awkward_records()
    stamp = "2026-11-30T12:00:00+01:00"
    fast = json_export.render(chosen, excluded, exported_at=stamp)
    assert fast == old_render(chosen, excluded, exported_at=stamp)
    assert json_export.render([], excluded, stamp) == old_render([], excluded, stamp)


def test_the_indented_writer_matches_json_dumps_on_every_kind_of_value():
    values = [{}, [], "", {"a": [], "b": {}, "c": [[], [{}]]}, [1, -2.5, None, True, False],
              {"k": {"n": {"m": [1, {"z": -0.0}]}}}, 1e16, 1e-7, float("nan"), float("inf"),
              -float("inf"), 10 ** 30, {1: "a", 2.5: "b", None: "c", False: "d"}, (1, (2,)),
              'quote " back \\ \x00 \x1f \u2028 é 🙂', {"é": ["x" * 3]}]
    for value in values:
        assert json_export.dumps_indented(value) == json.dumps(
            value, ensure_ascii=False, indent=1), value

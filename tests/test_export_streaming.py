"""Streamed exports (md, txt, html) are byte for byte what the whole-document
writers made before streaming; a failure midway leaves nothing behind.

The reference is a frozen copy of those writers (`old_*` at the end of this file),
so a change to the live writers cannot quietly move the reference with it."""

from __future__ import annotations

import html
import stat
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from recoveryjournal.export import html as html_writer
from recoveryjournal.export import markdown, selection
from recoveryjournal.export import text as text_writer
from recoveryjournal.export.files import (
    ExportExists, not_encrypted_notice, write_export, write_export_pieces)
from recoveryjournal.export.html import (
    _EMPHASIS_LINE, _HEADING, _LIST_ITEM, _POLICY, _RULE, _STYLE, _inline, _unescape_markdown)
from recoveryjournal.export.selection import Selection
from recoveryjournal.export.shared_records import (
    DayCachedWhenText, Document, SharedRecord, _answer_text, _humanise, _labels, _number,
    _value_text, build_document, described_in_batches, document_title, exercise_title,
    when_text, without_trailing_newlines)
from recoveryjournal.i18n import _, current_language
from recoveryjournal.i18n.labels import addiction_label
from recoveryjournal.records import Checkin, Entry, ExerciseResponse, Meeting, Mood, Urge, Use
from recoveryjournal.safetext import clean

# Everything an export must make inert: control characters, ESC sequences, NUL,
# Markdown and HTML specials, bidi overrides and isolates, CR, CRLF, C1 controls.
HOSTILE = [
    "plain words",
    "\x1b[31mred\x1b[0m and \x1b]0;title\x07",
    "NUL\x00inside and DEL\x7f and C1\x85\x9b",
    "<script>alert(1)</script> [link](http://x) ![img](y) \\ back\\slash",
    "bidi \u202eevil\u202c and isolate \u2066x\u2069",
    "windows\r\nlines\r\nend\r\n",
    "lone\rcarriage and \r\r\n double",
    "ends in CR\r",
    "\r\n\r\nstarts with CRLF",
    "**bold** _under_ # not a heading\n## looks like one\n> quote\n- item\n---",
    "tab\tkept\nnewline kept\n\n\nthree",
    "trailing newlines\n\n\n",
    "ends in NUL then newline\x00\n",
    "\x00",
    "emoji 🙂 and accents åäö",
]
BASE = datetime(2024, 3, 30, 22, 45, 12, 345678, tzinfo=timezone.utc)


def varied_records() -> list:
    """One of each kind and shape, every text field hostile in turn."""
    found: list = []
    for number, text in enumerate(HOSTILE):
        when = BASE + timedelta(hours=7 * number, minutes=number)
        found.append(Entry(text=text + " entry", mood=(number % 5) + 1 if number % 3 else None,
                           tags=[text[:8], "tools"] if number % 2 else [], when=when))
        found.append(Urge(addiction="alcohol" if number % 2 else text[:10] or "x",
                          intensity=number % 11, intensity_after=None if number % 3 else 2,
                          minutes=None if number % 4 else number, trigger=text[:12],
                          trigger_note=text, place=text[:5], people="",
                          feelings=[text[:6], "calm"] if number % 2 else [],
                          coping=["walk"], outcome="acted" if number % 2 else "resisted",
                          when=when + timedelta(minutes=1)))
        found.append(Use(addiction="gambling", amount=None if number % 3 else 2.5,
                         unit=text[:4], money=10.0 if number % 2 else None,
                         minutes=0 if number % 2 else None, note=text,
                         when=when + timedelta(minutes=2)))
        found.append(Meeting(group=text[:15], note=text, when=when + timedelta(minutes=3)))
        found.append(ExerciseResponse(
            exercise_id="urge-surfing" if number % 2 else text[:9] or "x",
            finished=bool(number % 2),
            answers={"what": text, "list": [text, "", True], "nested": {"a": text, "b": 2.0},
                     "empty": "", "flag": False, "none": None},
            when=when + timedelta(minutes=4)))
    found.append(Checkin(items=[1, 2, 3, 4, 5], when=BASE - timedelta(days=400)))
    found.append(Mood(mood=4, when=BASE - timedelta(days=3)))
    found.append(Entry(text="from 1969", when=datetime(1969, 7, 20, 20, 17, tzinfo=timezone.utc)))
    kathmandu = timezone(timedelta(hours=5, minutes=45))
    found.append(Entry(text="not UTC", when=datetime(2023, 10, 29, 1, 30, tzinfo=kathmandu)))
    # Last of all: "\n" then a character that cleaning drops. The old writers strip
    # the end's newlines before cleaning, so this newline stays; a stream must agree.
    found.append(Entry(text="the last entry\n\x00", when=BASE + timedelta(days=30)))
    found.sort(key=lambda r: r.when)
    return found


EXCLUSIONS = [frozenset(), frozenset({"place", "people", "note", "trigger_note", "addiction"}),
              frozenset({"amount", "unit", "money", "tags", "mood", "answers", "intensity"})]
WRITERS = [(markdown, "old_markdown_render"), (text_writer, "old_text_render"),
           (html_writer, "old_html_render")]


@pytest.mark.parametrize("excluded", EXCLUSIONS)
@pytest.mark.parametrize("writer,reference", WRITERS)
def test_streamed_exports_equal_the_whole_document_writers(writer, reference, excluded):
    chosen = varied_records()
    subtitle = "Journal entries · tagged <b>\x1b[0m"
    old = globals()[reference](Document(title=document_title(), subtitle=subtitle,
                                        records=[old_describe(r, excluded) for r in chosen]))
    whole = writer.render(build_document(chosen, excluded, subtitle=subtitle))
    assert whole == old
    for size in (1, 2, 3, 7, 1000):  # a batch boundary falls after every record, and none
        streamed = "".join(writer.stream(document_title(), subtitle,
                                         described_in_batches(chosen, excluded, size=size)))
        assert streamed == old, size
    assert "\x1b" not in old and "\x00" not in old and "\r" not in old and "\u202e" not in old


@pytest.mark.parametrize("writer,reference", WRITERS)
def test_an_empty_export_and_the_checkin_card_shape_are_unchanged(writer, reference):
    empty = Document(title="Nothing <here>", subtitle="")
    assert writer.render(empty) == globals()[reference](empty)
    assert "".join(writer.stream("Nothing <here>", "", iter([]))) == globals()[reference](empty)
    card = Document(title="Week", subtitle="sub", records=[
        SharedRecord(heading="No date\r", when=None, facts=[("A", "b\r")],
                     passages=[("", "text\r\n")]),
        SharedRecord(heading="Bare", when=None)])
    assert writer.render(card) == globals()[reference](card)


def test_html_from_hand_edited_markdown_is_unchanged():
    edited = "# My <title>\n\n> note\n\n- a\n- **b**\n\n## Part\r\n\nline\\[x\\]\n---\n_sub_\n"
    assert html_writer.from_markdown(edited) == old_html_from_markdown(edited)
    assert html_writer.from_markdown("") == old_html_from_markdown("")


def test_trailing_newlines_are_held_back_across_pieces():
    for pieces in (["a\n", "\n", "b\n\n"], ["\n\n"], ["a", "\n", "\n"], ["a\r", "\n"], []):
        assert "".join(without_trailing_newlines(pieces)) == "".join(pieces).rstrip("\n")


def test_escaping_and_cleaning_in_one_pass_matches_the_two_passes():
    every_character = "".join(map(chr, range(0x3000))) + "\r\n\r\r\n" + "".join(
        map(chr, range(0xD800))) + "".join(map(chr, range(0xE001, 0x110000)))
    # U+E000 is markdown.TABLE_BAR, a table's own bar: it becomes "|", not "\\|".
    assert markdown._escape_and_clean(every_character) == clean(markdown.escape(every_character))


@pytest.mark.parametrize("zone", ["UTC", "Europe/Stockholm", "America/New_York",
                                  "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns"])
def test_dates_read_the_same_whatever_the_time_zone(zone, monkeypatch):
    if not Path("/usr/share/zoneinfo", zone).exists():
        pytest.skip(f"no time zone data for {zone}")
    monkeypatch.setenv("TZ", zone)
    time.tzset()
    try:
        cached_when_text = DayCachedWhenText()
        start = datetime(2023, 1, 1, tzinfo=timezone.utc)
        # Every 7 minutes 13 seconds for two years: each clock change is crossed.
        moments = [start + timedelta(seconds=433 * n, microseconds=n % 1000)
                   for n in range(0, 2 * 365 * 24 * 3600 // 433, 3)]
        moments += [datetime(1950, 6, 1, 12, tzinfo=timezone.utc),
                    datetime(2024, 3, 31, 0, 59, 59, 999999, tzinfo=timezone.utc),
                    datetime(2024, 3, 31, 1, 0, tzinfo=timezone(timedelta(hours=-3))),
                    datetime(2024, 3, 31, 1, 0)]  # naive: already local
        # As a journal kept here reads them: each moment in the local offset of
        # its own moment (the quick way), and in the offsets around the changes.
        moments += [moment.astimezone() for moment in moments if moment.tzinfo]
        for hours in (-3.5, 1, 2, 5.75, 10.5, 11):
            offset = timezone(timedelta(hours=hours))
            moments += [moment.astimezone(offset) for moment in moments[:48000:13]]
        for moment in moments:
            assert cached_when_text(moment) == when_text(moment) == old_when_text(moment), moment
    finally:
        monkeypatch.undo()
        time.tzset()


# ---- writing a file a piece at a time ---------------------------------------------


def test_a_streamed_file_is_private_from_its_first_byte(tmp_path):
    target = tmp_path / "share.md"
    seen: list[int] = []

    def pieces():
        yield "first"
        temp = next(tmp_path.glob(".export-*.tmp"))
        seen.append(stat.S_IMODE(temp.stat().st_mode))
        assert not target.exists()  # published only once complete
        yield b" and bytes "
        yield "and more é"

    write_export_pieces(target, pieces())
    assert seen == [0o600]
    assert target.read_bytes() == "first and bytes and more é".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("force", [False, True])
def test_a_failure_while_making_the_export_leaves_nothing(tmp_path, force):
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "share.md"
    if force:
        target.write_text("my earlier copy")

    def pieces():
        yield "half of it"
        raise RuntimeError("the journal could not be read")

    with pytest.raises(RuntimeError):
        write_export_pieces(target, pieces(), force=force)
    if force:
        assert target.read_text() == "my earlier copy"  # the old file is untouched
    else:
        assert not target.exists()
    assert sorted(p.name for p in folder.iterdir()) == (["share.md"] if force else [])


def test_streaming_never_replaces_without_force(tmp_path):
    target = tmp_path / "share.md"
    target.write_text("mine")
    with pytest.raises(ExportExists):
        write_export_pieces(target, iter(["new"]))
    assert target.read_text() == "mine"
    write_export_pieces(target, iter(["new", "er"]), force=True)
    assert target.read_text() == "newer"
    assert write_export(tmp_path / "small.txt", "one piece").read_text() == "one piece"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".export-")] == []


def test_a_streamed_cli_export_equals_the_reference(journal, tmp_path):
    """The CLI path end to end (selection → batches → file) on the varied records."""
    for record in varied_records():
        record.when = min(record.when, datetime.now(timezone.utc) - timedelta(days=1))
        journal.add(record)
    kinds = selection.SHAREABLE_KINDS
    wanted = Selection(kinds=kinds)
    chosen = selection.choose(journal, wanted)
    subtitle = selection.selection_subtitle(wanted)
    target = write_export_pieces(tmp_path / "all.md", markdown.stream(
        document_title(), subtitle, described_in_batches(chosen, size=4)))
    old = old_markdown_render(Document(title=document_title(), subtitle=subtitle,
                                       records=[old_describe(r) for r in chosen]))
    assert target.read_bytes() == old.encode("utf-8")


# ---- the writers as they were before streaming (the reference; do not "fix") -----


def old_when_text(when):
    local = when.astimezone()
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d} {local.hour:02d}:{local.minute:02d}"


def old_describe(record, excluded=frozenset()):
    label = _labels()
    facts: list[tuple[str, str]] = []
    passages: list[tuple[str, str]] = []

    def fact(name: str, value: Any) -> None:
        if name in excluded or value is None or value == "" or value == []:
            return
        facts.append((label[name], value if isinstance(value, str) else _value_text(value)))

    def passage(name: str, value: str) -> None:
        if name not in excluded and value and value.strip():
            passages.append((label[name], value.strip("\n")))

    heading = label[record.kind]
    if isinstance(record, Entry):
        fact("mood", f"{record.mood}/5" if record.mood else None)
        fact("tags", record.tags)
        passage("text", record.text)
    elif isinstance(record, Urge):
        if "addiction" not in excluded and record.addiction:
            heading = label["urge-of"].format(addiction=addiction_label(record.addiction))
        fact("intensity", f"{record.intensity}/10")
        if record.intensity_after is not None:
            fact("intensity_after", f"{record.intensity_after}/10")
        fact("minutes", record.minutes)
        fact("trigger", record.trigger)
        fact("place", record.place)
        fact("people", record.people)
        fact("feelings", record.feelings)
        fact("coping", record.coping)
        fact("outcome", label["resisted" if record.outcome == "resisted" else "acted"])
        passage("trigger_note", record.trigger_note)
    elif isinstance(record, Use):
        if "addiction" not in excluded and record.addiction:
            heading = label["use-of"].format(addiction=addiction_label(record.addiction))
        if record.amount is not None and "amount" not in excluded:
            unit = "" if "unit" in excluded else record.unit
            fact("amount", f"{_number(record.amount)} {unit}".strip())
        fact("money", _number(record.money) if record.money is not None else None)
        fact("minutes", record.minutes)
        passage("note", record.note)
    elif isinstance(record, Checkin):
        fact("items", label["who5-score"].format(percent=record.percent, raw=record.raw))
    elif isinstance(record, Mood):
        fact("mood", f"{record.mood}/5")
    elif isinstance(record, Meeting):
        fact("group", record.group)
        passage("note", record.note)
    elif isinstance(record, ExerciseResponse):
        heading = label["exercise-of"].format(title=exercise_title(record.exercise_id))
        if not record.finished:
            facts.append((label["status"], label["not-finished"]))
        if "answers" not in excluded:
            for step, answer in record.answers.items():
                text = _answer_text(answer)
                if text.strip():
                    passages.append((_humanise(step), text))
    return SharedRecord(heading=heading, when=record.when, facts=facts, passages=passages)


def old_escape(text):
    return (text.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
            .replace("[", "\\[").replace("]", "\\]"))


def old_markdown_render(document):
    head = [f"# {old_escape(document.title)}", "", f"> {not_encrypted_notice()}", ""]
    if document.subtitle:
        head += [f"_{old_escape(document.subtitle)}_", ""]
    if not document.records:
        head += [_("Nothing was chosen."), ""]
    body: list[str] = []
    for shared in document.records:
        heading = shared.heading
        if shared.when is not None:
            heading += f" · {old_when_text(shared.when)}"
        body += [f"## {heading}", ""]
        if shared.facts:
            body += [f"- **{label}:** {value}" for label, value in shared.facts]
            body.append("")
        for label, text in shared.passages:
            if label:
                body += [f"### {label}", ""]
            body += [text, ""]
    text = "\n".join(head) + "\n" + old_escape("\n".join(body)).rstrip("\n") + "\n"
    return clean(text)


def old_text_render(document):
    title = document.title
    out = [title, "=" * len(title), "", not_encrypted_notice(), ""]
    if document.subtitle:
        out += [document.subtitle, ""]
    if not document.records:
        out += [_("Nothing was chosen."), ""]
    for shared in document.records:
        heading = shared.heading
        if shared.when is not None:
            heading += f" · {old_when_text(shared.when)}"
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
    return clean("\n".join(out).rstrip("\n") + "\n")


def old_html_render(document):
    return old_html_from_markdown(old_markdown_render(document), title=document.title)


def old_html_from_markdown(text, title=None):
    text = clean(text)
    lines = text.split("\n")
    if title is None:
        title = next((m.group(2) for m in map(_HEADING.match, lines) if m), _("Export"))
    body = "\n".join(old_blocks(lines))
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html.escape(current_language())}">\n<head>\n'
        '<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_POLICY}">\n'
        '<meta name="referrer" content="no-referrer">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(_unescape_markdown(title))}</title>\n"
        f"<style>{_STYLE}</style>\n"
        f"</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def old_blocks(lines):
    out: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    quote: list[str] = []
    in_section = False

    def flush() -> None:
        if paragraph:
            out.append("<p>" + "<br>\n".join(_inline(p) for p in paragraph) + "</p>")
            paragraph.clear()
        if items:
            out.append("<ul>\n" + "\n".join(f"<li>{_inline(i)}</li>" for i in items) + "\n</ul>")
            items.clear()
        if quote:
            out.append("<blockquote><p>" + "<br>\n".join(_inline(q) for q in quote)
                       + "</p></blockquote>")
            quote.clear()

    for line in lines:
        heading = _HEADING.match(line)
        if not line.strip():
            flush()
        elif heading:
            flush()
            level = len(heading.group(1))
            if level == 2:
                if in_section:
                    out.append("</section>")
                out.append("<section>")
                in_section = True
            out.append(f"<h{level}>{_inline(heading.group(2))}</h{level}>")
        elif _RULE.match(line):
            flush()
            out.append("<hr>")
        elif line.startswith(">"):
            if paragraph or items:
                flush()
            quote.append(line[1:].lstrip())
        elif _LIST_ITEM.match(line):
            if paragraph or quote:
                flush()
            items.append(_LIST_ITEM.match(line).group(1))
        elif (emphasis := _EMPHASIS_LINE.match(line.strip())) and not paragraph:
            flush()
            out.append(f'<p class="subtitle">{_inline(emphasis.group(1))}</p>')
        else:
            if items or quote:
                flush()
            paragraph.append(line)
    flush()
    if in_section:
        out.append("</section>")
    return out


def test_a_cli_export_never_holds_the_whole_journal_at_once(journal, journal_path, tmp_path,
                                                           monkeypatch):
    """`export` reads the rows a batch at a time after the passphrase is checked,
    and decodes the chosen kinds as each batch opens. Reading every row while
    Argon2id ran held the whole journal's ciphertext beside its 64 MiB, and then
    all the chosen plaintext beside the records: at ten times the benchmark
    journal 1.35 GB for an export, now 0.49 GB (bench/NOTES.md)."""
    import io
    import sys

    from recoveryjournal.cli import main
    from recoveryjournal.record_index import RecordIndex
    from recoveryjournal.vault import vault as vault_module

    from helpers import PASSPHRASE

    for day in range(300):
        journal.add(Entry(text=f"Day {day}: rang Maria.", when=BASE - timedelta(days=day)))
        journal.add(Urge(addiction="alcohol", intensity=day % 11, when=BASE - timedelta(days=day)))
    journal.lock()
    monkeypatch.setattr(vault_module, "BATCH", 32)  # a batch is small beside the journal
    read_beside_the_kdf = []
    monkeypatch.setattr(vault_module, "Prefetch",
                        lambda *args, **kwargs: read_beside_the_kdf.append(args))
    entries_waiting = []
    take = RecordIndex.take

    def taking(index, *args, **kwargs):
        take(index, *args, **kwargs)
        entries_waiting.append(len(index._pending.get("entry", [])))

    monkeypatch.setattr(RecordIndex, "take", taking)
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    out = tmp_path / "entries.md"
    assert main(["--journal", str(journal_path), "export", "--kind", "entry",
                 "--out", str(out)]) == 0
    assert out.read_text().count("rang Maria") == 300
    assert not read_beside_the_kdf
    # Decoded a batch at a time: never more than one batch's entries waiting as JSON.
    assert entries_waiting and max(entries_waiting) <= 32, max(entries_waiting)


def test_a_cli_export_of_whole_kinds_equals_the_reference(journal, journal_path, tmp_path,
                                                          monkeypatch):
    """`export` of every kind, nothing left out, is made straight from the rows
    (rows_to_markdown.py): the file is what the writers before streaming made."""
    import io
    import sys

    from recoveryjournal.cli import main
    from recoveryjournal.export.privacy import PRIVATE_GROUPS

    from helpers import PASSPHRASE

    for record in varied_records():
        record.when = min(record.when, datetime.now(timezone.utc) - timedelta(days=1))
        journal.add(record)
    kinds = selection.SHAREABLE_KINDS
    wanted = Selection(kinds=kinds)
    chosen = selection.choose(journal, wanted)
    old = old_markdown_render(Document(title=document_title(),
                                       subtitle=selection.selection_subtitle(wanted),
                                       records=[old_describe(r) for r in chosen]))
    journal.lock()
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{PASSPHRASE}\n"))
    out = tmp_path / "all.md"
    args = ["--journal", str(journal_path), "export", "--out", str(out)]
    args += [arg for kind in kinds for arg in ("--kind", kind)]
    args += [arg for group in PRIVATE_GROUPS for arg in ("--include", group)]
    assert main(args) == 0
    assert out.read_bytes() == old.encode("utf-8")


@pytest.mark.parametrize("order_lost", [False, True])
def test_reading_for_an_export_finds_what_a_full_read_finds(journal, journal_path,
                                                             monkeypatch, order_lost):
    """Journal.load_handing_over keeps no record of the kinds it hands over, yet says
    what a full read says: a record that cannot be read, a kind marker edited
    outside the app; and asking for one of those kinds afterwards reads it all.
    The kinds handed over are met in the order read; were that order lost, each
    would be looked up (`order_lost`), and the marker is found all the same."""
    import json
    import sqlite3

    from recoveryjournal import records
    from recoveryjournal import journal as journal_module
    from recoveryjournal.journal import Journal

    if order_lost:
        met_in_order = journal_module._HandedKinds.walk

        def walk_backwards(handed, passed_over):
            backwards = journal_module._HandedKinds()
            for record_id, kind in reversed(list(handed.of(handed.ids()).items())):
                backwards.add(record_id, kind)
            return met_in_order(backwards, passed_over)

        monkeypatch.setattr(journal_module._HandedKinds, "walk", walk_backwards)
    from recoveryjournal.export.rows_to_markdown import MarkdownRows

    from helpers import PASSPHRASE

    for day in range(20):
        journal.add(Entry(text=f"Day {day}", when=BASE - timedelta(days=day)))
        journal.add(Urge(addiction="alcohol", intensity=day % 11, when=BASE - timedelta(days=day)))
    newer = Urge(addiction="alcohol", intensity=3, when=BASE)
    payload = records.to_json(newer).replace(b'"schema":1', b'"schema":9')
    journal._live_vault().write(newer.id, payload, records.KIND_CODES["urge"])
    # Written by another program: its kind is not at the start (decoded to learn it).
    reordered = Entry(text="kind last", when=BASE)
    document = json.loads(records.to_json(reordered))
    document = {key: document[key] for key in ("schema", "created", "updated", "data", "kind")}
    journal._live_vault().write(reordered.id, json.dumps(document).encode(),
                                records.KIND_CODES["entry"])
    edited = journal.records(Urge)[0].id
    journal.lock()
    db = sqlite3.connect(journal_path)
    (hint,) = db.execute("SELECT hint FROM records WHERE id = ?", (edited,)).fetchone()
    with db:
        db.execute("UPDATE records SET hint = ? WHERE id = ?", (hint ^ 3 ^ 2, edited))
    db.close()

    opened = Journal.open(journal_path, PASSPHRASE)
    opened.load(decode=("urge", "entry"))  # as `export` read before
    expected = sorted(opened.problems)
    opened.lock()
    assert len(expected) == 2 and any(newer.id in p for p in expected)
    assert any("kind marker" in p and edited in p for p in expected)

    opened = Journal.open(journal_path, PASSPHRASE)
    rows = MarkdownRows(("urge", "entry"), frozenset())
    opened.load_handing_over(("urge", "entry"), rows.take)
    assert sorted(opened.problems) == expected
    assert len(rows) == 41  # the newer one is not read, as ever; the reordered one is
    assert "kind last" in "".join(rows.bodies())
    assert opened._index_.count("urge") == 0  # handed over, not kept
    assert len(opened.records(Urge)) == 20 and len(opened.entries()) == 21
    opened.lock()

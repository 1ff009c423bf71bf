"""Sharing with the group: choosing records and fields, and the Markdown, text
and HTML writers (inert HTML, excluded fields never appear)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from html.parser import HTMLParser

import pytest

from recoveryjournal import records
from recoveryjournal.export import csv_export, html, json_export, markdown, text
from recoveryjournal.export.selection import Selection, choose, expand_fields
from recoveryjournal.export.shared_records import build_document
from recoveryjournal.records import Entry, ExerciseResponse, Urge, Use

HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"
ATTACK = ('<script>alert(1)</script> "><img src=x onerror=alert(2)> '
          "<a href=\"javascript:alert(3)\">x</a> ![i](http://tracker.example/p.png) "
          "\\<script\\>alert(4)\\</script\\> **<b onmouseover=alert(5)>** "
          f"{HOSTILE} \x07\x9b31m\u202e")


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2024, 3, day, hour, 0).astimezone()


class ElementCounter(HTMLParser):
    """Every start tag and attribute in a page."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def parse(page: str) -> ElementCounter:
    counter = ElementCounter()
    counter.feed(page)
    counter.close()
    return counter


def test_html_of_hostile_text_is_inert(journal):
    journal.add(Entry(text=ATTACK, tags=["<script>"], when=at(1)))
    journal.add(ExerciseResponse(exercise_id="x<script>", answers={"<img src=x>": ATTACK},
                                 when=at(2)))
    page = html.render(build_document(choose(journal, Selection())))
    found = parse(page)
    assert "script" not in found.tags and "img" not in found.tags
    assert "a" not in found.tags and "b" not in found.tags
    assert not [name for name, _value in found.attributes if name.startswith("on")]
    assert not [v for _n, v in found.attributes if v and "javascript" in v]
    assert set(found.tags) <= {"html", "head", "meta", "title", "style", "body", "main", "h1",
                               "h2", "h3", "p", "br", "ul", "li", "strong", "blockquote",
                               "section", "hr"}
    for char in ("\x1b", "\x07", "\x9b", "\u202e"):
        assert char not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown, as text
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "http://" not in page.split("</style>")[0]  # nothing loaded from outside


def test_hand_edited_markdown_still_gives_inert_html():
    edited = "# Mine\n\n<script>alert(1)</script>\n\n- **<img src=x onerror=y>:** z\n" \
             "> <iframe src=//evil>\n\n## <svg onload=alert(1)>\n"
    found = parse(html.from_markdown(edited))
    assert not {"script", "img", "iframe", "svg"} & set(found.tags)
    assert not [n for n, _v in found.attributes if n.startswith("on")]


def test_html_page_is_printable_and_readable_on_a_phone(journal):
    journal.add(Entry(text="Called my sponsor.", when=at(1)))
    page = html.render(build_document(choose(journal, Selection())))
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    assert "@media print" in page
    assert "not encrypted" in page


def unescaped(markdown_text: str, characters: str) -> list[int]:
    """Positions of `characters` not escaped by an odd run of backslashes
    (the notice line and headings we wrote ourselves are skipped)."""
    body = markdown_text.split("\n## ", 1)[1].split("\n", 1)[1]
    found = []
    for index, char in enumerate(body):
        if char in characters:
            run = len(body[:index]) - len(body[:index].rstrip("\\"))
            if run % 2 == 0:
                found.append(index)
    return found


def test_markdown_makes_hostile_text_inert_but_readable(journal):
    journal.add(Entry(text=ATTACK, when=at(1)))
    out = markdown.render(build_document(choose(journal, Selection())))
    assert not unescaped(out, "<[]"), "every < [ ] in user text is backslash-escaped"
    assert "\\<script\\>alert(1)" in out
    assert "[/bold] [@click" not in out and "\\[/bold\\]" in out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert out.splitlines()[2].startswith("> This file is not encrypted")


def test_plain_text_keeps_the_words_and_drops_control_characters(journal):
    journal.add(Entry(text=f"Hello {HOSTILE}", mood=3, tags=["tools"], when=at(1)))
    out = text.render(build_document(choose(journal, Selection())))
    assert "Hello [/bold] [@click=app.quit]x[/] [31mred" in out
    assert "\x1b" not in out
    assert "not encrypted" in out.splitlines()[3]
    assert "Mood: 3/5" in out and "Tags: tools" in out


def private_records(journal):
    journal.add(Urge(addiction="alcohol", intensity=7, place="PLACE-Storgatan-12",
                     people="PEOPLE-Lars", trigger_note="NOTE-payday", when=at(3)))
    journal.add(Use(addiction="gambling", amount=3.25, unit="UNIT-hours", money=4321.5,
                    note="NOTE-casino", when=at(4)))


SECRETS = ("PLACE-Storgatan", "PEOPLE-Lars", "NOTE-payday", "NOTE-casino", "UNIT-hours",
           "4321.5", "3.25")


@pytest.mark.parametrize("format_name", ["md", "txt", "html", "json"])
def test_excluded_fields_never_appear(journal, format_name):
    private_records(journal)
    excluded = expand_fields(["places", "people", "amounts", "notes"])
    wanted = Selection(kinds=("urge", "use"), excluded=excluded)
    chosen = choose(journal, wanted)
    writers = {"md": markdown.render, "txt": text.render, "html": html.render}
    if format_name == "json":
        out = json_export.render(chosen, excluded)
        assert {"place", "people", "note", "money"}.isdisjoint(
            json.loads(out)["records"][0])
    else:
        out = writers[format_name](build_document(chosen, excluded))
    for secret in SECRETS:
        assert secret not in out
    assert "alcohol" in out  # what was not left out is still there
    # and without exclusions they would have been there
    full = json_export.render(chosen) if format_name == "json" else \
        writers[format_name](build_document(chosen))
    assert all(secret in full for secret in SECRETS[:4])


@pytest.mark.parametrize("kind", ["urge", "use"])
def test_excluded_fields_never_appear_in_csv(journal, kind):
    private_records(journal)
    excluded = expand_fields(["places", "people", "amounts", "notes"])
    out = csv_export.render(kind, choose(journal, Selection(kinds=(kind,))), excluded)
    for secret in SECRETS:
        assert secret not in out


def test_unknown_field_names_are_refused_with_the_choices():
    with pytest.raises(ValueError, match="places"):
        expand_fields(["passwords"])
    assert expand_fields(["amounts", "tags"]) == {"amount", "unit", "money", "carries_amounts",
                                                  "tags"}


def test_choosing_by_date_range_kind_tag_and_hand(journal):
    a = journal.add(Entry(text="a", tags=["Work"], when=at(1)))
    b = journal.add(Entry(text="b", tags=["home"], when=at(5)))
    c = journal.add(Entry(text="c", tags=["#work"], when=at(9)))
    x = journal.add(ExerciseResponse(exercise_id="urge-surfing", when=at(5)))
    journal.add(Urge(addiction="alcohol", intensity=3, when=at(5)))
    assert choose(journal, Selection()) == [a, b, x, c]  # entries and exercises, by time
    assert choose(journal, Selection(date_from=date(2024, 3, 2), date_to=date(2024, 3, 5))) \
        == [b, x]
    assert choose(journal, Selection(tags=("WORK",))) == [a, c]
    assert choose(journal, Selection(kinds=("exercise",))) == [x]
    assert choose(journal, Selection(ids=frozenset({a.id, x.id}))) == [a, x]



def test_the_count_before_export_is_what_will_be_written(journal):
    """The export screen counts without building every urge (count_chosen): the
    same number as the records chosen, safety plan left out or not."""
    from recoveryjournal.export.selection import choose_newest, count_chosen

    journal.add(Entry(text="a", tags=["work"], when=at(1)))
    journal.add(Urge(addiction="alcohol", intensity=9, when=at(2)))  # at the same time
    journal.add(ExerciseResponse(exercise_id="safety-plan", when=at(2)))
    journal.add(ExerciseResponse(exercise_id="urge-surfing", when=at(3)))
    for n in range(3):
        journal.add(Urge(addiction="alcohol", intensity=n, when=at(4 + n)))
    choices = [Selection(), Selection(kinds=("urge", "exercise")),
               Selection(kinds=("exercise",), excluded=frozenset({"safety_plan"})),
               Selection(kinds=("urge",), date_from=date(2024, 3, 5)), Selection(tags=("work",))]
    journal.decode_all(polite=True)  # as the app's worker: the urges become columns
    assert type(journal.records(Urge)).__name__ == "InTimeOrder"
    for wanted in choices:
        assert count_chosen(journal, wanted) == len(choose(journal, wanted)), wanted
        for n in (0, 1, 2, 4, 50):  # the pick list: the newest few, in the same order
            assert choose_newest(journal, wanted, n) == (
                choose(journal, wanted)[-n:] if n else [], len(choose(journal, wanted)))
    assert count_chosen(journal, Selection(kinds=("urge", "exercise"))) == 6


def test_csv_guards_against_formulas_and_opens_as_a_table(journal):
    journal.add(Use(addiction="alcohol", amount=2, unit="drinks", note="=HYPERLINK(\"x\")",
                    when=at(1)))
    journal.add(Use(addiction="alcohol", unit="+1", note="@SUM(A1)\x1b", when=at(2)))
    journal.add(Use(addiction="alcohol", unit="-2", note="\tTAB", when=at(3)))
    import csv
    import io

    out = csv_export.render("use", choose(journal, Selection(kinds=("use",))))
    rows = list(csv.reader(io.StringIO(out)))
    # Pure RFC 4180: the header row first (a notice line would sit in A1 and be
    # taken for the header by csv.DictReader, pandas and spreadsheets).
    assert rows[0] == ["when", "addiction", "amount", "unit", "money", "minutes", "note"]
    assert rows[1][6] == "'=HYPERLINK(\"x\")" and rows[1][2] == "2"
    assert rows[2][3] == "'+1" and rows[2][6] == "'@SUM(A1)"
    assert rows[3][3] == "'-2" and rows[3][6] == "'\tTAB"
    assert "\x1b" not in out and "encrypted" not in out
    assert all(len(row) == 7 for row in rows) and out.endswith("\r\n")
    assert [r["unit"] for r in csv.DictReader(io.StringIO(out))] == ["drinks", "'+1", "'-2"]


def test_checkin_csv_has_the_who5_score(journal):
    journal.add(records.Checkin(items=[5, 5, 4, 4, 3], when=at(1)))
    out = csv_export.render("checkin", choose(journal, Selection(kinds=("checkin",))))
    assert out.splitlines()[1].endswith(",5,5,4,4,3,21,84")


def test_weekly_checkin_card(journal):
    from recoveryjournal.export.checkin_card import build_card

    now = records.now()
    day = now.date()
    for n, (outcome, coping) in enumerate([("resisted", ["walk", "called Eva"]),
                                           ("resisted", ["walk", "urge-surfing"]),
                                           ("acted", ["tv"])]):
        journal.add(Urge(addiction="alcohol", intensity=5, outcome=outcome, coping=coping,
                         when=now - timedelta(hours=n + 1)))
    journal.add(Urge(addiction="alcohol", intensity=5, when=now - timedelta(days=9)))
    journal.add(records.Meeting(group="Tuesday group", when=now - timedelta(days=2)))
    journal.add(records.Checkin(items=[3, 3, 3, 3, 3], when=now - timedelta(days=1)))
    out = markdown.render(build_card(journal, day, worked_on="Saying no at <work>"))
    assert "3 this week, 2 resisted" in out
    assert "Tools that helped:** walk (2), " in out and "tv" not in out
    assert "Urge surfing" in out and "called Eva" in out
    assert "urge-surfing" not in out
    assert "1 attended (Tuesday group)" in out
    assert "60%" in out
    assert "Saying no at \\<work\\>" in out
    assert "Lapse" not in out  # only when the person ticks it
    journal.add(records.Use(addiction="alcohol", when=now - timedelta(hours=5)))
    chosen = markdown.render(build_card(journal, day, parts=("urges", "lapse", "bring_up"),
                                        bring_up="How to say no at the party"))
    assert "Lapse:** I had a lapse on 1 day this week" in chosen
    assert "What I'd like to bring up\n\nHow to say no at the party" in chosen
    assert "Meetings" not in chosen and "WHO-5" not in chosen
    hidden = markdown.render(build_card(journal, day, excluded=expand_fields(["groups"])))
    assert "Tuesday group" not in hidden


def test_the_card_counts_the_week_by_local_day_at_its_edges_in_every_offset(journal):
    """The card looks only at the records near its week (a bisection), so a ten-year
    journal's 50,000 urges are not each converted to a local day; what it counts
    is still every record whose local day is in the week, whatever offset it was
    written in, and none a minute outside."""
    from datetime import time as clock, timezone

    from recoveryjournal.export.checkin_card import build_card, week_of

    week_ending = date(2026, 3, 15)
    start, end = week_of(week_ending)
    zones = [timezone(timedelta(hours=h)) for h in (-12, -5, 0, 1, 2, 9, 14)]
    expected = {"urges": 0, "acted": 0}
    for day in range(-4, 12):
        for zone in zones:
            for minute in (0, 1439):
                local = datetime.combine(start + timedelta(days=day), clock(0)).astimezone()
                when = (local + timedelta(minutes=minute)).astimezone(zone)
                outcome = "acted" if (day + minute) % 3 == 0 else "resisted"
                journal.add(Urge(addiction="alcohol", intensity=3, outcome=outcome, when=when))
                if start <= when.astimezone().date() <= end:
                    expected["urges"] += 1
                    expected["acted"] += outcome == "acted"
    for years_back in range(1, 4):  # far from the week: never looked at
        journal.add(Urge(addiction="alcohol", intensity=3,
                         when=datetime.combine(start, clock(12)).astimezone()
                         - timedelta(days=365 * years_back)))
    out = markdown.render(build_card(journal, week_ending, parts=("urges",)))
    resisted = expected["urges"] - expected["acted"]
    assert f"{expected['urges']} this week, {resisted} resisted" in out


def test_an_empty_choice_says_so(journal):
    out = markdown.render(build_document(choose(journal, Selection())))
    assert "Nothing was chosen." in out


@pytest.mark.parametrize("writer", [markdown, text, html])
def test_worksheet_answers_stream_as_they_render(writer):
    """A cost-benefit grid, a scale and a list, with hostile cells: the streamed export
    equals the whole one, and a typed "|" never breaks the Markdown table."""
    from recoveryjournal.export.shared_records import described_in_batches

    grid = {"using": {"benefits": "relax | <b>", "costs": "money\nsleep"},
            "not_using": {"benefits": "", "costs": "[x](y)"}}
    chosen = [ExerciseResponse(exercise_id="cost-benefit", finished=True, when=at(n + 1),
                               answers={"short_term": grid, "importance": n})
              for n in range(3)]
    whole = writer.render(build_document(chosen, subtitle="s"))
    streamed = "".join(writer.stream("From my recovery journal", "s",
                                     described_in_batches(chosen, size=1)))
    assert streamed == whole
    if writer is markdown:
        assert "| **Using** | relax \\| \\<b\\> | money / sleep |" in whole
        assert "2 of 10 (0 = not important, 10 = very important)" in whole
    if writer is html:
        assert whole.count("<table>") == 3 and "<b>" not in whole

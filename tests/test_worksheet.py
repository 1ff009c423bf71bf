"""Blank printable worksheets (issue 16): any exercise, built-in or a person's own,
as an empty form with room to write; no journal and no passphrase; written 0600."""

from __future__ import annotations

import html
import io
import os
import stat
import sys
from html.parser import HTMLParser
from pathlib import Path


from recoveryjournal.cli import main
from recoveryjournal.exercises import load_exercises
from recoveryjournal.export import worksheet
from recoveryjournal.i18n import set_language



class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.extend(attrs)


def test_every_shipped_exercise_makes_a_worksheet_in_every_format_and_language():
    library = load_exercises(user_dir=False)
    for language in ("en", "sv", "da", "nb"):
        set_language(language)
        for exercise in library.all():
            for fmt in ("html", "md", "txt"):
                sheet = worksheet.render(exercise, fmt)
                if fmt == "html":
                    sheet = html.unescape(sheet)
                assert exercise.title.get(language) in sheet
                for step in exercise.steps:  # every question, in this language
                    assert step.prompt.get(language)[:30] in sheet.replace("\\", "")


def test_the_cost_benefit_worksheet_is_a_2x2_table_with_room_to_write():
    exercise = load_exercises(user_dir=False).get("cost-benefit")
    page = worksheet.render(exercise, "html")
    parsed = Tags()
    parsed.feed(page)
    assert parsed.tags.count("table") == 2 and page.count('<td class="room">') == 8
    assert "script" not in parsed.tags and "link" not in parsed.tags
    assert "@page { size: A4" in page and "default-src 'none'" in page
    assert "http:" not in page and "https:" not in page and "url(" not in page  # nothing outside
    text = worksheet.render(exercise, "txt")
    assert "| What it gives" in text and "Not using |" in text
    assert "Circle one: 0   1   2" in text and "10 = very important" in text
    md = worksheet.render(exercise, "md")
    assert "|   | What it gives | What it costs |" in md


def test_a_facilitators_own_file_is_escaped(tmp_path):
    own = tmp_path / "mine"
    own.mkdir()
    (own / "evil.toml").write_text('''
id = "evil"
version = 1
point = "urges"
minutes = 5
title = "<script>alert(1)</script> Mine"
purpose = "\\u001b[31m red"
[[steps]]
id = "a"
type = "text"
prompt = "<img src=x onerror=alert(2)>?"
example = "x"
''')
    exercise = load_exercises(user_dir=own).get("evil")
    page = worksheet.render(exercise, "html")
    parsed = Tags()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags
    assert "&lt;script&gt;" in page and "\x1b" not in page
    assert "\x1b" not in worksheet.render(exercise, "txt")


def test_the_command_needs_no_journal_and_writes_0600(tmp_path, capsys):
    out = tmp_path / "sheet.html"
    no_journal = tmp_path / "nothing-here.db"
    sys.stdin = io.StringIO("")  # a passphrase prompt would find nothing to read
    try:
        assert main(["--journal", str(no_journal), "worksheet", "cost-benefit", "--lang", "sv",
                     "--out", str(out)]) == 0
    finally:
        sys.stdin = sys.__stdin__
    assert not no_journal.exists()
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "För- och nackdelar" in out.read_text() and 'lang="sv"' in out.read_text()
    assert main(["worksheet", "cost-benefit", "--out", str(out)]) == 1  # never replaced
    assert main(["worksheet", "no-such-thing"]) == 2
    assert "cost-benefit" in capsys.readouterr().err


async def test_w_on_the_exercises_screen_saves_a_blank_worksheet(journal, private_home):
    from textual.app import App

    from recoveryjournal.tui.screens.exercises.choose import ExercisesScreen

    class Harness(App):
        def on_mount(self):
            self.push_screen(ExercisesScreen(journal, load_exercises(user_dir=False)))

    app = Harness()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#exercise-list").focus()
        await pilot.press("w")
        await pilot.pause()
    saved = list(Path(private_home).rglob("worksheet-*.html"))
    assert len(saved) == 1 and stat.S_IMODE(os.stat(saved[0]).st_mode) == 0o600
    assert "<table" in saved[0].read_text() or "<section>" in saved[0].read_text()

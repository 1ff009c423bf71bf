"""Shared helpers for the TUI tests: a fixed clock, a journal ready to unlock,
and typing through Pilot."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.app import App

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry, Urge, Use

from helpers import PASSPHRASE

ZONE = timezone(timedelta(hours=1))
# A fixed "now" in the past, so records dated before it validate and screens are stable.
NOW = datetime(2026, 3, 14, 15, 30, tzinfo=ZONE)
HOSTILE = "[/bold] [@click=app.quit]x[/] \x1b[31mred"


def fixed_clock() -> datetime:
    return NOW


def make_journal(path: Path, *, entries: bool = True) -> Path:
    """A journal that has finished first run, with a few dated records; locked again."""
    journal, _code = Journal.create(path, PASSPHRASE, addictions=["alcohol", "gambling"])
    settings = journal.settings()
    settings.onboarded = True
    for addiction in settings.addictions:
        addiction.tracked_since = (NOW - timedelta(days=60)).date()
    journal.save_settings(settings)
    if entries:
        journal.add(Entry(text="Called my sponsor\nWe talked for an hour.", mood=4,
                          tags=["sponsor"], when=NOW - timedelta(days=2)))
        journal.add(Entry(text="Hard day at work, went for a walk instead", mood=2,
                          tags=["work"], when=NOW - timedelta(days=1)))
        journal.add(Entry(text="Quiet Sunday with the kids", mood=5, tags=["family"],
                          when=NOW - timedelta(days=6)))
        journal.add(Use(addiction="alcohol", when=NOW - timedelta(days=12)))
        journal.add(Use(addiction="alcohol", when=NOW - timedelta(days=40)))
        journal.add(Urge(addiction="alcohol", intensity=6, when=NOW - timedelta(hours=3)))
    journal.lock()
    return path


async def type_text(pilot, text: str) -> None:
    """Type `text` key by key, as a person would."""
    names = {" ": "space", "\n": "enter"}
    for char in text:
        await pilot.press(names.get(char, char))


async def unlock(pilot, passphrase: str = PASSPHRASE) -> None:
    """Put the passphrase in the box (typing each key is slow) and press Enter."""
    pilot.app.screen.query_one("#passphrase").value = passphrase
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()  # the integrity check after unlock
    await pilot.pause()
    await pilot.pause()


def screen_text(app) -> str:
    """Everything on screen right now as plain text, whitespace (and so line
    wrapping) folded to single spaces: what a person would read."""
    from rich.console import Console

    width, height = app.size
    lines = app.screen._compositor.render_update(full=True)  # noqa: SLF001
    console = Console(width=width, height=height, record=True, file=open("/dev/null", "w"))
    console.print(lines)
    text = _FRAMES.sub(" ", console.export_text())
    return " ".join(text.split())


# Borders and half-block edges, so text wrapped inside a frame reads as one sentence.
_FRAMES = re.compile("[\u2500-\u259f]")


class ExportHarness(App):
    """An app that opens the export screen on `journal` (the export tests)."""

    def __init__(self, journal):
        super().__init__()
        self.journal = journal

    def on_mount(self) -> None:
        from recoveryjournal.tui.screens.export import ExportScreen

        self.push_screen(ExportScreen(self.journal))


async def settle(pilot) -> None:
    """Let the screen and every worker it started finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def watch_export_writes(monkeypatch) -> list[tuple[bool, str]]:
    """Each export file written in pieces, as (on the UI thread?, the pieces'
    type); writing a whole file as one string fails the test."""
    import threading

    import pytest

    from recoveryjournal.export import files

    writes: list[tuple[bool, str]] = []
    streamed = files.write_export_pieces

    def watched(path, pieces, **options):
        writes.append((threading.current_thread() is threading.main_thread(),
                       type(pieces).__name__))
        return streamed(path, pieces, **options)

    monkeypatch.setattr(files, "write_export_pieces", watched)
    monkeypatch.setattr(files, "write_export", lambda *args, **kwargs: pytest.fail(
        "the whole file written as one string"))
    return writes

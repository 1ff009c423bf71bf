"""Every screen's style sheet is read once, before the screen first opens, and
styles only its own screen: the first screens' at start, the others' once the
journal is decoded after unlock (not under the unlock's 64 MiB KDF, issue 18).

Opening a screen whose sheet Textual has not read yet makes it parse the whole
style sheet afresh and restyle every open widget: 0.12 s between Enter on the
unlock screen and the dashboard on the benchmark machine. And Textual keeps a
screen's sheet for the rest of the session, so an unscoped `#addictions` in the
dashboard's sheet once styled the first-run screen's own `#addictions`.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from textual._path import _make_path_object_relative
from textual.screen import Screen

import recoveryjournal.tui.screens as screens_package
from recoveryjournal.tui.app import RecoveryJournalApp

SCREENS_FOLDER = Path(screens_package.__file__).parent


def screen_classes() -> list[type[Screen]]:
    found = []
    for module_info in pkgutil.walk_packages(screens_package.__path__, "recoveryjournal.tui.screens."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, Screen) and value.__module__ == module.__name__ and value.CSS_PATH:
                found.append(value)
    return found


def sheets_of(screen_class: type[Screen]) -> list[Path]:
    """A screen's sheets, resolved as Textual resolves them when the screen is made."""
    paths = screen_class.CSS_PATH
    return [_make_path_object_relative(path, screen_class.__new__(screen_class))
            for path in ([paths] if isinstance(paths, (str, Path)) else paths)]


async def test_only_the_first_screens_sheets_are_read_before_unlock(tmp_path):
    """The other screens' rules would lie under the KDF's 64 MiB (0.7 MB)."""
    from recoveryjournal.tui.screens.dashboard import DashboardScreen
    from recoveryjournal.tui.screens.first_run import FirstRunScreen
    from recoveryjournal.tui.screens.progress import ProgressScreen
    from recoveryjournal.tui.screens.unlock import UnlockScreen
    from recoveryjournal.tui.screens.urge_now import UrgeNowScreen

    from helpers.tui import make_journal

    app = RecoveryJournalApp(make_journal(tmp_path / "journal.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "UnlockScreen"
        read = {str(path) for path, _scope in app.stylesheet.source}
        for first in (UnlockScreen, FirstRunScreen, DashboardScreen, UrgeNowScreen):
            assert {str(p) for p in sheets_of(first)} <= read, first
        assert not {str(p) for p in sheets_of(ProgressScreen)} & read


async def test_no_screen_reads_a_style_sheet_when_it_first_opens(tmp_path):
    """After unlock, once the worker has decoded the journal, every sheet is read."""
    from helpers.tui import make_journal, unlock

    classes = screen_classes()
    assert len(classes) >= 20  # the walk found the screens
    app = RecoveryJournalApp(make_journal(tmp_path / "journal.db"))
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)  # waits for the worker
        assert app.fully_loaded
        await pilot.pause()
        for screen_class in classes:
            paths = screen_class.CSS_PATH
            for path in [paths] if isinstance(paths, (str, Path)) else paths:
                # As Textual resolves a screen's CSS_PATH when the screen is made.
                resolved = _make_path_object_relative(path, screen_class.__new__(screen_class))
                assert app.stylesheet.has_source(str(resolved), ""), (screen_class, resolved)


def test_every_screen_sheet_styles_only_its_own_screens():
    sheets = sorted(SCREENS_FOLDER.rglob("*.tcss"))
    assert len(sheets) >= 15
    for sheet in sheets:
        text = re.sub(r"/\*.*?\*/", "", sheet.read_text(), flags=re.S)
        depth = 0
        for line in text.splitlines():
            # A selector list broken over lines would slip past the check below.
            assert not (depth == 0 and line.strip().endswith(",")), (sheet.name, line)
            if depth == 0 and line.strip().endswith("{"):
                selectors = [s.strip() for s in line.strip()[:-1].split(",")]
                assert all(re.match(r"[A-Z]\w*Screen\b", s) for s in selectors), (sheet.name, line)
            depth += line.count("{") - line.count("}")
        assert depth == 0, sheet.name


async def test_unlock_and_urge_now_parse_no_style_again(tmp_path, monkeypatch):
    """From Enter on the unlock screen to the dashboard, and on to "Urge now", Textual
    never parses the style sheet again (tui/style_sheets.py): every reparse was tens
    of milliseconds of a person waiting, after their passphrase or in a crisis. The
    one parse that reads the other screens' sheets comes after the worker's decoding."""
    from textual.css.stylesheet import Stylesheet

    from helpers.tui import fixed_clock, make_journal, unlock

    path = make_journal(tmp_path / "journal.db")
    app = RecoveryJournalApp(path, clock=fixed_clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "UnlockScreen"
        parses = []
        original = Stylesheet.parse

        def counted(stylesheet, *args, **kwargs):
            if not app.fully_loaded:  # the worker's decoding is not done: someone waits
                parses.append(set(stylesheet.source) - seen)
            return original(stylesheet, *args, **kwargs)

        seen = set(app.stylesheet.source)
        monkeypatch.setattr(Stylesheet, "parse", counted)
        await unlock(pilot)
        assert type(app.screen).__name__ == "DashboardScreen"
        await pilot.press("u")
        await pilot.pause()
        assert type(app.screen).__name__ == "UrgeNowScreen"
        assert parses == [], [sorted(str(where) for where in new) for new in parses]


async def test_the_later_sheets_wait_while_the_person_types(tmp_path):
    """Their parse restyles every open widget (50-60 ms at the benchmark journal):
    not under someone's typing."""
    import time

    from recoveryjournal.tui.style_sheets import later_sheets

    app = RecoveryJournalApp(tmp_path / "none.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        read = lambda: {path for path, _scope in app.stylesheet.source}  # noqa: E731
        assert not set(later_sheets()) & read()
        app._last_key = time.monotonic()  # a key just now
        app.read_later_style_sheets()
        assert not set(later_sheets()) & read()
        app._last_key = float("-inf")  # the timer comes back when typing has stopped
        app.read_later_style_sheets()
        assert set(later_sheets()) <= read()

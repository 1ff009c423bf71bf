"""Every screen's footer at 60x20 and 80x24 in every language: no key is cut
(issue 20, item 11). A key that does not fit is left out whole (F1 lists them
all); at 80 columns none may be left out."""

from __future__ import annotations

import pytest
from textual.widgets._footer import FooterKey

from recoveryjournal.i18n import set_language
from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.widgets.keys_footer import KeysFooter

from helpers.tui import fixed_clock, make_journal, unlock

LANGUAGES = ("en", "sv", "da", "nb")
# Keys from the dashboard to each screen (Escape goes back after each).
ROUTES = {
    "dashboard": (), "write": ("w",), "journal": ("j",), "entry": ("j", "enter"),
    "urge now": ("u",), "log a use": ("l",), "meeting": ("m",), "goals": ("g",),
    "exercises": ("e",), "exercise": ("e", "enter"), "check-in": ("c",),
    "progress": ("p",), "export": ("x",), "settings": ("s",), "help": ("f1",),
    "safety plan": ("f2",),
}



def footer_problems(app) -> list[str]:
    """Keys whose label does not show in full, as 'key label' strings."""
    footers = app.screen.query(KeysFooter)
    if not footers:
        return []
    width = app.screen.size.width
    problems = []
    for key in footers.first().query(FooterKey):
        if not key.display:
            continue
        label = f"{key.key_display} {key.description}".strip()
        shown = key.region.width if key.region.right <= width else max(0, width - key.region.x)
        if shown < len(label) or not key.region.width:
            problems.append(label)
    return problems


def left_out(app) -> list[str]:
    footers = app.screen.query(KeysFooter)
    return [f"{k.key_display} {k.description}" for k in footers.first().query(FooterKey)
            if not k.display] if footers else []


@pytest.mark.slow
@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
@pytest.mark.parametrize("language", LANGUAGES)
async def test_no_footer_key_is_cut(journal_path, language, size):
    make_journal(journal_path)
    app = RecoveryJournalApp(journal_path, clock=fixed_clock)
    cut: dict[str, list[str]] = {}
    async with app.run_test(size=size) as pilot:
        set_language(language)
        await pilot.pause()
        if footer_problems(app):
            cut["unlock"] = footer_problems(app)
        await unlock(pilot)
        app.apply_language(language)
        for name, keys in ROUTES.items():
            await pilot.press(*keys)
            await pilot.pause()
            await pilot.pause()
            problems = footer_problems(app)
            if size[0] >= 80:
                problems += [f"left out: {label}" for label in left_out(app)]
            if problems:
                cut[name] = problems
            while len(app.screen_stack) > 2:  # back to the dashboard
                await pilot.press("escape")
                await pilot.pause()
                if type(app.screen).__name__ == "ConfirmScreen":
                    await pilot.press("y")
                    await pilot.pause()
    assert cut == {}

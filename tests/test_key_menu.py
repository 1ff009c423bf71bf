"""The dashboard's menu (tui/widgets/key_menu.py): every key in columns of text."""

from __future__ import annotations

import pytest
from textual.app import App

from recoveryjournal.i18n import set_language
from recoveryjournal.tui import keymap
from recoveryjournal.tui.widgets.key_menu import KeyMenu, layout_for


class MenuApp(App):
    def compose(self):
        yield KeyMenu(keymap.dashboard_keys(), layout_for(self.size.width))


@pytest.mark.parametrize("language", ["en", "sv"])
@pytest.mark.parametrize("width, columns", [(60, 3), (80, 4), (130, 2)])
async def test_every_key_shows_whole_or_ends_in_an_ellipsis(language, width, columns):
    set_language(language)
    keys = keymap.dashboard_keys()
    app = MenuApp()
    async with app.run_test(size=(width, 24)):
        menu = app.query_one(KeyMenu)
        lines = menu.render().plain.splitlines()
        assert len(lines) == -(-len(keys) // columns) == menu.size.height
        assert all(len(line) <= width for line in lines)
        text = "\n".join(lines)
        for key in keys:
            # Every key's letter, and its label whole or cut with "…", never cut silently.
            assert f" {key.key} " in text
            assert key.label in text or key.label[:4] in text and "…" in text
        if columns == 2:  # wide: the one-line explanation follows the label
            assert keys[0].help[:20] in text


async def test_the_layout_follows_a_resize():
    app = MenuApp()
    async with app.run_test(size=(130, 24)) as pilot:
        menu = app.query_one(KeyMenu)
        menu.layout_name = layout_for(60)
        await pilot.pause()
        assert menu.size.height == -(-len(keymap.dashboard_keys()) // 3)

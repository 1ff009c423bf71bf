"""The one 0-10 scale widget: keys, clicks, Enter only where it confirms, and its
footer words in the person's language."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer

from recoveryjournal.i18n import set_language
from recoveryjournal.tui import keymap
from recoveryjournal.tui.widgets.scale import Scale

from helpers.scale_keys import check_scale_keys



class ScaleApp(App):
    def __init__(self, **scale_options):
        super().__init__()
        self.scale_options = scale_options
        self.chosen: list[int] = []
        self.entered = 0

    BINDINGS = [("enter", "screen_enter", "Next")]

    def compose(self) -> ComposeResult:
        yield Scale(id="scale", **self.scale_options)
        yield Footer()

    def on_scale_chosen(self, event: Scale.Chosen) -> None:
        self.chosen.append(event.value)

    def action_screen_enter(self) -> None:
        self.entered += 1


async def test_the_keys_and_a_click_pick_the_number_meant():
    app = ScaleApp()
    async with app.run_test(size=(60, 6)) as pilot:
        await check_scale_keys(pilot, app.query_one(Scale))


async def test_an_empty_scale_starts_in_the_middle_with_an_arrow():
    app = ScaleApp()
    async with app.run_test(size=(60, 6)) as pilot:
        scale = app.query_one(Scale)
        assert scale.value is None
        await pilot.press("right")
        assert scale.value == 5


async def test_enter_confirms_only_where_a_confirm_is_meant():
    confirming = ScaleApp(value=6, confirm=True)
    async with confirming.run_test(size=(60, 6)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        assert confirming.chosen == [6] and confirming.entered == 0
        assert "Confirm" in _footer_text(confirming)
    plain = ScaleApp(value=6)
    async with plain.run_test(size=(60, 6)) as pilot:
        await pilot.press("enter")  # the screen's own Enter (e.g. "next step")
        await pilot.pause()
        assert plain.chosen == [] and plain.entered == 1
        assert "Confirm" not in _footer_text(plain)


async def test_the_same_number_again_is_a_rating_too():
    """Urge surfing notes "still a 6" in a new minute: picking the value again posts."""
    changes: list[int | None] = []

    class Listening(ScaleApp):
        def on_scale_changed(self, event: Scale.Changed) -> None:
            changes.append(event.value)

    app = Listening(value=6)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.press("6")
        await pilot.pause()
    assert changes == [6]


async def test_the_confirm_key_is_in_the_persons_language():
    set_language("sv")
    app = ScaleApp(value=6, confirm=True)
    async with app.run_test(size=(60, 6)) as pilot:
        await pilot.pause()
        text = _footer_text(app)
        assert "Bekräfta" in text and "Confirm" not in text


def test_one_translate_bindings_for_screens_and_widgets():
    from recoveryjournal.tui.widgets import exercise_fields

    assert exercise_fields.translate_bindings is keymap.translate_bindings


def test_translating_twice_and_back_keeps_the_english_source():
    """A language switch later finds the English again (Textual has no public way to
    change a binding's description; this guards the one place that does it)."""
    scale = Scale()
    set_language("sv")
    keymap.translate_bindings(scale)
    keymap.translate_bindings(scale)
    assert _descriptions(scale)["enter"] == "Bekräfta"
    set_language("en")
    keymap.translate_bindings(scale)
    assert _descriptions(scale)["enter"] == "Confirm"


def _descriptions(node) -> dict[str, str]:
    return {key: bindings[0].description
            for key, bindings in node._bindings.key_to_bindings.items()}


def _footer_text(app: App) -> str:
    from textual.widgets._footer import FooterKey

    return " ".join(f"{key.key_display} {key.description}" for key in app.query(FooterKey))

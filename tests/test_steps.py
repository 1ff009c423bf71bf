"""The export screen's steps: one shown at a time, opened by keys, a click or code,
and the open one marked by a shape, not colour alone."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from recoveryjournal.tui.widgets.steps import MARK, Step, StepBar, Steps


class StepsApp(App):
    def __init__(self):
        super().__init__()
        self.opened: list[str] = []

    def compose(self) -> ComposeResult:
        with Steps(id="steps"):
            with Step("1 Choose", id="choose"):
                yield Static("choosing", id="choosing")
            yield Step("2 Pick", id="pick")
            with Step("3 Preview", id="preview"):
                yield Static("previewing", id="previewing")

    def on_steps_opened(self, event: Steps.Opened) -> None:
        self.opened.append(event.step)


def bar_text(app) -> str:
    return str(app.query_one(StepBar).render())


async def test_the_first_step_shows_and_only_it():
    app = StepsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        await pilot.pause()
        assert app.opened == ["choose"]
        assert app.query_one("#choose").display and not app.query_one("#preview").display
        assert f"{MARK}1 Choose" in bar_text(app) and f"{MARK}2 Pick" not in bar_text(app)


async def test_arrows_on_the_bar_move_between_steps_and_stop_at_the_ends():
    app = StepsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        app.query_one(StepBar).focus()
        await pilot.press("left")  # already at the first: stays
        await pilot.press("right", "right", "right")
        await pilot.pause()
        steps = app.query_one(Steps)
        assert steps.active == "preview"
        assert app.opened == ["choose", "pick", "preview"]
        assert app.query_one("#preview").display and not app.query_one("#choose").display
        assert f"{MARK}3 Preview" in bar_text(app)


async def test_a_click_on_a_title_opens_that_step():
    app = StepsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        bar = app.query_one(StepBar)
        # " ▸ 1 Choose " then a gap, then " 2 Pick ": click inside "Pick".
        x = bar.styles.padding.left + len(f" {MARK}1 Choose ") + len("   ") + 3
        await pilot.click(StepBar, offset=(x, 0))
        await pilot.pause()
        assert app.query_one(Steps).active == "pick"


async def test_setting_active_opens_at_once_and_an_unknown_step_is_ignored():
    app = StepsApp()
    async with app.run_test(size=(60, 8)) as pilot:
        steps = app.query_one(Steps)
        steps.active = "preview"
        # Opened before any message is handled: whoever opened it may focus inside next.
        assert app.query_one("#preview").display
        steps.active = "nowhere"
        await pilot.pause()
        assert steps.active == "preview"

"""The export screen from the dashboard key to its first paint, in the real app.

    .venv/bin/python bench/export_paint.py [JOURNAL] [--runs N]

Defaults to the 1x benchmark journal (ten years; bench/make_journal.py). Each run
unlocks, waits until the worker has checked and decoded everything, then presses
`x`; the stamp is taken by `call_after_refresh` from the screen's `on_mount`, so it
is the moment a person sees the screen. Beside it, the same for an empty screen
(a Header, a line of text and the footer) pushed the same way: what any screen
costs. Budget (issue 20, item 13): at most 100 ms beyond the empty screen.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from textual.screen import Screen
from textual.widgets import Header, Static

from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens import export
from recoveryjournal.tui.widgets.keys_footer import KeysFooter

HERE = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


class EmptyScreen(Screen):
    """What every screen costs: a header, one line, the footer."""

    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self):
        yield Header()
        yield Static("An empty screen")
        yield KeysFooter()


async def one_run(path: Path, empty: bool) -> float:
    painted: dict[str, float] = {}
    screen_class = EmptyScreen if empty else export.ExportScreen
    original = getattr(screen_class, "on_mount", None)

    def on_mount(screen, *args):
        if original is not None:
            original(screen)
        screen.call_after_refresh(lambda: painted.setdefault("at", time.perf_counter()))

    screen_class.on_mount = on_mount
    try:
        app = RecoveryJournalApp(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.screen.query_one("#passphrase").value = PASSPHRASE
            await pilot.press("enter")
            while type(app.screen).__name__ != "DashboardScreen":
                await asyncio.sleep(0.005)
            while not app.fully_loaded:
                await asyncio.sleep(0.01)
            for _settle in range(10):
                await pilot.pause()
                await asyncio.sleep(0.05)
            start = time.perf_counter()
            if empty:
                app.push_screen(EmptyScreen())
            else:
                await pilot.press("x")
            while "at" not in painted:
                await asyncio.sleep(0.001)
            return painted["at"] - start
    finally:
        if original is None:
            del screen_class.on_mount
        else:
            screen_class.on_mount = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path, default=HERE / "data" / "journal-x1.db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    export_times, empty_times = [], []
    for _run in range(args.runs):  # in turns, so both see the same moment of the machine
        export_times.append(asyncio.run(one_run(args.journal, empty=False)))
        empty_times.append(asyncio.run(one_run(args.journal, empty=True)))
    for name, times in (("'x' -> Export painted", export_times),
                        ("an empty screen painted", empty_times)):
        print(f"{name}: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f})")
    extra = statistics.median(export_times) - statistics.median(empty_times)
    print(f"Export beyond an empty screen: {extra * 1000:.0f} ms (budget 100 ms)")


if __name__ == "__main__":
    main()

"""'Urge now' from the dashboard key to its first paint, in the real app.

    .venv/bin/python bench/urge_now_paint.py [JOURNAL] [--runs N]

Defaults to the 1x benchmark journal (ten years; bench/make_journal.py). Each run
unlocks, waits until the worker has checked and decoded everything (as after a few
seconds of use), then presses `u`; the stamp is taken by `call_after_refresh` from
the screen's `on_mount`, so it is the moment a person sees the question. A second
figure presses `u` at once after unlock, while the worker is still decoding.
Budget (issue 20): 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from recoveryjournal.tui.app import RecoveryJournalApp
from recoveryjournal.tui.screens import urge_now

HERE = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


async def one_run(path: Path, wait_for_load: bool) -> float:
    painted: dict[str, float] = {}
    original = urge_now.UrgeNowScreen.on_mount

    def on_mount(screen, *args):
        original(screen)  # Textual passes the Mount event; ours takes none
        screen.call_after_refresh(lambda: painted.setdefault("at", time.perf_counter()))

    urge_now.UrgeNowScreen.on_mount = on_mount
    try:
        app = RecoveryJournalApp(path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            app.screen.query_one("#passphrase").value = PASSPHRASE
            await pilot.press("enter")
            while type(app.screen).__name__ != "DashboardScreen":
                await asyncio.sleep(0.005)
            if wait_for_load:
                while not app.fully_loaded:  # the worker checks and decodes everything
                    await asyncio.sleep(0.01)
                for _settle in range(10):
                    await pilot.pause()
                    await asyncio.sleep(0.05)
            start = time.perf_counter()
            await pilot.press("u")
            while "at" not in painted:
                await asyncio.sleep(0.001)
            return painted["at"] - start
    finally:
        urge_now.UrgeNowScreen.on_mount = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path, default=HERE / "data" / "journal-x1.db")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for wait, name in ((True, "after loading"), (False, "at once after unlock")):
        times = [asyncio.run(one_run(args.journal, wait)) for _run in range(args.runs)]
        print(f"'u' -> Urge now painted, {name}: median {statistics.median(times) * 1000:.0f} ms "
              f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}; budget 100 ms)")


if __name__ == "__main__":
    main()

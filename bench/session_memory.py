"""Memory of a session, step by step: the process's resident set now and at its peak.

    .venv/bin/python bench/session_memory.py JOURNAL           # the journal alone
    .venv/bin/python bench/session_memory.py JOURNAL --app     # the headless app

The journal alone runs the steps `bench/run.py --worker` runs up to the first
chart (unlock, summary, the worker's load, the integrity check, searches, a
filter), then the summary check the app's worker makes. `--app` unlocks the
real app headless at 80x24 and waits for its worker (as `bench/tui_paint.py`),
after a reference KDF run, as `bench/run.py --dashboard-worker` does. Figures are
VmRSS and VmHWM from /proc/self/status, in MB (10^6 bytes). Work on a copy of a
benchmark journal: unlocking may write to it (a summary, hints).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

HERE = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


def memory() -> tuple[float, float]:
    """(resident now, resident at its peak) in MB."""
    found = {}
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(("VmRSS", "VmHWM")):
                name, value = line.split(":")
                found[name] = int(value.split()[0]) * 1024 / 1e6
    return found["VmRSS"], found["VmHWM"]


def show(name: str, seconds: float) -> None:
    now, peak = memory()
    print(f"{name:34s} {seconds * 1000:8.0f} ms   now {now:7.1f} MB   peak {peak:7.1f} MB",
          flush=True)


def journal_steps(path: Path) -> None:
    from recoveryjournal import insights
    from recoveryjournal.journal import Journal
    from recoveryjournal.records import Urge

    def step(name: str, action):
        started = time.perf_counter()
        result = action()
        show(name, time.perf_counter() - started)
        return result

    show("imports", 0)
    journal = step("open (Argon2id)", lambda: Journal.open(path, PASSPHRASE))
    step("summary", journal.summary)
    step("load in the background", lambda: journal.load(verify=False, background=True))
    step("integrity check", journal.verify)
    step("search, first", lambda: journal.search("lighthouse"))
    step("decode everything", lambda: journal.decode_all(polite=True))  # as the app
    step("build the word index", journal.build_search_index)
    step("let go of the entries' texts", journal.leave_entry_texts_on_disk)  # as the app
    step("search, again", lambda: journal.search("maria lighthouse"))
    step("filter urges", lambda: list(insights.urges_matching(journal.records(Urge), "gambling",
                                                           at_least=7)))
    step("list the last 10", lambda: journal.entries()[:10])
    step("summary check", journal.check_summary)
    journal.lock()


async def app_session(path: Path) -> None:
    sys.path.insert(0, str(HERE))
    import tui_paint
    from recoveryjournal.tui.app import RecoveryJournalApp

    started = time.perf_counter()
    tui_paint.kdf_seconds()  # first, as bench/run.py does: its 64 MiB before the session
    show("reference KDF", time.perf_counter() - started)
    app = RecoveryJournalApp(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        show("unlock screen", 0)
        app.screen.query_one("#passphrase").value = PASSPHRASE
        started = time.perf_counter()
        await pilot.press("enter")
        while type(app.screen).__name__ != "DashboardScreen":
            await asyncio.sleep(0.01)
        await pilot.pause()
        show("dashboard", time.perf_counter() - started)
        await app.workers.wait_for_complete()
        show("worker done (everything decoded)", time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("--app", action="store_true", help="the headless app, not the journal alone")
    args = parser.parse_args()
    if args.app:
        asyncio.run(app_session(args.journal))
    else:
        journal_steps(args.journal)


if __name__ == "__main__":
    main()

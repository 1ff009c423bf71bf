"""How long the screen could wait for the app's worker: the longest gap seen by a
thread that asks for the GIL every millisecond while the worker decodes and sorts.

    .venv/bin/python bench/worker_pauses.py JOURNAL [--kind urge]

Decoding hands the GIL back every 256 records (record_index.py); sorting a kind
in one call would hold it throughout (0.6 s for the 500,000 urges at 10x), so the
worker sorts it in pieces and merges them (`RecordIndex._sort_politely`). This
times that, with the longest wait of the ticking thread, and then one sort of
the same records as `sorted_by_when` makes it when nothing sorted them before.
Work on a copy of a benchmark journal: unlocking may write to it.
"""

from __future__ import annotations

import argparse
import gc
import threading
import time
from pathlib import Path

PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


class Ticker:
    """A thread that sleeps a millisecond at a time and notes the longest gap."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        last = time.perf_counter()
        while not self._stop.is_set():
            time.sleep(0.001)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last)
            last = now

    def __enter__(self) -> "Ticker":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("--kind", default="urge")
    args = parser.parse_args()

    from recoveryjournal.journal import Journal

    journal = Journal.open(args.journal, PASSPHRASE)
    journal.load(verify=False, check_later=False, kinds=[args.kind])
    index = journal._index()
    index._ensure(args.kind)
    gc.freeze()
    count = index.count(args.kind)
    with Ticker() as ticker:
        started = time.perf_counter()
        index._sort_politely(args.kind, None)
        took = time.perf_counter() - started
    print(f"{count:,} {args.kind} records sorted in pieces: {took:.2f} s, "
          f"the screen waited at most {ticker.longest * 1000:.1f} ms")
    index._sorted.pop(args.kind)
    with Ticker() as ticker:
        started = time.perf_counter()
        index.sorted_by_when(args.kind)
        took = time.perf_counter() - started
    print(f"the same in one sort:               {took:.2f} s, "
          f"the screen waited at most {ticker.longest * 1000:.1f} ms")
    journal.lock()


if __name__ == "__main__":
    main()

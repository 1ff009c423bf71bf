"""The first search of a session, before the app's worker has built the word index.

    .venv/bin/python bench/first_search.py JOURNAL [--sessions N] [--before SRC]

Each session is a fresh process that does what bench/run.py's worker does up to
its search steps (Journal.open, the summary, `load(verify=False, background=True)`,
`verify()`), then times `search("lighthouse")` once (the first in the session)
and `search("maria lighthouse")` three times (the best of them is "again").
Prints each session's wall-clock and CPU milliseconds and the medians. With
`--before SRC` (the `src` folder of another tree, e.g. from `git archive`),
sessions of that tree and of this one run in turn, so a noisy moment on a shared
machine hits both alike. Use a copy of a benchmark journal.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


def session(path: Path) -> None:
    """One session: print first-wall first-cpu again-wall again-cpu (ms) and the hits."""
    from recoveryjournal.journal import Journal

    journal = Journal.open(path, PASSPHRASE)
    journal.summary()
    journal.load(verify=False, background=True)
    journal.verify()
    times = []
    for query in ["lighthouse"] + ["maria lighthouse"] * 3:
        wall, cpu = time.perf_counter(), time.thread_time()
        found = journal.search(query)
        times.append(((time.perf_counter() - wall) * 1000, (time.thread_time() - cpu) * 1000))
    first, again = times[0], min(times[1:])
    print(f"{first[0]:.1f} {first[1]:.1f} {again[0]:.1f} {again[1]:.1f} {len(found)}")
    journal.lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("--sessions", type=int, default=7)
    parser.add_argument("--before", type=Path, help="the src folder of the tree to compare with")
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.session:
        session(args.journal)
        return
    sides = {"this tree": None}
    if args.before:
        sides = {"before": str(args.before.resolve()), "this tree": None}
    figures: dict[str, list[list[float]]] = {side: [] for side in sides}
    for _ in range(args.sessions):
        for side, src in sides.items():
            env = dict(os.environ)
            if src is not None:
                env["PYTHONPATH"] = src
            done = subprocess.run([sys.executable, __file__, str(args.journal), "--session"],
                                  env=env, capture_output=True, text=True, check=True)
            row = [float(x) for x in done.stdout.split()]
            figures[side].append(row)
            print(f"{side:10s} first {row[0]:6.1f} ms (CPU {row[1]:6.1f})  "
                  f"again {row[2]:6.1f} ms (CPU {row[3]:6.1f})  {int(row[4])} hits", flush=True)
    for side, rows in figures.items():
        first = [row[0] for row in rows]
        print(f"{side:10s} median of {len(rows)}: first {statistics.median(first):.1f} ms "
              f"({min(first):.1f}-{max(first):.1f}), CPU {statistics.median(r[1] for r in rows):.1f}; "
              f"again {statistics.median(r[2] for r in rows):.1f} ms, "
              f"CPU {statistics.median(r[3] for r in rows):.1f}")


if __name__ == "__main__":
    main()

"""The integrity check the app's worker runs after unlock, cold and remembered.

    .venv/bin/python bench/integrity_check.py [JOURNAL] [--runs N]

Works on a copy of JOURNAL (default: the 1x benchmark journal; it writes one
entry per run). Each run forgets what earlier checks remembered (vault/checked.py),
then unlocks three times as the app does (`load_in_background`, then `verify`):
cold (every row MACed), again with nothing written since, and again after one
entry was written. Prints the median time of `verify()` and the rows MACed.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry
from recoveryjournal.vault import checked

HERE = Path(__file__).parent
PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


def one_check(path: Path) -> tuple[float, int]:
    journal = Journal.open(path, PASSPHRASE)
    try:
        journal.load_in_background()
        start = time.perf_counter()
        problems = journal.verify()
        took = time.perf_counter() - start
        assert problems == [], problems
        return took, journal._vault.rows_maced
    finally:
        journal.lock()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path, default=HERE / "data" / "journal-x1.db")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    figures: dict[str, list[tuple[float, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "journal.db"
        shutil.copyfile(args.journal, path)
        for _run in range(args.runs):
            shutil.rmtree(checked._folder(), ignore_errors=True)
            figures.setdefault("cold (nothing remembered)", []).append(one_check(path))
            figures.setdefault("nothing written since", []).append(one_check(path))
            with Journal.open(path, PASSPHRASE) as journal:
                journal.add(Entry(text="one more entry"))
            figures.setdefault("one entry written since", []).append(one_check(path))
    for label, runs in figures.items():
        times = [took * 1000 for took, _maced in runs]
        print(f"integrity check, {label}: median {statistics.median(times):.0f} ms "
              f"(min {min(times):.0f}, max {max(times):.0f}), rows MACed "
              f"{statistics.median(maced for _took, maced in runs):.0f}")


if __name__ == "__main__":
    main()

"""Each step of unlock beyond the KDF, as the app's unlock and dashboard take them.

    .venv/bin/python bench/unlock_steps.py JOURNAL [--runs N]

Unlocks JOURNAL N times in this process (the KDF not counted) and prints the
median of each step: reading and opening the sealed summary's two rows, reading
it as the dashboard does (`Journal.summary()`), the dashboard's figures from it,
and the size of each part of the summary. Whether the summary's day and week
tables were parsed at unlock is printed too (summary version 4 leaves them for
the screens that ask; docs/FORMAT.md, "The summary"). Unlocking may store the
summary again (a version-3 one, by the check after a full read): use a copy.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path

import orjson

from recoveryjournal.journal import Journal
from recoveryjournal.tui.screens import dashboard

PASSPHRASE = "correct horse battery staple"  # as bench/make_journal.py writes it


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", type=Path)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    took: dict[str, list[float]] = {}

    def step(name: str, began: float) -> None:
        took.setdefault(name, []).append((time.perf_counter() - began) * 1000)

    for _run in range(args.runs):
        journal = Journal.open(args.journal, PASSPHRASE)
        try:
            vault = journal._live_vault()
            began = time.perf_counter()
            payload, _state = vault.read_summary()
            step("read the 2 rows + AES-GCM", began)
            began = time.perf_counter()
            glance = journal.summary()
            step("journal.summary() (read + parse)", began)
            if glance is None:
                raise SystemExit("no current summary: open the journal in the app once")
            now = datetime.now().astimezone()
            today = now.date()
            began = time.perf_counter()
            for addiction in journal.settings().addictions:
                dashboard.addiction_streaks(glance, addiction.name, today,
                                            addiction.tracked_since)
            glance.urges_on(today)
            glance.count_since("meeting", now - timedelta(weeks=4))
            step("the dashboard's figures", began)
            parsed = "_tables" not in glance.__dict__
        finally:
            journal.lock()
    document = orjson.loads(payload)
    print(f"{args.journal}: summary v{document['v']}, {len(payload)} bytes; "
          f"its tables parsed at unlock: {parsed}")
    tables = orjson.loads(document.pop("tables")) if "tables" in document else {}
    for name, value in sorted({**document, **tables}.items()):
        where = " (in the tables string)" if name in tables else ""
        print(f"  {name}: {len(orjson.dumps(value))} bytes{where}")
    for name, figures in took.items():
        print(f"  {name}: median {statistics.median(figures):.2f} ms "
              f"(min {min(figures):.2f}, max {max(figures):.2f})")


if __name__ == "__main__":
    main()

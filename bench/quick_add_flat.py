"""Show that a CLI quick add costs the same with 100 or 100,000 records in the journal.

    .venv/bin/python bench/quick_add_flat.py            # 100, 1,000, 10,000, 100,000
    .venv/bin/python bench/quick_add_flat.py --runs 11

A quick add seals one record and updates the integrity check; it never decrypts or
rewrites the others. Each journal is built once (real Argon2id for the file, the
benchmark mix of record kinds) and cached in bench/data/. The figure is the whole
process a person runs,

    printf 'PASSPHRASE\\n' | recoveryjournal --journal J write "text"

from spawn to exit (Python start-up, imports, Argon2id, one write), as the median
of several runs with min and max. Each run writes into a copy, so the cache stays
as built.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import make_journal  # noqa: E402
from timing import Figure, fmt, recoveryjournal_command, run_process  # noqa: E402

SIZES = (100, 1_000, 10_000, 100_000)
BUDGET_SECONDS = 0.8  # docs/ARCHITECTURE.md: CLI quick add, whole process, KDF included
TEXT = "Called someone I trust on the way home; the urge passed."


def quick_add(journal: Path) -> tuple[float, float]:
    """One whole-process quick add: (seconds, peak RSS in MB)."""
    command = recoveryjournal_command() + ["--journal", str(journal), "write", TEXT]
    result = run_process(command, f"{make_journal.PASSPHRASE}\n".encode())
    if result.returncode != 0:
        raise RuntimeError(f"quick add failed ({result.returncode}): "
                           f"{result.stderr.decode(errors='replace')}")
    return result.seconds, result.peak_mb


def quick_add_figures(journals: list[Path], runs: int) -> list[Figure]:
    """`runs` timed quick adds into each journal, taken in turn (one size, then the
    next, round after round) so a noisy moment on a shared machine hits every size
    alike; one untimed warm-up each fills the page cache."""
    figures = [Figure() for _ in journals]
    for journal in journals:
        quick_add(journal)
    for _round in range(runs):
        for journal, figure in zip(journals, figures):
            seconds, peak = quick_add(journal)
            figure.seconds.append(seconds)
            figure.peak_mb.append(peak)
    return figures


def kdf_seconds(runs: int = 5) -> float:
    """Argon2id alone at the journal's parameters: the floor of any unlock."""
    from recoveryjournal.vault import crypto

    params = crypto.new_kdf_params()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        crypto.derive_key(make_journal.PASSPHRASE, params)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def copy_journal(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(str(target) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per size (default 7)")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args(argv)

    sizes, works = [], []
    for size in args.sizes:
        cached = make_journal.cached_build(
            make_journal.DATA / f"flat-{size}.db", make_journal.counts_for_total(size))
        works.append(copy_journal(cached, make_journal.DATA / "work" / f"flat-{size}.db"))
        sizes.append((size, cached.stat().st_size))
    figures = quick_add_figures(works, args.runs)
    rows = [(size, size_bytes, figure) for (size, size_bytes), figure in zip(sizes, figures)]
    kdf = kdf_seconds()

    print(f"CLI quick add, whole process, median of {args.runs} runs (min–max); "
          f"budget {fmt(BUDGET_SECONDS)}, flat")
    print()
    print("|   records |      file | quick add                  | peak RSS | budget |")
    print("|----------:|----------:|----------------------------|---------:|--------|")
    for size, size_bytes, figure in rows:
        verdict = "ok" if figure.median <= BUDGET_SECONDS else "OVER"
        print(f"| {size:>9,} | {size_bytes / 2**20:>5.1f} MiB | {figure.cell():<26} | "
              f"{figure.peak:>5.0f} MB | {verdict:<6} |")
    first, last = rows[0][2].median, rows[-1][2].median
    print()
    print(f"Growth from {rows[0][0]:,} to {rows[-1][0]:,} records: "
          f"{(last - first) * 1000:+.0f} ms ({last / first:.2f}x).")
    print(f"Of each add, Argon2id alone (64 MiB, t=3, p=4) takes {fmt(kdf)} in-process.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

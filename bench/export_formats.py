"""`export` of every kind, in every format, whole-process: wall and CPU seconds, peak memory.

    .venv/bin/python bench/export_formats.py [JOURNAL] [--runs N] [--against DIR] [--formats md ...]

Defaults to a copy of the 1x benchmark journal (ten years; bench/make_journal.py),
made in a temporary folder (unlocking may write to the journal). `--against DIR`
times another checkout's installed venv (DIR/.venv) too, run for run in turn with
this one, and checks that both wrote the same bytes (the JSON export's
`exported_at` line aside). The machine is shared and noisy: the CPU seconds
(user + system of the process) move less than the wall seconds; every figure is a
median of `--runs`. Budget (docs/ARCHITECTURE.md): an export in 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import REPO, as_installed  # noqa: E402

HERE = Path(__file__).resolve().parent
PASSPHRASE = b"correct horse battery staple\n"  # as bench/make_journal.py writes it
EVERY_KIND = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")
CASES = {
    "md": ["--format", "md", *[a for k in EVERY_KIND for a in ("--kind", k)]],
    "md-entries": ["--format", "md", "--kind", "entry"],
    "txt": ["--format", "txt", *[a for k in EVERY_KIND for a in ("--kind", k)]],
    "html": ["--format", "html", *[a for k in EVERY_KIND for a in ("--kind", k)]],
    "json": ["--format", "json"],
    "csv-urge": ["--format", "csv", "--kind", "urge"],
}


def run_once(program: Path, journal: Path, case: str, out: Path) -> tuple[float, float, float]:
    """One export: (wall seconds, CPU seconds, peak RSS in MB)."""
    command = [str(program), "--journal", str(journal), "export", *CASES[case],
               "--out", str(out), "--force"]
    started = time.perf_counter()
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=as_installed(None),
                               start_new_session=True)
    process.stdin.write(PASSPHRASE)
    process.stdin.close()
    stderr = process.stderr.read()
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {stderr.decode(errors='replace')}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1000


def same_export(first: Path, second: Path) -> bool:
    """Whether two exports hold the same bytes, the JSON export's time stamp aside.
    Read a line at a time: a child's peak memory (wait4) starts from this process's
    own, so this process must stay small."""
    import hashlib

    def digest(path: Path) -> bytes:
        summary = hashlib.sha256()
        with path.open("rb") as lines:
            for line in lines:
                if b'"exported_at"' not in line:
                    summary.update(line)
        return summary.digest()
    return digest(first) == digest(second)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("journal", nargs="?", type=Path, default=HERE / "data" / "journal-x1.db")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another checkout with its own .venv")
    parser.add_argument("--formats", nargs="+", choices=sorted(CASES), default=list(CASES))
    args = parser.parse_args()
    programs = {"this": REPO / ".venv" / "bin" / "recoveryjournal"}
    if args.against:
        programs["against"] = args.against / ".venv" / "bin" / "recoveryjournal"
    with tempfile.TemporaryDirectory(prefix="export-formats-") as folder:
        work = Path(folder)
        journal = work / "journal.db"
        shutil.copyfile(args.journal, journal)  # a journal closed cleanly: no -wal to copy
        for program in programs.values():  # bytecode written once, before any timing
            subprocess.run([str(program), "--help"], capture_output=True, env=as_installed(None))
        print(f"{'case':11} {'program':8} {'wall s':>7} {'cpu s':>6} {'peak MB':>8}  (medians of {args.runs})")
        for case in args.formats:
            figures: dict[str, list[tuple[float, float, float]]] = {name: [] for name in programs}
            names = list(programs)
            for number in range(args.runs):
                for name in names if number % 2 == 0 else names[::-1]:  # in turn: noise shared
                    out = work / f"{name}-{case}.out"
                    figures[name].append(run_once(programs[name], journal, case, out))
            for name, runs in figures.items():
                wall, cpu, peak = (statistics.median(column) for column in zip(*runs))
                print(f"{case:11} {name:8} {wall:7.2f} {cpu:6.2f} {peak:8.1f}")
            if args.against and not same_export(work / f"this-{case}.out",
                                                work / f"against-{case}.out"):
                print(f"{case}: the two exports DIFFER")
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

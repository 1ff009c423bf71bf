"""Time recoveryjournal on the ten-year benchmark journal, beside jrnl, in one run.

    .venv/bin/python bench/run.py                    # 1x, 3x and 10x, writes bench/RESULTS.md
    .venv/bin/python bench/run.py --scales 1 --runs 3

Whole processes (what a person runs in a shell, Python start-up and Argon2id
included), each the median of several runs with min and max, and the ratio
against jrnl where jrnl does the same thing:
    add one entry, search a word, list the last 10, stats, export everything to
    Markdown; jrnl's add and search also on a copy of its journal without @tags.
In-process (a fresh process per round, as an app would be after start-up):
    Journal.open (the KDF), the summary the dashboard reads, reading every record
    (the app's worker), unlock -> dashboard in the real Textual
    app driven headless, search, filter, open an entry, each chart, export.
Peak memory is each process's own maximum resident set (wait4 / getrusage).
Every process of one figure runs in turn with the others (round after round), so
a noisy moment on a shared machine hits them all alike, and ratios compare figures
of the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import make_journal  # noqa: E402
from timing import (  # noqa: E402
    Figure, machine, package_versions, recoveryjournal_command, run_process,
)

ADD_TEXT = "Called someone I trust on the way home; the urge passed."
BUDGET = {  # docs/ARCHITECTURE.md, "Performance budget"
    "add": 0.8, "beyond_kdf": 0.15, "interactive": 0.050, "export": 2.0, "memory_mb": 120,
}
TARGET_VS_JRNL = {"add": 5.0, "search": 3.0}
# Issue 18's targets at ten times the benchmark journal: in-app interactions and a
# whole session's memory (the other budgets are for 1x only).
AT_10X = {"interactive": 0.100, "memory_mb": 250}
RESULTS = BENCH / "RESULTS.md"


# ---- whole processes ---------------------------------------------------------------


def _ours(journal: Path, *args: str) -> list[str]:
    return recoveryjournal_command() + ["--journal", str(journal), *args]


EXPORT_KINDS = ("entry", "exercise", "urge", "use", "checkin", "mood", "meeting")


def export_command(journal: Path, out: Path, kinds: tuple[str, ...]) -> tuple[list[str] | None, str]:
    """`export --format md` of `kinds` to `out`, if the sub-command exists yet."""
    probe = subprocess.run(_ours(journal, "export", "--help"), capture_output=True, text=True)
    if probe.returncode != 0:
        return None, "`recoveryjournal export` does not exist yet"
    if "--kind" not in probe.stdout or "--out" not in probe.stdout:
        return None, "`recoveryjournal export` has neither --kind nor --out as this script expects"
    args = ["export", "--format", "md", "--out", str(out)]
    for kind in kinds:
        args += ["--kind", kind]
    return _ours(journal, *args), ""


class CliCase:
    """One operation, ours and (maybe) jrnl's, timed round after round."""

    def __init__(self, name: str, ours: list[str] | None, jrnl: list[str] | None,
                 stdin: bytes, jrnl_home: Path | None, before=None, note: str = ""):
        self.name, self.ours_cmd, self.jrnl_cmd = name, ours, jrnl
        self.stdin, self.jrnl_home, self.before = stdin, jrnl_home, before
        self.ours, self.jrnl = Figure(note=note), Figure()
        self.errors: list[str] = []
        self.jrnl_timed_out = False

    def run_once(self, record: bool, with_jrnl: bool = True, jrnl_timeout: float | None = None) -> None:
        if self.ours_cmd:
            if self.before:
                self.before("ours")
            self._one(self.ours_cmd, None, self.ours, record, "recoveryjournal")
        if self.jrnl_cmd and self.jrnl_home and with_jrnl and not self.jrnl_timed_out:
            if self.before:
                self.before("jrnl")
            env = make_journal.jrnl_env(self.jrnl_home)
            self._one(make_journal.jrnl_command() + self.jrnl_cmd, env, self.jrnl, record, "jrnl",
                      jrnl_timeout)

    def _one(self, command, env, figure: Figure, record: bool, who: str,
             timeout: float | None = None) -> None:
        result = run_process(command, self.stdin, env=env, timeout=timeout)
        if result.timed_out:
            self.jrnl_timed_out = True
            self.timeout = timeout
            self.errors.append(f"{who} {self.name} was stopped after {timeout:.0f} s")
            return
        if result.returncode != 0:
            self.errors.append(f"{who} {self.name} exited {result.returncode}: "
                               f"{result.stderr.decode(errors='replace')[-400:]}")
            return
        if record:
            figure.seconds.append(result.seconds)
            figure.peak_mb.append(result.peak_mb)


def work_copies(scale: int, with_jrnl: bool, tags: bool = True) -> tuple[Path, Path | None]:
    """Copies the adds may change; the cached journals stay as built."""
    work = make_journal.DATA / "work"
    work.mkdir(parents=True, exist_ok=True)
    source = make_journal.cached_journal(scale)
    ours = work / f"journal-x{scale}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(ours) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, ours)
    if not with_jrnl:
        return ours, None
    return ours, jrnl_work_copy(scale, tags)


def jrnl_work_copy(scale: int, tags: bool) -> Path:
    home = make_journal.jrnl_journal(scale, tags=tags)
    jrnl_home = make_journal.DATA / "work" / home.name
    if jrnl_home.exists():
        shutil.rmtree(jrnl_home)
    jrnl_home.mkdir()
    shutil.copyfile(home / "journal.txt", jrnl_home / "journal.txt")
    make_journal.write_jrnl_config(jrnl_home, jrnl_home / "journal.txt", encrypt=True)
    return jrnl_home


def cli_cases(scale: int, runs: int, with_jrnl: bool, log, jrnl_runs: int | None = None,
              jrnl_timeout: float | None = None,
              jrnl_tagged_add: bool = True) -> tuple[list[CliCase], list[str]]:
    """Every CLI case, `runs` timed rounds after a warm-up. jrnl takes part in the
    first `jrnl_runs` timed rounds only (None: all, with its warm-up), since at 10x
    one jrnl command takes minutes; `jrnl_tagged_add=False` leaves out jrnl's add
    on its tagged journal (12 minutes at 10x), not the untagged one."""
    ours, jrnl_home = work_copies(scale, with_jrnl)
    notes = []
    stdin = f"{make_journal.PASSPHRASE}\n".encode()
    word = make_journal.SEARCH_WORD
    work = make_journal.DATA / "work"
    entries_out, all_out = work / f"entries-x{scale}.md", work / f"everything-x{scale}.md"
    jrnl_out = work / f"jrnl-export-x{scale}.md"

    def clearing(ours_out: Path, jrnl_out_: Path | None = None):
        """Remove the tool's own output before each run (both refuse or append
        otherwise), leaving the other files for the size note."""
        return lambda who: (ours_out if who == "ours" else jrnl_out_ or ours_out).unlink(
            missing_ok=True)

    entries_cmd, why = export_command(ours, entries_out, ("entry",))
    all_cmd, _why = export_command(ours, all_out, EXPORT_KINDS)
    if entries_cmd is None:
        notes.append(f"CLI export skipped: {why}.")
    jrnl_export = ["--export", "md", "--file", str(jrnl_out)]
    cases = [
        CliCase("add one entry", _ours(ours, "write", ADD_TEXT),
                [ADD_TEXT] if jrnl_tagged_add else None, stdin, jrnl_home),
        CliCase(f"search a word ({word!r})", _ours(ours, "search", word),
                ["-contains", word], stdin, jrnl_home),
        CliCase("list the last 10", _ours(ours, "list", "-n", "10"), ["-n", "10"], stdin, jrnl_home),
        CliCase("stats (the last 12 weeks)", _ours(ours, "stats"), None, stdin, None),
        CliCase("export all entries to Markdown", entries_cmd, jrnl_export, stdin, jrnl_home,
                before=clearing(entries_out, jrnl_out)),
        CliCase("export everything to Markdown (every kind)", all_cmd, None, stdin, None,
                before=clearing(all_out)),
    ]
    if jrnl_home is not None:
        untagged = jrnl_work_copy(scale, tags=False)
        cases[1:1] = [
            CliCase("add one entry — jrnl's journal without @tags", _ours(ours, "write", ADD_TEXT),
                    [ADD_TEXT], stdin, untagged),
            CliCase(f"search a word ({word!r}) — jrnl's journal without @tags",
                    _ours(ours, "search", word), ["-contains", word], stdin, untagged),
        ]
    log(f"[{scale}x] whole-process runs: 1 warm-up + {runs} timed, round after round"
        + (f" (jrnl: {jrnl_runs} timed, no warm-up)" if jrnl_runs is not None else ""))
    for round_ in range(runs + 1):
        jrnl_now = round_ <= jrnl_runs and round_ > 0 if jrnl_runs is not None else True
        for case in cases:
            case.run_once(record=round_ > 0, with_jrnl=jrnl_now, jrnl_timeout=jrnl_timeout)
        log(f"  round {round_}/{runs} done")
    if with_jrnl and not jrnl_tagged_add:
        notes.append(f"{scale}x: jrnl's add on its tagged journal was not timed in this run "
                     f"(--jrnl-add-scales); its add without @tags was.")
    if jrnl_runs is not None and with_jrnl:
        notes.append(f"{scale}x: jrnl ran {jrnl_runs} timed run(s) per operation without a "
                     f"warm-up (one jrnl command takes minutes at this size), each stopped "
                     f"after {jrnl_timeout:.0f} s.")
    for case in cases:
        notes += [f"{scale}x: {e}" for e in dict.fromkeys(case.errors)]
    sizes = [f"{label} {out.stat().st_size / 2**20:.1f} MiB" for label, out in
             (("our entries", entries_out), ("our everything", all_out), ("jrnl's", jrnl_out))
             if out.exists()]
    if sizes:
        notes.append(f"{scale}x Markdown exports: " + ", ".join(sizes) + ".")
    return cases, notes


# ---- in-process (run inside a fresh worker process) ---------------------------------


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def _resident_mb() -> float:
    """The process's resident set now (VmRSS), in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) * 1024 / 1e6
    return 0.0


def worker(path: Path, repeats: int) -> dict:
    """One session: unlock, load, then every interactive operation; JSON-ready timings.

    Each step gives [seconds...] and the process's peak RSS right after it."""
    from recoveryjournal import insights
    from recoveryjournal.journal import Journal
    from recoveryjournal.records import Checkin, ExerciseResponse, Meeting, Urge, Use
    from recoveryjournal.safetext import clean

    out: dict[str, dict] = {}

    def step(name: str, action, times: int = 1):
        seconds = []
        result = None
        for _ in range(times):
            started = time.perf_counter()
            result = action()
            seconds.append(time.perf_counter() - started)
        out[name] = {"seconds": seconds, "peak_mb": _peak_mb()}
        return result

    # As the app unlocks: the KDF, then the sealed summary the dashboard is drawn
    # from; every record is read, decrypted and grouped by kind in a worker after the
    # dashboard shows, and the whole-set check follows it.
    journal = step("Journal.open (Argon2id)",
                   lambda: Journal.open(path, make_journal.PASSPHRASE))
    step("the summary (what the dashboard reads)", journal.summary)
    step("journal.load() (every record, in the app's worker after the dashboard)",
         lambda: journal.load(verify=False, background=True))
    step("integrity check (in the background, after the dashboard)", journal.verify)
    word = make_journal.SEARCH_WORD
    found = step("search, first in a session", lambda: journal.search(word))
    step("search, again", lambda: journal.search("maria lighthouse"), repeats)
    out["search, first in a session"]["hits"] = len(found)
    # The app decodes every kind in a worker once the dashboard shows; what a person
    # then searches, filters and charts runs on decoded records.
    step("decode everything (the app's background worker)",
         lambda: journal.decode_all(polite=True))  # as the app: it then sorts each kind
    # Then, last, it builds the word index search answers from (word_index.py).
    step("build the word index (the app's background worker)", journal.build_search_index)
    # Then it lets go of the entries' texts: what reads one reads its row.
    step("let go of the entries' texts (the app's background worker)",
         journal.leave_entry_texts_on_disk)
    step("search, after decoding (as in the app), first", lambda: journal.search(word))
    step("search, after decoding (as in the app), again",
         lambda: journal.search("maria lighthouse"), repeats)

    # One addiction's strong urges, chosen as Progress chooses an addiction's
    # (insights.urges_matching): in the columns the app holds urges in
    # (record_columns.py), then only what is shown is built, here the newest 300
    # beside the count. Building every match as a record, which no screen does,
    # is the third figure (what the columns spare; no budget, not an interaction).
    def filter_urges():
        found = insights.urges_matching(journal.records(Urge), "gambling", at_least=7)
        return len(found), [u.when for u in found[-300:]]

    step("filter urges, first (after decoding)", filter_urges)
    step("filter urges, again", filter_urges, repeats)
    step("every matching urge built as a record (no screen does)", lambda: list(
        insights.urges_matching(journal.records(Urge), "gambling", at_least=7)), repeats)

    entries = journal.entries()
    picks = [entries[i * len(entries) // repeats].id for i in range(repeats)]
    pick_iter = iter(picks * 2)

    def open_entry():
        entry = journal.get(next(pick_iter))
        return clean(entry.title), clean(entry.text)

    step("open an entry", open_entry, repeats)
    step("list the last 10", lambda: journal.entries()[:10], repeats)
    # The journal list shows the newest 300 by their first lines, read from their
    # rows in one query once the texts wait on disk (tui/screens/entries.py).
    step("the journal list's titles (the newest 300)",
         lambda: [entry.title for entry in journal.with_texts(journal.entries()[:300])],
         repeats)

    # The chart library is imported when the progress screen first opens; switching
    # between charts (the budget) happens once it is there.
    step("load the chart library (once, when Progress first opens)", _import_plotext)
    for name, chart in _charts(journal, Checkin, ExerciseResponse, Meeting, Urge, Use):
        try:
            step(f"chart: {name}", chart, 1)
            step(f"chart: {name}, again", chart, repeats)
        except Exception as exc:  # a chart still being built must not stop the rest
            out[f"chart: {name}"] = {"error": f"{type(exc).__name__}: {exc}"}
    name = "export everything to Markdown (to a file, as the CLI does)"
    try:
        export = _export_markdown(journal)
        size = step(name, export)
        out[name]["bytes"] = size
    except Exception as exc:
        out[name] = {"error": f"{type(exc).__name__}: {exc}"}
    journal.lock()
    return out


def _charts(journal, Checkin, ExerciseResponse, Meeting, Urge, Use):
    """Each chart the progress screen offers, as the screen builds it (its series
    from the sealed summary where it can, else from the records of the range; then
    its text at 76x16): 'switching to a chart' costs both, so both are timed
    together. The range is 1 year (52 weeks), and again the whole journal ("all"),
    the range that grows with it."""
    try:
        from recoveryjournal.charts import PLAIN
        from recoveryjournal.records import normalise_addiction
        from recoveryjournal.tui.screens.progress import RANGES, ProgressScreen
    except ImportError:
        return []
    today = datetime.now().astimezone().date()
    screen = ProgressScreen(journal, today=today)
    tracked = journal.tracked_addictions()
    glance = journal.summary()
    seen = set(glance.uses) if glance is not None else {
        normalise_addiction(u.addiction) for u in journal.records(Use)}
    screen.addictions = tracked + sorted(seen - set(tracked))
    ranges = [weeks for weeks, _label in RANGES]

    def chart(chart_id: str, weeks):
        def draw() -> str:
            screen.range_index = ranges.index(weeks)
            screen._cache.clear()
            screen._weekly.clear()
            screen._days_of_use = (None, [])
            return screen._series(chart_id)(76, 16, PLAIN)
        return draw

    named = [("urges per week", "urges"), ("intensity trend", "intensity"),
             ("share resisted", "resisted"), ("meetings beside urges", "meetings"),
             ("WHO-5 over time", "who5"), ("mood per day", "mood"), ("urge waves", "waves"),
             ("top triggers", "triggers"), ("coping that worked", "coping"),
             ("hour x weekday heatmap", "heatmap"), ("use calendar (1 year)", "calendar"),
             ("lifestyle balance", "balance")]
    found = [(name, chart(chart_id, 52)) for name, chart_id in named]
    found += [(f"{name}, whole journal", chart(chart_id, None)) for name, chart_id in named
              if chart_id not in ("calendar", "balance")]
    return found


def _import_plotext() -> None:
    import plotext  # noqa: F401

    from recoveryjournal import charts  # noqa: F401


def _export_markdown(journal):
    """Everything, as the app's Export screen saves a share it was not asked to
    edit (tui/screens/export.py, `share_pieces`): the chosen records taken one
    at a time, their texts read back a window at a time, described a batch at a
    time and streamed into a file, so no list of every record or text is made.
    Returns the file's size."""
    import tempfile

    from recoveryjournal.export.files import write_export_pieces
    from recoveryjournal.export.selection import SHAREABLE_KINDS, Selection
    from recoveryjournal.tui.screens.export import share_pieces

    def export() -> int:
        selection = Selection(kinds=tuple(SHAREABLE_KINDS))
        # By now the entries' texts wait on disk, as in the app after its worker.
        with tempfile.TemporaryDirectory() as folder:
            written = write_export_pieces(Path(folder) / "everything.md",
                                          share_pieces(journal, selection, "md"))
            return written.stat().st_size

    return export


def dashboard_worker(path: Path) -> dict:
    """Unlock -> dashboard in the real app, headless, one session: Enter to the
    dashboard's first paint (see tui_paint.py), and to the end of the checking
    and decoding that follow in a worker thread."""
    try:
        import tui_paint
    except ImportError as exc:
        return {"error": f"no dashboard to drive yet ({exc})"}
    kdf = tui_paint.kdf_seconds()  # first: its 64 MiB must not add to the session's peak
    painted, complete, kdf_in_run = asyncio.run(tui_paint.one_unlock(path))
    return {"seconds": painted, "complete": complete, "kdf": kdf, "kdf_in_run": kdf_in_run,
            "peak_mb": _peak_mb(), "resident_mb": _resident_mb()}


def in_process(scale: int, runs: int, repeats: int, log) -> tuple[dict[str, Figure], list[str]]:
    """Run `runs` fresh worker processes and gather each step's figures."""
    path = make_journal.cached_journal(scale)
    figures: dict[str, Figure] = {}
    notes: list[str] = []
    log(f"[{scale}x] in-process: {runs} fresh sessions")
    for round_ in range(runs):
        for mode in ("--worker", "--dashboard-worker"):
            command = [sys.executable, str(Path(__file__).resolve()), mode, str(path),
                       "--repeats", str(repeats)]
            result = run_process(command)
            if result.returncode != 0:
                notes.append(f"{scale}x {mode} failed: {result.stderr.decode(errors='replace')[-600:]}")
                continue
            data = json.loads(result.stdout.decode().strip().splitlines()[-1])
            if mode == "--dashboard-worker":
                if "error" in data:
                    notes.append(f"unlock -> dashboard not measured: {data['error']}")
                    continue
                data = {
                    "unlock -> dashboard visible (TUI, KDF included)":
                        {"seconds": [data["seconds"]], "peak_mb": result.peak_mb},
                    "unlock -> dashboard, beyond the KDF":
                        # The unlock's own KDF, timed inside it (tui_paint.one_unlock).
                        {"seconds": [data["seconds"] - data["kdf_in_run"]],
                         "peak_mb": result.peak_mb},
                    "unlock -> dashboard complete (background decoding done)":
                        {"seconds": [data["complete"]], "peak_mb": result.peak_mb,
                         "resident_mb": data.get("resident_mb")},
                }
            for name, step in data.items():
                if "error" in step:
                    notes.append(f"{scale}x {name}: {step['error']}")
                    continue
                figure = figures.setdefault(name, Figure())
                figure.seconds += step["seconds"]
                figure.peak_mb.append(step["peak_mb"])
                if step.get("resident_mb"):
                    figure.resident_mb.append(step["resident_mb"])
                if "hits" in step:
                    figure.note = f"{step['hits']:,} hits"
                if "bytes" in step:
                    figure.note = f"{step['bytes'] / 2**20:.1f} MiB"
        log(f"  session {round_ + 1}/{runs} done")
    notes[:] = list(dict.fromkeys(notes))
    return figures, notes


# ---- the table ---------------------------------------------------------------------


def budget_for(name: str, cli: bool = False, scale: int = 1) -> tuple[float | None, str]:
    if cli and name.startswith(("search", "list")):
        return None, ""  # docs/ARCHITECTURE.md budgets these in the app, not as a whole process
    if scale != 1:
        if scale == 10 and not cli and name.startswith(
                ("search", "filter", "open an entry", "chart:", "the journal list")):
            return AT_10X["interactive"], "≤ 100 ms"
        return None, ""
    if name.startswith("add one entry"):
        return BUDGET["add"], "≤ 0.8 s"
    if name.startswith("export"):
        return BUDGET["export"], "≤ 2 s"
    if name == "unlock -> dashboard, beyond the KDF":
        return BUDGET["beyond_kdf"], "≤ 0.15 s"
    if name.startswith(("search", "filter", "open an entry", "chart:", "the journal list")):
        return BUDGET["interactive"], "≤ 50 ms"
    return None, ""


def verdict(figure: Figure, limit: float | None, scale: int = 1) -> str:
    """The budgets of docs/ARCHITECTURE.md are for the ten-year journal (1x); at 10x
    issue 18 holds in-app interactions to 100 ms and memory to 250 MB; the 3x rows
    show how each cost grows and carry no verdict."""
    if scale not in (1, 10):
        return "(budgets are for 1x and 10x)"
    memory_mb = BUDGET["memory_mb"] if scale == 1 else AT_10X["memory_mb"]
    marks = []
    if limit is not None and figure.seconds:
        marks.append("ok" if figure.median <= limit else "**OVER**")
    if figure.peak is not None and figure.peak > memory_mb:
        marks.append("**MEM OVER**")
    return " ".join(marks)


def table(results: dict[int, dict]) -> str:
    lines = [
        "| operation | scale | recoveryjournal median (min–max) | peak RSS | jrnl 4.6 median (min–max) | jrnl peak | jrnl ÷ ours | budget | verdict |",
        "|---|---:|---|---:|---|---:|---:|---|---|",
    ]
    for scale, result in results.items():
        for case in result["cli"]:
            limit, label = budget_for(case.name, cli=True, scale=scale)
            ratio = ""
            if case.ours.seconds and case.jrnl.seconds:
                ratio = f"{case.jrnl.median / case.ours.median:.1f}x"
                target = next((v for k, v in TARGET_VS_JRNL.items() if case.name.startswith(k)), None)
                if target:
                    ratio += f" (target ≥ {target:.0f}x)"
            jrnl_cell = case.jrnl.cell() if case.jrnl.seconds else ""
            if case.jrnl_timed_out and not case.jrnl.seconds:
                jrnl_cell = f"> {case.timeout:.0f} s (stopped)"
                if case.ours.seconds:
                    ratio = f"> {case.timeout / case.ours.median:.0f}x"
            ours_cell = case.ours.cell() if case.ours.seconds else f"skipped{': ' + case.ours.note if case.ours.note else ''}"
            lines.append(
                f"| CLI: {case.name} | {scale}x | {ours_cell} | "
                f"{_mb(case.ours.peak)} | {jrnl_cell} | {_mb(case.jrnl.peak)} | "
                f"{ratio} | {label} | {verdict(case.ours, limit, scale)} |")
        for name, figure in result["in_process"].items():
            limit, label = budget_for(name, scale=scale)
            note = f" — {figure.note}" if figure.note else ""
            lines.append(f"| {name}{note} | {scale}x | {figure.cell()} | {_mb(figure.peak)} | "
                         f" |  |  | {label} | {verdict(figure, limit, scale)} |")
    return "\n".join(lines)


GROWTH = (  # the rows issue 18 holds to "flat as the journal grows"
    ("unlock -> dashboard, beyond the KDF", "in_process", 1.2),
    ("list the last 10", "cli", 1.3),
    ("stats (the last 12 weeks)", "cli", 1.3),
    ("add one entry", "cli", None),
    ("the summary (what the dashboard reads)", "in_process", None),
)


def growth_table(results: dict[int, dict]) -> str:
    """The growth curve: each figure at every scale and its ratio to 1x."""
    scales = sorted(results)
    if len(scales) < 2 or scales[0] != 1:
        return ""
    head = " | ".join(f"{s}x" for s in scales)
    lines = [f"| operation | {head} | {scales[-1]}x ÷ 1x | target |",
             "|---|" + "---:|" * len(scales) + "---:|---|"]

    def figure_of(scale: int, name: str, where: str) -> Figure | None:
        if where == "cli":
            return next((c.ours for c in results[scale]["cli"] if c.name == name), None)
        return results[scale]["in_process"].get(name)

    for name, where, target in GROWTH:
        found = [figure_of(s, name, where) for s in scales]
        if not all(f is not None and f.seconds for f in found):
            continue
        cells = " | ".join(f"{f.median:.3f} s" for f in found)
        ratio = found[-1].median / found[0].median
        lines.append(f"| {name} | {cells} | {ratio:.2f}x | "
                     + (f"≤ {target}x" if target else "") + " |")
    peaks = [max((f.peak or 0) for f in results[s]["in_process"].values()) for s in scales]
    if all(peaks):
        lines.append("| peak RSS of a session (everything decoded) | "
                     + " | ".join(f"{p:.0f} MB" for p in peaks)
                     + f" | {peaks[-1] / peaks[0]:.2f}x | ≤ 120 MB at 1x, ≤ 250 MB at 10x |")
    # The peak holds Argon2id's 64 MiB at unlock; this is what the app keeps.
    done = [results[s]["in_process"].get("unlock -> dashboard complete (background decoding done)")
            for s in scales]
    if all(f is not None and f.resident_mb for f in done):
        kept = [statistics.median(f.resident_mb) for f in done]
        lines.append("| the app's resident memory once everything is decoded (median) | "
                     + " | ".join(f"{k:.0f} MB" for k in kept)
                     + f" | {kept[-1] / kept[0]:.2f}x | ≤ 120 MB at 1x, ≤ 250 MB at 10x |")
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return "" if value is None else f"{value:.0f} MB"


def jrnl_version() -> str:
    command = make_journal.jrnl_command()
    if not command:
        return "not installed"
    out = subprocess.run(command + ["--version"], capture_output=True, text=True)
    return out.stdout.split("\n")[0].strip()


def write_results(text: str, args, notes: list[str], build_info: list[str]) -> None:
    """The table with the machine, versions, date and notes, as Markdown."""
    versions = package_versions(["recoveryjournal", "textual", "cryptography", "sqlite-utils",
                                 "plotext", "platformdirs", "rich"])
    about = machine()
    body = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py` (see bench/README.md); rerun it to refresh this page.",
        "",
        f"- date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        *[f"- {k}: {v}" for k, v in about.items()],
        f"- SQLite: {sqlite3.sqlite_version}",
        "- load average (1, 5, 15 min) when written: "
        + ", ".join(f"{v:.1f}" for v in os.getloadavg())
        + " (2 cores shared with other work: above ~2, every figure is inflated)",
        "- packages: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- jrnl: {jrnl_version()} (its own venv, bench/.jrnl-venv)",
        f"- command: `{' '.join(['.venv/bin/python', 'bench/run.py', *sys.argv[1:]])}`",
        f"- runs: {args.runs} timed whole-process runs (+1 warm-up) per figure; "
        f"{args.sessions} fresh in-process sessions, operations repeated {args.repeats}x in each",
        *[f"- {line}" for line in build_info],
        "",
        text,
        "",
        "Budgets are docs/ARCHITECTURE.md's. \"peak RSS\" is the process's maximum resident set "
        "(MB = 10^6 bytes); for in-process steps it is the session's peak up to and "
        "including that step. \"again\" rows are the same operation once its caches are warm "
        "(what a person sees the second time); \"first\" rows include building them.",
        "",
    ]
    if notes:
        body += ["## Notes", "", *[f"- {n}" for n in notes], ""]
    Path(args.results).write_text("\n".join(body))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 3, 10])
    parser.add_argument("--runs", type=int, default=5, help="timed whole-process runs (default 5)")
    parser.add_argument("--sessions", type=int, default=5, help="fresh in-process sessions (default 5)")
    parser.add_argument("--repeats", type=int, default=5, help="warm repeats inside a session")
    parser.add_argument("--no-jrnl", action="store_true", help="skip jrnl")
    parser.add_argument("--jrnl-scales", type=int, nargs="*", default=None,
                        help="scales at which to run jrnl too (default: all)")
    parser.add_argument("--jrnl-add-scales", type=int, nargs="*", default=None,
                        help="scales at which jrnl's add on its tagged journal is timed "
                             "(default: every jrnl scale; at 10x it takes over 12 minutes)")
    parser.add_argument("--jrnl-big-runs", type=int, default=1,
                        help="timed jrnl runs per operation above 1x (default 1)")
    parser.add_argument("--jrnl-timeout", type=float, default=900,
                        help="seconds before a jrnl command is stopped (default 900)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help="where to write the results (default bench/RESULTS.md)")
    parser.add_argument("--worker-timeout", type=float, default=900, help=argparse.SUPPRESS)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--dashboard-worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker or args.dashboard_worker:
        import faulthandler

        # A hung session prints where it hung and ends, instead of stalling the run.
        faulthandler.dump_traceback_later(args.worker_timeout, exit=True)
    if args.worker:
        print(json.dumps(worker(args.worker, args.repeats)))
        return 0
    if args.dashboard_worker:
        print(json.dumps(dashboard_worker(args.dashboard_worker)))
        return 0

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    notes: list[str] = []
    build_info: list[str] = []
    jrnl_ok = not args.no_jrnl and make_journal.ensure_jrnl(log) is not None
    if not args.no_jrnl and not jrnl_ok:
        notes.append("jrnl is not installed: no jrnl columns (see bench/README.md).")
    results: dict[int, dict] = {}
    for scale in args.scales:
        path = make_journal.cached_journal(scale)
        stamp = json.loads(path.with_suffix(".json").read_text())
        with_jrnl = jrnl_ok and (args.jrnl_scales is None or scale in args.jrnl_scales)
        build_info.append(
            f"{scale}x journal: {sum(stamp['counts'].values()):,} records "
            f"({', '.join(f'{n:,} {k}' for k, n in stamp['counts'].items())}), "
            f"{stamp['bytes'] / 2**20:.0f} MiB, ten years to {stamp['end']}, seed {stamp['seed']}, "
            f"built through the Journal API in {stamp['build_seconds']} s"
            + (f"; jrnl copy: the same {stamp['counts']['entry']:,} entries" if with_jrnl else ""))
        big = scale > 1
        try:
            tagged_add = args.jrnl_add_scales is None or scale in args.jrnl_add_scales
            cases, cli_notes = cli_cases(scale, args.runs, with_jrnl, log,
                                         args.jrnl_big_runs if big else None, args.jrnl_timeout,
                                         jrnl_tagged_add=tagged_add)
        except RuntimeError as exc:
            notes.append(f"{scale}x: jrnl could not be prepared ({exc}); jrnl left out.")
            cases, cli_notes = cli_cases(scale, args.runs, False, log)
        figures, in_notes = in_process(scale, args.sessions, args.repeats, log)
        results[scale] = {"cli": cases, "in_process": figures}
        notes += cli_notes + in_notes
        if not args.no_write:  # after each scale, so a long run leaves what it measured
            write_results(table(results), args, notes, build_info)
    text = table(results)
    growth = growth_table(results)
    if growth:
        text = "## Growth (medians)\n\n" + growth + "\n\n## Every figure\n\n" + text
    print(text)
    if notes:
        print()
        print("\n".join(f"- {n}" for n in notes))
    if not args.no_write:
        write_results(text, args, notes, build_info)
        print(f"\nWritten to {args.results}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())

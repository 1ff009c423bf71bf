"""The concurrency torture run: the app and the CLI on one journal, killed at random.

Usage: python torture.py JOURNAL ROUNDS SEED WORKDIR   (passphrase: RJ_TEST_PASSPHRASE)

Each round forks, from this one process that never opens the journal itself:
- an app-like child that unlocks the way the full-screen app does (preload,
  background check), then writes, reads, takes in outside writes and sometimes
  locks and unlocks again, until told to stop;
- three CLI children, each running the real command line (`write`, `urge`,
  `lapse`, `list`, `search`, `export`) with the passphrase on standard input;
- then a checker child that opens the journal afresh.

While they run, any child (the app included) may be killed with SIGKILL at a
random moment. Afterwards every write that was acknowledged ("Saved." from the
CLI, "done" from the app) must be in the journal, the file must pass SQLite's
integrity check and open with no tamper alarm, and no child that ran to its end
may have printed a traceback or a problem note. Forking keeps each round cheap
while every child is a real process with its own SQLite connection.

Prints one line per failure ("FAIL ...") and a last line "rounds N saved N
killed N": the test asserts on those.
"""

from __future__ import annotations

import json
import os
import random
import select
import signal
import sys
from pathlib import Path

from recoveryjournal.vault import crypto

# The same tiny floor conftest installs in-process, so the journal made there opens here.
crypto.KDF_FLOOR = crypto.KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1)

from recoveryjournal import cli  # noqa: E402  (the real command line, imported once)
from recoveryjournal.journal import Journal  # noqa: E402
from recoveryjournal.records import Entry, Urge, Use  # noqa: E402

PASSPHRASE = os.environ["RJ_TEST_PASSPHRASE"]


class Child:
    """A forked process whose stdout and stderr come back through one pipe."""

    def __init__(self, name: str, run, feed: bytes = b""):
        self.name = name
        out_read, out_write = os.pipe()
        in_read, in_write = os.pipe()
        sys.stdout.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child
            try:
                os.close(out_read)
                os.close(in_write)
                os.dup2(in_read, 0)
                os.dup2(out_write, 1)
                os.dup2(out_write, 2)
                sys.stdin = open(0, "r", closefd=False)
                code = run()
                sys.stdout.flush()
                sys.stderr.flush()
            except BaseException as exc:  # reported as output; the run fails on it
                import traceback

                traceback.print_exc()
                print(f"child error {type(exc).__name__}: {exc}", flush=True)
                code = 3
            os._exit(code or 0)
        os.close(out_write)
        os.close(in_read)
        self.out = out_read
        self.control = in_write
        if feed:
            os.write(self.control, feed)
        self.output = b""
        self.status: int | None = None
        self.killed = False

    def read(self) -> bool:
        """Read what is there; False once the child closed its output."""
        chunk = os.read(self.out, 65536)
        self.output += chunk
        return bool(chunk)

    def kill(self) -> None:
        if self.status is None:
            self.killed = True
            os.kill(self.pid, signal.SIGKILL)

    def reap(self) -> None:
        while True:
            try:
                if not self.read():
                    break
            except OSError:
                break
        os.close(self.out)
        os.close(self.control)
        _pid, self.status = os.waitpid(self.pid, 0)

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace")


def app_child(rng: random.Random, label: str) -> int:
    """Work like the full-screen app until a "stop" line arrives, then lock."""
    journal = open_like_the_app()
    step = 0
    while True:
        ready, _w, _x = select.select([0], [], [], rng.uniform(0, 0.004))
        if ready and os.read(0, 64).startswith(b"stop"):
            journal.lock()
            print("locked", flush=True)
            return 0
        journal.refresh()
        roll = rng.random()
        if roll < 0.55:
            text = f"{label} app entry {step}"
            print(f"try {text}", flush=True)
            journal.add(Entry(text=text))
            print("done", flush=True)
        elif roll < 0.65:
            journal.save_draft("entry:new", {"text": f"{label} draft {step}"})
        elif roll < 0.9:
            journal.entries()
            journal.records(Urge)
        else:  # the idle lock, then unlocking again
            journal.lock()
            journal = open_like_the_app()
        step += 1


def open_like_the_app() -> Journal:
    """Unlock the way the app's unlock screen does: rows read beside the KDF, the
    set-level check and the decoding left for after the dashboard shows."""
    import threading

    journal = Journal.open(JOURNAL, PASSPHRASE, preload=True)
    journal.load(verify=False)
    problems: list[str] = []
    checker = threading.Thread(target=lambda: problems.extend(journal.verify()))
    checker.start()
    checker.join()
    for problem in problems:
        print(f"problem {problem}", flush=True)
    return journal


def cli_child(argv: list[str]) -> int:
    return cli.main(["--journal", str(JOURNAL), *argv])


def cli_command(rng: random.Random, label: str, number: int) -> tuple[list[str], str | None]:
    """A CLI command line and the text that must be found after it says "Saved"."""
    text = f"{label} cli {number}"
    roll = rng.random()
    if roll < 0.35:
        return ["write", text], text
    if roll < 0.5:
        return ["urge", "alcohol", str(rng.randint(0, 10)), "--note", text], text
    if roll < 0.6:
        return ["lapse", "alcohol", "--note", text], text
    if roll < 0.75:
        return ["list", "-n", "5"], None
    if roll < 0.9:
        return ["search", "cli"], None
    out = WORKDIR / f"export-{label}-{number}.md"
    return ["export", "--format", "md", "--out", str(out)], None


def check_child(expected: list[str]) -> int:
    """Open the journal afresh and report what it holds, as one JSON line."""
    import sqlite3

    conn = sqlite3.connect(f"file:{JOURNAL}?mode=ro", uri=True)
    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    journal = Journal.open(JOURNAL, PASSPHRASE)
    journal.load(verify=True)
    found = {e.text for e in journal.records(Entry)}
    found |= {u.trigger_note for u in journal.records(Urge)}
    found |= {u.note for u in journal.records(Use)}
    report = {
        "integrity": integrity,
        "problems": list(journal.problems),
        "missing": [text for text in expected if text not in found],
        "records": len(found),
    }
    journal.lock()
    print(json.dumps(report), flush=True)
    return 0


def run_round(rng: random.Random, number: int, saved: set[str]) -> tuple[list[str], int]:
    """One round; returns the failures found and how many children were killed."""
    label = f"r{number}"
    app_seed = rng.getrandbits(32)
    app = Child("app", lambda: app_child(random.Random(app_seed), label))
    clis = []
    for position in range(3):
        argv, text = cli_command(rng, label, position)
        child = Child("cli " + " ".join(argv[:1]),
                      lambda argv=argv: cli_child(argv), (PASSPHRASE + "\n").encode())
        child.expects = text
        clis.append(child)
    everyone = [app, *clis]
    running = {child.out: child for child in everyone}
    stop_sent = False
    while running:
        ready, _w, _x = select.select(list(running), [], [], rng.uniform(0, 0.02))
        for fd in ready:
            if not running[fd].read():
                del running[fd]
        if not ready and rng.random() < 0.3:
            rng.choice(everyone).kill()  # a kill at a random moment, maybe mid-write
        if not stop_sent and all(c.out not in running for c in clis):
            stop_sent = True
            if app.out in running:
                try:
                    os.write(app.control, b"stop\n")
                except OSError:
                    pass  # it died meanwhile
    for child in everyone:
        child.reap()
    failures = []
    for child in everyone:
        text = child.text
        finished = not child.killed and os.WIFEXITED(child.status)
        if "Traceback" in text or "child error" in text:
            failures.append(f"{child.name} failed: {text[-600:]!r}")
        if "problem " in text or "Note:" in text:
            failures.append(f"{child.name} saw a false alarm: {text[-600:]!r}")
        if finished and os.WEXITSTATUS(child.status) != 0:
            failures.append(f"{child.name} exited {os.WEXITSTATUS(child.status)}: {text[-600:]!r}")
    lines = app.text.splitlines()
    for position, line in enumerate(lines):
        if line.startswith("try ") and position + 1 < len(lines) and lines[position + 1] == "done":
            saved.add(line[4:])
    for child in clis:
        if child.expects and "Saved" in child.text:
            saved.add(child.expects)
    checker = Child("check", lambda: check_child(sorted(saved)))
    checker.reap()
    try:
        report = json.loads(checker.text.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return failures + [f"the journal did not open: {checker.text[-800:]!r}"], 0
    if report["integrity"] != "ok":
        failures.append(f"integrity_check: {report['integrity']}")
    if report["problems"]:
        failures.append(f"false tamper alarm: {report['problems']}")
    if report["missing"]:
        failures.append(f"lost after being reported saved: {report['missing']}")
    return failures, sum(child.killed for child in everyone)


def main(argv: list[str]) -> None:
    global JOURNAL, WORKDIR
    JOURNAL, rounds, seed, WORKDIR = Path(argv[0]), int(argv[1]), int(argv[2]), Path(argv[3])
    rng = random.Random(seed)
    saved: set[str] = set()
    killed = 0
    for number in range(rounds):
        failures, round_killed = run_round(rng, number, saved)
        killed += round_killed
        for failure in failures:
            print(f"FAIL round {number}: {failure}", flush=True)
        if failures:
            break
    print(f"rounds {number + 1} saved {len(saved)} killed {killed}", flush=True)


JOURNAL = Path()
WORKDIR = Path()

if __name__ == "__main__":
    main(sys.argv[1:])

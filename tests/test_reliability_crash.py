"""Crash safety: writers killed with SIGKILL at random moments lose nothing they reported.

One journal per test; a fork server (tests/helpers/writer.py) starts a fresh
writer process for each round, the test reads its "try ... / done" lines and
kills it after a random number of confirmed operations, so the kill lands
mid-write, mid-commit or mid-backup. After each kill the journal must open,
hold exactly what was reported (the one operation in flight may have happened
or not, never half), pass `PRAGMA integrity_check` and report no tampering.

RJ_CRASH_RUNS sets the number of kills per test (default 100; 1000 for a soak).
"""

from __future__ import annotations

import contextlib
import os
import random
import resource
import shutil
import signal
import sqlite3
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry

from helpers import PASSPHRASE
from helpers.journals import make_cli_journal
from helpers.processes import WRITER, LineReader, assert_clear_error, cli_env, run_cli

RUNS = int(os.environ.get("RJ_CRASH_RUNS", "100"))


@dataclass
class Reported:
    """What the writers said was saved, and the one operation in flight."""

    entries: dict[str, int] = field(default_factory=dict)  # id -> version
    backups: list[tuple[Path, set[str]]] = field(default_factory=list)
    passphrase: str = PASSPHRASE
    in_flight: list[str] | None = None
    kills: int = 0

    def apply(self, words: list[str]) -> None:
        op = words[0]
        if op == "add" or op == "upd":
            self.entries[words[1]] = int(words[2])
        elif op == "del":
            del self.entries[words[1]]
        elif op == "backup":
            self.backups.append((Path(words[1]), set(self.entries)))
        elif op == "passwd":
            self.passphrase = words[1]


class ForkServer:
    """The writer helper, started once per test."""

    def __init__(self, path: Path):
        env = dict(os.environ, RJ_TEST_PASSPHRASE=PASSPHRASE)
        self.process = subprocess.Popen(
            [sys.executable, str(WRITER), "serve", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
        )
        self.lines = LineReader(self.process)
        assert self.lines.readline() == "ready"

    def round(self, mode: str, reported: Reported, kill_after: int, extra: str = "") -> None:
        """Start one writer, kill it after `kill_after` confirmed operations."""
        self.process.stdin.write(f"go\t{mode}\t{reported.passphrase}\t{extra}\n".encode())
        self.process.stdin.flush()
        pid, confirmed, killed = None, 0, False
        while True:
            line = self.lines.readline()
            words = line.split(" ", 2)
            if words[0] == "pid":
                pid = int(words[1])
            elif words[0] == "try":
                reported.in_flight = line.split(" ")[1:]
            elif words[0] == "done":
                reported.apply(reported.in_flight)
                reported.in_flight = None
                confirmed += 1
            elif words[0] == "dead":
                status = int(line.split()[2])
                assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, line
                break
            else:
                pytest.fail(f"the writer said: {line}")
            if not killed and pid is not None and confirmed >= kill_after:
                os.kill(pid, signal.SIGKILL)
                killed = True
        reported.kills += 1

    def raw_round(self, mode: str, passphrase: str, extra: str, kill_after: int,
                  counted: str) -> tuple[list[str], bool]:
        """Start one child; kill it after `kill_after` lines starting with `counted`.
        Returns its lines and whether it was killed (else it finished)."""
        self.process.stdin.write(f"go\t{mode}\t{passphrase}\t{extra}\n".encode())
        self.process.stdin.flush()
        lines, pid, seen, killed = [], None, 0, False
        while True:
            line = self.lines.readline()
            if line.startswith("dead "):
                status = int(line.split()[2])
                if os.WIFSIGNALED(status):
                    assert os.WTERMSIG(status) == signal.SIGKILL, line
                    return lines, True
                assert os.WEXITSTATUS(status) == 0, lines
                return lines, False
            if line.startswith("error"):
                pytest.fail(f"the child said: {line}")
            lines.append(line)
            if line.startswith("pid "):
                pid = int(line.split()[1])
            seen += line.startswith(counted)
            if not killed and pid is not None and seen >= kill_after:
                with contextlib.suppress(ProcessLookupError):  # it may have just finished
                    os.kill(pid, signal.SIGKILL)
                killed = True

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


@pytest.fixture
def server(journal_path):
    # The journal is made in-process (fast KDF); the writer copies that KDF floor.
    created, _code = Journal.create(journal_path, PASSPHRASE, addictions=["alcohol"])
    created.add(Entry(text="written before any crash"))
    created.lock()
    started = ForkServer(journal_path)
    started.recovery_code = _code
    yield started
    started.close()


def integrity_check(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def open_with_either(path: Path, reported: Reported) -> Journal:
    """Open with the reported passphrase, or the one in flight if its change landed."""
    candidates = [reported.passphrase]
    if reported.in_flight and reported.in_flight[0] == "passwd":
        candidates.append(reported.in_flight[1])
    opened = []
    for candidate in candidates:
        try:
            opened.append((candidate, Journal.open(path, candidate)))
        except Exception:
            continue
    assert len(opened) == 1, f"exactly one passphrase should open it, {len(opened)} did"
    candidate, journal = opened[0]
    if candidate != reported.passphrase:  # the change landed before the kill
        reported.passphrase = candidate
    return journal


def check_journal(path: Path, reported: Reported) -> None:
    """Everything reported is there, at its reported version; nothing is damaged."""
    assert integrity_check(path) == "ok"
    journal = open_with_either(path, reported)
    try:
        journal.load()
        assert journal.problems == [], journal.problems
        found = {
            e.id: e.text for e in journal.entries() if e.text.startswith("crash test entry")
        }
    finally:
        journal.lock()
    expected = {rid: f"crash test entry {rid} version {v}" for rid, v in reported.entries.items()}
    flight = reported.in_flight or []
    if flight[:1] == ["add"]:
        if flight[1] in found:  # it landed just before the kill
            expected[flight[1]] = f"crash test entry {flight[1]} version {flight[2]}"
    elif flight[:1] == ["upd"] and found.get(flight[1]) == (
        f"crash test entry {flight[1]} version {flight[2]}"
    ):
        expected[flight[1]] = found[flight[1]]
    elif flight[:1] == ["del"] and flight[1] not in found:
        expected.pop(flight[1], None)
    assert found == expected
    # Whatever happened was whole: the in-flight operation now counts as settled.
    reported.entries = {rid: int(text.rsplit(" ", 1)[1]) for rid, text in found.items()}
    reported.in_flight = None if flight[:1] != ["backup"] else flight


def test_writers_killed_at_random_moments_lose_nothing_reported(server, journal_path):
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    reported = Reported()
    for _ in range(RUNS):
        # Sometimes kill while it is still opening the journal.
        kill_after = 0 if rng.random() < 0.1 else rng.randint(1, 6)
        server.round("records", reported, kill_after)
        check_journal(journal_path, reported)
    print(f"\n[crash] records: {reported.kills} kills survived, "
          f"{len(reported.entries)} entries intact")
    assert reported.kills == RUNS
    assert len(reported.entries) > RUNS // 2  # the writers really wrote


def test_backups_killed_halfway_leave_the_journal_and_every_finished_backup_whole(
    server, journal_path, tmp_path
):
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    folder = tmp_path / "backups"
    folder.mkdir()
    reported = Reported()
    checked_backups = 0
    for _ in range(RUNS):
        before = len(reported.backups)
        server.round("backup", reported, rng.randint(1, 5), extra=str(folder))
        flight = reported.in_flight
        check_journal(journal_path, reported)
        # Every backup reported as finished opens and holds what was saved before it.
        for path, ids in reported.backups[before:]:
            assert integrity_check(path) == "ok"
            with Journal.open(path, reported.passphrase) as copy:
                copy.load()
                assert copy.problems == []
                assert ids <= {e.id for e in copy.entries()}
            checked_backups += 1
        # A backup cut short is either absent or complete, never a half file.
        if flight and flight[0] == "backup" and Path(flight[1]).exists():
            with Journal.open(Path(flight[1]), reported.passphrase) as copy:
                copy.load()
                assert copy.problems == []
        reported.in_flight = None
    leftovers = [p.name for p in folder.iterdir() if not p.name.startswith("backup-")]
    print(f"\n[crash] backup: {reported.kills} kills survived, "
          f"{checked_backups} finished backups opened, {len(leftovers)} partial files left")
    assert checked_backups > RUNS // 2


def test_passphrase_changes_killed_halfway_leave_exactly_one_passphrase_working(
    server, journal_path
):
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    reported = Reported()
    for _ in range(RUNS):
        server.round("passwd", reported, rng.randint(0, 3))
        check_journal(journal_path, reported)  # opens with exactly one candidate
    print(f"\n[crash] passwd: {reported.kills} kills survived")
    assert reported.passphrase != PASSPHRASE
    # The recovery slot was never touched by all those changes.
    with Journal.open_with_recovery_code(journal_path, server.recovery_code) as journal:
        assert journal.problems == []


def test_key_rotations_killed_at_any_step_keep_one_passphrase_and_every_record(
    server, journal_path
):
    """A passphrase change seals every record again under a new key in one
    transaction: killed before, inside or after its commit (at a random record,
    key slot or log truncation), exactly one of the old and new passphrases opens
    the journal, every record is there, and the recovery code still opens it."""
    reported = Reported()
    with Journal.open(journal_path, PASSPHRASE) as journal:
        for _ in range(120):
            entry = Entry(text="")
            entry.text = f"crash test entry {entry.id} version 1"
            journal.add(entry)
            reported.entries[entry.id] = 1
    # Two steps around each record's seal (the settings record too), the vault rows and
    # key slots, the log truncation; a fifth more so some rotations finish.
    steps = int((2 * (len(reported.entries) + 1) + 16) * 1.2)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    finished = 0
    for _ in range(max(RUNS // 4, 10)):
        lines, killed = server.raw_round("rotate", reported.passphrase, str(rng.randint(1, steps)),
                                         kill_after=10**9, counted="-")
        tried = [line.split(" ") for line in lines if line.startswith("try passwd")]
        reported.in_flight = tried[0][1:] if tried else None
        if not killed:
            assert "done" in lines
            reported.apply(reported.in_flight)
            reported.in_flight = None
            finished += 1
        else:
            reported.kills += 1
        check_journal(journal_path, reported)
    print(f"\n[crash] rotation: {reported.kills} kills inside a rotation, {finished} finished")
    assert reported.kills > 0
    with Journal.open_with_recovery_code(journal_path, server.recovery_code) as journal:
        assert journal.problems == [] and len(journal.entries()) == len(reported.entries) + 1


# ---- import and restore cut short ------------------------------------------------


def _jrnl_file(path: Path, count: int) -> set[str]:
    """A jrnl text journal of `count` entries; returns the texts they import as."""
    texts, lines = set(), []
    for number in range(count):
        title = f"Jrnl entry {number} @imported"
        lines.append(f"[2024-03-{1 + number % 28:02d} {number % 24:02d}:{number % 60:02d}] "
                     f"{title}\nbody of {number}\n")
        texts.add(f"{title}\nbody of {number}")
    path.write_text("\n".join(lines))
    return texts


def test_imports_killed_halfway_keep_the_journal_whole_and_finish_on_retry(
    server, journal_path, tmp_path
):
    """A crash leaves part of an import saved (each record is its own
    transaction); running the import again adds the rest, never twice."""
    pytest.importorskip("recoveryjournal.export.jrnl_import")
    from recoveryjournal.export import jrnl_import

    source = tmp_path / "old-journal.txt"
    wanted = _jrnl_file(source, 60)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    kills = 0
    for _ in range(max(RUNS // 5, 10)):
        _lines, killed = server.raw_round("import", PASSPHRASE, str(source),
                                          rng.randint(1, 8), counted="done")
        kills += killed
        assert integrity_check(journal_path) == "ok"
        with Journal.open(journal_path, PASSPHRASE) as journal:
            journal.load()
            assert journal.problems == []
            texts = [e.text for e in journal.entries()]
        assert "written before any crash" in texts
        imported = [t for t in texts if t.startswith("Jrnl entry")]
        assert len(imported) == len(set(imported)) and set(imported) <= wanted
        if not killed:
            break
    with Journal.open(journal_path, PASSPHRASE) as journal:
        jrnl_import.import_entries(journal, jrnl_import.read_jrnl(source))
        journal.load()
        imported = [e.text for e in journal.entries() if e.text.startswith("Jrnl entry")]
    assert sorted(imported) == sorted(wanted)
    print(f"\n[crash] import: {kills} kills survived, all {len(wanted)} entries once on retry")
    assert kills >= 3


def _make_backup(journal_path: Path, folder: Path) -> tuple[Path, set[str]]:
    with Journal.open(journal_path, PASSPHRASE) as journal:
        journal.add(Entry(text="only in the backup's time"))
        backup = folder / "backup.db"
        journal.backup(backup)
        journal.load()
        return backup, {e.text for e in journal.entries()}


def _texts(path: Path) -> set[str]:
    with Journal.open(path, PASSPHRASE) as journal:
        journal.load()
        assert journal.problems == []
        return {e.text for e in journal.entries()}


def test_restores_killed_halfway_never_lose_the_journal(server, journal_path, tmp_path):
    pytest.importorskip("recoveryjournal.export.backup")
    folder = tmp_path / "usb"
    folder.mkdir()
    backup, backup_texts = _make_backup(journal_path, folder)
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    kills = restored = 0
    for number in range(max(RUNS // 5, 10)):
        with Journal.open(journal_path, PASSPHRASE) as journal:
            journal.add(Entry(text=f"written after the backup {number}"))
        before = _texts(journal_path)
        _lines, killed = server.raw_round("restore", PASSPHRASE, f"{backup}|",
                                          rng.randint(0, 6), counted="step")
        kills += killed
        assert journal_path.exists(), "after the crash there is no journal at its path"
        assert integrity_check(journal_path) == "ok"
        now = _texts(journal_path)
        assert now in (before, backup_texts)
        restored += now == backup_texts
    print(f"\n[crash] restore: {kills} kills survived, {restored} restores landed")
    assert kills >= 3


def test_a_restore_killed_after_any_of_its_steps_leaves_a_whole_journal(
    server, journal_path, tmp_path
):
    """Deterministic: the restore kills itself right after each fsync or rename in
    turn; every time the journal's path holds the old journal or the backup."""
    pytest.importorskip("recoveryjournal.export.backup")
    folder = tmp_path / "usb"
    folder.mkdir()
    backup, backup_texts = _make_backup(journal_path, folder)
    with Journal.open(journal_path, PASSPHRASE) as journal:
        journal.add(Entry(text="written after the backup"))
    before = _texts(journal_path)
    # A dry run in a scratch copy counts the steps.
    scratch = tmp_path / "scratch" / "j.db"
    scratch.parent.mkdir()
    shutil.copy2(journal_path, scratch)
    lines, killed = server.raw_round("restore", PASSPHRASE, f"{backup}|", 10**9, "never")
    assert not killed
    steps = sum(line.startswith("step ") for line in lines)
    assert steps >= 3
    shutil.copy2(scratch, journal_path)  # back to the journal as it was
    for path in journal_path.parent.glob("*-before-restore-*"):
        path.unlink()
    outcomes = []
    for die_after in range(1, steps + 1):
        _lines, killed = server.raw_round("restore", PASSPHRASE, f"{backup}|{die_after}",
                                          10**9, "never")
        assert killed
        assert journal_path.exists(), f"no journal after dying at step {die_after}"
        assert integrity_check(journal_path) == "ok"
        now = _texts(journal_path)
        assert now in (before, backup_texts), f"step {die_after}"
        outcomes.append("restored" if now == backup_texts else "old")
        shutil.copy2(scratch, journal_path)
    print(f"\n[crash] restore killed after each of its {steps} steps: {outcomes}")


# ---- a full disk -------------------------------------------------------------------


def _file_size_limit(limit: int):
    """preexec_fn: writes past `limit` bytes fail with EFBIG, as on a full disk.
    SIGXFSZ is ignored so the process sees the error instead of dying."""

    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    return apply


def _assert_all_there(path: Path, passphrase: str, texts: list[str]) -> None:
    assert integrity_check(path) == "ok"
    with Journal.open(path, passphrase) as journal:
        journal.load()
        assert journal.problems == []
        assert sorted(e.text for e in journal.entries()) == sorted(texts)


def test_full_disk_on_write_gives_a_clear_error_and_loses_nothing(tmp_path):
    path = tmp_path / "journal" / "j.db"
    texts = [f"saved before the disk filled {n}" for n in range(3)]
    make_cli_journal(path, PASSPHRASE, texts)
    limit = path.stat().st_size + 16 * 1024
    env = cli_env(tmp_path / "home")
    big = "a long entry that does not fit " * 40_000  # ~1.2 MB
    result = run_cli(["write", "-"], path, env, stdin=f"{PASSPHRASE}\n{big}",
                     preexec_fn=_file_size_limit(limit))
    message = assert_clear_error(result, "Could not save", "Nothing was lost")
    print(f"\n[full disk] write: {message.strip()}")
    _assert_all_there(path, PASSPHRASE, texts)
    # Once there is room again, writing works as before.
    done = run_cli(["write", "room again"], path, env, stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr
    _assert_all_there(path, PASSPHRASE, [*texts, "room again"])


def test_full_disk_when_opening_says_so_and_does_not_call_the_journal_damaged(tmp_path):
    """Opening needs a little room (SQLite's -shm index): a full disk then is the
    disk's problem, and the message must not frighten anyone about their journal."""
    path = tmp_path / "journal" / "j.db"
    make_cli_journal(path, PASSPHRASE, ["kept safe"])
    before = path.read_bytes()
    result = run_cli(["list"], path, cli_env(tmp_path / "home"), stdin=f"{PASSPHRASE}\n",
                     preexec_fn=_file_size_limit(1000))
    message = assert_clear_error(result, "Could not open the journal file",
                                 "may be full", "not changed")
    assert "damaged" not in message and "not a recoveryjournal journal" not in message
    assert path.read_bytes() == before
    print(f"\n[full disk] open: {message.strip()}")


def test_full_disk_on_backup_leaves_no_half_backup(journal, journal_path, tmp_path):
    texts = [f"entry {n} " + "x" * 20_000 for n in range(8)]
    for text in texts:
        journal.add(Entry(text=text))
    journal.lock()
    destination = tmp_path / "usb" / "backup.db"
    destination.parent.mkdir()
    env = dict(os.environ, RJ_TEST_PASSPHRASE=PASSPHRASE)
    result = subprocess.run(
        [sys.executable, str(WRITER), "backup-once", str(journal_path), str(destination)],
        capture_output=True, env=env, timeout=60,
        preexec_fn=_file_size_limit(journal_path.stat().st_size // 2),
    )
    message = assert_clear_error(result, "Could not write the backup", "unchanged")
    print(f"[full disk] backup: {message.strip()}")
    assert list(destination.parent.iterdir()) == []  # no half file, no leftovers
    with Journal.open(journal_path, PASSPHRASE) as reopened:
        reopened.load()
        assert reopened.problems == []
        assert len(reopened.entries()) == len(texts)

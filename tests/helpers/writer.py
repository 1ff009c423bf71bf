"""A journal writer run as a subprocess by the crash and concurrency tests.

Usage: python writer.py serve JOURNAL          (a fork server, driven over stdin)
       python writer.py add-n JOURNAL N LABEL  (add N entries after a "start" line)
       python writer.py backup-once JOURNAL DESTINATION

The passphrase comes from the RJ_TEST_PASSPHRASE environment variable (the
journal was made in-process with conftest's fast KDF, which this process
copies so it can open it).

The fork server imports everything once, then for each line "go<TAB>MODE<TAB>
PASSPHRASE<TAB>EXTRA" on stdin forks a child that opens the journal and works until it is
killed. Forking keeps a thousand SIGKILLs fast while each child is still a
real process with its own SQLite connection. Every operation is announced on
stdout before it starts ("try ...") and confirmed after it returns ("done"),
so the test knows exactly what was reported as saved and what was in flight.
After the child dies the server prints "dead PID" and waits for the next line.
"""

from __future__ import annotations

import os
import random
import sys
from pathlib import Path

from recoveryjournal.vault import crypto

# The same tiny floor conftest installs in-process, so journals made there open here.
crypto.KDF_FLOOR = crypto.KdfParams(salt=b"", memory_kib=64, iterations=1, lanes=1)

from recoveryjournal.journal import Journal  # noqa: E402
from recoveryjournal.records import Entry  # noqa: E402
from recoveryjournal.vault.errors import JournalError  # noqa: E402


def say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def entry_text(record_id: str, version: int) -> str:
    return f"crash test entry {record_id} version {version}"


def work_on_records(journal: Journal, rng: random.Random) -> None:
    """Add, update and delete entries forever (until killed)."""
    mine: dict[str, tuple[Entry, int]] = {}
    while True:
        roll = rng.random()
        if mine and roll < 0.25:
            record_id = rng.choice(list(mine))
            entry, version = mine[record_id]
            version += 1
            entry.text = entry_text(record_id, version)
            say(f"try upd {record_id} {version}")
            journal.update(entry)
            mine[record_id] = (entry, version)
        elif mine and roll < 0.35:
            record_id = rng.choice(list(mine))
            say(f"try del {record_id}")
            journal.delete(record_id)
            del mine[record_id]
        else:
            entry = Entry(text="")
            entry.text = entry_text(entry.id, 1)
            say(f"try add {entry.id} 1")
            journal.add(entry)
            mine[entry.id] = (entry, 1)
        say("done")


def work_on_backups(journal: Journal, rng: random.Random, folder: Path) -> None:
    """Alternate adding an entry and backing up to a new file, forever."""
    while True:
        entry = Entry(text="")
        entry.text = entry_text(entry.id, 1)
        say(f"try add {entry.id} 1")
        journal.add(entry)
        say("done")
        destination = folder / f"backup-{os.getpid()}-{rng.getrandbits(48):012x}.db"
        say(f"try backup {destination}")
        journal.backup(destination)
        say("done")


def work_on_passphrases(journal: Journal, rng: random.Random) -> None:
    """Change the passphrase again and again, forever."""
    while True:
        new = f"passphrase-{rng.getrandbits(64):016x}"  # no spaces: the test splits lines
        say(f"try passwd {new}")
        journal.change_passphrase(new)
        say("done")


def rotate_with_steps(journal: Journal, rng: random.Random, die_at: int) -> None:
    """One passphrase change (a data key rotation) that kills itself at step
    `die_at`: each record sealed anew, each key slot and vault row written, and
    before and after the write-ahead log is truncated. Finishes (exit 0) when
    `die_at` is beyond the last step."""
    from recoveryjournal.vault import crypto as vault_crypto
    from recoveryjournal.vault.store import Store

    steps = [0]

    def step() -> None:
        steps[0] += 1
        if steps[0] == die_at:
            os.kill(os.getpid(), 9)

    def counted(original):
        def run(*args, **kwargs):
            step()
            result = original(*args, **kwargs)
            step()
            return result
        return run

    vault_crypto.RecordCipher.seal = counted(vault_crypto.RecordCipher.seal)
    for name in ("set_slot", "set_meta", "delete_slot", "truncate_write_ahead_log"):
        setattr(Store, name, counted(getattr(Store, name)))
    new = f"passphrase-{rng.getrandbits(64):016x}"
    say(f"try passwd {new}")
    journal.change_passphrase(new)
    step()
    say("done")
    journal.lock()
    os._exit(0)


def work_on_import(journal: Journal, source: Path) -> None:
    """Import a jrnl journal (the real importer), reporting each record saved."""
    from recoveryjournal.export import jrnl_import
    from recoveryjournal.vault.vault import Vault

    original = Vault.write

    def reporting_write(self, record_id, plaintext, kind_code=None):
        original(self, record_id, plaintext, kind_code)
        say("done")

    Vault.write = reporting_write
    say("try import")
    jrnl_import.import_entries(journal, jrnl_import.read_jrnl(source))
    say("imported")
    journal.lock()
    os._exit(0)


def restore_with_steps(path: Path, passphrase: str, backup: Path, die_after: str) -> None:
    """Restore `backup` over the journal (the real restore), reporting each fsync
    and rename as a step; with `die_after` = "N" it kills itself right after
    step N, as a power cut at exactly that moment would."""
    from recoveryjournal.export import backup as backups

    real_fsync, real_replace, steps = os.fsync, os.replace, [0]

    def step(what: str) -> None:
        steps[0] += 1
        say(f"step {steps[0]} {what}")
        if die_after == str(steps[0]):
            os.kill(os.getpid(), 9)

    def fsync(fd):
        real_fsync(fd)
        step("fsync")

    def replace(source, destination):
        real_replace(source, destination)
        step(f"replace {source} {destination}")

    os.fsync, os.replace = fsync, replace
    say("try restore")
    backups.restore(path, backup, passphrase)
    say("restored")
    os._exit(0)


def child(path: Path, mode: str, passphrase: str, extra: str) -> None:
    rng = random.Random()
    say(f"pid {os.getpid()}")
    if mode == "restore":
        backup, _tab, die_after = extra.partition("|")
        restore_with_steps(path, passphrase, Path(backup), die_after)
    journal = Journal.open(path, passphrase)
    if mode == "import":
        work_on_import(journal, Path(extra))
    elif mode == "records":
        work_on_records(journal, rng)
    elif mode == "backup":
        work_on_backups(journal, rng, Path(extra))
    elif mode == "passwd":
        work_on_passphrases(journal, rng)
    elif mode == "rotate":
        rotate_with_steps(journal, rng, int(extra))
    raise SystemExit(f"unknown mode {mode}")


def serve(path: Path) -> None:
    say("ready")
    for line in sys.stdin:
        parts = line.rstrip("\n").split("\t")
        if parts[0] != "go":
            break
        mode, passphrase, extra = parts[1], parts[2], parts[3]
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            try:
                child(path, mode, passphrase, extra)
            except BaseException as exc:  # shown to the test, which fails on it
                say(f"error {type(exc).__name__}: {exc}")
            finally:
                os._exit(3)
        _pid, status = os.waitpid(pid, 0)
        say(f"dead {pid} {status}")  # a killed child or one that finished (exit 0)


def add_n(path: Path, count: int, label: str) -> None:
    """Add `count` entries, printing each id after it is saved (concurrency test)."""
    journal = Journal.open(path, os.environ["RJ_TEST_PASSPHRASE"])
    say("ready")
    sys.stdin.readline()  # wait until every writer is ready, so they overlap
    for number in range(count):
        entry = journal.add(Entry(text=f"{label} entry {number}"))
        say(entry.id)
    journal.lock()


def backup_once(path: Path, destination: Path) -> None:
    """One backup; a JournalError is printed the way the CLI prints it."""
    journal = Journal.open(path, os.environ["RJ_TEST_PASSPHRASE"])
    try:
        journal.backup(destination)
    except JournalError as exc:
        print(f"recoveryjournal: {exc}", file=sys.stderr)
        raise SystemExit(exc.exit_code)
    say("backed up")


def main(argv: list[str]) -> None:
    command, path = argv[0], Path(argv[1])
    if command == "serve":
        serve(path)
    elif command == "add-n":
        add_n(path, int(argv[2]), argv[3])
    elif command == "backup-once":
        backup_once(path, Path(argv[2]))
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])

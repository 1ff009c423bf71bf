"""Restoring safely: the person is told (and asked) when the backup is of another
journal or has another passphrase; refusals name their file, not a hidden copy;
copies left by a restore that was killed are cleaned up, never one in use."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
import time

import pytest

from helpers import PASSPHRASE
from helpers.journals import Template
from helpers.processes import assert_clear_error, cli_env, run_cli
from recoveryjournal.export import backup
from recoveryjournal.journal import Journal
from recoveryjournal.records import Entry


def texts_in(path, passphrase=PASSPHRASE) -> list[str]:
    with Journal.open(path, passphrase) as opened:
        return sorted(e.text for e in opened.records(Entry))


def asked(warnings: list[str], answer: bool):
    def confirm(warning: str) -> bool:
        warnings.append(warning)
        return answer
    return confirm


def test_a_backup_of_the_same_journal_is_restored_without_a_question(journal, tmp_path):
    journal.add(Entry(text="in the backup"))
    made = backup.make_backup(journal, tmp_path / "b.db")
    path = journal.path
    journal.lock()
    warnings: list[str] = []
    backup.restore(path, made, PASSPHRASE, confirm=asked(warnings, False))
    assert warnings == []
    assert texts_in(path) == ["in the backup"]


def test_a_backup_of_another_journal_is_named_and_asked_about(journal, tmp_path):
    journal.add(Entry(text="mine"))
    path = journal.path
    journal.lock()
    other, _code = Journal.create(tmp_path / "other" / "o.db", PASSPHRASE)
    other.add(Entry(text="someone else's"))
    made = backup.make_backup(other, tmp_path / "other.db")
    other.lock()
    warnings: list[str] = []
    with pytest.raises(backup.RestoreRefused, match="not restored, as you chose"):
        backup.restore(path, made, PASSPHRASE, confirm=asked(warnings, False))
    assert len(warnings) == 1 and "different journal" in warnings[0]
    assert "another recovery code" in warnings[0]
    assert texts_in(path) == ["mine"]
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".restore-")]
    backup.restore(path, made, PASSPHRASE, confirm=asked(warnings, True))
    assert texts_in(path) == ["someone else's"]


def test_a_backup_with_an_older_passphrase_is_named_and_asked_about(journal, tmp_path):
    journal.add(Entry(text="before the change"))
    made = backup.make_backup(journal, tmp_path / "b.db")
    journal.change_passphrase("a brand new passphrase")
    path = journal.path
    journal.lock()
    warnings: list[str] = []
    with pytest.raises(backup.RestoreRefused):
        backup.restore(path, made, PASSPHRASE, confirm=asked(warnings, False))
    assert "older passphrase" in warnings[0]
    assert texts_in(path, "a brand new passphrase") == ["before the change"]


@pytest.mark.parametrize("damage", ["text", "cut short"])
def test_a_refusal_names_the_persons_backup_not_the_hidden_copy(journal, tmp_path, damage):
    made = backup.make_backup(journal, tmp_path / "my backup.db")
    if damage == "text":
        made.write_text("my shopping list")
    else:
        made.write_bytes(made.read_bytes()[:100])
    path = journal.path
    journal.lock()
    with pytest.raises(backup.RestoreRefused) as refused:
        backup.restore(path, made, PASSPHRASE)
    assert str(made) in str(refused.value)
    assert ".restore-" not in str(refused.value)


def test_copies_left_by_a_killed_restore_are_removed_but_not_one_in_use(tmp_path):
    folder = tmp_path / "journal"
    folder.mkdir()
    abandoned = folder / ".restore-abcd1234.db"
    abandoned.write_bytes(b"encrypted copy")
    (folder / ".restore-abcd1234.db-wal").write_bytes(b"log")
    in_use = folder / ".restore-wxyz9876.db"
    in_use.write_bytes(b"being checked")
    not_ours = [folder / ".restore-notes.txt", folder / "restore-abcd1234.db",
                folder / "j.db"]
    for path in not_ours:
        path.write_bytes(b"keep")
    fd = os.open(in_use, os.O_RDONLY)
    fcntl.flock(fd, fcntl.LOCK_EX)  # what a running restore holds
    try:
        removed = backup.remove_abandoned_restores(folder)
    finally:
        os.close(fd)
    assert removed == [abandoned]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [in_use.name] + [p.name for p in not_ours])


# ---- the command line: asked on a terminal, refused without one unless --yes -----


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("restore-template"), PASSPHRASE, ["mine"])


@pytest.fixture(scope="module")
def other_template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("restore-other"), PASSPHRASE, ["someone else's"])


def test_restoring_another_journal_from_a_script_needs_yes(template, other_template, tmp_path):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    other = other_template.copy_to(tmp_path / "other.db")
    (journal.parent / ".restore-deadbeef.db").write_bytes(b"left by a killed restore")
    refused = run_cli(["restore", str(other)], journal, env, stdin=f"{PASSPHRASE}\n")
    assert_clear_error(refused, "different journal", "--yes", "Nothing was changed")
    assert refused.returncode == 1
    assert texts_in(journal) == ["mine"]
    assert not [p for p in journal.parent.iterdir() if p.name.startswith(".restore-")]
    done = run_cli(["restore", "--yes", str(other)], journal, env, stdin=f"{PASSPHRASE}\n")
    assert done.returncode == 0, done.stderr.decode()
    assert "different journal" in done.stderr.decode()
    assert texts_in(journal) == ["someone else's"]


def _drop_dac_override() -> None:
    """preexec_fn: even root must obey file modes (see test_reliability_input)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):
        libc.prctl(24, capability, 0, 0, 0)


def test_restore_into_a_read_only_folder_is_a_clear_error(template, tmp_path):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    made = template.copy_to(tmp_path / "b.db")
    journal.parent.chmod(0o500)
    try:
        result = run_cli(["restore", str(made)], journal, env, stdin=f"{PASSPHRASE}\n",
                         preexec_fn=_drop_dac_override)
    finally:
        journal.parent.chmod(0o700)
    assert_clear_error(result, "Could not make a copy to check", "Nothing was changed")
    assert texts_in(journal) == ["mine"]


def _small_files_only() -> None:
    """preexec_fn: a disk that takes no file past 16 KiB (EFBIG, like a full disk)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # fail the write, do not kill
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, 16 * 1024))


def test_restore_onto_a_full_disk_is_a_clear_error(template, tmp_path):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    made = template.copy_to(tmp_path / "b.db")
    assert made.stat().st_size > 16 * 1024
    result = run_cli(["restore", str(made)], journal, env, stdin=f"{PASSPHRASE}\n",
                     preexec_fn=_small_files_only)
    assert_clear_error(result, f"Could not copy {made} to check it", "Nothing was changed")
    assert texts_in(journal) == ["mine"]
    assert not [p for p in journal.parent.iterdir() if p.name.startswith(".restore-")]


def test_backup_on_read_only_media_is_a_clear_error(template, tmp_path):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    journal.chmod(0o400)
    journal.parent.chmod(0o500)
    try:
        default = run_cli(["backup"], journal, env, stdin=f"{PASSPHRASE}\n",
                          preexec_fn=_drop_dac_override)
        named = run_cli(["backup", str(journal.parent / "b.db")], journal, env,
                        stdin=f"{PASSPHRASE}\n", preexec_fn=_drop_dac_override)
    finally:
        journal.parent.chmod(0o700)
        journal.chmod(0o600)
    assert_clear_error(default, "Could not make the backups folder", "Nothing was written")
    assert_clear_error(named, "Could not write the backup")
    assert sorted(p.name for p in journal.parent.iterdir()) == ["j.db"]


def test_the_app_on_a_read_only_journal_in_a_terminal(template, tmp_path):
    """The installed app in a pseudo-terminal on a read-only copy: it says so,
    writes nothing and leaves with exit code 0 (it crashed with a traceback)."""
    terminal_test = pytest.importorskip("test_e2e_pty")

    journal = template.copy_to(tmp_path / "data" / "j.db")
    with Journal.open(journal, PASSPHRASE) as opened:
        settings = opened.settings()
        settings.onboarded = True
        opened.save_settings(settings)
    before = journal.read_bytes()
    journal.chmod(0o400)
    journal.parent.chmod(0o500)
    drop = ("import ctypes, os, sys; libc = ctypes.CDLL(None); "
            "[libc.prctl(24, c, 0, 0, 0) for c in (1, 2)]; os.execv(sys.argv[1], sys.argv[1:])")
    argv = [sys.executable, "-c", drop, *_absolute(terminal_test.command()),
            "--journal", str(journal)]
    deadline = time.monotonic() + terminal_test.DEADLINE_S
    screen = terminal_test.Terminal(argv)
    try:
        screen.wait_for("Your journal is locked", deadline)
        screen.send(PASSPHRASE + "\r")
        screen.wait_for("This journal is read-only", deadline)
        screen.send("w")
        screen.wait_for("nothing can be written", deadline)
        screen.send("\x11")  # ctrl+q
        assert screen.wait_for_exit(deadline) == 0
        assert "Traceback" not in screen.text()
    finally:
        screen.close()
        journal.parent.chmod(0o700)
        journal.chmod(0o600)
    assert journal.read_bytes() == before


def _absolute(command: list[str]) -> list[str]:
    first = command[0] if os.path.isabs(command[0]) else shutil.which(command[0])
    return [first, *command[1:]]

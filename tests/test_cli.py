"""The command line, run as a real process with the real KDF, passphrases on stdin."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

PASS = "correct horse battery"
NEW = "a brand new passphrase"


def rj(journal_path, *args, stdin="", env=None):
    """Run `python -m recoveryjournal --journal PATH ARGS` with `stdin` piped in."""
    return subprocess.run(
        [sys.executable, "-m", "recoveryjournal", "--journal", str(journal_path), *args],
        input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, **(env or {})},
    )


@pytest.fixture
def made(journal_path):
    result = rj(journal_path, "init", "--track", "alcohol", stdin=f"{PASS}\n{PASS}\n")
    assert result.returncode == 0, result.stderr
    code = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})", result.stdout).group(1)
    return journal_path, code


RECOVERY_CODE = r"[0-9A-Z]{4}(?:-[0-9A-Z]{4}){7}"


def test_init_shows_the_recovery_code_once_and_how_to_use_it(journal_path):
    """Printed once, at init, with what it is for and the command that uses it; no
    later command prints it again, and the journal file does not hold it."""
    result = rj(journal_path, "init", "--track", "alcohol", stdin=f"{PASS}\n{PASS}\n")
    assert result.returncode == 0, result.stderr
    codes = re.findall(RECOVERY_CODE, result.stdout)
    assert len(codes) == 1, result.stdout  # exactly once
    code = codes[0]
    assert code not in result.stderr
    words = " ".join(result.stdout.split())
    assert "write it down and keep it somewhere safe" in words
    assert "It is shown only this once." in words
    # How to use it: when, and the command (which test_recover_sets_a_new_passphrase_with_the_code
    # runs with the code, as written here).
    assert "set a new passphrase if you forget yours: recoveryjournal recover" in words

    later = [
        rj(journal_path, "write", "A quiet evening", stdin=f"{PASS}\n"),
        rj(journal_path, "list", stdin=f"{PASS}\n"),
        rj(journal_path, "stats", stdin=f"{PASS}\n"),
        rj(journal_path, "export", "--format", "json", "--out",
           str(journal_path.parent / "all.json"), stdin=f"{PASS}\n"),
        rj(journal_path, "init", stdin=f"{PASS}\n{PASS}\n"),  # refused: it exists
    ]
    assert [r.returncode for r in later[:4]] == [0, 0, 0, 0], [r.stderr for r in later]
    for run in later:
        shown = run.stdout + run.stderr
        assert not re.search(RECOVERY_CODE, shown), run.args
        assert code.replace("-", "") not in shown.replace("-", "").replace(" ", "")
    assert code.encode() not in journal_path.read_bytes()
    assert code.encode() not in (journal_path.parent / "all.json").read_bytes()


def test_write_list_and_search_round_trip(made):
    path, _ = made
    assert rj(path, "write", "Called", "my", "sponsor", "--mood", "4", "--tag", "call",
              stdin=f"{PASS}\n").stdout.strip() == "Saved."
    assert rj(path, "write", "-", stdin=f"{PASS}\nFirst line\nsecond line\n").returncode == 0
    listed = rj(path, "list", stdin=f"{PASS}\n")
    assert listed.returncode == 0
    assert "Called my sponsor" in listed.stdout and "mood 4/5" in listed.stdout
    assert "  First line\n  second line" in listed.stdout
    found = rj(path, "search", "SPONSOR", stdin=f"{PASS}\n")
    assert "Called my sponsor" in found.stdout and "1 entry found." in found.stdout
    assert "First line" not in found.stdout


def test_a_reader_that_stops_early_gets_no_traceback(made):
    """`recoveryjournal search ... | head -1`: the rest of the output has nowhere
    to go, which is the reader's choice, not an error to print a traceback for."""
    from recoveryjournal.journal import Journal
    from recoveryjournal.records import Entry

    path, _ = made
    journal = Journal.open(path, PASS)
    for day in range(200):  # well over a pipe's 64 KiB of output
        journal.add(Entry(text=f"Day {day}: a long walk by the sea. " * 20))
    journal.lock()
    reader = subprocess.Popen(
        [sys.executable, "-m", "recoveryjournal", "--journal", str(path), "search", "walk"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    reader.stdin.write(f"{PASS}\n".encode())
    reader.stdin.close()
    assert reader.stdout.readline()  # the first line, like head -1
    reader.stdout.close()
    assert reader.wait(timeout=120) == 1
    errors = reader.stderr.read().decode()
    reader.stderr.close()
    assert "Traceback" not in errors and "Broken pipe" not in errors, errors


def test_hostile_text_is_printed_without_control_characters(made):
    path, _ = made
    hostile = "[/bold] [@click=app.quit]x[/] \x1b[31mred\x07"
    rj(path, "write", hostile, stdin=f"{PASS}\n")
    listed = rj(path, "list", stdin=f"{PASS}\n").stdout
    assert "[/bold] [@click=app.quit]x[/] [31mred" in listed
    assert "\x1b" not in listed and "\x07" not in listed


def test_wrong_passphrase_is_a_clear_message_not_a_traceback(made):
    path, _ = made
    result = rj(path, "list", stdin="not it\n")
    assert result.returncode == 1
    assert "passphrase does not open this journal" in result.stderr
    assert "Traceback" not in result.stderr


def test_no_journal_yet_says_how_to_create_one(tmp_path):
    result = rj(tmp_path / "none.db", "list", stdin=f"{PASS}\n")
    assert result.returncode == 1
    assert "recoveryjournal init" in result.stderr and "Traceback" not in result.stderr


def test_a_file_that_is_not_a_journal_is_named_and_left_alone(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    result = rj(notes, "list", stdin=f"{PASS}\n")
    assert result.returncode == 1 and "not a recoveryjournal journal" in result.stderr
    assert notes.read_text() == "my notes\n"


def test_bad_mood_is_refused_before_the_passphrase_and_nothing_is_written(made):
    path, _ = made
    result = rj(path, "write", "hello", "--mood", "9", stdin="")
    assert result.returncode == 2 and "mood must be a whole number from 1 to 5" in result.stderr
    assert "hello" not in rj(path, "list", stdin=f"{PASS}\n").stdout


def test_missing_passphrase_on_stdin_is_explained(made):
    path, _ = made
    result = rj(path, "list", stdin="")
    assert result.returncode == 2 and "standard input" in result.stderr


def test_init_refuses_mismatched_or_short_passphrases(tmp_path):
    result = rj(tmp_path / "a.db", "init", stdin=f"{PASS}\nsomething else\n")
    assert result.returncode == 2 and "not the same" in result.stderr
    assert not (tmp_path / "a.db").exists()
    result = rj(tmp_path / "b.db", "init", stdin="short\nshort\n")
    assert result.returncode == 2 and "at least 8 characters" in result.stderr


def test_init_never_overwrites_a_journal(made):
    path, _ = made
    before = path.read_bytes()
    result = rj(path, "init", stdin=f"{PASS}\n{PASS}\n")
    assert result.returncode == 1 and "already exists" in result.stderr
    assert path.read_bytes() == before


def test_passwd_changes_the_passphrase_and_the_old_one_stops_working(made):
    path, _ = made
    rj(path, "write", "kept through the change", stdin=f"{PASS}\n")
    result = rj(path, "passwd", stdin=f"{PASS}\n{NEW}\n{NEW}\n")
    assert result.returncode == 0, result.stderr
    assert rj(path, "list", stdin=f"{PASS}\n").returncode == 1
    assert "kept through the change" in rj(path, "list", stdin=f"{NEW}\n").stdout


def test_recover_sets_a_new_passphrase_with_the_code(made):
    path, code = made
    rj(path, "write", "still here", stdin=f"{PASS}\n")
    result = rj(path, "recover", stdin=f"{code.lower()}\n{NEW}\n{NEW}\n")
    assert result.returncode == 0, result.stderr
    assert "still here" in rj(path, "list", stdin=f"{NEW}\n").stdout
    wrong = rj(path, "recover", stdin=f"{'A' * 32}\n{NEW}\n{NEW}\n")
    assert wrong.returncode == 1 and "recovery code does not open" in wrong.stderr


def test_new_recovery_code_retires_the_old_one_and_says_so(made):
    path, code = made
    rj(path, "write", "kept through the new code", stdin=f"{PASS}\n")
    result = rj(path, "new-recovery-code", stdin=f"{PASS}\n")
    assert result.returncode == 0, result.stderr
    new_code = re.search(r"([0-9A-Z]{4}(?:-[0-9A-Z]{4}){7})", result.stdout).group(1)
    assert new_code != code and "The old one no longer opens" in result.stdout
    assert rj(path, "recover", stdin=f"{code}\n{NEW}\n{NEW}\n").returncode == 1
    assert rj(path, "recover", stdin=f"{new_code}\n{NEW}\n{NEW}\n").returncode == 0
    assert "kept through the new code" in rj(path, "list", stdin=f"{NEW}\n").stdout


def test_passwd_says_older_backups_still_open_and_can_delete_them(made):
    path, _code = made
    assert rj(path, "backup", stdin=f"{PASS}\n").returncode == 0
    kept = rj(path, "passwd", stdin=f"{PASS}\n{NEW}\n{NEW}\n")
    assert "1 backup kept beside the journal still opens with the passphrase" in kept.stdout
    assert "They were kept" in kept.stdout
    backups = list((path.parent / "backups").glob("*.db"))
    assert len(backups) == 1
    deleted = rj(path, "passwd", "--delete-old-backups", stdin=f"{NEW}\n{PASS}\n{PASS}\n")
    assert deleted.returncode == 0, deleted.stderr
    assert "Deleted 1 backup." in deleted.stdout
    assert not backups[0].exists()


def test_environment_variable_points_at_the_journal(tmp_path):
    path = tmp_path / "env.db"
    result = subprocess.run(
        [sys.executable, "-m", "recoveryjournal", "init"], input=f"{PASS}\n{PASS}\n",
        capture_output=True, text=True, env={**os.environ, "RECOVERYJOURNAL_PATH": str(path)},
    )
    assert result.returncode == 0 and path.exists()


def test_default_journal_lives_in_the_private_data_folder(private_home):
    result = subprocess.run([sys.executable, "-m", "recoveryjournal", "init"],
                            input=f"{PASS}\n{PASS}\n", capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    created = private_home / ".local" / "share" / "recoveryjournal" / "journal.db"
    assert created.exists()
    assert oct(created.parent.stat().st_mode & 0o777) == "0o700"


# ---- issue 20, item 15: a newcomer's command line -----------------------------------


def test_a_mistyped_command_gets_a_suggestion(journal_path):
    result = rj(journal_path, "lst")
    assert result.returncode == 2
    assert "Did you mean 'list'?" in result.stderr
    assert "Traceback" not in result.stderr


def test_stats_with_zero_weeks_does_not_speak_of_writing(made):
    path, _ = made
    result = rj(path, "stats", "--weeks", "0", stdin=f"{PASS}\n")
    assert result.returncode == 2
    assert "whole number from 1 to 520" in result.stderr
    assert "written" not in result.stderr


def test_write_without_text_from_a_pipe_says_how(made):
    path, _ = made
    result = rj(path, "write", stdin=f"{PASS}\n")
    assert result.returncode == 2 and "'-'" in result.stderr


def test_write_without_text_on_a_terminal_reads_until_ctrl_d(made):
    ptyprocess = pytest.importorskip("ptyprocess")
    path, _ = made
    process = ptyprocess.PtyProcessUnicode.spawn(
        [sys.executable, "-m", "recoveryjournal", "--journal", str(path), "write"],
        env={**os.environ})
    seen = ""
    while "assphrase" not in seen:
        seen += process.read(1024)
    process.write(PASS + "\n")
    while "Ctrl-D" not in seen:
        seen += process.read(1024)
    process.write("A long day.\nI called Anna.\n")
    process.sendeof()
    rest = ""
    try:
        while True:
            rest += process.read(1024)
    except EOFError:
        pass
    process.wait()
    assert "Saved." in rest, seen + rest
    listed = rj(path, "list", stdin=f"{PASS}\n")
    assert "  A long day.\n  I called Anna." in listed.stdout


def test_list_shows_the_start_of_a_huge_entry_and_how_to_see_all(made):
    path, _ = made
    huge = "I keep going " * 80_000
    assert rj(path, "write", "-", stdin=f"{PASS}\n{huge}\n").returncode == 0
    listed = rj(path, "list", stdin=f"{PASS}\n")
    assert len(listed.stdout) < 3000
    assert "more characters. See it all with --full" in listed.stdout
    full = rj(path, "list", "--full", "-n", "1", stdin=f"{PASS}\n")
    assert len(full.stdout) > len(huge) - 100


def test_search_matches_accents_however_they_were_typed(made):
    path, _ = made
    decomposed, composed = "cafe\u0301", "caf\u00e9"
    assert rj(path, "write", "Coffee", "at", "the", decomposed, stdin=f"{PASS}\n").returncode == 0
    for query in (composed, decomposed, "CAF\u00c9"):
        found = rj(path, "search", query, stdin=f"{PASS}\n")
        assert "1 entry found." in found.stdout, query
    # Stored as typed on most keyboards: one code point.
    assert composed in rj(path, "list", stdin=f"{PASS}\n").stdout

"""export, import, backup and restore as a person runs them: the real CLI in a
subprocess with the real KDF, secrets and answers on stdin."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.journals import Template

PASS = "correct horse battery"
FIXTURES = Path(__file__).parent / "fixtures" / "jrnl"


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("export-cli"), PASS,
                    ["Called my sponsor <script>x</script>", "Went to the meeting"])


@pytest.fixture
def journal_file(template, tmp_path):
    return template.copy_to(tmp_path / "data" / "journal.db")


def rj(journal_path, *args, stdin=""):
    return subprocess.run(
        [sys.executable, "-m", "recoveryjournal", "--journal", str(journal_path), *args],
        input=stdin, capture_output=True, text=True, timeout=120,
        env={**os.environ, "LANG": "C.UTF-8"},
    )


def test_export_to_stdout_and_to_a_file_that_is_never_replaced_silently(journal_file, tmp_path):
    shown = rj(journal_file, "export", stdin=f"{PASS}\n")
    assert shown.returncode == 0, shown.stderr
    assert "Not encrypted" in shown.stderr
    assert "Called my sponsor \\<script\\>x\\</script\\>" in shown.stdout
    out = tmp_path / "share.html"
    written = rj(journal_file, "export", "--format", "html", "--out", str(out), stdin=f"{PASS}\n")
    assert written.returncode == 0, written.stderr
    assert "Wrote 2 records" in written.stdout and "not encrypted" in written.stdout
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    assert "&lt;script&gt;" in out.read_text()
    out.write_text("my edited copy")
    again = rj(journal_file, "export", "--format", "html", "--out", str(out), stdin=f"{PASS}\n")
    assert again.returncode == 1
    assert "already exists" in again.stderr and "--force" in again.stderr
    assert out.read_text() == "my edited copy"
    forced = rj(journal_file, "export", "-f", "txt", "--out", str(out), "--force",
                stdin=f"{PASS}\n")
    assert forced.returncode == 0 and "Went to the meeting" in out.read_text()


def test_mistakes_are_reported_before_the_passphrase_is_asked(journal_file):
    csv = rj(journal_file, "export", "--format", "csv")  # no passphrase given on stdin
    assert csv.returncode == 2 and "--kind urge" in csv.stderr
    field = rj(journal_file, "export", "--exclude-field", "passwords")
    assert field.returncode == 2 and "places" in field.stderr
    day = rj(journal_file, "export", "--from", "March 1")
    assert day.returncode == 2 and "YYYY-MM-DD" in day.stderr


def test_pick_by_number(journal_file):
    picked = rj(journal_file, "export", "--format", "txt", "--pick", stdin=f"{PASS}\n2\n")
    assert picked.returncode == 0, picked.stderr
    assert "Went to the meeting" in picked.stdout
    assert "Called my sponsor" not in picked.stdout


def test_json_export_imports_into_an_empty_journal(journal_file, template, tmp_path):
    out = tmp_path / "all.json"
    assert rj(journal_file, "export", "--format", "json", "-o", str(out),
              stdin=f"{PASS}\n").returncode == 0
    empty = tmp_path / "empty" / "journal.db"
    from helpers.journals import make_cli_journal

    make_cli_journal(empty, PASS, [])
    result = rj(empty, "import", str(out), stdin=f"{PASS}\n")
    assert result.returncode == 0, result.stderr
    assert "2 × Journal entry" in result.stdout
    listed = rj(empty, "list", stdin=f"{PASS}\n").stdout
    assert "Went to the meeting" in listed
    exported = json.loads(out.read_text())
    assert exported["counts"] == {"settings": 1, "entry": 2}


def test_import_from_an_encrypted_jrnl_journal(journal_file):
    result = rj(journal_file, "import", "--from-jrnl", str(FIXTURES / "encrypted.txt"),
                stdin=f"{PASS}\nfixture password\n")
    assert result.returncode == 0, result.stderr
    assert "Imported 4 entries from jrnl." in result.stdout
    wrong = rj(journal_file, "import", "--from-jrnl", str(FIXTURES / "encrypted.txt"),
               stdin=f"{PASS}\nwrong\n")
    assert wrong.returncode == 1 and "does not open" in wrong.stderr
    bad = rj(journal_file, "import", "--from-jrnl", str(FIXTURES / "README.md"))
    assert bad.returncode == 1 and "Nothing was imported" in bad.stderr


def test_backup_then_restore(journal_file):
    made = rj(journal_file, "backup", stdin=f"{PASS}\n")
    assert made.returncode == 0, made.stderr
    backups = list((journal_file.parent / "backups").iterdir())
    assert len(backups) == 1 and str(backups[0]) in made.stdout
    assert rj(journal_file, "write", "after the backup", stdin=f"{PASS}\n").returncode == 0
    wrong = rj(journal_file, "restore", str(backups[0]), stdin="nope nope nope\n")
    assert wrong.returncode == 1 and "Nothing was changed" in wrong.stderr
    restored = rj(journal_file, "restore", str(backups[0]), stdin=f"{PASS}\n")
    assert restored.returncode == 0, restored.stderr
    assert "2 × Journal entry" in restored.stdout and "kept, unchanged" in restored.stdout
    assert "after the backup" not in rj(journal_file, "list", stdin=f"{PASS}\n").stdout

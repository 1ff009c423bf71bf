"""Files that are not files, and input built to break the parser: each gets a
clear message (exit 1 or 2), never a traceback, a hang or a replaced device.

A pipe would hang a reader forever and /dev/zero would feed it until the size
limit; they are refused on their type before the first byte is read. Tests that
could hang run under a deadline instead of trusting the fix.
"""

from __future__ import annotations

import json
import os
import stat
import struct
import threading

import pytest

from helpers import PASSPHRASE
from helpers.journals import Template
from helpers.processes import assert_clear_error, cli_env, run_cli
from recoveryjournal.export import jrnl_import, json_export, json_import
from recoveryjournal.export.files import ExportFailed, write_export
from recoveryjournal.export.json_import import ImportFailed
from recoveryjournal.records import Entry

DEADLINE_S = 20


def refused_within_deadline(call) -> Exception:
    """Run `call` in a thread; it must raise within DEADLINE_S (a hang fails the test)."""
    outcome: list[BaseException] = []

    def run():
        try:
            call()
        except BaseException as exc:  # noqa: BLE001 (handed to the test)
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE_S)
    assert not thread.is_alive(), "the reader hung"
    assert outcome, "nothing was refused"
    return outcome[0]


def make_device(path) -> bool:
    """A character device like /dev/full at `path` (root only)."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(1, 7))
    except (PermissionError, OSError):
        return False
    return True


# ---- importing -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "zero-link", "folder", "device"])
@pytest.mark.parametrize("reader", ["json", "jrnl"])
def test_import_refuses_what_is_not_a_regular_file_before_reading(tmp_path, kind, reader):
    path = tmp_path / "import-me"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "zero-link":
        path.symlink_to("/dev/zero")
    elif kind == "folder":
        path.mkdir()
    else:
        path = tmp_path / "null-link"
        path.symlink_to("/dev/null")
    if reader == "json":
        call = lambda: json_import.read_export(path)  # noqa: E731
    else:
        call = lambda: jrnl_import.read_jrnl(path)  # noqa: E731
    refused = refused_within_deadline(call)
    assert isinstance(refused, ImportFailed), refused
    expected = "folder" if kind == "folder" else "not a regular file"
    assert expected in str(refused)


def test_the_command_line_import_of_a_pipe_does_not_hang(tmp_path):
    env = cli_env(tmp_path / "home")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for extra in ([], ["--from-jrnl"]):
        result = run_cli(["import", *extra, str(pipe)], tmp_path / "j.db", env,
                         stdin=f"{PASSPHRASE}\n")
        assert_clear_error(result, "not a regular file", "Nothing was imported")
        assert result.returncode == 1


def export_with(journal, tmp_path, change) -> "os.PathLike":
    journal.add(Entry(text="an entry"))
    document = json.loads(json_export.render(journal.entries()))
    change(document["records"][0])
    path = tmp_path / "export.json"
    path.write_text(json.dumps(document))
    return path


@pytest.mark.parametrize("bad_id", [{"a": 1}, ["x"], 7, None])
def test_import_of_a_record_whose_id_is_not_text_is_refused(journal, tmp_path, bad_id):
    path = export_with(journal, tmp_path, lambda record: record.update(id=bad_id))
    with pytest.raises(ImportFailed, match="Record 1 cannot be read"):
        json_import.read_export(path)


def test_import_of_deeply_nested_json_is_refused_clearly(tmp_path):
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000)
    with pytest.raises(ImportFailed, match="nested too deeply"):
        json_import.read_export(deep)
    jrnl_json = tmp_path / "deep-jrnl.json"
    jrnl_json.write_text('{"entries": ' + "[" * 200_000)
    with pytest.raises(ImportFailed, match="nested too deeply"):
        jrnl_import.read_jrnl(jrnl_json)


def test_a_jrnl_header_nested_too_deeply_is_refused_after_the_password(tmp_path):
    header = b"[" * 60_000
    path = tmp_path / "deep.jrnl"
    path.write_bytes(b"JRNLv3" + struct.pack(">H", len(header)) + header + b"gAAAAA")
    asked = []
    with pytest.raises(ImportFailed, match="header cannot be read"):
        jrnl_import.read_jrnl(path, lambda: asked.append(1) or "password")
    assert asked == [1]


# ---- exporting -----------------------------------------------------------------------


def test_export_with_force_never_replaces_a_device_or_a_pipe(tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    targets = [pipe]
    device = tmp_path / "full"
    if make_device(device):
        targets.append(device)
    for target in targets:
        kind = stat.S_IFMT(os.lstat(target).st_mode)
        with pytest.raises(ExportFailed, match="not a regular file"):
            write_export(target, "private text", force=True)
        assert stat.S_IFMT(os.lstat(target).st_mode) == kind
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(t.name for t in targets)


# ---- the command line: days before 1900 ---------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    return Template(tmp_path_factory.mktemp("files-template"), PASSPHRASE, ["kept"])


@pytest.mark.parametrize("command", [
    ["write", "x", "--date", "0001-01-01"],
    ["urge", "alcohol", "5", "--date", "0001-01-01"],
    ["export", "--card", "--week-ending", "0001-01-01"],
    ["export", "--from", "0001-01-01"],
])
def test_a_day_before_1900_is_refused_clearly(template, tmp_path, command):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    result = run_cli(command, journal, env, stdin=f"{PASSPHRASE}\n")
    assert_clear_error(result, "from 1900-01-01 on")
    assert result.returncode == 2


def test_export_to_a_pipe_is_refused_before_the_passphrase(tmp_path):
    env = cli_env(tmp_path / "home")
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    result = run_cli(["export", "--out", str(pipe), "--force"], tmp_path / "none.db", env)
    assert_clear_error(result, "not a regular file")


@pytest.mark.parametrize("target", ["journal", "hard link", "log"])
def test_export_with_force_never_replaces_the_journal_itself(journal, target):
    journal.add(Entry(text="the encrypted words"))
    path = journal.path
    if target == "hard link":
        os.link(path, path.with_name("other-name.md"))
        out = path.with_name("other-name.md")
    elif target == "log":
        out = path.with_name(path.name + "-wal")
        assert out.exists()
    else:
        out = path
    before = path.read_bytes()
    with pytest.raises(ExportFailed, match="your encrypted journal itself"):
        write_export(out, "the encrypted words, in plain text", force=True, journal=path)
    assert path.read_bytes() == before
    assert [e.text for e in journal.entries()] == ["the encrypted words"]


def test_the_command_line_refuses_to_export_onto_the_journal(template, tmp_path):
    env = cli_env(tmp_path / "home")
    journal = template.copy_to(tmp_path / "data" / "j.db")
    before = journal.read_bytes()
    result = run_cli(["export", "--out", str(journal), "--force"], journal, env)
    assert_clear_error(result, "your encrypted journal itself")
    assert journal.read_bytes() == before

"""Writing export files: 0600, never replacing without being asked."""

from __future__ import annotations

import os
import stat

import pytest

from recoveryjournal.export.files import ExportExists, ExportFailed, write_export


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_an_export_is_private_to_its_owner(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    old = os.umask(0o022)  # even with a permissive umask
    try:
        path = write_export(folder / "share.md", "hello\n")
    finally:
        os.umask(old)
    assert path.read_text() == "hello\n"
    assert mode(path) == 0o600
    assert [p.name for p in folder.iterdir()] == ["share.md"]  # no temp file left


def test_an_existing_file_is_never_replaced_without_force(tmp_path):
    target = tmp_path / "share.md"
    target.write_text("a year of work")
    with pytest.raises(ExportExists, match="--force"):
        write_export(target, "new")
    assert target.read_text() == "a year of work"
    write_export(target, "new", force=True)
    assert target.read_text() == "new" and mode(target) == 0o600


def test_a_symlink_is_not_followed(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    (tmp_path / "link.md").symlink_to(victim)
    with pytest.raises(ExportExists):
        write_export(tmp_path / "link.md", "x")
    write_export(tmp_path / "link.md", "x", force=True)
    assert victim.read_text() == "keep me"  # the link was replaced, not written through


def test_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(ExportFailed, match="does not exist"):
        write_export(tmp_path / "nowhere" / "x.md", "x")

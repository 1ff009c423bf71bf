"""The manual page: made from the parser, so it names every command and option the
program has; it says what argparse cannot (files, environment, exit status,
privacy); groff reads it without a warning; and the copy the wheel ships is the
page the program prints.

When test_the_shipped_page_is_the_printed_one fails after a change to a command:

    LANG=C .venv/bin/recoveryjournal man > docs/recoveryjournal.1
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recoveryjournal.cli import build_parser
from recoveryjournal.cli.man_command import commands, page

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "docs" / "recoveryjournal.1"


def sections(text: str) -> dict[str, str]:
    """The page's .SH sections by title, and each command's .SS part as "COMMANDS/name"."""
    found: dict[str, str] = {}
    for part in re.split(r"^\.SH ", text, flags=re.M)[1:]:
        title, _newline, body = part.partition("\n")
        found[title] = body
        for sub in re.split(r"^\.SS ", body, flags=re.M)[1:]:
            name, _newline, sub_body = sub.partition("\n")
            found[f"{title}/{name.replace(chr(92) + '-', '-')}"] = sub_body
    return found


def plain(roff: str) -> str:
    """What a reader sees of a stretch of roff (fonts and escaped dashes undone)."""
    return re.sub(r"\\f[BIR]", "", roff).replace("\\-", "-").replace("\\e", "\\")


def test_every_command_and_its_options_are_on_the_page():
    parser = build_parser()
    found = sections(page(parser))
    names = [name for name, _sub, _summary in commands(parser)]
    assert {"init", "write", "export", "completion", "man"} <= set(names)
    assert len(names) == len(parser.get_default("commands"))
    for name, sub, summary in commands(parser):
        part = plain(found.get(f"COMMANDS/{name}", ""))
        assert part, f"{name} has no part of its own on the page"
        assert summary and summary in " ".join(part.split()), name
        options = {o for a in sub._actions for o in a.option_strings} - {"-h", "--help"}
        for option in options:
            assert re.search(rf"(^|[\s\[,]){re.escape(option)}\b", part), (name, option)
    assert "--journal PATH" in plain(found["OPTIONS"])


def test_the_page_says_files_environment_exit_status_and_privacy():
    import recoveryjournal.export.json_import  # noqa: F401 (its error has an exit status)
    from recoveryjournal.vault.errors import JournalError

    found = {title: plain(body) for title, body in sections(page(build_parser())).items()}
    assert "journal.db" in found["FILES"] and "backups/" in found["FILES"]
    assert "crash-reports" in found["FILES"]
    assert "RECOVERYJOURNAL_PATH" in found["ENVIRONMENT"] and "LANG" in found["ENVIRONMENT"]

    def every_error(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every_error(sub)

    # Every status main() can end with: success, each error's, argparse's 2, Ctrl-C.
    statuses = {0, 2, 130, JournalError.exit_code} | {e.exit_code for e in every_error(JournalError)}
    documented = {int(n) for n in re.findall(r"^\.TP\n\\fB(\d+)\\fR", sections(
        page(build_parser()))["EXIT STATUS"], re.M)}
    assert documented == statuses
    privacy = " ".join(found["PRIVACY"].split())
    for promise in ("never uses the network", "encrypted", "Exports are NOT encrypted",
                    "recovery code is shown once"):
        assert promise in privacy


def test_the_shipped_page_is_the_printed_one():
    assert SHIPPED.read_text(encoding="utf-8") == page(build_parser()), (
        "docs/recoveryjournal.1 is out of date; run: "
        "LANG=C recoveryjournal man > docs/recoveryjournal.1")


@pytest.mark.skipif(shutil.which("groff") is None, reason="needs groff")
def test_groff_reads_the_page_without_a_warning():
    result = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z"], input=page(build_parser()),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_man_prints_the_page_in_the_persons_language():
    result = subprocess.run([sys.executable, "-m", "recoveryjournal", "man"],
                            capture_output=True, text=True, timeout=60,
                            env={**os.environ, "LANG": "sv_SE.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(".TH RECOVERYJOURNAL 1 ")
    assert ".SH INTEGRITET" in result.stdout
    assert ".SS export" in result.stdout

"""Tab completion: made from the parser, so it offers exactly the commands there are."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from recoveryjournal.cli import build_parser
from recoveryjournal.cli.completion_command import commands, script


def test_every_command_is_in_every_shells_script():
    table = commands(build_parser())
    assert {"write", "urge", "export", "completion"} <= set(table)
    for shell in ("bash", "zsh", "fish"):
        text = script(shell, table)
        for name in table:
            assert name in text, (shell, name)


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize("words, expected", [
    (["wr"], ["write"]),
    (["--journal", "j.db", "export", "--fo"], ["--force", "--format"]),
    (["urge", "--re"], ["--resisted"]),
])
def test_bash_completes_commands_and_their_options(words, expected):
    program = script("bash", commands(build_parser()))
    words = ["recoveryjournal", *words]
    probe = (program + f"COMP_WORDS=({' '.join(words)}); COMP_CWORD={len(words) - 1}; "
             "_recoveryjournal; echo \"${COMPREPLY[@]}\"")
    result = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == expected

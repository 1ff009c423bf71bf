"""README stays true: the commands it shows exist, and CI runs its test command."""

from __future__ import annotations

import re
from pathlib import Path

from recoveryjournal.cli import build_parser
from recoveryjournal.cli.completion_command import commands

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def shell_blocks() -> list[str]:
    return re.findall(r"```sh\n(.*?)```", README, re.S)


def test_every_command_the_readme_names_exists():
    known = set(commands(build_parser()))
    named = {match for block in shell_blocks()
             for match in re.findall(r"^recoveryjournal (?:--\S+ \S+ )?([a-z][a-z-]*)", block, re.M)}
    assert named, "the README shows no command"
    assert named <= known, f"README names commands that do not exist: {named - known}"


def test_ci_runs_exactly_the_readmes_test_command():
    [command] = [line for block in shell_blocks() for line in block.splitlines()
                 if "pytest" in line]
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert command.strip() in [line.strip() for line in ci.splitlines()]


def test_nothing_the_project_ships_names_notes_outside_the_repository():
    """The project documents itself (docs/ARCHITECTURE.md): no README, page, module,
    exercise or bench note sends a reader to notes they cannot have."""
    outside = re.compile(r"\.\./shared|\bDESIGN\.md\b|\bSTYLE\.md\b")
    paths = [REPO / "README.md", REPO / "CHANGELOG.md", *(REPO / "docs").glob("*.md"),
             *(REPO / "src").rglob("*.py"), *(REPO / "src").rglob("*.md"),
             *(REPO / "src").rglob("*.tcss"), *(REPO / "exercises").rglob("*"),
             *(REPO / "bench").glob("*.py"), *(REPO / "bench").glob("*.md"),
             REPO / "pyproject.toml"]
    assert len(paths) > 100
    named = [f"{path.relative_to(REPO)}: {match.group()}"
             for path in paths if path.is_file()
             for match in outside.finditer(path.read_text(encoding="utf-8"))]
    assert named == []


def test_every_file_the_documentation_names_exists():
    """A renamed test or module leaves no dead path behind in what people read first."""
    pages = [REPO / "README.md", REPO / "exercises" / "README.md", *(REPO / "docs").glob("*.md"),
             REPO / "src" / "recoveryjournal" / "i18n" / "GLOSSARY.md"]
    missing = [f"{page.relative_to(REPO)}: {name}"
               for page in pages
               for name in re.findall(r"\btests/test_\w+\.py\b", page.read_text(encoding="utf-8"))
               if not (REPO / name).is_file()]
    assert not missing, missing

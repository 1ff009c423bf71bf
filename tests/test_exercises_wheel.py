"""A non-editable install finds every exercise: build the wheel offline, check it holds
every exercise file, unpack it and let the loader find them from there.

Building needs pip and hatchling in this environment (no network, no build
isolation); where they are missing the test is skipped rather than failing.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(importlib.util.find_spec("hatchling") is None
                    or importlib.util.find_spec("pip") is None,
                    reason="building a wheel offline needs pip and hatchling installed")
def test_the_wheel_ships_every_exercise_and_the_loader_finds_them(tmp_path):
    shipped = sorted(p.name for p in (REPO / "exercises").glob("*.toml"))
    assert shipped
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(tmp_path / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=120,
    )
    if build.returncode != 0:
        pytest.skip(f"pip could not build the wheel here: {build.stderr[-500:]}")
    [wheel] = (tmp_path / "dist").glob("recoveryjournal-*.whl")

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    for name in shipped + ["README.md"]:
        assert f"recoveryjournal/exercises/{name}" in names

    # A fresh interpreter that sees only the unpacked wheel for our package
    # (dependencies still come from this environment).
    probe = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(tmp_path / 'site')!r})\n"
        "from recoveryjournal import exercises\n"
        "library = exercises.load_exercises(user_dir=False)\n"
        "print(json.dumps({'module': exercises.__file__,\n"
        "  'folder': str(exercises.shipped_exercises_dir()),\n"
        "  'ids': sorted(library.exercises),\n"
        "  'problems': [str(p) for p in library.problems]}))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["module"].startswith(str(tmp_path / "site"))
    assert found["folder"] == str(tmp_path / "site" / "recoveryjournal" / "exercises")
    assert found["problems"] == []
    assert found["ids"] == sorted(Path(n).stem for n in shipped)

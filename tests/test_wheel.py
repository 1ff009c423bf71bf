"""What a non-editable install gets: the wheel holds every exercise and every compiled
catalog, and both load from an unpacked copy in a fresh interpreter.

The wheel is built once, offline (pip and hatchling from this environment, no build
isolation); where that cannot be done the tests are skipped rather than failing.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("hatchling") is None or importlib.util.find_spec("pip") is None,
    reason="building a wheel offline needs pip and hatchling installed")


@pytest.fixture(scope="module")
def unpacked_wheel(tmp_path_factory):
    """(names in the wheel, the folder it was unpacked into)."""
    work = tmp_path_factory.mktemp("wheel")
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
         "--no-index", "-q", "-w", str(work / "dist"), str(REPO)],
        capture_output=True, text=True, timeout=120,
    )
    if build.returncode != 0:
        pytest.skip(f"pip could not build the wheel here: {build.stderr[-500:]}")
    [wheel] = (work / "dist").glob("recoveryjournal-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(work / "site")
    return names, work / "site"


def run_from_wheel(site: Path, code: str) -> dict:
    """Run `code` in a fresh interpreter that sees our package only from the wheel
    (dependencies still come from this environment); it prints one JSON object."""
    probe = f"import sys, json\nsys.path.insert(0, {str(site)!r})\n" + code
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True,
                            text=True, timeout=60, cwd=site.parent)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_wheel_ships_every_exercise_and_the_loader_finds_them(unpacked_wheel):
    names, site = unpacked_wheel
    shipped = sorted(p.name for p in (REPO / "exercises").glob("*.toml"))
    assert shipped
    for name in shipped + ["README.md"]:
        assert f"recoveryjournal/exercises/{name}" in names
    found = run_from_wheel(site, (
        "from recoveryjournal import exercises\n"
        "library = exercises.load_exercises(user_dir=False)\n"
        "print(json.dumps({'module': exercises.__file__,\n"
        "  'folder': str(exercises.shipped_exercises_dir()),\n"
        "  'ids': sorted(library.exercises),\n"
        "  'problems': [str(p) for p in library.problems]}))\n"))
    assert found["module"].startswith(str(site))
    assert found["folder"] == str(site / "recoveryjournal" / "exercises")
    assert found["problems"] == []
    assert found["ids"] == sorted(Path(n).stem for n in shipped)


def test_the_wheel_ships_the_catalogs_and_they_load(unpacked_wheel):
    names, site = unpacked_wheel
    for language in ("sv", "da", "nb"):
        base = f"recoveryjournal/i18n/locale/{language}/LC_MESSAGES/recoveryjournal"
        assert f"{base}.mo" in names and f"{base}.po" in names
    answer = run_from_wheel(site, (
        "from recoveryjournal import i18n\n"
        "found = {}\n"
        "for code in ('sv', 'da', 'nb'):\n"
        "    i18n.set_language(code)\n"
        "    found[code] = i18n._('Settings')\n"
        "print(json.dumps({'module': i18n.__file__, 'found': found}))\n"))
    assert answer["module"].startswith(str(site))
    assert answer["found"] == {"sv": "Inställningar", "da": "Indstillinger", "nb": "Innstillinger"}


def test_the_wheel_carries_the_licence_and_its_one_version(unpacked_wheel):
    names, site = unpacked_wheel
    import recoveryjournal

    dist_info = {n.split("/")[0] for n in names if ".dist-info/" in n}
    assert dist_info == {f"recoveryjournal-{recoveryjournal.__version__}.dist-info"}
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names), sorted(names)[:20]

def test_the_wheel_ships_the_manual_page_the_program_prints(unpacked_wheel):
    """`man recoveryjournal` after install: the page lands in share/man/man1 (pip puts
    a wheel's data/ folder under the environment's prefix), and it is the page
    `recoveryjournal man` prints from the wheel's own code."""
    import recoveryjournal

    names, site = unpacked_wheel
    page = (f"recoveryjournal-{recoveryjournal.__version__}.data/data/"
            "share/man/man1/recoveryjournal.1")
    assert page in names, sorted(n for n in names if ".data/" in n)
    printed = run_from_wheel(site, (
        "from recoveryjournal.i18n import set_language\n"
        "set_language('en')\n"
        "from recoveryjournal.cli import build_parser\n"
        "from recoveryjournal.cli.man_command import page\n"
        "print(json.dumps(page(build_parser())))\n"))
    assert (site / page).read_text(encoding="utf-8") == printed


def test_the_wheel_ships_the_crisis_lines_and_they_load(unpacked_wheel):
    names, site = unpacked_wheel
    assert "recoveryjournal/data/crisis-lines.toml" in names
    found = run_from_wheel(site, (
        "from recoveryjournal import crisis_lines\n"
        "print(json.dumps({'file': str(crisis_lines.DATA_FILE),\n"
        "  'codes': crisis_lines.country_codes(),\n"
        "  'se': [line.number for line in crisis_lines.country('SE').lines]}))\n"))
    assert found["file"].startswith(str(site))
    assert found["codes"] == ["SE", "NO", "DK", "other"]
    assert {"112", "1177", "90101"} <= set(found["se"])


def test_the_wheel_leaves_out_what_only_developers_use(unpacked_wheel):
    names, site = unpacked_wheel
    # the catalog tooling is tools/i18n.py (Babel); the old pure-Python one must not return
    for tool in ("po", "extract", "compile"):
        assert f"recoveryjournal/i18n/{tool}.py" not in names
    assert not [n for n in names if n.startswith(("tests/", "bench/", "tools/"))]
    uses_babel = [n for n in names if n.endswith(".py") and re.search(
        r"^\s*(import|from)\s+babel\b", (site / n).read_text(encoding="utf-8"), re.MULTILINE)]
    assert uses_babel == [], "Babel is for developers: nothing the app runs may import it"
    metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
    requires = [line.lower() for line in (site / metadata).read_text().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert requires, "the runtime dependencies are missing from METADATA"
    assert not [r for r in requires if any(dev in r for dev in ("pytest", "hypothesis", "babel"))]

"""The compiled catalogs ship in the wheel and load from an installed copy: build
the wheel offline, check it holds every .mo, and translate from the unpacked wheel.

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
def test_the_wheel_ships_the_catalogs_and_they_load(tmp_path):
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
    for language in ("sv", "da", "nb"):
        base = f"recoveryjournal/i18n/locale/{language}/LC_MESSAGES/recoveryjournal"
        assert f"{base}.mo" in names and f"{base}.po" in names

    probe = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(tmp_path / 'site')!r})\n"
        "from recoveryjournal import i18n\n"
        "found = {}\n"
        "for code in ('sv', 'da', 'nb'):\n"
        "    i18n.set_language(code)\n"
        "    found[code] = i18n._('Settings')\n"
        "print(json.dumps({'module': i18n.__file__, 'found': found}))\n"
    )
    result = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True,
                            text=True, timeout=60, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["module"].startswith(str(tmp_path / "site"))
    assert answer["found"] == {"sv": "Inställningar", "da": "Indstillinger", "nb": "Innstillinger"}

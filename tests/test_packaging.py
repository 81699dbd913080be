"""Setting up is quiet and lean: `make run` installs what the app needs, not the test tools, and the
package builds without setuptools' warnings about data folders it would ignore."""
from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _dry_run(target: str, tmp_path: Path) -> str:
    """The commands `make TARGET` would run from scratch (a virtual environment that does not exist yet)."""
    result = subprocess.run(["make", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT, capture_output=True,
                            text=True, check=True)
    return result.stdout


def test_make_run_does_not_install_the_test_extras(tmp_path):
    commands = _dry_run("run", tmp_path)
    assert "pip install" in commands and "r2pkg serve" in commands
    assert "[test]" not in commands


def test_make_test_installs_the_test_extras(tmp_path):
    commands = _dry_run("test", tmp_path)
    assert "'.[test]'" in commands and "pytest" in commands


@pytest.mark.slow
def test_the_package_builds_without_warnings_and_with_its_data(tmp_path):
    source = tmp_path / "src"
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    for name in tracked:
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    build = subprocess.run([sys.executable, "-c", "import sys; from setuptools import build_meta; "
                            "print(build_meta.build_wheel(sys.argv[1]))", str(wheels)],
                           cwd=source, capture_output=True, text=True)
    output = build.stdout + build.stderr
    assert build.returncode == 0, output[-3000:]
    assert "would be ignored" not in output and "Warning" not in output, output[-3000:]
    names = zipfile.ZipFile(next(wheels.glob("*.whl"))).namelist()
    for wanted in ("r2pkg/webapp/templates/sparql/editor.html", "r2pkg/webapp/static/vendor/yasgui/yasgui.min.js",
                   "r2pkg/loaders/gazetteers/external/states.csv", "r2pkg/ontology/r2p.ttl", "r2pkg/queries/meetings.rq"):
        assert wanted in names

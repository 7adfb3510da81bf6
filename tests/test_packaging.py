"""The package stands alone: its wheel carries the default templates and runs from a folder that
holds only inputs/, found from the working folder, never from the source tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import MEETING, ROOT, Run

import pipeline

SOURCES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pipeline", "templates")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from a copy of the sources (the build leaves nothing in the repo)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(
                ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(ROOT / name, source / name)
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    (built,) = dist.glob("minutes-*.whl")
    return built


def test_wheel_carries_every_template(wheel: Path) -> None:
    """Verify every file of templates/ (documents, mail texts, README) is in the wheel as
    pipeline/templates/, byte for byte, and no Python file of that folder is."""
    expected = {
        path.relative_to(ROOT / "templates").as_posix(): path.read_bytes()
        for path in (ROOT / "templates").rglob("*")
        if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        shipped = {
            name.removeprefix("pipeline/templates/"): archive.read(name)
            for name in archive.namelist()
            if name.startswith("pipeline/templates/")
        }
        metadata = archive.read(f"minutes-{pipeline.__version__}.dist-info/METADATA").decode()
    assert shipped == expected
    assert f"Version: {pipeline.__version__}" in metadata


# Files in the package folder that only developers read: not shipped.
DEVELOPERS_ONLY = (".py", ".pyc", ".po", ".pot", ".md")


def test_wheel_carries_the_package_data(wheel: Path) -> None:
    """Verify every data file inside pipeline/ (translations, the workbench's pages, styles
    and scripts) is in the wheel: a new kind of file not in pyproject's package-data fails here
    rather than in a user's installation."""
    package = ROOT / "pipeline"
    data = {
        path.relative_to(ROOT).as_posix()
        for path in package.rglob("*")
        if path.is_file() and path.suffix not in DEVELOPERS_ONLY and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        shipped = set(archive.namelist())
    assert "pipeline/locale/fi/LC_MESSAGES/minutes.mo" in data
    assert data - shipped == set()


def test_unpacked_wheel_builds_from_a_folder_with_only_inputs(wheel: Path, tmp_path: Path) -> None:
    """Verify `python -m pipeline build` from the wheel's files, run in a folder holding only a
    copy of inputs/, writes the documents under that folder's outputs/ with the shipped
    templates (the source tree is not reachable from the unpacked package)."""
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    work = tmp_path / "work"
    shutil.copytree(ROOT / "inputs", work / "inputs")
    env = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "build", MEETING, "--format", "docx,odt"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    written = sorted(p.name for p in (work / "outputs" / MEETING).glob("*.*"))
    assert [n for n in written if n.endswith((".docx", ".odt"))] == [
        f"kokouskutsu_{MEETING}.docx",
        f"kokouskutsu_{MEETING}.odt",
        f"poytakirja_luonnos_{MEETING}.docx",
        f"poytakirja_luonnos_{MEETING}.odt",
    ]
    where = subprocess.run(
        [
            sys.executable,
            "-c",
            "from pipeline import documents; print(documents.DEFAULT_TEMPLATES)",
        ],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(where.stdout.strip()) == site / "pipeline" / "templates"


def test_version_has_one_place(run: Run) -> None:
    """Verify `minutes --version` prints the package's version, which the wheel's metadata
    also takes (test_wheel_carries_every_template)."""
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"minutes, version {pipeline.__version__}"

"""Shared fixtures: a copy of the example meeting in a temporary folder, and the CLI runner."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
MEETING = "2026-12-07"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder holding a copy of the example inputs, made the current folder."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    monkeypatch.chdir(tmp_path)
    return tmp_path


Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """Run the `minutes` command in-process; returns click's Result."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def write(path: Path, text: str) -> Path:
    """Write a dedented YAML text (tests keep their inputs inline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def validate_office(*files: Path) -> str:
    """Run the shared schema validator; returns its output (each file 'valid' or the problems)."""
    done = subprocess.run(
        [sys.executable, str(SHARED / "tools" / "office_validate.py"), *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout + done.stderr


def pdf_text(document: Path, tmp: Path) -> str:
    """Convert a document with LibreOffice and read the PDF's text back."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    profile = tmp / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(document),
        ],
        capture_output=True,
        check=True,
        timeout=180,
    )
    pdf = tmp / (document.stem + ".pdf")
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout

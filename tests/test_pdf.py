"""Archival PDF: tagged, Finnish, titled, PDF/A-2, one LibreOffice start, the same bytes."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from conftest import MEETING, Run
from pdfa import problems

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
OUT = Path("outputs") / MEETING


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's cache folder, where the LibreOffice profile is kept, and a soffice on PATH
    that logs each start before it runs the real one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shim = tmp_path / "bin" / "soffice"
    shim.parent.mkdir()
    real = shutil.which("soffice")
    shim.write_text(f'#!/bin/sh\necho start >> "{tmp_path / "starts.log"}"\nexec {real} "$@"\n')
    shim.chmod(0o755)
    monkeypatch.setenv("PATH", f"{shim.parent}{os.pathsep}{os.environ['PATH']}")
    return tmp_path


def starts(cache: Path) -> int:
    log = cache / "starts.log"
    return len(log.read_text().splitlines()) if log.exists() else 0


def test_every_pdf_is_archival_in_one_start(project: Path, run: Run, cache: Path) -> None:
    """Verify `build --format docx,pdf` converts all its documents in one LibreOffice start with
    the profile kept in the cache folder, and every PDF is tagged, Finnish, titled, has an
    author, identifies itself as PDF/A-2 and is dated by the document, not the clock."""
    result = run("build", MEETING, "--format", "docx,pdf")
    assert result.exit_code == 0, result.output
    pdfs = sorted(OUT.glob("*.pdf"))
    assert [p.name for p in pdfs] == [
        f"kokouskutsu_{MEETING}.pdf",
        f"poytakirja_luonnos_{MEETING}.pdf",
    ]
    assert starts(cache) == 1
    assert (cache / "cache" / "minutes" / "libreoffice-profile" / "user").is_dir()
    titles = {"kokouskutsu": "Kokouskutsu ja esityslista 5/2026", "poytakirja": "Pöytäkirja 5/2026"}
    dates = {"kokouskutsu": "2026-11-30", "poytakirja": "2026-12-07"}
    for path in pdfs:
        kind = path.name.split("_")[0]
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" in pdf.Root
            assert pdf.Root.MarkInfo.Marked is True
            assert str(pdf.Root.Lang) == "fi-FI"
            assert str(pdf.docinfo.Title) == titles[kind]
            assert str(pdf.docinfo.Author).startswith("Äänekosken kaupunki")
            assert str(pdf.docinfo.CreationDate).startswith("D:" + dates[kind].replace("-", ""))
            meta = pdf.open_metadata()
            assert meta["pdfaid:part"] == "2"
            assert meta["pdfaid:conformance"] == "B"
            assert meta["dc:title"] == titles[kind]
            assert meta["xmp:CreateDate"].startswith(dates[kind])
            assert "/OutputIntents" in pdf.Root
            tags = {
                str(o.S)
                for o in pdf.objects
                if isinstance(o, pikepdf.Dictionary) and "/S" in o and "/P" in o
            }
            assert {"/H1", "/L", "/LI", "/Table", "/TR", "/TH"} <= tags, (path.name, tags)
            if kind == "poytakirja":
                assert "/H2" in tags
        assert problems(path) == [], path.name


def test_two_conversions_are_byte_identical(project: Path, run: Run, cache: Path) -> None:
    """Verify the PDFs of the same documents are the same bytes when converted again (a resumed
    sending compares hashes), and that the second run reuses the kept profile."""
    assert run("build", MEETING, "--format", "pdf").exit_code == 0
    first = {p.name: p.read_bytes() for p in OUT.glob("*.pdf")}
    shutil.rmtree(OUT)
    assert run("build", MEETING, "--format", "pdf").exit_code == 0
    second = {p.name: p.read_bytes() for p in OUT.glob("*.pdf")}
    assert first == second and len(first) == 2
    assert starts(cache) == 2


def test_without_libreoffice_exit_4_after_the_office_files(
    project: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify that without LibreOffice, `build --format docx,odt,pdf` writes the DOCX and ODT,
    then exits 4 saying what to install."""
    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("build", MEETING, "--format", "docx,odt,pdf")
    assert result.exit_code == 4
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert "Traceback" not in result.output
    names = {p.name for p in OUT.iterdir()}
    assert f"kokouskutsu_{MEETING}.docx" in names and f"kokouskutsu_{MEETING}.odt" in names
    assert not any(n.endswith(".pdf") for n in names)


def notes_with(project: Path, view: str) -> None:
    """The example notes with one more view aligned together, typed as `view`."""
    notes = project / "inputs" / MEETING / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    first = "      - Investointitaso pidetään ohjelmakauden raameissa.\n"
    notes.write_text(text.replace(first, first + f"      - {view}\n"), encoding="utf-8")


def fonts(pdf: Path) -> str:
    return subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout


def test_an_emoji_is_drawn_by_an_embedded_font(project: Path, run: Run) -> None:
    """Verify a view typed with an emoji and symbols comes out in the PDF's text and is drawn
    by an embedded font that has it (Symbola, which setup.sh installs), not as an empty box."""
    notes_with(project, "Hyvä yhteistyö 🎉 jatkuu ✓ → 2027.")
    result = run("build", MEETING, "--format", "docx,pdf")
    assert result.exit_code == 0, result.output
    pdf = OUT / f"poytakirja_luonnos_{MEETING}.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Hyvä yhteistyö 🎉 jatkuu ✓ → 2027." in " ".join(text.split())
    assert "+Symbola " in fonts(pdf)
    assert problems(pdf) == []


def test_a_character_no_font_has_makes_no_pdf(project: Path, run: Run) -> None:
    """Verify a character that no installed font has (文, on a machine without CJK fonts) is
    refused with exit 4 naming it and the document, after the DOCX and ODT were written: an
    archival PDF that left it out, or drew an empty box, would not be the text as typed."""
    has = subprocess.run(["fc-list", ":charset=6587"], capture_output=True, text=True).stdout
    if has.strip():
        pytest.skip("a font on this machine has 文")
    notes_with(project, "Ystävyyskaupunki 文 vierailee keväällä.")
    result = run("build", MEETING, "--format", "docx,odt,pdf")
    assert result.exit_code == 4, result.output
    assert "文 (U+6587)" in result.output
    assert f"poytakirja_luonnos_{MEETING}.docx" in result.output
    assert "apt-get install fonts-noto-core fonts-noto-cjk" in result.output
    assert "Traceback" not in result.output
    names = {p.name for p in OUT.iterdir()}
    assert f"poytakirja_luonnos_{MEETING}.odt" in names
    assert not any(n.endswith(".pdf") for n in names)

"""The municipality's logo (`logo:` in organisation.yaml) in the letterhead of every document."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pikepdf
import pytest
from conftest import MEETING, Run, validate_office
from PIL import Image, ImageDraw, PngImagePlugin

OUT = Path("outputs") / MEETING
SVG = """<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 120" width="100" height="120">
  <title>Äänekosken kaupungin vaakuna</title>
  <path d="M5 5 H95 V70 Q95 110 50 115 Q5 110 5 70 Z" fill="#1f4e79"/>
  <path d="M20 40 L50 20 L80 40 L50 90 Z" fill="#f2c200"/>
</svg>
"""


def shield_png(path: Path, title: str = "") -> None:
    image = Image.new("RGBA", (200, 240), (0, 0, 0, 0))
    ImageDraw.Draw(image).polygon([(10, 10), (190, 10), (190, 140), (100, 230), (10, 140)], "navy")
    info = PngImagePlugin.PngInfo()
    if title:
        info.add_text("Title", title)
    image.save(path, pnginfo=info)


def use_logo(project: Path, name: str) -> int:
    """Name the logo in the roster; returns the line of `logo:`."""
    roster = project / "inputs" / "organisation.yaml"
    lines = roster.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("municipality:")) + 1
    lines.insert(at, f"logo: {name}")
    roster.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


@pytest.mark.parametrize(
    ("file", "alt", "kind"),
    [
        ("vaakuna.png", "Äänekosken kaupunki vaakuna", "png"),
        ("vaakuna.svg", "Äänekosken kaupungin vaakuna", "svg"),
    ],
)
def test_logo_in_the_letterhead_of_both_formats(
    project: Path, run: Run, file: str, alt: str, kind: str
) -> None:
    """Verify a PNG or SVG logo is in the header of the invitation and the minutes in both
    formats, 2 cm high, with its alternative text (the file's title, else "<municipality>
    vaakuna"), its picture in the package, and that the files pass the schema validator."""
    if kind == "png":
        shield_png(project / "inputs" / file)
    else:
        (project / "inputs" / file).write_text(SVG, encoding="utf-8")
    use_logo(project, file)
    result = run("build", MEETING)
    assert result.exit_code == 0, result.output
    files = sorted(OUT.glob("*.docx")) + sorted(OUT.glob("*.odt"))
    assert len(files) == 4
    assert validate_office(*files).count(": valid") == 4
    for path in files:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if path.suffix == ".docx":
                header = next(
                    archive.read(n).decode() for n in names if n.startswith("word/header")
                )
                assert f'descr="{alt}"' in header
                assert 'cy="720000"' in header  # 2 cm in EMU
                assert any(n.startswith("word/media/") and n.endswith(".png") for n in names)
            else:
                styles = archive.read("styles.xml").decode()
                assert f"<svg:title>{alt}</svg:title>" in styles
                assert 'svg:height="2.000cm"' in styles
                pictures = [n for n in names if n.startswith("Pictures/")]
                assert len(pictures) == 1 and pictures[0].endswith(f".{kind}")
                assert pictures[0].encode() in archive.read("META-INF/manifest.xml")


def test_a_png_title_is_the_alternative_text(project: Path, run: Run) -> None:
    """Verify a PNG's own Title is its alternative text."""
    shield_png(project / "inputs" / "logo.png", title="Kaupungin vaakuna")
    use_logo(project, "logo.png")
    assert run("build", MEETING).exit_code == 0
    with zipfile.ZipFile(OUT / f"kokouskutsu_{MEETING}.odt") as archive:
        assert "<svg:title>Kaupungin vaakuna</svg:title>" in archive.read("styles.xml").decode()


def test_without_logo_the_letterhead_is_text(project: Path, run: Run) -> None:
    """Verify that without `logo:` no picture is in the documents."""
    assert run("build", MEETING).exit_code == 0
    for path in [*OUT.glob("*.docx"), *OUT.glob("*.odt")]:
        with zipfile.ZipFile(path) as archive:
            assert not [n for n in archive.namelist() if "media/" in n or "Pictures/" in n]


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        ("puuttuu.png", None, "ei ole kansiossa"),
        ("rikki.png", b"not a picture at all", "ei ole luettava PNG-kuva"),
        ("rikki.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><g>", "luettava SVG"),
        ("koko.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "ei ole kokoa"),
        ("vaakuna.gif", b"GIF89a", "PNG- tai SVG-tiedosto"),
        ("../vaakuna.png", None, "ilman ylempää kansiota"),
    ],
)
def test_a_bad_logo_is_a_check_error_with_its_line(
    project: Path, run: Run, file: str, content: bytes | None, message: str
) -> None:
    """Verify a missing, unreadable or wrong kind of logo file is an error of `check` naming
    organisation.yaml and the line of `logo:`, and that build writes nothing."""
    if content is not None:
        (project / "inputs" / file).write_bytes(content)
    line = use_logo(project, file)
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert f"organisation.yaml:{line}:" in result.output and message in result.output
    assert "Traceback" not in result.output
    assert run("build", MEETING).exit_code == 1
    assert not OUT.exists() or not list(OUT.glob("*.docx"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_logo_is_on_every_pdf_page(project: Path, run: Run) -> None:
    """Verify each page of the invitation's PDF (from the DOCX) draws the logo."""
    (project / "inputs" / "vaakuna.svg").write_text(SVG, encoding="utf-8")
    use_logo(project, "vaakuna.svg")
    assert run("build", MEETING, "--format", "pdf").exit_code == 0
    with pikepdf.open(OUT / f"kokouskutsu_{MEETING}.pdf") as pdf:
        assert len(pdf.pages) > 1
        for page in pdf.pages:
            assert page.get_images(), "a page without the logo"

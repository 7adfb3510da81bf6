"""Accessible documents (EN 301 549): headings in order, lists as lists, table header rows
marked and repeated, the language set, and text colours with enough contrast."""

from __future__ import annotations

import itertools
import re
import zipfile
from pathlib import Path

import pytest
from conftest import Run, approve, without_pdf
from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
FO = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}"
EARLIER = "2026-11-09"  # a meeting that has been held, so its minutes can be approved
BACKGROUNDS = ("FFFFFF", "F0F0F0")  # the page, and the shading of notices and header rows


@pytest.fixture
def documents(project: Path, run: Run) -> list[Path]:
    """Every kind of document in both formats: invitation, final minutes, the cover letters
    (the example meeting approved) and the annual evaluation."""
    without_pdf(project)  # no LibreOffice for the approval: these tests read no PDF of it
    approve(run, EARLIER)
    assert run("build", EARLIER).exit_code == 0
    assert run("report", "2026").exit_code == 0
    out = Path("outputs")
    found = sorted(
        p
        for p in [*out.glob("*/*.docx"), *out.glob("*/*.odt")]
        if "luonnos" not in p.name  # the draft is the final minutes' twin
    )
    kinds = {p.name.split("_")[0] for p in found}
    assert kinds == {"kokouskutsu", "poytakirja", "saate", "arviointi"}, kinds
    return found


def xml(path: Path, part: str) -> etree._Element:
    with zipfile.ZipFile(path) as archive:
        return etree.fromstring(archive.read(part))


def docx_levels(path: Path) -> list[int]:
    styles = xml(path, "word/styles.xml")
    level = {}
    for style in styles.iter(f"{W}style"):
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if outline is not None:
            level[style.get(f"{W}styleId")] = int(outline.get(f"{W}val")) + 1
    body = xml(path, "word/document.xml")
    used = [p.find(f"{W}pPr/{W}pStyle") for p in body.iter(f"{W}p")]
    return [level[s.get(f"{W}val")] for s in used if s is not None and s.get(f"{W}val") in level]


def odt_levels(path: Path) -> list[int]:
    return [
        int(h.get(f"{TEXT}outline-level", "1")) for h in xml(path, "content.xml").iter(f"{TEXT}h")
    ]


def test_headings_are_real_and_in_order(documents: list[Path]) -> None:
    """Verify every document has real headings (outline levels), starting at level 1 and never
    skipping a level on the way down."""
    for path in documents:
        levels = docx_levels(path) if path.suffix == ".docx" else odt_levels(path)
        assert levels, f"{path.name} has no headings"
        assert levels[0] == 1, (path.name, levels)
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, (path.name, levels)


def test_lists_are_lists(documents: list[Path]) -> None:
    """Verify bulleted paragraphs are list items: in DOCX their style carries numbering, in ODT
    they sit in a text:list, and items that follow each other are one list."""
    for path in documents:
        if path.suffix == ".docx":
            styles = xml(path, "word/styles.xml")
            bullet = styles.find(f"{W}style[@{W}styleId='ListBullet']")
            assert bullet is not None and bullet.find(f"{W}pPr/{W}numPr/{W}numId") is not None
        else:
            content = xml(path, "content.xml")
            for p in content.iter(f"{TEXT}p"):
                if p.get(f"{TEXT}style-name") == "List_20_Bullet":
                    assert p.getparent().tag == f"{TEXT}list-item", path.name
            # Items that follow each other are one list, not many lists of one item.
            for lst in content.iter(f"{TEXT}list"):
                before = lst.getprevious()
                assert before is None or before.tag != f"{TEXT}list", path.name


def test_table_header_rows_are_marked_and_repeated(documents: list[Path]) -> None:
    """Verify every data table's header row is marked as one (Word: tblHeader, repeated on each
    page; ODF: table:table-header-rows)."""
    checked = 0
    for path in documents:
        if path.suffix == ".docx":
            for row in xml(path, "word/document.xml").iter(f"{W}tr"):
                styles = {s.get(f"{W}val") for s in row.iter(f"{W}pStyle")}
                if "TableHeading" in styles:
                    checked += 1
                    assert row.find(f"{W}trPr/{W}tblHeader") is not None, path.name
        else:
            for row in xml(path, "content.xml").iter(f"{TABLE}table-row"):
                styles = {p.get(f"{TEXT}style-name") for p in row.iter(f"{TEXT}p")}
                if "Table_20_Heading" in styles:
                    checked += 1
                    assert row.getparent().tag == f"{TABLE}table-header-rows", path.name
    assert checked >= 10


def test_language_is_finnish(documents: list[Path]) -> None:
    """Verify the documents say they are in Finnish, in their default style and metadata."""
    for path in documents:
        if path.suffix == ".docx":
            lang = xml(path, "word/styles.xml").find(f".//{W}docDefaults//{W}lang")
            assert lang is not None and lang.get(f"{W}val") == "fi-FI"
            assert b"<dc:language>fi-FI</dc:language>" in zipfile.ZipFile(path).read(
                "docProps/core.xml"
            )
        else:
            props = xml(path, "styles.xml").find(
                f".//{STYLE}default-style[@{STYLE}family='paragraph']/{STYLE}text-properties"
            )
            assert props is not None
            assert (props.get(f"{FO}language"), props.get(f"{FO}country")) == ("fi", "FI")
            assert b"fi-FI</dc:language>" in zipfile.ZipFile(path).read("meta.xml")


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_text_colours_have_enough_contrast(documents: list[Path]) -> None:
    """Verify every text colour the documents use, the red LUONNOS included, has at least the
    4.5:1 contrast of WCAG 2.1 AA against the page and the light shading."""
    colours = set()
    for path in documents:
        if path.suffix == ".docx":
            for part in ("word/styles.xml", "word/document.xml"):
                colours |= set(re.findall(rb'<w:color w:val="([0-9A-Fa-f]{6})"', _read(path, part)))
        else:
            for part in ("styles.xml", "content.xml"):
                colours |= set(re.findall(rb'fo:color="#([0-9A-Fa-f]{6})"', _read(path, part)))
    assert b"B00000" in {c.upper() for c in colours}  # the draft marking's red is among them
    for colour in colours:
        for background in BACKGROUNDS:
            assert contrast(colour.decode().upper(), background) >= 4.5, (colour, background)


def _read(path: Path, part: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(part)

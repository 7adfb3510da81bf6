"""The page flow as LibreOffice lays it out: no heading is left alone at the foot of a page.

Each document is converted to PDF by LibreOffice and each page's text body (the page less its
header and footer) is read back; the last line of a page must not be a heading, an item's
presenter line or its confidentiality marking, the lines that belong with the text below them.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
import yaml
from conftest import MEETING, Run, write

OUT = Path("outputs") / MEETING
# Lines that must be followed on their page by what they introduce, by their styles.
KEPT_DOCX = ("Heading1", "Heading2", "Heading3", "ItemField", "Marking", "LeadIn")
KEPT_ODT = (
    "Heading_20_1",
    "Heading_20_2",
    "Heading_20_3",
    "Item_20_Field",
    "Marking",
    "Lead_20_In",
)
# The page's text body in points from the top: below the header table, above the footer.
BODY_TOP, BODY_HEIGHT = 80, 700


def words(text: str) -> str:
    return " ".join(text.split())


def kept_lines(document: Path) -> set[str]:
    """The text of every paragraph in `document` whose style keeps it with the next."""
    with zipfile.ZipFile(document) as archive:
        if document.suffix == ".docx":
            xml = archive.read("word/document.xml").decode()
            paragraphs = re.findall(r"<w:p\b.*?</w:p>", xml, re.S)
            kept = [
                p for p in paragraphs if any(f'<w:pStyle w:val="{s}"/>' in p for s in KEPT_DOCX)
            ]
            texts = [" ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>|<w:tab/>", p)) for p in kept]
        else:
            xml = archive.read("content.xml").decode()
            pattern = r'<text:[ph] text:style-name="({})"[^>]*>(.*?)</text:[ph]>'
            found = re.findall(pattern.format("|".join(KEPT_ODT)), xml, re.S)
            texts = [re.sub(r"<[^>]+>", " ", body) for _, body in found]
    return {words(text) for text in texts if words(text)}


def page_feet(pdf: Path) -> list[str]:
    """The last line of each page's text body."""
    crop = ("-x", "0", "-y", str(BODY_TOP), "-W", "595", "-H", str(BODY_HEIGHT))
    text = subprocess.run(
        ["pdftotext", "-layout", *crop, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pages = text.split("\f")[:-1]
    return [words(next((ln for ln in reversed(p.splitlines()) if ln.strip()), "")) for p in pages]


def stranded(documents: list[Path], tmp: Path) -> list[str]:
    """Every page of `documents`, as LibreOffice lays them out, that ends with a kept line."""
    profile = tmp / "lo-profile"
    convert = ("--headless", "--convert-to", "pdf", "--outdir", str(tmp))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", *convert, *map(str, documents)],
        capture_output=True,
        check=True,
        timeout=300,
    )
    found = []
    for document in documents:
        pdf = tmp / f"{document.stem}.pdf"
        kept = kept_lines(document)
        feet = page_feet(pdf)
        for number, foot in enumerate(feet[:-1], start=1):
            if foot in kept or any(line.endswith(" " + foot) for line in kept):
                found.append(f"{document.name} page {number}: {foot}")
    return found


def built_documents_stranded(tmp: Path) -> list[str]:
    """`stranded` of the invitation and the draft minutes just built, in both formats."""
    found = []
    for suffix in ("docx", "odt"):  # one folder a format: LibreOffice names the PDF by stem
        folder = tmp / suffix
        folder.mkdir()
        documents = [
            OUT / f"{stem}_{MEETING}.{suffix}" for stem in ("kokouskutsu", "poytakirja_luonnos")
        ]
        found += stranded(documents, folder)
    return found


@pytest.mark.usefixtures("held")
def test_example_documents_leave_no_heading_at_a_page_foot(
    project: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the example's invitation and draft minutes, in both formats, never end a page
    with an item's heading, presenter or a sub-heading (today's invitation left item 4's
    heading at the foot of page 1 in both formats)."""
    assert run("build", MEETING).exit_code == 0
    assert built_documents_stranded(tmp_path) == []


def long_meeting(project: Path, items: int = 40) -> None:
    """The example meeting with `items` agenda items of uneven length, each with notes:
    headings then fall at every height of a page."""
    folder = project / "inputs" / MEETING
    agenda = yaml.safe_load((folder / "agenda.yaml").read_text(encoding="utf-8"))
    notes = yaml.safe_load((folder / "notes.yaml").read_text(encoding="utf-8"))
    dissent = {"groups": ["ps"], "position": "Ryhmä ei yhdy."}
    sentence = "Valmistelussa on kuultu ryhmiä ja viranhaltijoita asian eri vaiheissa. "
    agenda["items"] = [
        {
            "title": f"Asia {n}: palveluverkon kehittäminen alueella {n}",
            **({"presenter": "kaupunginjohtaja Ville Virkamies"} if n % 3 else {}),
            "background": sentence * (1 + n * 7 % 6) + ("\n\n- ensimmäinen\n- toinen" * (n % 2)),
        }
        for n in range(1, items + 1)
    ]
    notes["items"] = {
        n: {
            "discussion": "Keskusteltiin asian taustasta. " * (1 + n * 5 % 7),
            "agreed": [f"Asiaa {n} valmistellaan yhdessä ryhmien kanssa."] * (1 + n % 3),
            **({"dissent": [dissent]} if n % 4 == 0 else {}),
            **(
                {"follow_up": [{"task": f"Selvitys {n}", "owner": "sihteeri"}]}
                if n % 5 == 0
                else {}
            ),
        }
        for n in range(1, items + 1)
    }
    notes["attendance"]["guests"] = []
    notes.pop("follow_up_done", None)
    write(folder / "agenda.yaml", yaml.safe_dump(agenda, allow_unicode=True, sort_keys=False))
    write(folder / "notes.yaml", yaml.safe_dump(notes, allow_unicode=True, sort_keys=False))


@pytest.mark.usefixtures("held")
def test_a_forty_item_meeting_leaves_no_heading_at_a_page_foot(
    project: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the same on a 40-item meeting with long texts, where item and sub-headings
    (Keskustelu, Yhdessä linjatut näkemykset) fall at every height of a page."""
    long_meeting(project)
    result = run("build", MEETING)
    assert result.exit_code == 0, result.output
    assert built_documents_stranded(tmp_path) == []

"""The documents: valid, faithful to every character typed, deterministic, and complete."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from conftest import MEETING, Run, pdf_text, validate_office, write

from pipeline.documents import document_text

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("english")

OUT = Path("outputs") / MEETING
TRICKY = "R&D <b>tag</b> {{ x }} {% if y %} \"lainaus\" 'single' 😀 Åsa Öberg ÄÄNEKOSKI"


def squash(text: str) -> str:
    """PDF text with the layout's line breaks and spacing reduced to single spaces."""
    return " ".join(text.split())


def make_tricky(project: Path) -> None:
    """Put characters that break naive templating into the example's texts."""
    agenda = project / "inputs" / MEETING / "agenda.yaml"
    text = agenda.read_text(encoding="utf-8")
    text = text.replace(
        "  - title: Muut asiat",
        f"  - title: '{TRICKY.replace(chr(39), chr(39) * 2)}'\n"
        f"    background: |\n      Tausta {{{{ y }}}} & <i>ei html</i> 🎉.\n\n"
        f"      - kohta <1> & **lihava** teksti",
    )
    agenda.write_text(text, encoding="utf-8")
    notes = project / "inputs" / MEETING / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    text = text.replace(
        "  8:\n", "  7:\n    agreed:\n      - 'Sovittiin: {{ 1 + 1 }} & <x> ✔'\n  8:\n"
    )
    notes.write_text(text, encoding="utf-8")


def agenda_sentences(project: Path) -> list[str]:
    """Every agenda title and every background paragraph or list item, as typed."""
    from pipeline.loading import load_meeting
    from pipeline.markup import parse_blocks

    meeting = load_meeting(project / "inputs" / MEETING)
    texts = []
    for item in meeting.agenda.items:
        texts.append(item.title)
        texts.extend(block.text for block in parse_blocks(item.background))
        texts.extend(a.title for a in item.attachments)
    return texts


def test_build_writes_valid_invitation_and_draft(project: Path, run: Run) -> None:
    """Verify build writes the invitation and draft minutes in both formats, all schema-valid."""
    make_tricky(project)
    result = run("build", MEETING)
    assert result.exit_code == 0, result.output
    files = sorted(OUT.glob("*.docx")) + sorted(OUT.glob("*.odt"))
    assert {f.name for f in files} == {
        f"kokouskutsu_{MEETING}.docx",
        f"kokouskutsu_{MEETING}.odt",
        f"poytakirja_luonnos_{MEETING}.docx",
        f"poytakirja_luonnos_{MEETING}.odt",
    }
    report = validate_office(*files)
    assert report.count(": valid") == 4, report
    assert not list(OUT.glob(".*.tmp"))


def test_shipped_templates_are_valid() -> None:
    """Verify the default templates themselves pass the schema validator."""
    from conftest import ROOT

    templates = sorted((ROOT / "templates").glob("*.docx")) + sorted(
        (ROOT / "templates").glob("*.odt")
    )
    assert len(templates) == 8
    report = validate_office(*templates)
    assert report.count(": valid") == 8, report


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_invitation_pdf_holds_every_text_as_typed(
    project: Path, run: Run, tmp_path: Path, fmt: str
) -> None:
    """Verify the invitation PDF shows each title and background text exactly as typed."""
    make_tricky(project)
    assert run("build", MEETING, "--format", fmt).exit_code == 0
    text = squash(pdf_text(OUT / f"kokouskutsu_{MEETING}.{fmt}", tmp_path))
    for sentence in agenda_sentences(project):
        assert squash(sentence) in text, sentence
    assert "5/2026" in text and "1 (" in text
    assert "Neuvotteluryhmä ei ole päättävä elin" in text
    assert "{%" not in text.replace(TRICKY, "").replace("{% if y %}", "")
    assert "None" not in text and "False" not in text


def test_minutes_pdf_holds_views_dissents_followups_and_disclaimer(
    project: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the draft minutes show each agreed view, dissent with its groups' full names, each
    follow-up id, the disclaimer and LUONNOS; and DOCX and ODT show the same text."""
    make_tricky(project)
    assert run("build", MEETING).exit_code == 0
    docx = squash(pdf_text(OUT / f"poytakirja_luonnos_{MEETING}.docx", tmp_path / "d"))
    odt = squash(pdf_text(OUT / f"poytakirja_luonnos_{MEETING}.odt", tmp_path / "o"))
    expected = [
        "Investointitaso pidetään ohjelmakauden raameissa.",
        "Sovittiin: {{ 1 + 1 }} & <x> ✔",
        "Perussuomalaisten valtuustoryhmä",
        "Ryhmä ei yhdy veroprosentin korotukseen.",
        "Vasemmistoliiton valtuustoryhmä ja Vihreä valtuustoryhmä",
        "Ryhmät katsovat, että sopeutus ei saa kohdistua varhaiskasvatukseen.",
        "5/2026-3.1",
        "5/2026-3.2",
        "5/2026-4.1",
        "5/2026-5.1",
        "5/2026-6.1",
        "Tämä pöytäkirja ei ole virallinen pöytäkirja eikä sisällä päätöksiä",
        "LUONNOS",
        "Luottamuksellinen",
        "Kristillisdemokraattinen valtuustoryhmä",
        "Kalle Korvaava",
        "Ville Virkamies",
        "Valtuustoryhmät pitävät tärkeänä",
    ]
    for text in (docx, odt):
        for phrase in expected:
            assert phrase in text, phrase
    # The same words in both formats, whatever the line breaks.
    assert sorted(docx.split()) == sorted(odt.split())


def test_item_without_notes_is_shown_as_handled(project: Path, run: Run) -> None:
    """Verify an agenda item the notes do not mention is kept, marked as nothing recorded."""
    assert run("build", MEETING, "--format", "docx").exit_code == 0
    text = document_text((OUT / f"poytakirja_luonnos_{MEETING}.docx").read_bytes(), "docx")
    assert "Kokouksen avaus" in text and "Ei kirjattavaa." in text


def test_two_builds_are_byte_identical(project: Path, run: Run) -> None:
    """Verify the same inputs and templates give byte-identical DOCX and ODT files."""
    assert run("build", MEETING).exit_code == 0
    first = {p.name: p.read_bytes() for p in OUT.iterdir() if p.suffix in (".docx", ".odt")}
    shutil.rmtree(OUT)
    assert run("build", MEETING).exit_code == 0
    second = {p.name: p.read_bytes() for p in OUT.iterdir() if p.suffix in (".docx", ".odt")}
    assert first == second and len(first) == 4
    with zipfile.ZipFile(io.BytesIO(first[f"kokouskutsu_{MEETING}.odt"])) as archive:
        assert archive.infolist()[0].filename == "mimetype"
        assert archive.infolist()[0].compress_type == zipfile.ZIP_STORED
        assert b"2026-11-30T12:00:00" in archive.read("meta.xml")


def test_pdf_format_is_converted(project: Path, run: Run) -> None:
    """Verify --format pdf gives PDFs (through LibreOffice) and leaves out DOCX when not asked."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice is not installed")
    result = run("build", MEETING, "--format", "odt,pdf")
    assert result.exit_code == 0, result.output
    names = {p.name for p in OUT.iterdir()}
    assert f"kokouskutsu_{MEETING}.pdf" in names and f"kokouskutsu_{MEETING}.odt" in names
    assert not any(n.endswith(".docx") for n in names)


def test_unknown_format_is_a_clear_error(project: Path, run: Run) -> None:
    """Verify a misspelt --format is a usage error (exit 2) naming the choices, written before
    anything is rendered."""
    result = run("build", MEETING, "--format", "docx,rtf")
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.output
    assert "unknown format rtf; choose from docx, odt, pdf" in result.output
    assert not (project / "outputs").exists()


def custom_templates(project: Path) -> Path:
    from conftest import ROOT

    folder = project / "mytemplates"
    shutil.copytree(ROOT / "templates", folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return folder


def replace_in_docx(path: Path, old: str, new: str) -> None:
    with zipfile.ZipFile(path) as archive:
        entries = [(i.filename, archive.read(i)) for i in archive.infolist()]
    count = 0
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            if name.startswith("word/") and name.endswith(".xml"):
                count += data.count(old.encode())
                data = data.replace(old.encode(), new.encode())
            archive.writestr(name, data)
    assert count, f"{old!r} not in the template"


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        ("notzip", "not a readable DOCX/ODT file"),
        ("truncated", "not a readable DOCX/ODT file"),
        ("no_disclaimer", "does not show {{ texts.disclaimer }}"),
        ("sandbox", "cannot be filled"),
        ("undefined", "cannot be filled"),
    ],
)
def test_bad_templates_are_refused(project: Path, run: Run, damage: str, message: str) -> None:
    """Verify broken, truncated, incomplete and malicious templates get a clear error, exit 1,
    and leave no minutes file behind."""
    folder = custom_templates(project)
    minutes = folder / "minutes.docx"
    if damage == "notzip":
        minutes.write_text("this is not a zip", encoding="utf-8")
    elif damage == "truncated":
        minutes.write_bytes(minutes.read_bytes()[:2000])
    elif damage == "no_disclaimer":
        replace_in_docx(minutes, "{{ texts.disclaimer }}", "")
    elif damage == "sandbox":
        replace_in_docx(
            minutes, "{{ texts.disclaimer }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        )
    else:
        replace_in_docx(minutes, "{{ texts.disclaimer }}", "{{ texts.disclamer }}")
    result = run("build", MEETING, "--format", "docx", "--templates", str(folder))
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not list(OUT.glob("poytakirja*"))


def test_zip_bomb_template_is_refused(project: Path, run: Run) -> None:
    """Verify a template that unpacks to an enormous size is refused before it is unpacked."""
    folder = custom_templates(project)
    bomb = folder / "invitation.docx"
    with zipfile.ZipFile(bomb, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/huge.bin", b"\0" * (80 * 1024 * 1024))
    result = run("build", MEETING, "--format", "docx", "--templates", str(folder))
    assert result.exit_code == 1
    assert "unpacks to" in result.output


def test_output_symlink_is_refused(project: Path, run: Run, tmp_path: Path) -> None:
    """Verify an output path that is a symbolic link is refused and its target untouched."""
    target = tmp_path / "elsewhere.docx"
    target.write_bytes(b"keep me")
    OUT.mkdir(parents=True)
    (OUT / f"kokouskutsu_{MEETING}.docx").symlink_to(target)
    result = run("build", MEETING, "--format", "docx")
    assert result.exit_code == 1
    assert "symbolic link" in result.output
    assert target.read_bytes() == b"keep me"


def test_custom_disclaimer_wording_is_used(project: Path, run: Run) -> None:
    """Verify wording.disclaimer in the roster replaces the default text in the minutes."""
    write(project / "inputs" / "extra.yaml", "")
    roster = project / "inputs" / "organisation.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8") + "wording:\n  disclaimer: Oma & <vastuuvapaus>.\n",
        encoding="utf-8",
    )
    assert run("build", MEETING, "--format", "docx").exit_code == 0
    text = document_text((OUT / f"poytakirja_luonnos_{MEETING}.docx").read_bytes(), "docx")
    assert "Oma & <vastuuvapaus>." in text
    assert re.search("virallinen pöytäkirja", text) is None

"""`minutes templates check DIR`: a municipality's templates rendered against a meeting, every
unknown placeholder and every left-out required value listed, nothing written."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

from conftest import MEETING, ROOT, Run

from pipeline.i18n import _


def edited(source: Path, target: Path, *changes: tuple[bytes, bytes]) -> None:
    """A copy of an office template with its XML text changed, as an editor would."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename.endswith(".xml"):
                for before, after in changes:
                    data = data.replace(before, after)
            new.writestr(info, data)
    target.write_bytes(buffer.getvalue())


def own_templates(project: Path) -> Path:
    folder = project / "kunnan_pohjat"
    shutil.copytree(ROOT / "templates", folder, ignore=shutil.ignore_patterns("*.md", "mail"))
    return folder


def test_shipped_templates_pass(project: Path, run: Run) -> None:
    """Verify the default templates are all reported ok, exit 0, and nothing is written."""
    result = run("templates", "check", str(own_templates(project)), MEETING)
    assert result.exit_code == 0, result.output
    for name in ("invitation", "minutes", "cover_letter"):
        for fmt in ("docx", "odt"):
            assert _("{name}: ok").format(name=f"{name}.{fmt}") in result.output
    assert not (project / "outputs").exists()


def test_unknown_and_missing_placeholders_are_all_listed(project: Path, run: Run) -> None:
    """Verify two misspelt placeholders in one template are both listed (not only the first a
    render stops at), that a left-out disclaimer is named, and that the other templates are ok;
    then that a real build with the same folder still refuses the template (the check's
    lenient rendering does not leak into it)."""
    folder = own_templates(project)
    for fmt in ("odt", "docx"):
        edited(
            ROOT / "templates" / f"minutes.{fmt}",
            folder / f"minutes.{fmt}",
            (b"{{ meeting.place }}", b"{{ meeting.paikka }}"),
            (b"{{ doc.title }}", b"{{ doc.otsikko }}"),
            (b"{{ texts.disclaimer }}", b""),
        )
    result = run("templates", "check", str(folder), MEETING)
    assert result.exit_code == 1
    for fmt in ("odt", "docx"):
        lines = [line for line in result.output.splitlines() if line.startswith(f"minutes.{fmt}:")]
        assert any("`meeting.paikka`" in line for line in lines), result.output
        assert any("`doc.otsikko`" in line for line in lines), result.output
        assert any("texts.disclaimer" in line for line in lines), result.output
    for name in ("invitation.odt", "cover_letter.docx"):
        assert _("{name}: ok").format(name=name) in result.output

    built = run("build", MEETING, "--templates", str(folder))
    assert built.exit_code == 1
    assert not (project / "outputs" / MEETING / f"poytakirja_luonnos_{MEETING}.odt").exists()


def test_a_misspelt_nested_placeholder_is_named_by_its_whole_path(project: Path, run: Run) -> None:
    """Verify a misspelt field of a loop's item and of the meeting, in the body and in the page
    header, are each named by the dotted path the template writes (`item.titel`, not `titel`),
    on the line of the template file that holds them; the correct paths are not listed."""
    folder = own_templates(project)
    for fmt in ("odt", "docx"):
        edited(
            ROOT / "templates" / f"minutes.{fmt}",
            folder / f"minutes.{fmt}",
            (b"{{ item.title }}", b"{{ item.titel }}"),
            (b"{{ meeting.number }}", b"{{ meeting.nmber }}"),
        )
    result = run("templates", "check", str(folder), MEETING)
    assert result.exit_code == 1
    for fmt in ("odt", "docx"):
        lines = [line for line in result.output.splitlines() if line.startswith(f"minutes.{fmt}:")]
        assert [line for line in lines if "`item.titel`" in line], result.output
        assert [line for line in lines if "`meeting.nmber`" in line], result.output
        assert not [line for line in lines if "`titel`" in line or "`nmber`" in line]
        assert not [line for line in lines if "item.title`" in line or "meeting.number`" in line]


def test_a_folder_without_templates_is_a_usage_error(project: Path, run: Run) -> None:
    """Verify a folder holding none of the templates exits 2, naming it."""
    (project / "empty").mkdir()
    result = run("templates", "check", str(project / "empty"))
    assert result.exit_code == 2
    assert "empty" in result.output

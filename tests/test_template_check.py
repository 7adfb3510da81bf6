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


def misspelt(
    project: Path, run: Run, template: str, *changes: tuple[bytes, bytes]
) -> dict[str, str]:
    """Check a copy of the templates with the changes in one template (both formats): the
    check's lines about each format's file, the check's whole output under "all"."""
    folder = own_templates(project)
    for fmt in ("odt", "docx"):
        edited(ROOT / "templates" / f"{template}.{fmt}", folder / f"{template}.{fmt}", *changes)
    result = run("templates", "check", str(folder), MEETING)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    found = {
        fmt: "\n".join(ln for ln in lines if ln.startswith(f"{template}.{fmt}:"))
        for fmt in ("odt", "docx")
    }
    return found | {"all": result.output}


def test_shipped_templates_pass(project: Path, run: Run) -> None:
    """Verify the default templates are all reported ok, exit 0, and nothing is written."""
    result = run("templates", "check", str(own_templates(project)), MEETING)
    assert result.exit_code == 0, result.output
    for name in ("invitation", "minutes", "cover_letter", "report"):
        for fmt in ("docx", "odt"):
            assert _("{name}: ok").format(name=f"{name}.{fmt}") in result.output
    assert not (project / "outputs").exists()


def test_unknown_and_missing_placeholders_are_all_listed(project: Path, run: Run) -> None:
    """Verify two misspelt placeholders in one template are both listed (not only the first a
    render stops at), that a left-out disclaimer is named, and that the other templates are ok;
    then that a real build with the same folder still refuses the template (the check's
    lenient rendering does not leak into it)."""
    found = misspelt(
        project,
        run,
        "minutes",
        (b"{{ meeting.place }}", b"{{ meeting.paikka }}"),
        (b"{{ doc.title }}", b"{{ doc.otsikko }}"),
        (b"{{ texts.disclaimer }}", b""),
    )
    for fmt in ("odt", "docx"):
        assert "`meeting.paikka`" in found[fmt], found["all"]
        assert "`doc.otsikko`" in found[fmt], found["all"]
        assert "texts.disclaimer" in found[fmt], found["all"]
    for name in ("invitation.odt", "cover_letter.docx"):
        assert _("{name}: ok").format(name=name) in found["all"]

    built = run("build", MEETING, "--templates", str(project / "kunnan_pohjat"))
    assert built.exit_code == 1
    assert not (project / "outputs" / MEETING / f"poytakirja_luonnos_{MEETING}.odt").exists()


def test_a_misspelt_nested_placeholder_is_named_by_its_whole_path(project: Path, run: Run) -> None:
    """Verify a misspelt field of a loop's item and of the meeting, in the body and in the page
    header, are each named by the dotted path the template writes (`item.titel`, not `titel`),
    in the lines of the template file that holds them; the correct paths are not listed."""
    found = misspelt(
        project,
        run,
        "minutes",
        (b"{{ item.title }}", b"{{ item.titel }}"),
        (b"{{ meeting.number }}", b"{{ meeting.nmber }}"),
    )
    for fmt in ("odt", "docx"):
        assert "`item.titel`" in found[fmt] and "`meeting.nmber`" in found[fmt], found["all"]
        assert "`titel`" not in found[fmt] and "`nmber`" not in found[fmt]
        assert "item.title`" not in found[fmt] and "meeting.number`" not in found[fmt]


def test_the_evaluations_template_is_checked_too(project: Path, run: Run) -> None:
    """Verify the annual evaluation's template is rendered against the meeting's year: a
    misspelt count and a misspelt field of a group's row are named by their paths, and the
    other templates stay ok."""
    found = misspelt(
        project,
        run,
        "report",
        (b"{{ followup_counts.opened }}", b"{{ followup_counts.opend }}"),
        (b"{{ g.meetings }}", b"{{ g.meetigs }}"),
    )
    for fmt in ("odt", "docx"):
        assert "`followup_counts.opend`" in found[fmt], found["all"]
        assert "`g.meetigs`" in found[fmt], found["all"]
    assert _("{name}: ok").format(name="minutes.odt") in found["all"]


def test_a_folder_without_templates_is_a_usage_error(project: Path, run: Run) -> None:
    """Verify a folder holding none of the templates exits 2, naming it."""
    (project / "empty").mkdir()
    result = run("templates", "check", str(project / "empty"))
    assert result.exit_code == 2
    assert "empty" in result.output

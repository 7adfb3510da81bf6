"""`minutes templates check DIR`: a municipality's templates rendered against a meeting, every
unknown placeholder and every left-out required value listed, nothing written."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest
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
    shutil.copytree(ROOT / "templates", folder, ignore=shutil.ignore_patterns("*.md"))
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
    for name in ("invitation", "review", "minutes", "allekirjoitus"):
        assert _("{name}: ok").format(name=f"mail/{name}.txt") in result.output
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


@pytest.mark.parametrize(
    ("template", "changes"),
    [
        # a loop's item in the body, and the meeting in the page header
        ("minutes", [("item.title", "item.titel"), ("meeting.number", "meeting.nmber")]),
        # the annual evaluation: a count, and a field of a group's row
        (
            "report",
            [("followup_counts.opened", "followup_counts.opend"), ("g.meetings", "g.meetigs")],
        ),
    ],
)
def test_a_misspelt_nested_placeholder_is_named_by_its_whole_path(
    project: Path, run: Run, template: str, changes: list[tuple[str, str]]
) -> None:
    """Verify each misspelt placeholder is named by the dotted path the template writes
    (`item.titel`, not `titel`), in the lines of the template file that holds it, in both
    formats; the correct paths are not listed; the evaluation's template is checked too,
    against the meeting's year, and the other templates stay ok."""
    found = misspelt(
        project,
        run,
        template,
        *((f"{{{{ {a} }}}}".encode(), f"{{{{ {b} }}}}".encode()) for a, b in changes),
    )
    for fmt in ("odt", "docx"):
        for right, wrong in changes:
            assert f"`{wrong}`" in found[fmt], found["all"]
            assert f"`{wrong.rsplit('.', 1)[1]}`" not in found[fmt]
            assert f"{right}`" not in found[fmt]
    other = "report" if template == "minutes" else "minutes"
    assert _("{name}: ok").format(name=f"{other}.odt") in found["all"]


def test_the_emails_templates_are_checked_at_their_lines(project: Path, run: Run) -> None:
    """Verify a misspelt placeholder in an email's template, and one in the signature it
    includes, are each named by their path at the line of the file that writes them (the
    signature's once, though three emails include it), and a correct email stays ok."""
    folder = own_templates(project)
    mail = folder / "mail"
    invitation = (mail / "invitation.txt").read_text(encoding="utf-8")
    assert "{{ meeting.place }}" in invitation
    (mail / "invitation.txt").write_text(
        invitation.replace("{{ meeting.place }}", "{{ meeting.paikka }}"), encoding="utf-8"
    )
    line = next(n for n, ln in enumerate(invitation.splitlines(), 1) if "{{ meeting.place }}" in ln)
    signature = (mail / "allekirjoitus.txt").read_text(encoding="utf-8")
    (mail / "allekirjoitus.txt").write_text(
        signature.replace("{{ signature.name }}", "{{ signature.nmae }}"), encoding="utf-8"
    )
    result = run("templates", "check", str(folder), MEETING)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert [ln for ln in lines if ln.startswith(f"mail/invitation.txt:{line}: `meeting.paikka`")]
    named = [ln for ln in lines if "`signature.nmae`" in ln]
    assert len(named) == 1 and named[0].startswith("mail/allekirjoitus.txt:1: "), result.output
    assert _("{name}: ok").format(name="mail/minutes.txt") in result.output


def test_a_folder_without_templates_is_a_usage_error(project: Path, run: Run) -> None:
    """Verify a folder holding none of the templates exits 2, naming it."""
    (project / "empty").mkdir()
    result = run("templates", "check", str(project / "empty"))
    assert result.exit_code == 2
    assert "empty" in result.output


def test_build_names_a_misspelt_placeholder_in_the_users_language(project: Path, run: Run) -> None:
    """Verify `build` with a template whose placeholder names nothing says so in Finnish, in
    both formats, instead of the template engine's English ('dict object' has no attribute)."""
    folder = own_templates(project)
    for fmt in ("odt", "docx"):
        source = ROOT / "templates" / f"invitation.{fmt}"
        edited(source, folder / f"invitation.{fmt}", (b"meeting.number", b"meeting.nmber"))
        result = run("build", MEETING, "--templates", str(folder), "--format", fmt)
        assert result.exit_code == 1, result.output
        assert "kenttää `nmber` ei ole" in result.output, result.output
        assert "has no attribute" not in result.output and "dict object" not in result.output

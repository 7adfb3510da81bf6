"""The chair's approval end to end: review code, final minutes, stale approval, tampering."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from pathlib import Path

import pytest
import time_machine
from conftest import (
    CHAIR,
    HELSINKI,
    MEETING,
    Run,
    approve,
    edit,
    review_code,
    send_review,
    use_muistio,
    without_pdf,
)

OUT = Path("outputs") / MEETING
FINAL = OUT / f"poytakirja_{MEETING}.docx"
DRAFT = OUT / f"poytakirja_luonnos_{MEETING}.docx"


pytestmark = pytest.mark.usefixtures("held")


@pytest.fixture(autouse=True)
def _no_pdf(project: Path) -> None:
    without_pdf(project)


def edit_notes(project: Path, old: str, new: str) -> None:
    edit(project / "inputs" / MEETING / "notes.yaml", old, new)


@pytest.fixture
def approved(project: Path, run: Run) -> str:
    """The example meeting built and approved by the chair; returns the review code."""
    return approve(run)


def test_draft_then_approval_renders_final_minutes(project: Path, run: Run) -> None:
    """Verify build makes a draft with a review code, and approving with it makes the finals."""
    from pipeline.documents import document_text

    code = send_review(run)
    assert DRAFT.exists() and not FINAL.exists()
    assert "LUONNOS" in document_text(DRAFT.read_bytes(), "docx")
    result = run("approve", MEETING, "--by", CHAIR, "--code", code.lower().replace("-", ""))
    assert result.exit_code == 0, result.output
    text = document_text(FINAL.read_bytes(), "docx")
    assert "LUONNOS" not in text
    assert CHAIR in text
    record = json.loads((OUT / "approval.json").read_text(encoding="utf-8"))
    assert record["code"] == code and record["approved_by"] == CHAIR
    assert FINAL.stat().st_mode & 0o777 == 0o600
    assert (OUT / "approval.json").stat().st_mode & 0o777 == 0o600
    status = run("status", MEETING).output
    assert "Tila: hyväksytty" in status and "muuttumaton" in status


def test_the_approval_is_dated_by_the_finnish_day(project: Path, run: Run) -> None:
    """Verify an approval recorded at 0.30 on 8 December in Finland is dated 8.12.2026 on a
    machine that keeps UTC, where it is still 7 December, in the record and the final minutes."""
    from pipeline.documents import document_text

    code = send_review(run)
    zone = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        moment = dt.datetime(2026, 12, 8, 0, 30, tzinfo=HELSINKI).astimezone(dt.UTC)
        with time_machine.travel(moment, tick=False):  # a UTC moment: the machine's zone stays
            assert dt.date.today() == dt.date(2026, 12, 7)  # the machine's own day
            result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    finally:
        if zone is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = zone
        time.tzset()
    assert result.exit_code == 0, result.output
    record = json.loads((OUT / "approval.json").read_text(encoding="utf-8"))
    assert record["approved_on"] == "2026-12-08"
    text = " ".join(document_text(FINAL.read_bytes(), "docx").split())
    assert f"{CHAIR} 8.12.2026" in text and "7.12.2026." not in text


def test_approving_the_same_content_twice_says_so(project: Path, run: Run, approved: str) -> None:
    """Verify a second approval of the same content changes nothing and exits 0."""
    before = FINAL.read_bytes()
    result = run("approve", MEETING, "--by", CHAIR, "--code", approved)
    assert result.exit_code == 0
    assert "on jo hyväksynyt" in result.output
    assert FINAL.read_bytes() == before


@pytest.mark.usefixtures("english")  # tells the refusals apart by their msgids
@pytest.mark.parametrize(
    ("by", "code", "message"),
    [
        (CHAIR, "AAAA-AAAA", "does not match the minutes as they are now"),
        ("Jussi Järvinen", None, "is not the chair"),
        ("Pekka Perälä", None, "the vice-chair approves only when"),
    ],
)
def test_approval_refusals(
    project: Path, run: Run, by: str, code: str | None, message: str
) -> None:
    """Verify a wrong code, a non-chair and a vice-chair while the chair attended are refused."""
    real = send_review(run)
    result = run("approve", MEETING, "--by", by, "--code", code or real)
    assert result.exit_code == 3
    assert message in result.output
    assert not FINAL.exists()


def test_vice_chair_approves_when_chair_was_absent(project: Path, run: Run) -> None:
    """Verify the vice-chair may approve when the notes record the chair as absent."""
    edit_notes(project, "    - Maija Meikäläinen\n", "")
    edit_notes(project, "absent: [Sanna Sijainen,", "absent: [Maija Meikäläinen, Sanna Sijainen,")
    code = send_review(run)
    result = run("approve", MEETING, "--by", "Pekka Perälä", "--code", code)
    assert result.exit_code == 0, result.output


@pytest.mark.usefixtures("english")  # tells the refusals apart by their msgids
def test_no_notes_means_nothing_to_approve(project: Path, run: Run) -> None:
    """Verify approval without notes is refused with exit 3."""
    (project / "inputs" / MEETING / "notes.yaml").unlink()
    result = run("approve", MEETING, "--by", CHAIR, "--code", "AAAA-AAAA")
    assert result.exit_code == 3
    assert "no notes yet" in result.output


def test_decision_language_blocks_approval(project: Path, run: Run) -> None:
    """Verify approval is refused while the wording check has findings, and check fails."""
    edit_notes(
        project, "Investointitaso pidetään", "Neuvotteluryhmä päätti, että investointitaso pidetään"
    )
    built = run("build", MEETING)
    code = review_code(built.output)
    check = run("check", MEETING)
    assert check.exit_code == 1
    assert "notes.yaml:" in check.output and "päätti" in check.output
    review = run("send", MEETING, "review")
    assert review.exit_code == 3 and "antaa kuvan ryhmän päätöksestä" in review.output
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3
    assert "antaa kuvan ryhmän päätöksestä" in result.output


def test_intended_wording_is_accepted(project: Path, run: Run) -> None:
    """Verify the secretary can mark one occurrence as intended, and only that one."""
    edit_notes(
        project,
        "Investointitaso pidetään",
        "Valtuutettu X päätti kertoa, että investointitaso pidetään",
    )
    assert run("check", MEETING).exit_code == 1
    edit_notes(
        project,
        "    agreed:\n      - Valtuutettu",
        "    intended_wording: [X päätti kertoa]\n    agreed:\n      - Valtuutettu",
    )
    assert run("check", MEETING).exit_code == 0
    edit_notes(project, "Ryhmät saavat", "Ryhmät päättivät, että ryhmät saavat")
    assert run("check", MEETING).exit_code == 1


@pytest.mark.usefixtures("english")  # tells the refusals apart by their msgids
def test_content_change_makes_approval_stale(project: Path, run: Run, approved: str) -> None:
    """Verify one changed character in the notes makes the approval stale: status says so,
    build renders a new draft beside the untouched final, and sending the minutes is refused."""
    final = FINAL.read_bytes()
    edit_notes(project, "Investointitaso pidetään", "Investointitaso pidetaan")
    status = run("status", MEETING)
    assert "STALE" in status.output
    built = run("build", MEETING)
    assert built.exit_code == 0
    assert "no longer holds" in built.output
    assert FINAL.read_bytes() == final
    assert DRAFT.exists()
    sent = run("send", MEETING, "minutes")
    assert sent.exit_code == 3
    assert "no longer holds" in sent.output
    assert "approval went stale" in (OUT / "audit.jsonl").read_text(encoding="utf-8")


def test_reapproval_keeps_the_old_final(project: Path, run: Run, approved: str) -> None:
    """Verify approving changed content moves the old final aside instead of overwriting it."""
    old = FINAL.read_bytes()
    edit_notes(project, "Investointitaso pidetään", "Investointitaso pidetään yhä")
    code = send_review(run)
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 0, result.output
    kept = list((OUT / "superseded").glob(f"*/{FINAL.name}"))
    assert len(kept) == 1 and kept[0].read_bytes() == old
    assert FINAL.read_bytes() != old
    events = [json.loads(x)["event"] for x in (OUT / "audit.jsonl").read_text().splitlines()]
    assert events.count("approved") == 1 and events.count("re-approved") == 1


@pytest.mark.usefixtures("english")  # tells the refusals apart by their msgids
def test_tampered_final_is_refused(project: Path, run: Run, approved: str) -> None:
    """Verify a byte flipped in the final DOCX is reported by status and refused by send."""
    data = bytearray(FINAL.read_bytes())
    data[len(data) // 2] ^= 0xFF
    FINAL.write_bytes(bytes(data))
    status = run("status", MEETING).output
    assert "Approval: TAMPERED" in status and FINAL.name in status
    result = run("send", MEETING, "minutes")
    assert result.exit_code == 3
    assert "differ from what the chair approved" in result.output


def test_final_is_byte_identical_to_a_fresh_render(project: Path, run: Run, approved: str) -> None:
    """Verify the final files equal a new render of the same content and approval."""
    from pipeline import approval as ap
    from pipeline import documents
    from pipeline import meeting as meetings

    record = ap.read_approval(OUT)
    assert record is not None
    loaded = meetings.load(meetings.Paths.of(MEETING))
    fresh = documents.render_minutes(
        loaded, ["docx", "odt"], documents.Templates(), ap.printed(record)
    )
    for fmt, data in fresh.items():
        assert (OUT / f"poytakirja_{MEETING}.{fmt}").read_bytes() == data


@pytest.mark.usefixtures("english")  # tells the refusals apart by their msgids
def test_signed_approval_verifies(project: Path, run: Run) -> None:
    """Verify keygen, approve --key and verify, and that a changed record fails verification."""
    result = run("keygen", "chair.key")
    assert result.exit_code == 0
    public = re.search(r"public_key: (\S+)", result.output)
    assert public
    roster = project / "inputs" / "organisation.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8").replace(
            "  group: kesk\n", f"  group: kesk\n  public_key: {public.group(1)}\n", 1
        ),
        encoding="utf-8",
    )
    code = send_review(run)
    assert (
        run("approve", MEETING, "--by", CHAIR, "--code", code, "--key", "chair.key").exit_code == 0
    )
    ok = run("verify", MEETING)
    assert ok.exit_code == 0 and "signed with the chair's key" in ok.output
    record = OUT / "approval.json"
    record.write_text(
        record.read_text(encoding="utf-8").replace(CHAIR, "Joku Muu"), encoding="utf-8"
    )
    bad = run("verify", MEETING)
    assert bad.exit_code == 3 and "edited or replaced by hand" in bad.output


def test_diff_shows_the_chairs_changes(project: Path, run: Run, tmp_path: Path) -> None:
    """Verify diff lists the paragraph the chair edited in a returned draft."""
    import docx

    send_review(run)
    document = docx.Document(str(DRAFT))
    for paragraph in document.paragraphs:
        if "Investointitaso pidetään" in paragraph.text:
            for r in paragraph.runs[1:]:
                r.text = ""
            paragraph.runs[0].text = "Investointitaso pidetään maltillisena."
    returned = tmp_path / "returned.docx"
    document.save(str(returned))
    result = run("diff", MEETING, str(returned))
    assert result.exit_code == 0
    assert "+Investointitaso pidetään maltillisena." in result.output
    assert "-Investointitaso pidetään ohjelmakauden raameissa." in result.output


def test_diff_reads_the_roster_given_as_the_other_commands_do(project: Path, run: Run) -> None:
    """Verify diff takes --organisation as build does: with the roster elsewhere, calling the
    record a muistio, it finds the muistio draft it was built as."""
    roster = project / "kunta" / "organisation.yaml"
    roster.parent.mkdir()
    use_muistio(project)
    (project / "inputs" / "organisation.yaml").rename(roster)
    built = run("build", MEETING, "--organisation", str(roster))
    assert built.exit_code == 0, built.output
    draft = OUT / f"muistio_luonnos_{MEETING}.docx"
    result = run("diff", MEETING, str(draft), "--organisation", str(roster))
    assert result.exit_code == 0, result.output
    assert "Palautetussa luonnoksessa ei ole muutoksia." in result.output


def test_build_after_approval_adds_pdf_and_keeps_finals(
    project: Path, run: Run, approved: str
) -> None:
    """Verify approval writes each group's cover letter, and a build after it adds PDFs of the
    approved DOCX files and leaves the approved files byte for byte as they were."""
    approved_files = {p.name: p.read_bytes() for p in OUT.glob(f"*_{MEETING}.*")}
    assert f"saate_kd_{MEETING}.odt" in approved_files
    assert f"saate_kd_{MEETING}.docx" in approved_files
    result = run("build", MEETING, "--format", "odt,pdf")
    assert result.exit_code == 0, result.output
    assert (OUT / f"poytakirja_{MEETING}.pdf").read_bytes().startswith(b"%PDF")
    assert (OUT / f"saate_kd_{MEETING}.pdf").read_bytes().startswith(b"%PDF")
    for name, data in approved_files.items():
        if not name.startswith("kokouskutsu"):
            assert (OUT / name).read_bytes() == data, name


def test_missing_final_is_restored_identically(project: Path, run: Run, approved: str) -> None:
    """Verify a deleted final file is rendered again only as the byte-identical approved file."""
    original = FINAL.read_bytes()
    FINAL.unlink()
    assert run("build", MEETING, "--format", "docx").exit_code == 0
    assert FINAL.read_bytes() == original
    assert "muuttumaton" in run("status", MEETING).output

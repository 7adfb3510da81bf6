"""A hostile insider against the chair's approval: the final minutes are what she read.

Each test makes one attack through the `minutes` command, as someone editing the secretary's
files between the review and the approval (or after it) would, and checks it is refused.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CHAIR, MEETING, Run, send_review, without_pdf
from test_logo import SVG, use_logo

from pipeline.documents import document_text

OUT = Path("outputs") / MEETING
FINAL = OUT / f"poytakirja_{MEETING}.docx"

# The problems are told apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("held", "english")


def test_earlier_meetings_followup_edited_after_review_is_refused(project: Path, run: Run) -> None:
    """Verify that a follow-up of an earlier meeting, whose task the minutes show as done,
    edited after the draft went to the chair, stops the approval: the review code still
    matches (the fingerprint covers this meeting's files), but the final would show a task
    text the chair never read."""
    without_pdf(project)
    code = send_review(run)
    earlier = project / "inputs" / "2026-11-09" / "notes.yaml"
    text = earlier.read_text(encoding="utf-8")
    assert "Kyläkoulujen oppilasennusteet ryhmien käyttöön" in text
    earlier.write_text(
        text.replace(
            "Kyläkoulujen oppilasennusteet ryhmien käyttöön", "Kaikki kyläkoulut lakkautetaan"
        ),
        encoding="utf-8",
    )
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3, result.output
    assert "differently from the draft the chair was sent" in result.output
    assert not FINAL.exists()
    # Sent for review again, the chair reads the new text, and her approval of it holds.
    code = send_review(run)
    assert "lakkautetaan" in document_text(
        (OUT / f"poytakirja_luonnos_{MEETING}.docx").read_bytes(), "docx"
    )
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 0, result.output
    assert "lakkautetaan" in document_text(FINAL.read_bytes(), "docx")


def test_logo_swapped_after_review_is_refused(project: Path, run: Run) -> None:
    """Verify that the logo file replaced by another picture after the draft went to the
    chair stops the approval (the roster names the same file, so the code still matches)."""
    without_pdf(project)
    logo = project / "inputs" / "vaakuna.svg"
    logo.write_text(SVG, encoding="utf-8")
    use_logo(project, "vaakuna.svg")
    code = send_review(run)
    logo.write_text(SVG.replace("#1f4e79", "#ff0000"), encoding="utf-8")
    result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3, result.output
    assert "differently from the draft the chair was sent" in result.output
    assert not FINAL.exists()


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "{a}\u2013{b}",  # an en dash, as a mail program corrects a hyphen
        "{a}\u00a0{b}",  # a no-break space
        "{a}\u200b-{b}",  # an invisible zero-width space
        "{wide}",  # full-width letters and digits
    ],
)
def test_review_code_as_an_email_program_changed_it_is_accepted(
    project: Path, run: Run, typed: str
) -> None:
    """Verify the code copied from the chair's reply, its dash or space changed by a mail
    program or its letters full-width, is the code."""
    without_pdf(project)
    code = send_review(run)
    a, b = code.split("-")
    wide = "".join(chr(ord(c) + 0xFEE0) for c in code)  # Ａ..Ｚ, ０..９, －
    given = typed.format(code=code, a=a, b=b, wide=wide)
    result = run("approve", MEETING, "--by", CHAIR, "--code", given)
    assert result.exit_code == 0, result.output
    assert FINAL.exists()


def test_review_code_with_a_lookalike_letter_is_refused_and_named(project: Path, run: Run) -> None:
    """Verify a code whose letter is a lookalike from another script (Cyrillic Е for E, Р for
    P) does not pass for the code, and the refusal names the character, since the code and
    the one expected look the same on screen."""
    without_pdf(project)
    code = send_review(run)
    lookalikes = str.maketrans("EPCAKMHTBX", "ЕРСАКМНТВХ")
    forged = code.translate(lookalikes)
    assert forged != code, code
    result = run("approve", MEETING, "--by", CHAIR, "--code", forged)
    assert result.exit_code == 3
    assert "only looks like a letter or digit" in result.output
    assert not FINAL.exists()


def test_a_second_approval_while_one_runs_is_refused(project: Path, run: Run) -> None:
    """Verify an approval started while another of the same meeting is under way (two
    processes, or a double click in the workbench) is refused at once, instead of both
    logging an approval and writing their records crosswise."""
    from filelock import FileLock

    without_pdf(project)
    code = send_review(run)
    with FileLock(str(OUT / ".approval.json.lock")):  # what the running approval holds
        result = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert result.exit_code == 3, result.output
    assert "another approval is running" in result.output
    assert not FINAL.exists()
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0


def test_an_email_text_changed_after_approval_to_read_as_a_decision_is_not_sent(
    project: Path, run: Run
) -> None:
    """Verify the minutes are not sent with an email whose template was changed after the
    approval to say the group decided something: send runs the email texts' wording check,
    as `check` does, and writes nothing to the outbox."""
    import shutil

    from conftest import ROOT

    without_pdf(project)
    code = send_review(run)
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0
    own = project / "omat_pohjat"
    shutil.copytree(ROOT / "templates", own, ignore=shutil.ignore_patterns("*.py"))
    email = own / "mail" / "minutes.txt"
    text = email.read_text(encoding="utf-8")
    email.write_text(
        text.replace("Hyvät valtuustoryhmän jäsenet,", "Neuvotteluryhmä päätti lakkauttaa koulut."),
        encoding="utf-8",
    )
    result = run("send", MEETING, "minutes", "--templates", str(own))
    assert result.exit_code == 1, result.output
    assert f"{email}:3:" in result.output and "päätti" in result.output
    assert not (OUT / "outbox" / "minutes").exists()


def test_pdf_asked_for_after_approval_is_approved_again_not_a_dead_end(
    project: Path, run: Run
) -> None:
    """Verify a group asking for PDF after the approval is refused at sending (the approval
    has no PDF), and recording the approval again with the code, as send says, adds the PDFs
    on the approval's own date with the same DOCX and ODT, and the minutes then go out;
    before, approve answered "already approved, nothing to do" and the minutes could not
    be sent at all."""
    import json

    without_pdf(project)
    code = send_review(run)
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0
    first = json.loads((OUT / "approval.json").read_text(encoding="utf-8"))
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    roster.write_text(text.replace("formats: [docx]", "formats: [docx, pdf]", 1), "utf-8")
    refused = run("send", MEETING, "minutes")
    assert refused.exit_code == 3
    assert "have the approval recorded again" in refused.output
    assert run("approve", MEETING, "--by", "Pekka Perälä", "--code", code).exit_code == 3
    again = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert again.exit_code == 0, again.output
    record = json.loads((OUT / "approval.json").read_text(encoding="utf-8"))
    assert record["approved_on"] == first["approved_on"]
    assert f"poytakirja_{MEETING}.pdf" in record["files"]
    for name, digest in first["files"].items():
        assert record["files"][name] == digest, name  # the same documents
    sent = run("send", MEETING, "minutes")
    assert sent.exit_code == 0, sent.output
    assert f"poytakirja_{MEETING}.pdf" in sent.output


def test_a_cover_letter_template_that_says_the_group_decided_is_refused(
    project: Path, run: Run
) -> None:
    """Verify the approval is refused when the municipality's cover letter template (which
    the chair does not read: the letters are made at approval) says the group decided: the
    cover letters would go out with the minutes reading as a decision."""
    import re
    import shutil

    import docx
    from conftest import ROOT

    without_pdf(project)
    own = project / "omat_pohjat"
    shutil.copytree(ROOT / "templates", own, ignore=shutil.ignore_patterns("*.py"))
    letter = docx.Document(str(own / "cover_letter.docx"))
    letter.add_paragraph("Neuvotteluryhmä päätti hyväksyä talousarvion.")
    letter.save(str(own / "cover_letter.docx"))
    built = run("build", MEETING, "--templates", str(own))
    code = re.search(r"\b([0-9A-Z]{4}-[0-9A-Z]{4})\.", built.output)
    assert code, built.output
    assert run("send", MEETING, "review", "--templates", str(own)).exit_code == 0
    result = run(
        "approve", MEETING, "--by", CHAIR, "--code", code.group(1), "--templates", str(own)
    )
    assert result.exit_code == 3, result.output
    assert "cover_letter.docx" in result.output and "päätti" in result.output
    assert not FINAL.exists()
    assert not list(OUT.glob("saate_*"))

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

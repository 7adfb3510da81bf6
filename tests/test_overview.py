"""Across meetings: scaffolding a new meeting, follow-up status, the annual evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Run

from pipeline.loading import load_meeting

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("english")


def test_new_meeting_is_scaffolded_and_valid(project: Path, run: Run) -> None:
    """Verify `new` writes an agenda with the next number, the standard items and the review of
    the previous minutes, that it passes the check, and that it is never overwritten."""
    result = run("new", "2027-01-18")
    assert result.exit_code == 0, result.output
    agenda = load_meeting(project / "inputs" / "2027-01-18").agenda
    assert agenda.number == "1/2027"
    assert agenda.previous == "2026-12-07"
    titles = [i.title for i in agenda.items]
    assert titles[0] == "Kokouksen avaus" and titles[-1] == "Kokouksen päättäminen"
    assert titles[1] == "Edellisen kokouksen pöytäkirjan läpikäynti"
    assert agenda.items[1].background == ""  # its sentence is computed when rendered
    assert run("check", "2027-01-18").exit_code == 0
    again = run("new", "2027-01-18")
    assert again.exit_code == 1 and "not overwritten" in again.output


def test_new_meeting_number_follows_the_year(project: Path, run: Run) -> None:
    """Verify a second meeting in a year with earlier meetings gets the next number."""
    assert run("new", "2026-12-20").exit_code == 0
    assert load_meeting(project / "inputs" / "2026-12-20").agenda.number == "6/2026"


def test_new_meeting_refuses_a_bad_date(project: Path, run: Run) -> None:
    """Verify a date that does not exist is refused."""
    result = run("new", "2027-02-30")
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_followups_show_done_and_open(held: None, project: Path, run: Run) -> None:
    """Verify the follow-up list (on 8.12.2026) marks the item reported done at a later
    meeting."""
    result = run("followups")
    assert result.exit_code == 0
    line = next(x for x in result.output.splitlines() if x.startswith("4/2026-3.2"))
    assert "done (5/2026)" in line
    assert "5/2026-3.1" in result.output and "1 done" in result.output


def test_followups_count_nothing_of_a_meeting_not_yet_held(project: Path, run: Run) -> None:
    """Verify that on 1.12.2026 meeting 5/2026 (7.12.2026), whose notes are written ahead,
    counts for nothing: its follow-ups are not listed, and 4/2026-3.2, which its notes report
    done, is overdue, as the annual evaluation says."""
    import datetime as dt

    import time_machine
    from conftest import HELSINKI

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        result = run("followups")
    assert result.exit_code == 0, result.output
    assert "5/2026-" not in result.output
    line = next(x for x in result.output.splitlines() if x.startswith("4/2026-3.2"))
    assert "overdue" in line and "done" not in line
    assert "1 open, 1 overdue, 0 done." in result.output


def test_status_of_a_meeting_not_yet_held(project: Path, run: Run) -> None:
    """Verify `status` on 1.12.2026 does not call meeting 5/2026 (7.12.2026) held because its
    notes are written ahead: it is planned, and what is pending says when it is held and that
    its minutes can be approved only after it (the approval is refused until then)."""
    import datetime as dt

    import time_machine
    from conftest import HELSINKI

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        early = run("status", "2026-12-07").output
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        after = run("status", "2026-12-07").output
    assert "State: planned" in early and "State: held" not in early, early
    assert "7.12.2026; its minutes can be approved only after it" in early
    assert "send the draft to the chair" not in early
    assert "State: held" in after and "send the draft to the chair" in after, after

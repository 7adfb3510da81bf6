"""The render context: Finnish dates and times, the follow-up numbering, and values that are
never None, from the example meeting loaded as the commands load it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import MEETING, ROOT

from pipeline import context as ctx
from pipeline.loading import load_history, load_meeting
from pipeline.markup import Block, Rich
from pipeline.model import Meeting

APPROVAL = ctx.Approval(by="Maija Meikäläinen", title="puheenjohtaja", date=dt.date(2026, 12, 9))


@pytest.fixture(scope="module")
def example() -> tuple[Meeting, list[Meeting]]:
    meeting = load_meeting(ROOT / "inputs" / MEETING)
    history = [m for m in load_history(ROOT / "inputs", meeting.organisation) if m.id != MEETING]
    return meeting, history


def test_finnish_dates_and_times() -> None:
    """Verify dates as 7.12.2026 (long: with the weekday, essive in running text) and times as
    17.05, without leading zeros."""
    day = dt.date(2026, 12, 7)
    assert ctx.fi_date(day) == "7.12.2026"
    assert ctx.fi_date_long(day) == "maanantai 7.12.2026"
    assert ctx.fi_date_essive(day) == "maanantaina 7.12.2026"
    assert ctx.fi_time(dt.time(9, 5)) == "9.05"


def test_names_joined_the_finnish_way() -> None:
    """Verify lists of names read 'A', 'A ja B', 'A, B ja C'."""
    assert ctx.join_fi([]) == ""
    assert ctx.join_fi(["A"]) == "A"
    assert ctx.join_fi(["A", "B"]) == "A ja B"
    assert ctx.join_fi(["A", "B", "C"]) == "A, B ja C"
    assert ctx.one_line("  yksi\n  kaksi \n\n") == "yksi kaksi"


def test_followups_are_numbered_by_meeting_and_item(example: tuple[Meeting, list[Meeting]]) -> None:
    """Verify each follow-up's id is <meeting number>-<item>.<n>, in item order."""
    meeting, _ = example
    found = ctx.followups(meeting)
    assert found, "the example meeting records follow-ups"
    number = meeting.agenda.number
    for entry in found:
        assert entry.id.startswith(f"{number}-{entry.item}.")
    assert [f.item for f in found] == sorted(f.item for f in found)


def nones(value: Any, path: str = "") -> list[str]:
    """Every place in the context where a value is None (a template would print 'None')."""
    if value is None:
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in nones(v, f"{path}.{k}")]
    if isinstance(value, list | tuple):
        return [p for i, v in enumerate(value) for p in nones(v, f"{path}[{i}]")]
    if isinstance(value, Block):
        return nones(value.rich.text, f"{path}.text")
    if isinstance(value, Rich):
        return nones(value.text, path)
    return []


def test_no_value_is_none(example: tuple[Meeting, list[Meeting]]) -> None:
    """Verify the invitation, the draft and final minutes and a cover letter hold no None
    anywhere: a missing optional value is an empty text or an empty list."""
    meeting, history = example
    contexts = {
        "invitation": ctx.invitation_context(meeting, history, dt.date(2026, 11, 30)),
        "draft": ctx.minutes_context(meeting, history, None),
        "final": ctx.minutes_context(meeting, history, APPROVAL),
        "cover": ctx.cover_context(meeting, meeting.organisation.groups[0], APPROVAL, ["x"]),
    }
    for name, context in contexts.items():
        assert nones(context) == [], name


def test_draft_and_final_differ_only_where_they_should(
    example: tuple[Meeting, list[Meeting]],
) -> None:
    """Verify the draft is marked and has no approval, the final has the chair's approval and
    no draft mark, and both carry the disclaimer (rules 3 and 4)."""
    meeting, history = example
    draft = ctx.minutes_context(meeting, history, None)
    final = ctx.minutes_context(meeting, history, APPROVAL)
    assert draft["doc"]["draft"] and draft["doc"]["draft_mark"]
    assert not final["doc"]["draft"] and final["doc"]["draft_mark"] == ""
    assert final["approval"]["by"] == "Maija Meikäläinen"
    assert (
        draft["texts"]["disclaimer"]
        and draft["texts"]["disclaimer"] == final["texts"]["disclaimer"]
    )
    assert [i["title"] for i in draft["items"]] == [i.title for i in meeting.agenda.items]

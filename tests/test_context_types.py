"""The render context's description (pipeline/context_types.py): the contexts the builders make
have exactly the described fields, and templates/README.md's placeholder list is made from it."""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Annotated, Union

import pytest
from conftest import MEETING, ROOT

from pipeline import annual, letters
from pipeline import context as ctx
from pipeline import context_types as ct
from pipeline.loading import load_history, load_meeting

APPROVAL = ctx.Approval(by="Maija Meikäläinen", title="puheenjohtaja", date=dt.date(2026, 12, 9))


def mismatches(value: object, hint: object, path: str) -> list[str]:
    """Every place where `value` is not what the type `hint` describes."""
    if typing.get_origin(hint) is Annotated:
        hint = typing.get_args(hint)[0]
    if typing.is_typeddict(hint):
        if not isinstance(value, dict):
            return [f"{path}: {type(value).__name__}, not a dict"]
        fields = typing.get_type_hints(hint, include_extras=True)
        found = [f"{path}.{k}: not described" for k in value.keys() - fields.keys()]
        found += [f"{path}.{k}: missing" for k in fields.keys() - value.keys()]
        for key in fields.keys() & value.keys():
            found += mismatches(value[key], fields[key], f"{path}.{key}")
        return found
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            return [f"{path}: {type(value).__name__}, not a list"]
        (element,) = typing.get_args(hint)
        return [p for i, v in enumerate(value) for p in mismatches(v, element, f"{path}[{i}]")]
    if origin in (Union, types.UnionType):
        options = typing.get_args(hint)
        return (
            [] if any(not mismatches(value, o, path) for o in options) else [f"{path}: {value!r}"]
        )
    assert isinstance(hint, type)
    if type(value) is not hint and not (hint not in (int, bool) and isinstance(value, hint)):
        return [f"{path}: {type(value).__name__}, not {hint.__name__}"]
    return []


@pytest.fixture(scope="module")
def contexts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[object, object]]:
    meeting = load_meeting(ROOT / "inputs" / MEETING)
    org = meeting.organisation
    outputs = tmp_path_factory.mktemp("outputs")
    today = dt.date(2026, 12, 9)
    history = [m for m in load_history(ROOT / "inputs", meeting.organisation) if m.id != MEETING]
    assert meeting.notes is not None and history
    return [
        (ctx.org_context(meeting.organisation), ct.OrgContext),
        (ctx.base_context(meeting, name="", title="", date=dt.date(2026, 12, 1)), ct.BaseContext),
        (ctx.invitation_context(meeting, history, dt.date(2026, 11, 30)), ct.InvitationContext),
        (ctx.minutes_context(meeting, history, None), ct.MinutesContext),
        (ctx.minutes_context(meeting, history, APPROVAL), ct.MinutesContext),
        *[
            (ctx.cover_context(meeting, g, APPROVAL, ["x"]), ct.CoverLetterContext)
            for g in meeting.organisation.groups
        ],
        *[
            (letters.invitation_context(meeting, g, today), ct.InvitationMailContext)
            for g in org.groups
        ],
        (letters.review_context(meeting, "ABCD-EFGH", today), ct.ReviewMailContext),
        *[(letters.minutes_context(meeting, g, today), ct.MinutesMailContext) for g in org.groups],
        (annual.report_context(org, [meeting, *history], outputs, 2026, today), ct.ReportContext),
        (annual.report_context(org, [], outputs, 2026, today), ct.ReportContext),
    ]


def test_contexts_are_what_their_types_describe(contexts: list[tuple[object, object]]) -> None:
    """Verify every context the builders make for the example has each described field, with a
    value of its type, and no field the description lacks."""
    for value, hint in contexts:
        assert mismatches(value, hint, getattr(hint, "__name__", "")) == []


def test_the_check_finds_an_undescribed_or_missing_field(
    contexts: list[tuple[object, object]],
) -> None:
    """Verify the check above fails on a context with a field added, removed or mistyped."""
    value, hint = contexts[3]
    assert isinstance(value, dict)
    items = [{**value["items"][0], "extra": ""}, *value["items"][1:]]
    assert mismatches({**value, "items": items}, hint, "c") == ["c.items[0].extra: not described"]
    assert mismatches({k: v for k, v in value.items() if k != "record"}, hint, "c") == [
        "c.record: missing"
    ]
    meeting = {**value["meeting"], "year": "2026"}
    assert mismatches({**value, "meeting": meeting}, hint, "c") == ["c.meeting.year: str, not int"]


def test_readme_lists_the_placeholders_the_types_describe() -> None:
    """Verify templates/README.md's placeholder lists (the documents', the emails' and the
    evaluation's) are the ones made from the types (`python -m pipeline.context_types
    templates/README.md` writes them)."""
    readme = (ROOT / "templates" / "README.md").read_text(encoding="utf-8")
    assert ct.BEGIN in readme and ct.END in readme
    assert ct.with_placeholders(readme) == readme
    listed = ct.placeholder_list()
    for name in ("org.chair.name", "items[].background", "previous.review", "cover.dissents"):
        assert f"| `{name}` |" in listed
    assert "| `attendance.groups[].present[].note` | text |" in listed
    mail = ct.placeholder_list(ct.MAIL_SECTIONS, ())
    for row in ("| `signature.phone` | text |", "| `papers.separately[].title` | text |"):
        assert row in mail and row in readme
    report = ct.placeholder_list(ct.REPORT_SECTIONS, ())
    for row in ("| `chart` | picture |", "| `followup_counts.overdue` | number |"):
        assert row in report and row in readme
    assert "| `org.body` |" not in report  # the roster is every document's, listed once

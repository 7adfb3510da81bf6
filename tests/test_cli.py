"""The command line documents itself, and its errors never show a traceback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import MEETING, Run
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.context import minutes_context
from pipeline.documents import Templates, document_text, render
from pipeline.loading import load_meeting

COMMANDS = sorted(main.commands)


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    """Verify each command explains itself and ends its help with an example."""
    result = CliRunner().invoke(main, [name, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
    assert f"minutes {name}" in result.output


def test_the_contract_commands_exist() -> None:
    """Verify every command of the product's contract is there."""
    assert set(COMMANDS) >= {
        "new",
        "check",
        "build",
        "send",
        "approve",
        "diff",
        "status",
        "followups",
        "report",
    }


def test_usage_error_is_exit_2(run: Run) -> None:
    """Verify a usage error gets click's exit code 2."""
    result = CliRunner().invoke(main, ["send", MEETING, "everything"])
    assert result.exit_code == 2


def test_missing_meeting_folder(project: Path, run: Run) -> None:
    """Verify a meeting that does not exist is explained with the command that creates it."""
    result = run("build", "2031-01-01")
    assert result.exit_code == 1
    assert "minutes new 2031-01-01" in result.output


# Any text a person can type, except what XML cannot carry (refused at loading with a message).
TYPED = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip())


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(view=TYPED, position=TYPED)
def test_any_typed_text_comes_out_exactly(project: Path, view: str, position: str) -> None:
    """Verify any agreed view and dissent, whatever its characters, reads back from both
    formats exactly as typed (never evaluated as template code, never escaped twice)."""
    meeting = load_meeting(project / "inputs" / MEETING)
    assert meeting.notes is not None
    item = meeting.notes.items[3].model_copy(
        update={
            "agreed": (view,),
            "dissent": (
                meeting.notes.items[3].dissent[0].model_copy(update={"position": position}),
            ),
        }
    )
    notes = meeting.notes.model_copy(update={"items": {**meeting.notes.items, 3: item}})
    context = minutes_context(meeting.model_copy(update={"notes": notes}), [], None)
    for fmt in ("docx", "odt"):
        data = render(
            __import__("pipeline.documents").documents.MINUTES,
            fmt,
            context,
            Templates(),
            created=dt.datetime(2026, 12, 7, 12),
            required={},
        )
        paragraphs = document_text(data, fmt).splitlines()
        assert view in paragraphs, fmt
        assert any(position in p for p in paragraphs), fmt

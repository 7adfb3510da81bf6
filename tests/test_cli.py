"""The command line documents itself, and its errors never show a traceback."""

from __future__ import annotations

import datetime as dt
import re
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


# The user's locale unset, as on a machine that asks for no language: Finnish is the default.
NO_LOCALE = dict.fromkeys(("MINUTES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"))
ENGLISH = {**NO_LOCALE, "LANG": "en_US.UTF-8"}


@pytest.mark.parametrize("name", COMMANDS)
def test_every_command_has_help_with_an_example(name: str) -> None:
    """Verify each command explains itself in Finnish and in English, and ends its help with
    an example whose commands stay as they are typed."""
    finnish = CliRunner().invoke(main, [name, "--help"], env=NO_LOCALE, prog_name="minutes")
    english = CliRunner().invoke(main, [name, "--help"], env=ENGLISH, prog_name="minutes")
    assert finnish.exit_code == english.exit_code == 0
    assert "Esimerkki:" in finnish.output
    assert "Example:" in english.output
    assert f"minutes {name}" in finnish.output
    assert (
        finnish.output.split("Esimerkki:")[1].split("\n\n")[0]
        == (english.output.split("Example:")[1].split("\n\n")[0])
    )
    assert finnish.output != english.output


def test_help_is_finnish_by_default() -> None:
    """Verify `minutes --help` and `minutes build --help` are Finnish: click's own words, the
    command's description and every option's help."""
    top = CliRunner().invoke(main, ["--help"], env=NO_LOCALE, prog_name="minutes")
    assert top.exit_code == 0
    for finnish in ("Käyttö: minutes [VALITSIMET] KOMENTO", "Valitsimet:", "Komennot:"):
        assert finnish in top.output
    assert "Näytä tämä ohje ja lopeta." in top.output
    assert "Näytä versio ja lopeta." in top.output
    assert "Poliittisten ryhmien neuvotteluryhmän" in top.output
    build = CliRunner().invoke(main, ["build", "--help"], env=NO_LOCALE, prog_name="minutes")
    assert build.exit_code == 0
    assert "Käyttö: minutes build [VALITSIMET] KOKOUS" in build.output
    assert "Tee kaikki asiakirjat, jotka kokouksen vaihe sallii." in build.output
    assert "Tehtävät tiedostomuodot" in build.output
    assert "--out POLKU" in build.output
    assert "--format MUODOT" in build.output
    assert "[oletus: docx,odt]" in build.output
    for english in ("Usage:", "Options:", "Show this message", "Render every", "Formats to"):
        assert english not in top.output + build.output


def test_help_names_the_record_both_ways() -> None:
    """Verify the help, which is shown without reading the roster, calls the record
    pöytäkirja/muistio wherever it names it (a roster may say wording.record: muistio), and
    the command's own help says where the word is set; never pöytäkirja alone."""
    helps = {
        " ".join(args): CliRunner()
        .invoke(main, [*args, "--help"], env=NO_LOCALE, prog_name="minutes")
        .output
        for args in [[], *([name] for name in COMMANDS), ["templates", "check"]]
    }
    alone = {
        name: re.findall(r"pöytäkirj\w*(?!\w*/muisti)", " ".join(text.split()))
        for name, text in helps.items()
        if name
    }
    assert {name: found for name, found in alone.items() if found} == {}
    for name in ("approve", "build", "send", "new", "report"):
        assert "/muistio" in " ".join(helps[name].split()), helps[name]
    top = " ".join(helps[""].split())
    assert "pöytäkirjaa kutsutaan muistioksi, jos organisation.yaml-tiedostossa on" in top
    assert "wording.record: muistio" in top


@pytest.mark.parametrize(
    "env", [ENGLISH, {**NO_LOCALE, "MINUTES_LANG": "en"}], ids=["LANG", "MINUTES_LANG"]
)
def test_help_is_english_when_the_locale_asks(env: dict[str, str | None]) -> None:
    """Verify the same help is English under an English locale or MINUTES_LANG=en, also in a
    process whose help was first shown in Finnish (the words are looked up when shown)."""
    CliRunner().invoke(main, ["build", "--help"], env=NO_LOCALE, prog_name="minutes")
    top = CliRunner().invoke(main, ["--help"], env=env, prog_name="minutes")
    build = CliRunner().invoke(main, ["build", "--help"], env=env, prog_name="minutes")
    assert top.exit_code == build.exit_code == 0
    assert "Usage: minutes [OPTIONS] COMMAND [ARGS]..." in top.output
    assert "Show this message and exit." in top.output
    assert "Render every document the meeting's state allows." in top.output
    assert "Usage: minutes build [OPTIONS] MEETING" in build.output
    assert "Formats to write: docx, odt and pdf, separated by commas." in " ".join(
        build.output.split()
    )
    assert "--out PATH" in build.output
    assert "--format FORMATS" in build.output
    assert "[default: docx,odt]" in build.output
    assert "Käyttö" not in top.output + build.output
    assert "Valitsimet" not in top.output + build.output


@pytest.mark.parametrize(
    ("args", "finnish", "english"),
    [
        (["build"], "Virhe: Puuttuva argumentti 'KOKOUS'.", "Error: Missing argument 'MEETING'."),
        (
            ["build", "--nope", MEETING],
            "Virhe: Valitsinta '--nope' ei ole.",
            "Error: No such option '--nope'.",
        ),
        (
            ["report", "1800"],
            "Virhe: Virheellinen arvo kohdassa 'VUOSI': 1800 ei ole välillä",
            "Error: Invalid value for 'YEAR': 1800 is not in the range",
        ),
        (["bild"], "Virhe: Komentoa 'bild' ei ole.", "Error: No such command 'bild'."),
    ],
)
def test_usage_errors_are_finnish(args: list[str], finnish: str, english: str) -> None:
    """Verify click's usage errors (exit code 2) are Finnish by default, English when asked."""
    result = CliRunner().invoke(main, args, env=NO_LOCALE, prog_name="minutes")
    assert result.exit_code == 2
    assert finnish in result.output
    assert "Käyttö: minutes" in result.output
    assert "Ohjeet: 'minutes" in result.output
    result = CliRunner().invoke(main, args, env=ENGLISH, prog_name="minutes")
    assert result.exit_code == 2
    assert english in result.output


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

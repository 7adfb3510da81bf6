"""Bad input gets a precise file:line message and exit code 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MEETING, Run, write

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("english")

AGENDA = """\
number: 5/2026
date: 2026-12-07
start: "17:00"
place: Kaupungintalo
items:
  - title: Kokouksen avaus
  - title: Talousarvio
  - title: Kokouksen päättäminen
"""


def agenda_with(project: Path, text: str) -> Path:
    return write(project / "inputs" / "m1" / "agenda.yaml", text)


def test_example_meeting_is_valid(project: Path, run: Run) -> None:
    """Verify that the shipped example meeting passes the check."""
    result = run("check", f"inputs/{MEETING}")
    assert result.exit_code == 0, result.output
    assert "all files are valid" in result.output


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("date: 2026-12-07", "date: tomorrow", 2, "'tomorrow' is not a date"),
        ("date: 2026-12-07", "date: 2026-02-30", 2, "2026-02-30 is not a date that exists"),
        ('start: "17:00"', 'start: "25:00"', 3, "'25:00' is not a time"),
        ("number: 5/2026", "number: [1]", 1, "`number`: should be a text"),
        (
            "place: Kaupungintalo",
            "plase: Kaupungintalo",
            4,
            "unknown field `plase`; did you mean `place`?",
        ),
        ("number: 5/2026\n", "", 1, "the required field `number` is missing"),
        (
            "  - title: Talousarvio",
            "  - title: Talousarvio\n    titel: x",
            8,
            "did you mean `title`?",
        ),
        (
            "  - title: Talousarvio",
            "  - title: Talousarvio\n    confidential: maybe",
            8,
            "should be true (yes) or false (no)",
        ),
        (
            "  - title: Talousarvio",
            "  - title: [a, b]",
            7,
            "`items.title` should be a text, not a list",
        ),
        ("place: Kaupungintalo", "place: Kaupungintalo\nplace: Toinen", 5, "`place` appears twice"),
        ("place: Kaupungintalo", 'place: "Kaupungin\\x07talo"', 4, "U+0007"),
        ("place: Kaupungintalo", 'place: "\\ud800"', 4, "U+D800"),
        ("number: 5/2026", "number: 5/2025", 1, "not of the meeting's year 2026"),
        (
            "place: Kaupungintalo",
            "place: [Kaupungintalo",
            5,
            "a bracket is not closed, from line 4 on",
        ),
    ],
)
def test_agenda_problem_is_reported_with_its_line(
    project: Path, run: Run, old: str, new: str, line: int, message: str
) -> None:
    """Verify each bad agenda gets exit 1 and a `file:line: message` naming the problem."""
    assert old in AGENDA
    agenda_with(project, AGENDA.replace(old, new))
    result = run("check", "inputs/m1")
    assert result.exit_code == 1
    assert f"inputs/m1/agenda.yaml:{line}: " in result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_every_problem_is_reported_at_once(project: Path, run: Run) -> None:
    """Verify that all problems of all files come in one run, not only the first."""
    agenda_with(
        project,
        AGENDA.replace("date: 2026-12-07", "date: huomenna").replace(
            'start: "17:00"', 'start: "7 pm"'
        ),
    )
    write(project / "inputs" / "m1" / "notes.yaml", "opened: '17:00'\nkloosed: '18:00'\n")
    result = run("check", "inputs/m1")
    assert result.exit_code == 1
    lines = [ln for ln in result.output.splitlines() if ln.startswith("inputs/m1/")]
    assert len(lines) == 3, result.output
    assert "did you mean `closed`?" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"# only a comment\n", "the file is empty"),
        (b"number: 5/2026\ndate: \xe4\n", "not UTF-8"),
        (b"- just\n- a list\n", "should hold fields"),
        (b"a: 1\n---\nb: 2\n", "several YAML documents"),
    ],
)
def test_unreadable_files_are_explained(
    project: Path, run: Run, content: bytes, message: str
) -> None:
    """Verify empty, non-UTF-8, list-only and multi-document files get a plain explanation."""
    target = project / "inputs" / "m1" / "agenda.yaml"
    target.parent.mkdir(parents=True)
    target.write_bytes(content)
    result = run("check", "inputs/m1")
    assert result.exit_code == 1
    assert "inputs/m1/agenda.yaml" in result.output
    assert message in result.output


def test_byte_order_mark_is_accepted(project: Path, run: Run) -> None:
    """Verify that a UTF-8 file saved with a byte-order mark (Notepad does) is read normally."""
    agenda_with(project, "")
    (project / "inputs" / "m1" / "agenda.yaml").write_bytes(b"\xef\xbb\xbf" + AGENDA.encode())
    assert run("check", "inputs/m1").exit_code == 0


def test_yaml_11_surprises_keep_the_text_typed(project: Path) -> None:
    """Verify `no`, `0777`, `17:00` and a bare date where text is expected stay the text typed."""
    from pipeline.loading import load_meeting

    agenda_with(
        project,
        AGENDA.replace("Talousarvio", "no")
        .replace("Kokouksen avaus", "0777")
        .replace("Kokouksen päättäminen", "2026-12-07"),
    )
    agenda = load_meeting(project / "inputs" / "m1").agenda
    assert [i.title for i in agenda.items] == ["0777", "no", "2026-12-07"]
    assert agenda.start.hour == 17


def test_alias_bomb_is_refused(project: Path, run: Run) -> None:
    """Verify that a file that multiplies itself through YAML anchors is refused quickly."""
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        for p, c in zip("abcdefg", "bcdefgh", strict=True)
    )
    agenda_with(project, bomb)
    result = run("check", "inputs/m1")
    assert result.exit_code == 1
    assert "repeats itself" in result.output


NOTES_CASES = [
    (
        "present: [Maija Meikalainen]",
        "Maija Meikalainen is not in the roster; did you mean Maija Meikäläinen?",
    ),
    ("present: [Maija Meikäläinen, Maija Meikäläinen]", "listed twice in the attendance"),
    (
        "present: [Maija Meikäläinen]\n  absent: [Maija Meikäläinen]",
        "listed twice in the attendance",
    ),
    ("guests: [{name: X, items: [12]}]", "item 12 is not on the agenda"),
]


@pytest.mark.parametrize(("attendance", "message"), NOTES_CASES)
def test_attendance_is_checked_against_the_roster(
    project: Path, run: Run, attendance: str, message: str
) -> None:
    """Verify names, duplicates and guest items in the attendance are checked."""
    write(project / "inputs" / MEETING / "notes.yaml", f"attendance:\n  {attendance}\n")
    result = run("check", f"inputs/{MEETING}")
    assert result.exit_code == 1
    assert f"inputs/{MEETING}/notes.yaml:" in result.output
    assert message in result.output


@pytest.mark.parametrize(
    ("items", "line", "message"),
    [
        ("12:\n    agreed: [x]", 2, "item 12 is not on the agenda"),
        ("3:\n    title: Väärä otsikko", 3, "does not match the agenda"),
        ("3:\n    dissent:\n      - groups: [sdpp]\n        position: x", 4, "did you mean `sdp`?"),
        (
            "3:\n    follow_up:\n      - task: x\n        due: 2027-02-29",
            5,
            "not a date that exists",
        ),
    ],
)
def test_note_items_are_checked_against_the_agenda(
    project: Path, run: Run, items: str, line: int, message: str
) -> None:
    """Verify item numbers, titles, group ids and dates in the notes are checked."""
    write(project / "inputs" / MEETING / "notes.yaml", f"items:\n  {items}\n")
    result = run("check", f"inputs/{MEETING}")
    assert result.exit_code == 1
    assert f"inputs/{MEETING}/notes.yaml:{line}: " in result.output
    assert message in result.output


def test_roster_problems_are_reported(project: Path, run: Run) -> None:
    """Verify a duplicate group id and a bad address in the roster are reported with lines."""
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    text = text.replace("id: kd", "id: kok").replace(
        "distribution: [sdp.valtuustoryhma@example.fi]",
        "distribution: [sdp.valtuustoryhma@example.fi, 'a@x.fi, b@y.fi']",
    )
    roster.write_text(text, encoding="utf-8")
    result = run("check", f"inputs/{MEETING}")
    assert result.exit_code == 1
    assert "the group id `kok` is used twice" in result.output
    assert "is not an email address the mail can be sent to" in result.output


@pytest.mark.parametrize("name", ["..", "a b", "a\nb", "-x", "a..b"])
def test_unsafe_meeting_folder_names_are_refused(project: Path, run: Run, name: str) -> None:
    """Verify that a meeting folder name that could leave the folder or confuse is refused."""
    (project / "inputs" / name).mkdir(exist_ok=True)
    result = run("check", str(Path("inputs") / name))
    assert result.exit_code == 1
    assert "a meeting folder name may hold only" in result.output

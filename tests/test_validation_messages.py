"""Every way a field can hold the wrong kind of value, as the secretary meets it in `check`:
in Finnish, naming the file, the line and the field, saying what the field holds now and how to
write it; never the validator's English (Input should be a valid …)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MEETING, Run
from test_reading import english_words

ROSTER = "inputs/organisation.yaml"
AGENDA = f"inputs/{MEETING}/agenda.yaml"
NOTES = f"inputs/{MEETING}/notes.yaml"
BIG = "9" * 5000


@pytest.mark.parametrize(
    ("file", "old", "new", "finnish"),
    [
        (  # a list where a text belongs
            AGENDA,
            "  - title: Elinvoimaohjelman päivitys",
            "  - title: [Elinvoimaohjelman päivitys, valmistelu]",
            "`items.title`: tähän kuuluu teksti eikä luettelo. Kirjoita teksti kaksoispisteen "
            "jälkeen; usean kappaleen teksti kirjoitetaan sisennettynä rivin `title: |` alle",
        ),
        (  # fields where a text belongs (an indented line under it)
            AGENDA,
            "place: Kaupungintalo, kokoushuone 2, Hallintokatu 4, Äänekoski",
            "place:\n  Kaupungintalo: kokoushuone 2",
            "`place`: tähän kuuluu teksti eikä kenttiä. Kirjoita teksti samalle riville "
            "kaksoispisteen jälkeen, ja lainausmerkkeihin, jos tekstissä itsessään on "
            "kaksoispiste",
        ),
        (  # a required text left empty
            AGENDA,
            "  - title: Elinvoimaohjelman päivitys",
            "  - title:",
            "`items.title` on tyhjä: kirjoita teksti kaksoispisteen jälkeen\n",
        ),
        (  # an optional text left empty
            AGENDA,
            "place: Kaupungintalo, kokoushuone 2, Hallintokatu 4, Äänekoski",
            "place:",
            "`place` on tyhjä: kirjoita teksti kaksoispisteen jälkeen tai poista koko rivi",
        ),
        (  # a text where a list belongs
            AGENDA,
            "    attachments:\n      - Elinvoimaohjelma 2027–2030, valmisteluversio",
            "    attachments: Elinvoimaohjelma 2027–2030",
            "`items.attachments`: tähän kuuluu luettelo; nyt siinä on 'Elinvoimaohjelma "
            "2027–2030'. Kirjoita kukin kohta omalle rivilleen rivin `attachments:` alle, "
            "alkamaan merkeillä `- `",
        ),
        (  # a word where true or false belongs
            AGENDA,
            "    confidential: true",
            "    confidential: kyllä",
            "`items.confidential`: kirjoita true (kyllä) tai false (ei); nyt siinä on 'kyllä'",
        ),
        (  # a bare title where an item's fields belong
            AGENDA,
            "  - title: Muut asiat",
            "  - Muut asiat",
            "`items`: tähän kuuluvat kentät muodossa `kenttä: arvo`, kukin omalla rivillään; "
            "nyt siinä on 'Muut asiat'. Tässä kohdassa kentät ovat: title, presenter, "
            "background, attachments, confidential",
        ),
        (  # a list that must not be empty
            AGENDA,
            "items:\n  - title: Kokouksen avaus",
            "items: []\nold_items:\n  - title: Kokouksen avaus",
            "`items` ei saa olla tyhjä: lisää vähintään yksi kohta",
        ),
        (  # a word where a number belongs
            NOTES,
            "items: [3] }",
            "items: [kolme] }",
            "`attendance.guests.items`: tähän kuuluu kokonaisluku, esimerkiksi 3; nyt siinä "
            "on 'kolme'",
        ),
        (  # a number too long to read, told shortly
            NOTES,
            "items: [3] }",
            f"items: [{BIG}] }}",
            "`attendance.guests.items`: tähän kuuluu kokonaisluku, esimerkiksi 3; nyt siinä "
            "on '9999999999999999999999999999999999999…'",
        ),
        (  # an item keyed by a word
            NOTES,
            "  8:\n",
            "  kahdeksan:\n",
            "`items`: 'kahdeksan' ei ole asian numero; kirjoita asian numero esityslistalta",
        ),
        (  # the notes' items as a list
            NOTES,
            "",
            "opened: '17:03'\nitems:\n  - discussion: Käytiin läpi.\n",
            "`items`: tähän kuuluvat esityslistan asioiden numerot, kukin kaksoispisteen "
            "kanssa (3:) ja asian muistiinpanot sisennettyinä sen alle; nyt siinä on luettelo",
        ),
        (  # a follow-up written as a bare task
            NOTES,
            "      - task: Elinvoimaohjelman luonnos ryhmien kommentoitavaksi\n"
            "        owner: elinvoimajohtaja\n        due: 2027-02-28",
            "      - Elinvoimaohjelman luonnos ryhmien kommentoitavaksi",
            "`items.4.follow_up`: tähän kuuluvat kentät muodossa `kenttä: arvo`, kukin omalla "
            "rivillään; nyt siinä on 'Elinvoimaohjelman luonnos ryhmien kom…'. Tässä "
            "kohdassa kentät ovat: task, owner, due",
        ),
        (  # one of several words
            ROSTER,
            "    formats: [docx, pdf]",
            "    formats: [docx, rtf]",
            "`groups.formats`: kirjoita jokin näistä: 'docx', 'odt' tai 'pdf'; nyt siinä on 'rtf'",
        ),
        (  # the only word allowed
            ROSTER,
            "language: fi",
            "language: sv",
            "`language`: ainoa sallittu arvo on 'fi'; nyt siinä on 'sv'",
        ),
        (  # the record's name
            ROSTER,
            "mail:\n",
            "wording:\n  record: memo\nmail:\n",
            "`wording.record`: kirjoita jokin näistä: 'pöytäkirja' tai 'muistio'; nyt siinä "
            "on 'memo'",
        ),
        (  # a field the group does not have, nothing close to it
            ROSTER,
            "    short: SDP",
            "    short: SDP\n    lyhenne: SDP",
            "tuntematon kenttä `lyhenne`; tässä kohdassa kentät ovat: id, name, short",
        ),
        (  # a required field left out
            ROSTER,
            "    short: SDP\n",
            "",
            "pakollinen kenttä `short` puuttuu (groups.short); lisää se",
        ),
        (  # a word where the port number belongs
            ROSTER,
            "    port: 587",
            "    port: viisisataa",
            "`mail.smtp.port`: tähän kuuluu kokonaisluku, esimerkiksi 3; nyt siinä on 'viisisataa'",
        ),
        (  # a name where the chair's fields belong
            ROSTER,
            "chair:\n  name: Maija Meikäläinen\n  title: kaupunginvaltuuston puheenjohtaja\n"
            "  email: maija.meikalainen@example.fi\n  group: kesk\n",
            "chair: Maija Meikäläinen\n",
            "`chair`: tähän kuuluvat kentät muodossa `kenttä: arvo`, kukin omalla rivillään; "
            "nyt siinä on 'Maija Meikäläinen'. Tässä kohdassa kentät ovat: name, title, email",
        ),
        (  # fields where a list belongs
            ROSTER,
            "    distribution: [kesk.valtuustoryhma@example.fi]",
            "    distribution: {kesk: kesk.valtuustoryhma@example.fi}",
            "`groups.distribution`: tähän kuuluu luettelo; nyt siinä on kenttiä. Kirjoita "
            "kukin kohta omalle rivilleen rivin `distribution:` alle",
        ),
    ],
)
def test_a_wrong_kind_of_value_is_told_in_finnish(
    project: Path, run: Run, file: str, old: str, new: str, finnish: str
) -> None:
    """Verify `check` tells each wrong kind of value as file:line: `field`: what belongs
    there, what is there now and how to write it, in Finnish, with exit code 1."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    changed = text.replace(old, new, 1) if old else new  # no old text: the whole file is new
    path.write_text(changed, encoding="utf-8")
    line = changed[: changed.index(new or "\n", max(text.index(old) - 1, 0))].count("\n") + 1
    result = run("check", MEETING)
    assert result.exit_code == 1, result.output
    assert finnish in result.output, result.output
    problem = next(ln for ln in result.output.splitlines() if finnish.split("\n")[0] in ln)
    where, number = problem.split(": ", 1)[0].rsplit(":", 1)
    assert where == file, problem
    assert abs(int(number) - line) <= 2, (problem, line)
    assert "Input should" not in result.output and "Traceback" not in result.output
    assert english_words(result.output) == [], result.output
    assert BIG not in result.output


def test_a_type_with_no_message_of_its_own_is_told_in_finnish() -> None:
    """Verify a validation error whose type no message names (a newer pydantic's, say) still
    reads in Finnish, naming the field and what it holds, instead of the validator's English."""
    from pipeline.loading import _explain
    from pipeline.model import Agenda

    error = {"type": "some_new_type", "msg": "Input should be nicer", "input": "x"}
    message = _explain(Agenda, error, ("items", "0", "title"))
    assert message == (
        "`items.title`: arvo 'x' ei kelpaa tähän; vertaa riviä esimerkkikokoukseen kansiossa "
        "inputs/ tai kenttien kuvauksiin, jotka `minutes schema` kirjoittaa"
    )


def test_an_item_with_nothing_under_it_is_an_item_with_nothing_recorded(
    project: Path, run: Run
) -> None:
    """Verify the secretary may leave an item's number with nothing under it (`5:`) in the
    notes: `check` accepts it as an item with nothing recorded, and the draft says so."""
    from pipeline.documents import document_text

    path = project / NOTES
    text = path.read_text(encoding="utf-8")
    start, end = text.index("  5:\n"), text.index("  6:\n")
    path.write_text(text[:start] + "  5:\n" + text[end:], encoding="utf-8")
    checked = run("check", MEETING)
    assert checked.exit_code == 0, checked.output
    assert run("build", MEETING).exit_code == 0
    draft = document_text(
        (project / "outputs" / MEETING / "poytakirja_luonnos_2026-12-07.docx").read_bytes(),
        "docx",
    )
    after = draft[draft.index("Kaupungintalon toimitilaratkaisu") :]
    assert after.split("Neuvotteluryhmän toiminnan arviointi 2026")[0].count("Ei kirjattavaa") == 1


def test_a_notes_item_is_named_by_its_number(project: Path, run: Run) -> None:
    """Verify a problem in the notes' item names the item's number as she typed it
    (`items.4.agreed`), not `items.agreed` for every item alike."""
    path = project / NOTES
    text = path.read_text(encoding="utf-8")
    old = "    agreed:\n      - Ohjelman päivityksessä"
    assert old in text
    path.write_text(text.replace(old, "    agreed: |\n      - Ohjelman päivityksessä"), "utf-8")
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert f"{NOTES}:" in result.output
    assert "`items.4.agreed`: tähän kuuluu luettelo" in result.output, result.output


@pytest.mark.parametrize(
    ("file", "old", "new", "finnish"),
    [
        (
            AGENDA,
            'end: "19:00"',
            'end: "16:00"',
            "päättymisaika `end` (16:00) ei ole alkamisajan `start` (17:00) jälkeen; "
            "tarkista kellonajat",
        ),
        (
            NOTES,
            'closed: "18:52"',
            'closed: "07:52"',
            "päättymisaika `closed` (07:52) ei ole avausajan `opened` (17:03) jälkeen; "
            "tarkista kellonajat",
        ),
        (
            AGENDA,
            "date: 2026-12-07",
            "date: 2026-02-30",
            "päivämäärää 2026-02-30 ei ole kalenterissa; tarkista päivä ja kuukausi",
        ),
        (
            AGENDA,
            "number: 5/2026",
            "number: 5/2025",
            "kokouksen numero 5/2025 ei ole kokousvuoden 2026 numero; kirjoita se muodossa "
            "numero/2026, esimerkiksi 1/2026",
        ),
        (
            NOTES,
            "  8:\n",
            "  12:\n",
            "asiaa 12 ei ole esityslistalla, jolla ovat asiat 1–9; korjaa numero tai lisää asia "
            "agenda.yaml-tiedostoon",
        ),
        (
            NOTES,
            "items: [3] }",
            "items: [12] }",
            "asiaa 12 ei ole esityslistalla (1–9); anna sen asian numero, jossa vierasta kuultiin",
        ),
        (
            NOTES,
            "    title: Talousarvio 2027 ja taloussuunnitelma 2027–2029",
            "    title: Talousarvio",
            "asian 3 otsikko ei vastaa esityslistaa, jossa se on: Talousarvio 2027 ja "
            "taloussuunnitelma 2027–2029; kopioi otsikko esityslistalta tai jätä `title` pois",
        ),
        (
            NOTES,
            "follow_up_done: [4/2026-3.2]",
            "follow_up_done: [4/2026 3.2]",
            "'4/2026 3.2' ei ole jatkovalmistelun kohdan tunnus; tunnukset ovat muotoa "
            "5/2026-3.1: kopioi tunnus komennon `minutes followups` luettelosta",
        ),
    ],
)
def test_a_problem_of_the_meeting_says_what_to_do(
    project: Path, run: Run, file: str, old: str, new: str, finnish: str
) -> None:
    """Verify the meeting's own problems (times in the wrong order, a day not in the
    calendar, a number of another year, an item not on the agenda, a title that differs, a
    follow-up id misspelt) say in Finnish what to do about them, at the file and line."""
    path = project / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert finnish in result.output, result.output
    assert f"{file}:" in result.output
    assert english_words(result.output) == [], result.output


def test_new_over_an_existing_meeting_says_what_to_do(project: Path, run: Run) -> None:
    """Verify `new` for a day whose folder exists says to edit it or to choose another day."""
    result = run("new", MEETING)
    assert result.exit_code == 1
    assert (
        "kokouskansio on jo olemassa, eikä sitä kirjoiteta yli: muokkaa sen "
        "agenda.yaml-tiedostoa tai anna toinen päivämäärä"
    ) in result.output

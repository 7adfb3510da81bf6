"""What the secretary reads from the command, read as she would: every line in Finnish (no
English left between the Finnish words), dates as 8.12.2026 and times as klo 9.00, and the
record called what the roster calls it (`wording.record`)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine
from conftest import (
    CHAIR,
    HELSINKI,
    MEETING,
    Run,
    Server,
    approve,
    edit,
    send_review,
    use_muistio,
    use_server,
    without_pdf,
)

NOTES = Path("inputs") / MEETING / "notes.yaml"
AGENDA = Path("inputs") / MEETING / "agenda.yaml"

# English words that must not show between the Finnish ones.
ENGLISH = re.compile(
    r"\b(the|is|are|not|was|nothing|rendered|sent|approved|minutes|draft|cannot|while|"
    r"found|expected|mapping|stream|token|scanning|parsing)\b"
)


def english_words(output: str) -> list[str]:
    """English words in the output, leaving out the commands quoted in backticks."""
    return ENGLISH.findall(re.sub(r"`[^`]*`", "", output))


def test_status_in_finnish_with_finnish_dates(project: Path, run: Run, held: None) -> None:
    """Verify `status` names the approval's date as 8.12.2026, and every logged event in
    Finnish at Helsinki time (klo 9.00), not as an English event name and an ISO stamp."""
    without_pdf(project)  # no LibreOffice for the approval: the test reads the status only
    code = approve(run)
    result = run("status", MEETING)
    assert result.exit_code == 0, result.output
    assert f"Hyväksyntä: hyväksynyt {CHAIR} 8.12.2026 (koodi {code})." in result.output
    log = result.output.split("Tapahtumat:", 1)[1]
    assert "8.12.2026 klo 9.00" in log
    for event in (
        "kokouskutsu tehty",
        "luonnos tehty",
        "luonnos lähetetty puheenjohtajalle tarkastettavaksi (koeajo",
        "puheenjohtajan hyväksyntä kirjattu",
    ):
        assert event in log, log
    assert "2026-12-08" not in result.output
    assert english_words(log) == [], log


def test_refusals_name_the_muistio(project: Path, run: Run) -> None:
    """Verify the refusals of `approve` and `send` call the record a muistio when the roster
    does, inflected as the sentence needs (muistiota, muistion)."""
    use_muistio(project)
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        send_review(run)
        early = run("approve", MEETING, "--by", CHAIR, "--code", "AAAA-BBBB")
    assert early.exit_code == 3
    assert "sen muistion voi hyväksyä vasta, kun kokous on pidetty" in early.output
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        wrong = run("approve", MEETING, "--by", CHAIR, "--code", "AAAA-BBBB")
        unsent = run("send", MEETING, "minutes")
    assert wrong.exit_code == 3 and unsent.exit_code == 3
    assert "Koodi AAAA-BBBB ei vastaa muistiota sellaisena kuin se nyt on" in wrong.output
    assert "Kokouksen 5/2026 (7.12.2026) muistiota ei ole hyväksytty" in unsent.output
    for output in (early.output, wrong.output, unsent.output):
        assert "pöytäkirja" not in output.casefold(), output


def outside_commands(output: str) -> str:
    """The output without the commands quoted in backticks, which name the meeting's folder."""
    return re.sub(r"`[^`]*`", "", output)


def test_messages_name_the_meeting_by_its_number_and_date(project: Path, run: Run) -> None:
    """Verify the secretary reads the meeting as 5/2026 and 7.12.2026, as she knows it, and
    its folder's name 2026-12-07 only inside the commands to run: in `status`, in `send`
    refused for a missing PDF, for a draft not built or minutes not approved, and in `approve`
    before the meeting."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        status = run("status", MEETING)
        review = run("send", MEETING, "review")
        assert run("build", MEETING).exit_code == 0
        invitation = run("send", MEETING, "invitation")
        unsent = run("send", MEETING, "minutes")
        early = run("approve", MEETING, "--by", CHAIR, "--code", "AAAA-BBBB")
    assert status.output.startswith("Kokous 5/2026, maanantai 7.12.2026\n"), status.output
    # not held yet, though its notes are written: approval waits for the day
    assert f"`minutes build {MEETING}`" in status.output, status.output
    assert "kokous pidetään maanantaina 7.12.2026; sen pöytäkirjan voi hyväksyä" in status.output
    assert "Kokouksen 5/2026 (7.12.2026) luonnosta ei ole tehty" in review.output
    assert "Kokouksen 5/2026 (7.12.2026) kokouskutsusta puuttuu PDF" in invitation.output
    assert "Kokouksen 5/2026 (7.12.2026) pöytäkirjaa ei ole hyväksytty" in unsent.output
    assert f"(`minutes approve {MEETING}`)" in unsent.output
    assert "Kokous 5/2026 pidetään maanantaina 7.12.2026; sen pöytäkirjan" in early.output
    for result in (status, review, invitation, unsent, early):
        assert MEETING not in outside_commands(result.output), result.output


def test_review_is_listed_to_the_chair_in_finnish(project: Path, run: Run) -> None:
    """Verify the dry run of `send review` lists its message as the chair's, in Finnish."""
    send_review(run)
    result = run("send", MEETING, "review")
    assert "puheenjohtaja: vastaanottajat maija.meikalainen@example.fi;" in result.output
    assert "chair:" not in result.output


def test_send_names_the_unbuilt_document_in_finnish(project: Path, run: Run) -> None:
    """Verify `send invitation` refused for a missing PDF names the invitation in Finnish."""
    assert run("build", MEETING).exit_code == 0  # a group receives PDF: it is missing
    result = run("send", MEETING, "invitation")
    assert result.exit_code == 3
    assert "Kokouksen 5/2026 (7.12.2026) kokouskutsusta puuttuu PDF-tiedosto" in result.output
    assert english_words(result.output) == [], result.output


def test_dry_run_is_called_koeajo_as_in_the_help(project: Path, run: Run) -> None:
    """Verify the dry run is called the same in `send`'s output as in its help."""
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert "Oletuksena koeajo" in run("send", "--help").output
    assert "Koeajo: mitään ei lähetetty." in run("send", MEETING, "invitation").output


@pytest.mark.parametrize(
    ("broken", "line", "finnish"),
    [
        ("number: 5/2026\ndate: 2026-12-07\nitems:\n\t- title: x\n", 4, "sarkainmerkki"),
        ('number: 5/2026\nplace: "Kaupungintalo\ndate: 2026-12-07\n', 4, "lainausmerkki jää"),
        ("number: 5/2026\nplace: [Kaupungintalo\ndate: 2026-12-07\n", 3, "sulkumerkki jää"),
        ("number: 5/2026\nplace: Talo: sali 2\n", 2, "tekstin sisällä on kaksoispiste"),
    ],
)
def test_broken_yaml_is_explained_in_finnish(
    project: Path, run: Run, broken: str, line: int, finnish: str
) -> None:
    """Verify a YAML syntax error is told in Finnish, with no English words of the parser."""
    AGENDA.write_text(broken, encoding="utf-8")
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert f"agenda.yaml:{line}: tämä ei ole kelvollista YAMLia ({finnish}" in result.output
    assert english_words(result.output) == [], result.output


def test_wording_refusals_are_finnish(project: Path, run: Run, held: None) -> None:
    """Verify the refusal to send or approve minutes that read as decisions is all Finnish."""
    code = send_review(run)
    edit(NOTES, "Elinvoimajohtaja esitteli", "Päätettiin, että elinvoimajohtaja esittelee")
    sent = run("send", MEETING, "review")
    approved = run("approve", MEETING, "--by", CHAIR, "--code", code)
    assert sent.exit_code == 3 and approved.exit_code == 3
    assert "Luonnosta ei voi lähettää tarkastettavaksi, kun sen sanamuoto" in sent.output
    assert "Puheenjohtaja ei voi hyväksyä pöytäkirjaa, kun sen sanamuoto" in approved.output
    for output in (sent.output, approved.output):
        assert "cannot be" not in output and "read as decisions" not in output


def test_stale_approval_is_told_in_finnish(project: Path, run: Run, held: None) -> None:
    """Verify a build and a send after the approved content changed speak Finnish, with the
    approval's date as 8.12.2026."""
    without_pdf(project)
    approve(run)
    edit(NOTES, "Elinvoimajohtaja esitteli", "Elinvoimajohtaja kertoi")
    built = run("build", MEETING)
    sent = run("send", MEETING, "minutes")
    assert sent.exit_code == 3
    assert "varoitus: puheenjohtajan hyväksyntä 8.12.2026 ei ole enää voimassa" in built.output
    assert "Hyväksytty pöytäkirja säilytetään ennallaan" in built.output
    assert sent.output.rstrip().endswith("Mitään ei lähetetä.")
    for output in (built.output, sent.output):
        assert "kept as they were" not in output and "Nothing is sent" not in output
        assert "warning" not in output


@pytest.mark.parametrize(
    ("damage", "finnish"),
    [
        (b"not a zip", "tiedosto ei ole luettava DOCX- tai ODT-tiedosto (vioittunut"),
        (None, "asiakirjapohja ei ole käyttökelpoinen DOCX-tiedosto"),
    ],
)
def test_broken_template_is_explained_in_finnish(
    project: Path, run: Run, damage: bytes | None, finnish: str
) -> None:
    """Verify a municipality's template that is no office file is refused in Finnish, by
    `templates check` and by `build`, without the zip library's English."""
    import zipfile

    folder = project / "kunnan_pohjat"
    folder.mkdir()
    target = folder / "invitation.docx"
    if damage is None:  # a zip, but no Word document inside
        with zipfile.ZipFile(target, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
    else:
        target.write_bytes(damage)
    checked = run("templates", "check", str(folder), MEETING)
    built = run("build", MEETING, "--templates", str(folder))
    assert checked.exit_code == 1 and built.exit_code == 1
    for output in (checked.output, built.output):
        assert finnish in output, output
        assert english_words(output) == [], output


def test_report_says_each_state_once(project: Path, run: Run) -> None:
    """Verify the annual evaluation's table of meetings says whether the minutes went to the
    groups in its own column only, not again in the state beside it."""
    from pipeline.documents import document_text

    without_pdf(project)  # no LibreOffice for the approval: the test reads the DOCX only
    approve(run, "2026-11-09")
    assert run("report", "2026").exit_code == 0
    text = document_text(Path("outputs/arviointi_2026/arviointi_2026.docx").read_bytes(), "docx")
    lines = text.splitlines()
    row = lines.index("4/2026")  # the first table: meeting, date, state, approved, distributed
    assert lines[row + 2] == "pidetty, pöytäkirja hyväksytty"
    assert lines[row + 4] == "ei jaettu"


def test_rules_are_cited_as_the_documents_cite_them(project: Path, run: Run) -> None:
    """Verify the messages cite the rules as the documents do, *pelisääntöjen kohta 4*, and
    say plainly why a *päätös* of no official body is flagged."""
    edit(NOTES, "Elinvoimajohtaja esitteli päivityksen aikataulun.", "Tehtiin päätös.")
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert "(pelisääntöjen kohta 4)" in result.output
    assert "eikä lauseessa ole virallista toimielintä, jonka päätöksestä olisi kyse" in (
        result.output
    )
    assert "sääntöjen kohta 4" not in result.output.replace("pelisääntöjen", "")
    assert "(pelisääntöjen kohta 6)" in run("report", "--help").output


def test_no_lone_line_at_a_page_foot_or_head(project: Path, run: Run) -> None:
    """Verify the documents ask for widow and orphan control in both formats: a paragraph
    never leaves one line alone at a page foot (as item 7 of a long year's evaluation did in
    ODT), and Word, which applies it only when the file says so, keeps it too."""
    import zipfile

    from lxml import etree

    assert run("build", MEETING).exit_code == 0
    out = Path("outputs") / MEETING
    with zipfile.ZipFile(out / f"kokouskutsu_{MEETING}.odt") as odt:
        styles = etree.fromstring(odt.read("styles.xml"))
    fo = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
    default = styles.xpath(
        "//style:default-style[@style:family='paragraph']/style:paragraph-properties",
        namespaces={"style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0"},
    )
    assert default and default[0].get(f"{{{fo}}}orphans") == "2"
    assert default[0].get(f"{{{fo}}}widows") == "2"
    with zipfile.ZipFile(out / f"kokouskutsu_{MEETING}.docx") as docx:
        word = etree.fromstring(docx.read("word/styles.xml"))
    w = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    assert word.xpath("//w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", namespaces=w)


def test_schemas_help_the_editor_in_finnish(project: Path, run: Run, tmp_path: Path) -> None:
    """Verify every description the editor shows from `minutes schema` is Finnish: the date
    and time types and the attachment's model too, not their English."""
    import json

    assert run("schema", str(tmp_path)).exit_code == 0
    descriptions = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "description" and isinstance(value, str):
                    descriptions.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for schema in sorted(tmp_path.glob("*.schema.json")):
        walk(json.loads(schema.read_text(encoding="utf-8")))
    assert len(descriptions) > 50
    english = [d for d in descriptions if re.search(r"\b(the|a|an|as|of|is|in|for)\b", d)]
    assert english == []
    assert "Päivämäärä muodossa VVVV-KK-PP, esimerkiksi 2026-12-07" in descriptions


def test_status_of_a_new_meeting_names_the_invitation_first(project: Path, run: Run) -> None:
    """Verify `status` of a meeting just started says the invitation is still to be made and
    sent, before the notes: not only the notes, as if the groups had been invited."""
    assert run("new", "2027-01-18").exit_code == 0
    result = run("status", "2027-01-18")
    assert result.exit_code == 0, result.output
    assert (
        "Tekemättä: tee kokouskutsu ja lähetä se ryhmille (`minutes build 2027-01-18`, sitten "
        "`minutes send 2027-01-18 invitation --smtp`); kirjoita muistiinpanot (notes.yaml) "
        "kokouksen jälkeen"
    ) in result.output


ROSTER = Path("inputs") / "organisation.yaml"


@pytest.mark.parametrize(
    ("old", "new", "finnish"),
    [
        (
            "  email: maija.meikalainen@example.fi\n  group: kesk",
            "  email: maija.meikäläinen@example.fi\n  group: kesk",
            "joita osoitteessa ei voi olla, kuten ääkkösiä",
        ),
        (
            "  email: maija.meikalainen@example.fi\n  group: kesk",
            "  email: maija@@example.fi\n  group: kesk",
            "(@-merkin jälkeinen osa ei ole verkkotunnus, johon postia voi lähettää)",
        ),
        (
            'sender: "Teppo Testaaja <teppo.testaaja@example.fi>"',
            'sender: "Teppo Testaaja <teppo.testaaja@example.fi>, x@example.fi"',
            "`mail.sender`: kirjoita täsmälleen yksi osoite, kuten Teppo Testaaja",
        ),
        (
            "    formats: [docx, pdf]",
            "    formats: [docx, rtf]",
            "`groups.formats`: kirjoita jokin näistä: 'docx', 'odt' tai 'pdf'; nyt siinä on 'rtf'",
        ),
        ("    short: SDP", "    short: [SDP]", "`groups.short`: tähän kuuluu teksti eikä luettelo"),
    ],
)
def test_roster_problems_are_told_in_finnish(
    project: Path, run: Run, old: str, new: str, finnish: str
) -> None:
    """Verify a bad address, a second sender, a format or a type that is not allowed in the
    roster is told in Finnish, without the validators' English (…@-sign…, or, a list)."""
    edit(ROSTER, old, new)
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert finnish in result.output, result.output
    assert english_words(result.output) == [], result.output
    assert "@-sign" not in result.output


def test_a_refused_connection_is_told_in_finnish(project: Path, run: Run) -> None:
    """Verify a mail server that refuses the connection is named in Finnish, not by the
    system's English (ConnectionRefusedError: [Errno 111] Connection refused)."""
    from conftest import free_port

    without_pdf(project)
    text = ROSTER.read_text(encoding="utf-8")
    start = text.index("  smtp:")
    smtp = f"  smtp:\n    host: 127.0.0.1\n    port: {free_port()}\n    security: none\n"
    ROSTER.write_text(text[:start] + smtp, encoding="utf-8")
    assert run("build", MEETING).exit_code == 0
    result = run("send", MEETING, "invitation", "--smtp")
    assert result.exit_code == 4
    assert "ei saada yhteyttä (palvelin torjui yhteyden)" in result.output
    assert "Errno" not in result.output and "Error" not in result.output


def test_readme_shows_the_codes_build_prints(project: Path, run: Run) -> None:
    """Verify the README's example shows exactly what `minutes build` prints for the example:
    its review codes change with the content and the templates, and a stale one sends the
    reader to approve with a code the command refuses."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```\n(kirjoitettiin .*?)```", readme, re.S)
    assert block and block.group(1) == run("build", MEETING).output
    shown = re.search(r"Pöytäkirjaluonnos: tarkistuskoodi ([0-9A-Z]{4}-[0-9A-Z]{4})\.", readme)
    approve = re.search(
        r"approve 2026-11-09 --by \"[^\"]+\" --code ([0-9A-Z]{4}-[0-9A-Z]{4})", readme
    )
    assert shown and approve
    assert f"tarkistuskoodi {shown.group(1)}." in run("build", MEETING).output
    assert f"tarkistuskoodi {approve.group(1)}." in run("build", "2026-11-09").output


def test_new_says_what_it_writes(project: Path, run: Run) -> None:
    """Verify `new --help` promises what `new` writes: the review item, and not the open
    follow-ups, which the invitation lists by itself when it is rendered."""
    helped = run("new", "--help").output
    assert "ja edellisen kokouksen pöytäkirjan/muistion läpikäynti;" in " ".join(helped.split())
    assert "kokouskutsu luettelee yhä avoimet jatkovalmistelun kohdat itse" in " ".join(
        helped.split()
    )
    assert run("new", "2027-01-18").exit_code == 0
    agenda = (Path("inputs") / "2027-01-18" / "agenda.yaml").read_text(encoding="utf-8")
    assert "Edellisen kokouksen pöytäkirjan läpikäynti" in agenda
    assert "4/2026-3.1" not in agenda  # an open follow-up: the invitation's, not the file's


def test_report_counts_one_in_the_singular(project: Path, run: Run) -> None:
    """Verify the evaluation of a year with one meeting and one follow-up says *1 kokous* and
    *1 jatkovalmistelun kohta*, not *1 kokousta*, *1 … kohtaa*."""
    import shutil

    from pipeline.documents import document_text

    shutil.rmtree(Path("inputs") / MEETING)
    notes = Path("inputs") / "2026-11-09" / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(text[: text.index("      - task: Kyläkoulujen")], encoding="utf-8")
    without_pdf(project)  # no LibreOffice for the approval: the test reads the DOCX only
    approve(run, "2026-11-09")
    assert run("report", "2026").exit_code == 0
    report = Path("outputs/arviointi_2026/arviointi_2026.docx").read_bytes()
    flat = " ".join(document_text(report, "docx").split())
    assert "on kirjattu 1 kokous, joista 1 on pidetty" in flat
    assert "kirjattiin 1 jatkovalmistelun kohta:" in flat


def test_calendar_file_has_no_english_note(project: Path, run: Run) -> None:
    """Verify the invitation's calendar file carries no English text (the time zone's note on
    the years it covers), only the meeting's Finnish."""
    from email import policy
    from email.parser import BytesParser

    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation").exit_code == 0
    eml = Path("outputs") / MEETING / "outbox" / "invitation" / "kesk.eml"
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    text = ics.get_content()
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/Helsinki" in text
    assert "COMMENT" not in text and "timezone only works" not in text


def test_a_notes_item_not_numbered_is_told_plainly(project: Path, run: Run) -> None:
    """Verify a notes item keyed by a word is told as a missing item number, not as the
    validator's `items.kaksi.[key]`."""
    edit(NOTES, "\n  2:\n", "\n  kaksi:\n")
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert (
        "notes.yaml:19: `items`: 'kaksi' ei ole asian numero; kirjoita asian numero "
        "esityslistalta, esimerkiksi 3:"
    ) in result.output
    assert "[key]" not in result.output


def test_a_broken_odt_template_is_named_by_its_file(project: Path, run: Run) -> None:
    """Verify `build` names the municipality's ODT template whose filled-in XML breaks, with the
    part of it, as it names a DOCX template: not as an English *template content.xml* that
    leaves the secretary to guess which of the templates it is."""
    import shutil
    import zipfile

    folder = project / "kunnan_pohjat"
    shutil.copytree(Path(__file__).resolve().parent.parent / "templates", folder)
    target = folder / "invitation.odt"
    with zipfile.ZipFile(target) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    content = parts["content.xml"].decode()
    content = content.replace("{{ meeting.place }}", "{% if x %}<text:span>{{ meeting.place }}", 1)
    parts["content.xml"] = content.encode()
    with zipfile.ZipFile(target, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    result = run("build", MEETING, "--templates", str(folder))
    assert result.exit_code == 1
    assert f"{target} content.xml: " in result.output, result.output
    assert "template content.xml" not in result.output, result.output


def test_a_cut_send_log_names_the_missing_messages_in_finnish(
    project: Path, run: Run, server
) -> None:
    """Verify `send` refused because the send log lost messages the audit log records names
    them as the secretary reads them elsewhere (*kokouskutsu ryhmälle kesk*), not by the logs'
    English kind (*invitation → kesk*)."""
    from conftest import use_server

    without_pdf(project)
    use_server(project, server)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation", "--smtp").exit_code == 0
    (Path("outputs") / MEETING / "sendlog.jsonl").write_text("", encoding="utf-8")
    result = run("send", MEETING, "invitation", "--smtp")
    assert result.exit_code == 3, result.output
    assert "kokouskutsu ryhmälle kesk" in result.output, result.output
    assert "invitation" not in result.output.replace("invitation --smtp", ""), result.output


def test_status_waits_for_the_chair_once_the_draft_went_to_her(
    project: Path, run: Run, server: Server
) -> None:
    """Verify `send review --smtp` ends with the approval's command, and `status` then says
    the draft went to the chair and what to record when she replies, not to send it again;
    a change after the approval asks for a new review with its command."""
    use_server(project, server)
    without_pdf(project)
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        assert run("build", MEETING).exit_code == 0
        sent = run("send", MEETING, "review", "--smtp")
        status = run("status", MEETING).output
    approve_command = f'`minutes approve {MEETING} --by "{CHAIR}" --code KOODI`'
    assert sent.exit_code == 0, sent.output
    assert (
        f"Kun puheenjohtaja vastaa tarkistuskoodilla, kirjaa hyväksyntä: {approve_command}"
    ) in sent.output
    assert (
        "Tekemättä: luonnos lähti puheenjohtajalle tarkastettavaksi 8.12.2026; kun hän vastaa "
        f"tarkistuskoodilla, kirjaa hyväksyntä ({approve_command})"
    ) in status, status
    assert f"minutes send {MEETING} review" not in status
    with time_machine.travel(dt.datetime(2026, 12, 8, 10, 0, tzinfo=HELSINKI), tick=True):
        approve(run, MEETING)
        edit(NOTES, "Elinvoimajohtaja esitteli", "Elinvoimajohtaja kertoi")
        stale = run("status", MEETING).output
    assert (
        "sisältö on muuttunut hyväksynnän jälkeen: lähetä uusi luonnos tarkastettavaksi "
        f"(`minutes send {MEETING} review`)"
    ) in stale, stale


def test_followups_say_how_an_item_is_marked_done(project: Path, run: Run) -> None:
    """Verify `followups` ends by saying where an item found done is marked, with an open
    item's own id, so the secretary need not look it up."""
    result = run("followups")
    assert result.exit_code == 0, result.output
    assert result.output.rstrip().endswith(
        "Kun kokous toteaa kohdan valmiiksi, merkitse se sen kokouksen notes.yaml-tiedostoon: "
        "follow_up_done: [4/2026-3.1]"
    ), result.output


def test_report_of_a_year_without_meetings_names_the_years_that_have_them(
    project: Path, run: Run
) -> None:
    """Verify `report` for a year with no meetings says which years have them."""
    result = run("report", "2025")
    assert result.exit_code == 1
    assert "vuodelta 2025 ei ole kokouksia; anna vuosi, jolta kokouksia on: 2026" in result.output
    assert english_words(result.output) == [], result.output


def test_approve_by_someone_else_is_told_before_the_code(project: Path, run: Run) -> None:
    """Verify `approve` by the vice-chair, or by a name that is not the chair's, with a code
    that does not match says who approves, not that the code is wrong: the secretary would
    otherwise chase a code when the name is what she must fix."""
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        send_review(run)
        vice = run("approve", MEETING, "--by", "Pekka Perälä", "--code", "AAAA-BBBB")
        other = run("approve", MEETING, "--by", "Maija Meikalainen", "--code", "AAAA-BBBB")
    assert vice.exit_code == other.exit_code == 3
    assert "Pekka Perälä on varapuheenjohtaja" in vice.output, vice.output
    assert "Maija Meikalainen ei ole puheenjohtaja" in other.output, other.output
    assert "Koodi AAAA-BBBB" not in vice.output + other.output

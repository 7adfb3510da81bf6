"""What the documents say, in Finnish: the record's name, labels, standard sentences,
attendance, the live review of the previous record, attachments and public statements."""

from __future__ import annotations

import re
import shutil
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import (
    CHAIR,
    MEETING,
    Run,
    approve,
    edit,
    review_code,
    send_review,
    use_muistio,
    without_pdf,
)

from pipeline.documents import document_text
from pipeline.terms import genitive

OUT = Path("outputs") / MEETING
PREVIOUS = "2026-11-09"


def text_of(path: Path) -> str:
    return document_text(path.read_bytes(), path.suffix.lstrip("."))


def squash(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sanna Sijainen", "Sanna Sijaisen"),
        ("Pekka Perälä", "Pekka Perälän"),
        ("Antti Mäki", "Antti Mäen"),
        ("Liisa Hirvikoski", "Liisa Hirvikosken"),
        ("Outi Lahti", "Outi Lahden"),
        ("Tuomas Laine", "Tuomas Laineen"),
        ("Ville Vähäkangas", "Ville Vähäkankaan"),
        ("Anna-Kaisa Kivelä", "Anna-Kaisa Kivelän"),
        ("Kalle Korvaava", "Kalle Korvaavan"),
        ("Jussi Pekka", "Jussi Pekan"),
        ("Matti Virtanen", "Matti Virtasen"),
        ("Jaakko Rantamäki", "Jaakko Rantamäen"),
        ("Markus Mäkelä-Niemi", "Markus Mäkelä-Niemen"),
        ("Eeva Lindholm", "Eeva Lindholmin"),
        ("Maija Tuomas", "Maija Tuomaksen"),
        ("Heikki Rinne", "Heikki Rinteen"),
    ],
)
def test_genitive_of_names(name: str, expected: str) -> None:
    """Verify a person's name is put in the genitive by the rules of Finnish names."""
    assert genitive(name) == expected


def test_pöytäkirja_labels_and_standard_sentences(project: Path, run: Run) -> None:
    """Verify the draft minutes use the labels of a non-deciding group, one-word draft
    marking, the opening and closing sentences from the notes, the substitute line and no
    presenter listed again as heard, in both formats."""
    assert run("build", MEETING).exit_code == 0
    for fmt in ("docx", "odt"):
        text = squash(text_of(OUT / f"poytakirja_luonnos_{MEETING}.{fmt}"))
        assert "PÖYTÄKIRJALUONNOS" in text and "PÖYTÄKIRJA LUONNOS" not in text
        assert "Toimielin" not in text and "Esittelijä" not in text
        assert re.search(r"Alustaja ?kaupunginjohtaja Ville Virkamies", text)
        assert "Kuultu" not in text  # both guests presented their own items
        assert "Pöytäkirjan hyväksyminen" in text and "hyväksyntä" not in text
        assert "Puheenjohtaja avasi kokouksen klo 17.03." in text
        assert "Puheenjohtaja päätti kokouksen klo 18.52." in text
        assert "Kalle Korvaava (varajäsen, Sanna Sijaisen tilalla)" in text
        sdp = text.split("Sosialidemokraattinen valtuustoryhmä", 1)[1].split("valtuustoryhmä")[0]
        assert "Poissa" not in sdp  # Sanna Sijainen is not listed again as absent
        assert "puheenjohtaja ei ole vielä hyväksynyt pöytäkirjaa." in text


def test_guest_who_did_not_present_is_heard(project: Path, run: Run) -> None:
    """Verify a guest who is not the item's presenter is still listed as heard."""
    edit(
        project / "inputs" / MEETING / "notes.yaml",
        "items: [5] }",
        "items: [5] }\n    - { name: Hanna Hallinto, title: talousjohtaja, items: [3] }",
    )
    assert run("build", MEETING).exit_code == 0
    text = squash(text_of(OUT / f"poytakirja_luonnos_{MEETING}.odt"))
    assert "Kuultu Hanna Hallinto, talousjohtaja" in text
    assert "Kuultu Ville Virkamies" not in text


@pytest.mark.usefixtures("held")
def test_muistio_everywhere(project: Path, run: Run) -> None:
    """Verify `wording.record: muistio` names, inflects and files the record as a muistio in
    the documents, the file names, the email and the messages."""
    use_muistio(project)
    without_pdf(project)
    result = run("build", MEETING)
    assert result.exit_code == 0, result.output
    draft = OUT / f"muistio_luonnos_{MEETING}.docx"
    assert draft.exists() and not list(OUT.glob("poytakirja*"))
    for fmt in ("docx", "odt"):
        text = squash(text_of(OUT / f"muistio_luonnos_{MEETING}.{fmt}"))
        assert "MUISTIOLUONNOS" in text
        assert "Tämä muistio ei ole virallinen pöytäkirja" in text
        assert "Muistion hyväksyminen" in text
        assert "Muistio on luonnos: puheenjohtaja ei ole vielä hyväksynyt muistiota." in text
        assert "PÖYTÄKIRJA" not in text
    invitation = squash(text_of(OUT / f"kokouskutsu_{MEETING}.docx"))
    assert "Käydään läpi kokouksen 4/2026 (9.11.2026) muistio; se on vielä luonnos." in invitation
    assert run("send", MEETING, "review").exit_code == 0
    review = (OUT / "outbox" / "review" / "chair.eml").read_text(encoding="utf-8")
    assert "muistio" in review.casefold() and "pöytäkirja" not in review.casefold()
    code = review_code(result.output)
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0
    final = squash(text_of(OUT / f"muistio_{MEETING}.odt"))
    assert "Muistion on hyväksynyt puheenjohtaja Maija Meikäläinen" in final
    assert run("build", MEETING).exit_code == 0
    cover = squash(text_of(OUT / f"saate_ps_{MEETING}.docx"))
    assert "kokouksen 5/2026 muistio" in cover and re.search("Liite ?Muistio 5/2026", cover)


def test_review_of_previous_record_is_live(project: Path, run: Run) -> None:
    """Verify the invitation's review item says, from the approval state when it is rendered,
    either that the previous record is a draft or who approved it and when; never both."""
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    before = squash(text_of(OUT / f"kokouskutsu_{MEETING}.docx"))
    assert "Käydään läpi kokouksen 4/2026 (9.11.2026) pöytäkirja; se on vielä luonnos." in before
    assert "hyväksynyt" not in before
    approve(run, PREVIOUS)
    assert run("build", MEETING).exit_code == 0
    after = squash(text_of(OUT / f"kokouskutsu_{MEETING}.odt"))
    assert re.search(
        r"Käydään läpi kokouksen 4/2026 \(9\.11\.2026\) pöytäkirja, jonka puheenjohtaja on "
        r"hyväksynyt \d{1,2}\.\d{1,2}\.\d{4}\.",
        after,
    )
    assert "luonnos." not in after.split("Talousarvio 2027")[0]


def test_new_writes_no_state_and_no_old_link(project: Path, run: Run) -> None:
    """Verify `new` freezes no approval state into the agenda, does not copy the previous
    meeting's remote link (a commented reminder instead), and names the review item."""
    without_pdf(project)
    approve(run, PREVIOUS)
    assert run("new", "2027-01-18").exit_code == 0
    text = (project / "inputs" / "2027-01-18" / "agenda.yaml").read_text(encoding="utf-8")
    assert "hyväksytty" not in text and "Käydään läpi" not in text
    assert "https://example.fi/meet" not in text
    assert "# remote:" in text
    assert "- title: Edellisen kokouksen pöytäkirjan läpikäynti" in text
    assert run("check", "2027-01-18").exit_code == 0


def test_check_warns_without_review_item(project: Path, run: Run) -> None:
    """Verify `check` warns, with the agenda's file and line, when a meeting that has a
    previous one does not review its record (rule 3)."""
    edit(
        project / "inputs" / MEETING / "agenda.yaml",
        "  - title: Edellisen kokouksen pöytäkirjan läpikäynti\n",
        "  - title: Ajankohtaiset asiat\n",
    )
    result = run("check", MEETING)
    assert result.exit_code == 0
    assert re.search(r"agenda\.yaml:\d+: .*4/2026", result.output)
    first = run("check", PREVIOUS)
    assert "4/2026" not in first.output and "warning" not in first.output


def test_overdue_is_judged_against_the_meeting_date(project: Path, run: Run) -> None:
    """Verify a follow-up due before the meeting is overdue in its invitation, and one due
    after it is not, whatever day the document is rendered."""
    assert run("build", MEETING).exit_code == 0
    text = squash(text_of(OUT / f"kokouskutsu_{MEETING}.docx"))
    assert "30.11.2026 (myöhässä)" in text
    assert "20.1.2027 (myöhässä)" not in text


def test_public_statement_needs_every_group(project: Path, run: Run) -> None:
    """Verify `check` refuses a public statement on an item with dissents, at a meeting where
    a group had nobody present, naming the groups, with the line of `public`."""
    notes = project / "inputs" / MEETING / "notes.yaml"
    edit(notes, "      public: false", "      public: true")
    result = run("check", MEETING)
    assert result.exit_code == 1
    line = next(n for n, x in enumerate(notes.read_text().splitlines(), 1) if "public: true" in x)
    assert f"notes.yaml:{line}:" in result.output
    assert "ryhmillä on asiassa eriävä kanta (ps, vas, vihr)" in result.output
    assert "ryhmästä kd ei ollut ketään paikalla" in result.output


def test_public_statement_on_a_confidential_item(project: Path, run: Run) -> None:
    """Verify a public statement on a confidential item is refused even when every group
    was present and agrees."""
    notes = project / "inputs" / MEETING / "notes.yaml"
    edit(notes, "absent: [Sanna Sijainen, Anna-Kaisa Kivelä]", "absent: [Sanna Sijainen]")
    edit(notes, "    - Teppo Testaaja", "    - Anna-Kaisa Kivelä\n    - Teppo Testaaja")
    edit(
        notes,
        "        due: 2027-02-15",
        "        due: 2027-02-15\n    statement: { text: Yhteinen viesti., public: true }",
    )
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert "asia on luottamuksellinen" in result.output
    edit(notes, "statement: { text: Yhteinen viesti., public: true }", "")
    edit(
        notes,
        "        due: 2027-02-28",
        "        due: 2027-02-28\n    statement: { text: Yhteinen viesti., public: true }",
    )
    assert run("check", MEETING).exit_code == 0
    assert run("build", MEETING).exit_code == 0
    text = squash(text_of(OUT / f"poytakirja_luonnos_{MEETING}.docx"))
    assert (
        "sen julkaisemisesta sopivat yhdessä kaikki kokouksessa edustettuina olleet ryhmät "
        "(KESK, SDP, PS, KOK, VAS, VIHR, KD)" in text
    )


def test_attachment_files_are_checked(project: Path, run: Run, tmp_path: Path) -> None:
    """Verify `check` refuses an attachment file that is missing, outside the meeting folder
    or reached through a symbolic link, each with the agenda's line."""
    agenda = project / "inputs" / MEETING / "agenda.yaml"
    good = "file: liitteet/investointiohjelma-2027-2029.pdf"
    assert run("check", MEETING).exit_code == 0
    outside = tmp_path / "salainen.pdf"
    outside.write_bytes(b"%PDF-1.4")
    (project / "inputs" / MEETING / "liitteet" / "linkki.pdf").symlink_to(outside)
    for bad, words in (
        ("file: liitteet/puuttuu.pdf", "ei ole kansiossa"),
        ("file: ../organisation.yaml", "on kokouskansion ulkopuolella"),
        (f"file: {outside}", "on kokouskansion ulkopuolella"),
        ("file: liitteet/linkki.pdf", "symbolisen linkin takana"),
    ):
        edit(agenda, good, bad)
        result = run("check", MEETING)
        assert result.exit_code == 1, bad
        assert re.search(rf"agenda\.yaml:\d+: .*{words}", result.output), result.output
        edit(agenda, bad, good)


def parse_eml(path: Path) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())  # type: ignore[return-value]


def body_of(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content()).replace("\r\n", "\n")


def test_invitation_email(project: Path, run: Run) -> None:
    """Verify the invitation email greets the group's members, gives the weekday in the
    essive, carries the agenda's attachment file, names the papers delivered separately,
    is dated in Helsinki time, and its calendar event's UID has the sender's domain."""
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "invitation").exit_code == 0
    for group in ("sdp", "kd", "vihr"):
        message = parse_eml(OUT / "outbox" / "invitation" / f"{group}.eml")
        body = body_of(message)
        assert body.startswith("Hyvät valtuustoryhmän jäsenet,\n")
        assert "kokoukseen 5/2026 maanantaina 7.12.2026 klo 17.00." in body
        assert "- Talousarvioesitys 2027 (luonnos)" in body.split("Erikseen toimitetaan:")[1]
        assert body.count("luottamuksellisesti") <= 1
        files = {p.get_filename(): p.get_content() for p in message.iter_attachments()}
        paper = project / "inputs" / MEETING / "liitteet" / "investointiohjelma-2027-2029.pdf"
        assert files["investointiohjelma-2027-2029.pdf"] == paper.read_bytes()
        assert str(message["Date"]).endswith(("+0200", "+0300"))
        ics = files[f"kokous_{MEETING}.ics"]
        ics_text = ics.decode() if isinstance(ics, bytes) else ics
        assert re.search(r"UID:\S+@example\.fi", ics_text)


@pytest.mark.usefixtures("held")
def test_review_and_minutes_emails(project: Path, run: Run) -> None:
    """Verify the chair is greeted as chair, the draft is named in one word, and the
    groups' minutes email says what is attached once, without repeating the cover letter."""
    without_pdf(project)
    code = send_review(run)
    review = parse_eml(OUT / "outbox" / "review" / "chair.eml")
    body = body_of(review)
    assert body.startswith("Hyvä puheenjohtaja,\n")
    assert "pöytäkirjaluonnos tarkastettavaksi" in body and "Jos pöytäkirja on mielestäsi" in body
    assert "pöytäkirjaluonnos 5/2026" in str(review["Subject"])
    assert run("approve", MEETING, "--by", CHAIR, "--code", code).exit_code == 0
    assert run("send", MEETING, "minutes").exit_code == 0
    message = parse_eml(OUT / "outbox" / "minutes" / "ps.eml")
    body = body_of(message)
    assert body.startswith("Hyvät valtuustoryhmän jäsenet,\n")
    assert "pöytäkirja ja saatekirje ryhmänne tiedoksi" in body
    assert "luottamuksellis" not in body and "virallinen pöytäkirja" not in body


def test_mail_template_is_editable_and_plain_text(project: Path, run: Run) -> None:
    """Verify a municipality's own mail template is used, `&` is not HTML-escaped, and a
    template that reaches for Python internals is refused as an input problem."""
    from pipeline.documents import DEFAULT_TEMPLATES

    without_pdf(project)
    own = project / "omat"
    shutil.copytree(DEFAULT_TEMPLATES, own)
    (own / "mail" / "invitation.txt").write_text(
        "Kutsu & tervetuloa {{ meeting.number }}\n\nTervetuloa, {{ group.name }} & muut!\n",
        encoding="utf-8",
    )
    assert run("build", MEETING, "--templates", str(own)).exit_code == 0
    assert run("send", MEETING, "invitation", "--templates", str(own)).exit_code == 0
    message = parse_eml(OUT / "outbox" / "invitation" / "ps.eml")
    assert str(message["Subject"]) == "Kutsu & tervetuloa 5/2026"
    body = body_of(message)
    assert body == "Tervetuloa, Perussuomalaisten valtuustoryhmä & muut!\n"
    (own / "mail" / "invitation.txt").write_text(
        "{{ meeting.__class__.__mro__ }}\n\nx\n", encoding="utf-8"
    )
    result = run("send", MEETING, "invitation", "--templates", str(own))
    assert result.exit_code == 1 and "invitation.txt" in result.output


def test_item_heading_block_keeps_with_its_text(project: Path, run: Run) -> None:
    """Verify, in both formats, that an item's presenter and guests are kept with what
    follows (so the heading block never ends a page alone) and that the invitation's first
    paragraph stands apart from the last field above it."""
    import zipfile

    assert run("build", MEETING).exit_code == 0
    for name in (f"kokouskutsu_{MEETING}", f"poytakirja_luonnos_{MEETING}"):
        with zipfile.ZipFile(OUT / f"{name}.docx") as docx:
            styles = docx.read("word/styles.xml").decode()
            body = docx.read("word/document.xml").decode()
        item_field = re.search(r'w:styleId="ItemField".*?</w:style>', styles, re.S)
        assert item_field and "<w:keepNext/>" in item_field.group(0)
        assert re.search(r'<w:pStyle w:val="ItemField"/>.*?Alustaja', body, re.S)
        with zipfile.ZipFile(OUT / f"{name}.odt") as odt:
            styles = odt.read("styles.xml").decode()
            body = odt.read("content.xml").decode()
        item_field = re.search(r'style:name="Item_20_Field".*?</style:style>', styles, re.S)
        assert item_field and 'fo:keep-with-next="always"' in item_field.group(0)
        assert '<text:p text:style-name="Item_20_Field">Alustaja' in body
    with zipfile.ZipFile(OUT / f"kokouskutsu_{MEETING}.odt") as odt:
        styles = odt.read("styles.xml").decode()
        body = odt.read("content.xml").decode()
    lead = re.search(r'style:name="Lead".*?</style:style>', styles, re.S)
    assert lead and 'fo:margin-top="14pt"' in lead.group(0)
    assert '<text:p text:style-name="Lead">Neuvotteluryhmän jäsenet kutsutaan' in body


def test_check_reports_every_problem_in_one_run(project: Path, run: Run) -> None:
    """Verify a schema problem in the notes (a time that is not a time) does not hide the
    cross-checks of the parts that did validate: an unknown person, an unknown group and an
    item that is not on the agenda are all reported in the same run, and a broken agenda does
    not hide the notes' check against the roster."""
    notes = project / "inputs" / MEETING / "notes.yaml"
    edit(notes, 'opened: "17:03"', 'opened: "17.03"')
    edit(notes, "    - Jussi Järvinen", "    - Jussi Järvine")
    edit(notes, "      - groups: [ps]", "      - groups: [persut]")
    edit(notes, "  8:\n", "  12:\n")
    result = run("check", MEETING)
    assert result.exit_code == 1
    out = result.output
    assert "opened" in out
    assert "Jussi Järvine" in out and "Jussi Järvinen" in out
    assert "persut" in out
    assert re.search(r"notes\.yaml:\d+: .*12", out)
    agenda = project / "inputs" / MEETING / "agenda.yaml"
    edit(agenda, 'start: "17:00"', 'start: "kello viisi"')
    result = run("check", MEETING)
    assert "kello viisi" in result.output and "Jussi Järvine" in result.output


def test_messages_are_finnish_by_default_and_english_on_request(
    project: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify the command speaks Finnish by default, with file, line and YAML field names as
    they are, and English when the locale asks for it (LANG=en_...)."""
    for variable in ("MINUTES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "fi_FI.UTF-8")
    notes = project / "inputs" / MEETING / "notes.yaml"
    edit(notes, "    - Jussi Järvinen", "    - Jussi Järvine")
    edit(notes, 'closed: "18:52"', 'closed: "16:00"')
    result = run("check", MEETING)
    assert result.exit_code == 1
    assert (
        "Jussi Järvine ei ole kokoonpanotiedostossa; tarkoititko Jussi Järvinen?" in result.output
    )
    assert "`closed` (16:00) ei ole avausajan `opened` (17:03) jälkeen" in result.output
    assert re.search(r"notes\.yaml:\d+: ", result.output)
    assert "Löytyi 2 ongelmaa; korjaa ne ja aja komento uudelleen." in result.output
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    result = run("check", MEETING)
    assert "Jussi Järvine is not in the roster; did you mean Jussi Järvinen?" in result.output
    assert "2 problems found; fix them and run the command again." in result.output
    monkeypatch.setenv("LANG", "C.UTF-8")  # a neutral locale: the default, Finnish
    assert "Löytyi 2 ongelmaa" in run("check", MEETING).output


LOCALE = Path(__file__).resolve().parent.parent / "pipeline" / "locale"


def test_catalog_is_complete_and_compiled(tmp_path: Path) -> None:
    """Verify every message the code marks for translation is in the Finnish catalog with a
    translation that keeps its placeholders, and that the committed .mo is compiled from the
    committed .po (so what the program reads is what was reviewed)."""
    import subprocess
    import sys

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = LOCALE.parent.parent
    pot = tmp_path / "minutes.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "--no-location",
            "--sort-output",
            "--project",
            "minutes",
            "-o",
            str(pot),
            ".",
        ],
        cwd=root,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as f:
        wanted = {m.id for m in read_po(f) if m.id}
    po_path = LOCALE / "fi" / "LC_MESSAGES" / "minutes.po"
    with po_path.open("rb") as f:
        catalog = read_po(f)
    translated = {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(str(m) for m in wanted if m not in translated)
    assert missing == [], "not translated in minutes.po (see pipeline/locale/README.md)"
    from pipeline.terms import MESSAGE_FORMS

    record_forms = {"{" + name + "}" for name in MESSAGE_FORMS}  # Finnish inflects the record
    for msgid, msgstr in translated.items():
        if isinstance(msgid, str):
            wanted_names = set(re.findall(r"\{[^{}]*\}", msgid))
            given = set(re.findall(r"\{[^{}]*\}", str(msgstr)))
            assert wanted_names <= given <= wanted_names | record_forms, msgid
    compiled = tmp_path / "minutes.mo"
    with compiled.open("wb") as f:
        write_mo(f, catalog)
    assert (LOCALE / "fi" / "LC_MESSAGES" / "minutes.mo").read_bytes() == compiled.read_bytes()


def test_messages_name_the_record_as_set(project: Path, run: Run) -> None:
    """Verify the command's messages call the record what the roster calls it."""
    result = run("build", MEETING)
    assert "Pöytäkirjaluonnos: tarkistuskoodi" in result.output
    use_muistio(project)
    result = run("build", MEETING)
    assert "Muistioluonnos: tarkistuskoodi" in result.output
    assert "pöytäkirja" not in result.output.casefold()


def test_send_names_each_message_in_the_users_language(
    project: Path, run: Run, server, held, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify `minutes send --smtp` names each message in Finnish, with the roster's word for
    the record, when a delivery fails and when the sending resumes; in English under LANG=en."""
    from conftest import use_server

    monkeypatch.setenv("MINUTES_LANG", "fi")
    use_server(project, server)
    without_pdf(project)
    use_muistio(project)
    approve(run, MEETING)
    server.mailbox.faults = {3: "451"}
    failed = run("send", MEETING, "minutes", "--smtp")
    assert failed.exit_code == 4, failed.output
    output = failed.output
    assert "Lähetetään: hyväksytty muistio" in output  # the progress
    assert re.search(r"lähetetty muistio ryhmälle \w+: ", output), output
    failure = r"epäonnistui: muistio ryhmälle \w+: palvelin ei hyväksynyt viestiä: 451"
    assert re.search(failure, output), output
    assert not re.search(r"\b(minutes|invitation|review) to\b|the server", output), output
    assert "pöytäkirja" not in output.casefold()
    for variable in ("MINUTES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # LANG decides
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    resumed = run("send", MEETING, "minutes", "--smtp")
    assert resumed.exit_code == 0, resumed.output
    assert re.search(r"^sent minutes to \w+: ", resumed.output, re.MULTILINE), resumed.output
    assert "already sent earlier, not sent again: minutes to " in resumed.output
    assert "ryhmälle" not in resumed.output

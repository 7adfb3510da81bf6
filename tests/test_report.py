"""The annual evaluation (rule 6): `minutes report YEAR` writes DOCX, ODT and PDF."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
import time_machine
from conftest import HELSINKI, Run, approve, validate_office, without_pdf, write
from pdfa import problems

from pipeline.documents import document_text

EARLIER = "2026-11-09"  # approved in these tests; 2026-12-07 stays a draft
OUT = Path("outputs") / "arviointi_2026"
GROUPS = (
    "Suomen Keskustan valtuustoryhmä",
    "Sosialidemokraattinen valtuustoryhmä",
    "Perussuomalaisten valtuustoryhmä",
    "Kansallisen Kokoomuksen valtuustoryhmä",
    "Vasemmistoliiton valtuustoryhmä",
    "Vihreä valtuustoryhmä",
    "Kristillisdemokraattinen valtuustoryhmä",
)
ENGLISH = re.compile(
    r"\b(the|and|of|meetings?|held|attendance|follow-ups?|overdue|done|none|open|approved|"
    r"draft|groups?|report)\b",
    re.IGNORECASE,
)


@pytest.fixture
def before_the_meeting() -> Iterator[None]:
    """Today is 1.12.2026: meeting 5/2026 (7.12.2026) has its notes written, ahead of the day,
    but has not been held."""
    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        yield


def report_texts() -> dict[str, str]:
    """The evaluation's text in both formats, read back from the files."""
    return {
        fmt: document_text((OUT / f"arviointi_2026.{fmt}").read_bytes(), fmt)
        for fmt in ("docx", "odt")
    }


@pytest.fixture
def approved_and_draft(project: Path, run: Run) -> Path:
    """Meeting 4/2026 approved by the chair; meeting 5/2026 held, its minutes a draft."""
    without_pdf(project)  # no LibreOffice for the approval: these tests read no PDF of it
    approve(run, EARLIER)
    return project


def test_report_in_both_formats(held: None, approved_and_draft: Path, run: Run) -> None:
    """Verify the evaluation (on 8.12.2026, both meetings held) is written as DOCX and ODT that
    pass the schema validator, name every group, count only the approved meeting as completed
    and say what is pending, hold the chart with its alternative text, have no English in
    them, and are signed as compiled by the secretary, not on the group's behalf."""
    result = run("report", "2026")
    assert result.exit_code == 0, result.output
    docx, odt = OUT / "arviointi_2026.docx", OUT / "arviointi_2026.odt"
    assert validate_office(docx, odt).count(": valid") == 2
    for path, fmt in ((docx, "docx"), (odt, "odt")):
        text = document_text(path.read_bytes(), fmt)
        flat = " ".join(text.split())
        for name in GROUPS:
            assert name in flat, (fmt, name)
        assert "joista 2 on pidetty 8.12.2026 mennessä" in flat
        assert "valmiita kokouksia on 1" in flat
        assert (
            "Kesken olevat asiat (tilanne 8.12.2026): Kokouksen 4/2026 (9.11.2026) pöytäkirja "
            "on hyväksytty, mutta sitä ei ole vielä jaettu ryhmille. Kokouksen 5/2026 "
            "(7.12.2026) pöytäkirjaa puheenjohtaja ei ole vielä hyväksynyt. Jatkovalmistelun "
            "kohdista on kesken 6 ja myöhässä 0 (luku 4)."
        ) in flat
        assert "Onko pelisääntöjä tarpeen päivittää?" in flat
        assert "Talousarvio 2027 ja taloussuunnitelma 2027–2029" in flat
        assert not ENGLISH.findall(flat), ENGLISH.findall(flat)
        # the secretary compiles the material (rule 6); the group adopts nothing by it
        assert "Neuvotteluryhmän puolesta" not in flat
        assert "Koonnut Teppo Testaaja hallintojohtaja neuvotteluryhmän sihteeri" in flat
    with zipfile.ZipFile(docx) as archive:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in archive.namelist())
        body = archive.read("word/document.xml").decode()
        assert 'descr="Pylväskaavio: ryhmien osallistuminen' in body
        assert "KD 1/2" in body  # the chart's data is in its alternative text too
    with zipfile.ZipFile(odt) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("Pictures/")]
        assert len(pictures) == 1 and pictures[0].endswith(".png")
        assert pictures[0].encode() in archive.read("META-INF/manifest.xml")
        content = archive.read("content.xml").decode()
        assert "<svg:title>Pylväskaavio: ryhmien osallistuminen" in content


def cells(text: str, first: str, count: int, occurrence: int = 0) -> list[str]:
    """The `count` table cells from the `occurrence`-th cell that reads `first`."""
    lines = text.splitlines()
    starts = [i for i, line in enumerate(lines) if line == first]
    return lines[starts[occurrence] : starts[occurrence] + count]


def test_report_counts_what_the_example_holds(
    held: None, approved_and_draft: Path, run: Run
) -> None:
    """Verify every figure of the evaluation on 8.12.2026 against the example inputs, counted
    by hand: attendance per group and per meeting (the secretary is in no group; a substitute
    counts for the group), matters, views and dissents per meeting and per group, and the
    follow-ups (4/2026-3.2 reported done at 5/2026)."""
    assert run("report", "2026").exit_code == 0
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        attendance = {
            "Suomen Keskustan valtuustoryhmä": ["2", "3"],
            "Sosialidemokraattinen valtuustoryhmä": ["2", "3"],
            "Perussuomalaisten valtuustoryhmä": ["2", "2"],
            "Kansallisen Kokoomuksen valtuustoryhmä": ["2", "2"],
            "Vasemmistoliiton valtuustoryhmä": ["2", "2"],
            "Vihreä valtuustoryhmä": ["2", "2"],
            "Kristillisdemokraattinen valtuustoryhmä": ["1", "1"],
        }
        dissents = {name: ["0", "–"] for name in GROUPS}
        for name in ("Perussuomalaisten", "Vasemmistoliiton", "Vihreä"):
            dissents[f"{name} valtuustoryhmä"] = ["1", "5/2026 kohta 3"]
        for name in GROUPS:
            assert cells(text, name, 3)[1:] == attendance[name], (fmt, name)
            assert cells(text, name, 3, occurrence=1)[1:] == dissents[name], (fmt, name)
        assert cells(text, "4/2026", 5, occurrence=1)[2:] == [
            "KESK, SDP, PS, KOK, VAS, VIHR, KD",
            "–",
            "7",
        ]
        assert cells(text, "5/2026", 5, occurrence=1)[2:] == [
            "KESK, SDP, PS, KOK, VAS, VIHR",
            "KD",
            "8",
        ]
        assert cells(text, "4/2026", 5, occurrence=2)[2:] == ["1", "1", "0"]
        assert cells(text, "5/2026", 5, occurrence=2)[2:] == ["6", "4", "2"]
        assert (
            "3. Perussuomalaisten valtuustoryhmä: Ryhmä ei yhdy veroprosentin korotukseen." in flat
        )
        assert (
            "kirjattiin 7 jatkovalmistelun kohtaa: valmiina 1, kesken 6 ja myöhässä 0 "
            "(tilanne 8.12.2026)"
        ) in flat
        assert cells(text, "4/2026-3.2", 5)[4] == "valmis (5/2026)"
        assert [cells(text, f"5/2026-{n}", 5)[4] for n in ("3.1", "3.2", "4.1", "5.1", "6.1")] == [
            "kesken"
        ] * 5
        assert "Kokous 5/2026, asia 3. Talousarvio 2027 ja taloussuunnitelma 2027–2029" in flat


def test_report_before_a_meeting_counts_nothing_of_it(
    before_the_meeting: None, approved_and_draft: Path, run: Run
) -> None:
    """Verify the evaluation on 1.12.2026 does not count meeting 5/2026 (7.12.2026) as held,
    although its notes are written: the summary, the pending list, the meetings' table, the
    chart, attendance, matters, dissents, follow-ups, statements and the approval table all
    hold only 4/2026, and the report says plainly that 5/2026 is still to come and what else
    is pending."""
    assert run("report", "2026").exit_code == 0
    files = (OUT / "arviointi_2026.docx", OUT / "arviointi_2026.odt")
    assert validate_office(*files).count(": valid") == 2, validate_office(*files)
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "kirjattu 2 kokousta, joista 1 on pidetty 1.12.2026 mennessä" in flat, fmt
        assert (
            "Kesken olevat asiat (tilanne 1.12.2026): Kokouksen 4/2026 (9.11.2026) pöytäkirja "
            "on hyväksytty, mutta sitä ei ole vielä jaettu ryhmille. Kokous 5/2026 pidetään "
            "7.12.2026; se ei ole mukana arvioinnin luvuissa. Jatkovalmistelun kohdista on "
            "kesken 1 ja myöhässä 1 (luku 4)."
        ) in flat, fmt
        # 5/2026 is a row of the meetings' table, and nowhere else
        assert cells(text, "5/2026", 5) == [
            "5/2026",
            "7.12.2026",
            "ei vielä pidetty; ei mukana luvuissa",
            "–",
            "–",
        ]
        assert text.splitlines().count("5/2026") == 1, fmt
        assert "5/2026-" not in flat and "5/2026 kohta" not in flat
        for absent in (
            "Talousarvio 2027",  # a matter of 5/2026
            "Investointitaso pidetään ohjelmakauden raameissa.",
            "Ryhmä ei yhdy veroprosentin korotukseen.",
            "Valtuustoryhmät pitävät tärkeänä",
        ):
            assert absent not in flat, (fmt, absent)
        assert cells(text, "Suomen Keskustan valtuustoryhmä", 3)[1:] == ["1", "1"]
        assert cells(text, "Kristillisdemokraattinen valtuustoryhmä", 3)[1:] == ["1", "1"]
        assert ("kirjattiin 2 jatkovalmistelun kohtaa: valmiina 0, kesken 1 ja myöhässä 1") in flat
        # reported done at 5/2026, which has not been held: still late
        assert cells(text, "4/2026-3.2", 5)[4] == "myöhässä"
        assert "Vuoden aikana ei annettu yhteisiä kannanottoja." in flat
        # no table of noughts: one sentence says there were no dissents
        assert "Vuoden pidetyissä kokouksissa ei kirjattu eriäviä kantoja." in flat
        assert text.splitlines().count("Kristillisdemokraattinen valtuustoryhmä") == 1
    with zipfile.ZipFile(OUT / "arviointi_2026.docx") as archive:
        body = archive.read("word/document.xml").decode()
        assert "KD 1/1" in body and "1/2" not in body  # the chart and its alternative text


def test_report_names_a_past_meeting_without_notes(
    before_the_meeting: None, project: Path, run: Run
) -> None:
    """Verify a meeting whose day has passed but whose notes are not written is listed as
    such, pending, and counted neither as held nor in attendance."""
    write(
        project / "inputs" / "2026-10-05" / "agenda.yaml",
        """
        number: 3/2026
        date: 2026-10-05
        start: "17:00"
        items:
          - title: Kokouksen avaus
        """,
    )
    assert run("report", "2026").exit_code == 0
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "kirjattu 3 kokousta, joista 1 on pidetty 1.12.2026 mennessä" in flat, fmt
        assert (
            "Kokouksen 3/2026 (5.10.2026) muistiinpanoja ei ole kirjattu; kokous ei ole "
            "mukana arvioinnin luvuissa."
        ) in flat
        assert cells(text, "3/2026", 3)[2] == "muistiinpanoja ei ole kirjattu; ei mukana luvuissa"
        assert text.splitlines().count("3/2026") == 1, fmt
        assert cells(text, "Kristillisdemokraattinen valtuustoryhmä", 3)[1:] == ["1", "1"]


def test_report_before_any_meeting_is_held(project: Path, run: Run) -> None:
    """Verify the evaluation on 1.11.2026, before either meeting, says that none is held yet
    in words (not "0 on pidetty", not "0 jatkovalmistelun kohtaa: valmiina 0 …"), lists both
    as to come, and has no chart."""
    with time_machine.travel(dt.datetime(2026, 11, 1, 9, 0, tzinfo=HELSINKI), tick=True):
        assert run("report", "2026").exit_code == 0
    files = (OUT / "arviointi_2026.docx", OUT / "arviointi_2026.odt")
    assert validate_office(*files).count(": valid") == 2, validate_office(*files)
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "kirjattu 2 kokousta, joista yhtään ei ole pidetty 1.11.2026 mennessä." in flat
        assert "Kokous 4/2026 pidetään 9.11.2026" in flat and "Kokous 5/2026 pidetään" in flat
        assert "Vuoden pidetyissä kokouksissa ei kirjattu jatkovalmistelun kohtia." in flat
        assert "valmiina 0" not in flat and "joista 0" not in flat, fmt
    with zipfile.ZipFile(OUT / "arviointi_2026.docx") as archive:
        assert not any(n.startswith("word/media/") for n in archive.namelist())


def test_report_of_last_year_tells_each_state_at_its_date(
    approved_and_draft: Path, run: Run
) -> None:
    """Verify the 2026 evaluation written on 15.1.2027 tells the follow-ups as they were at the
    year's end (31.12.2026) and says so, while the minutes' approval and distribution are as
    the logs tell them on the report's date, under that date."""
    with time_machine.travel(dt.datetime(2027, 1, 15, 9, 0, tzinfo=HELSINKI), tick=True):
        assert run("report", "2026").exit_code == 0
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "joista 2 on pidetty 31.12.2026 mennessä" in flat, fmt
        assert (
            "Kesken olevat asiat (tilanne 15.1.2027): Kokouksen 4/2026 (9.11.2026) pöytäkirja "
            "on hyväksytty, mutta sitä ei ole vielä jaettu ryhmille. Kokouksen 5/2026 "
            "(7.12.2026) pöytäkirjaa puheenjohtaja ei ole vielä hyväksynyt. Jatkovalmistelun "
            "kohdista oli 31.12.2026 kesken 6 ja myöhässä 0 (luku 4)."
        ) in flat, fmt
        assert "valmiina 1, kesken 6 ja myöhässä 0 (tilanne 31.12.2026)" in flat


def test_report_says_a_public_statement_may_be_published(
    held: None, project: Path, run: Run
) -> None:
    """Verify a joint statement marked public reads as one the groups agreed may be published
    (rule 4), not as one that was published, which the notes do not say."""
    notes = project / "inputs" / "2026-12-07" / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(text.replace("public: false", "public: true"), encoding="utf-8")
    assert run("report", "2026").exit_code == 0
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "(voidaan julkaista: kaikki ryhmät sopivat julkaisemisesta)" in flat, fmt
        assert "julkaistu" not in flat


def test_report_after_the_approved_content_changed(
    before_the_meeting: None, approved_and_draft: Path, run: Run
) -> None:
    """Verify that when 4/2026's notes change after the chair approved them, the evaluation
    counts it as not completed and says the approval no longer holds, in the pending list,
    the meetings' table and the approval table alike."""
    notes = approved_and_draft / "inputs" / EARLIER / "notes.yaml"
    text = notes.read_text(encoding="utf-8")
    notes.write_text(
        text.replace(
            "      - Ryhmät saavat selvityksen luonnoksen ennen sen julkaisua.\n",
            "      - Ryhmät saavat selvityksen luonnoksen ennen sen julkaisua.\n"
            "      - Selvitys esitellään myös valtuustoseminaarissa.\n",
        ),
        encoding="utf-8",
    )
    assert run("report", "2026").exit_code == 0
    for fmt, text in report_texts().items():
        flat = " ".join(text.split())
        assert "valmiita kokouksia on 0." in flat, fmt
        assert (
            "Kokouksen 4/2026 (9.11.2026) pöytäkirjan hyväksyntä ei ole enää voimassa; "
            "pöytäkirja odottaa puheenjohtajan uutta hyväksymistä."
        ) in flat, fmt
        assert cells(text, "4/2026", 5)[2:] == [
            "pidetty; hyväksyntä ei ole enää voimassa, pöytäkirja odottaa uutta hyväksymistä; "
            "ei lasketa valmiiksi",
            "ei hyväksytty",
            "ei jaettu",
        ]


def test_report_summary_on_screen_says_what_is_pending(
    before_the_meeting: None, project: Path
) -> None:
    """Verify the workbench's summary of the year counts 5/2026 as not held on 1.12.2026 and
    lists what is pending."""
    from pipeline import annual, clock

    text = annual.summary(Path("inputs"), None, Path("outputs"), 2026, clock.today())
    assert "joista 1 on pidetty 1.12.2026 mennessä" in text
    assert "Kokous 5/2026 pidetään 7.12.2026" in text
    assert "  KD     1/1  Kristillisdemokraattinen valtuustoryhmä" in text


def test_report_days_to_approval(approved_and_draft: Path, run: Run) -> None:
    """Verify the table of approval shows the date and the days from meeting to approval."""
    import datetime as dt

    assert run("report", "2026").exit_code == 0
    text = document_text((OUT / "arviointi_2026.docx").read_bytes(), "docx")
    lines = text.splitlines()
    days = (dt.date.today() - dt.date(2026, 11, 9)).days
    today = f"{dt.date.today().day}.{dt.date.today().month}.{dt.date.today().year}"
    start = max(i for i, line in enumerate(lines) if line == "4/2026")
    assert lines[start : start + 6] == ["4/2026", "9.11.2026", today, str(days), "ei jaettu", "–"]


def test_report_is_deterministic(approved_and_draft: Path, run: Run) -> None:
    """Verify two reports of the same year and state are byte-identical, chart included."""
    assert run("report", "2026").exit_code == 0
    first = {p.name: p.read_bytes() for p in OUT.iterdir()}
    shutil.rmtree(OUT)
    assert run("report", "2026").exit_code == 0
    assert first == {p.name: p.read_bytes() for p in OUT.iterdir()}


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_report_pdf_is_archival_and_shows_the_chart(approved_and_draft: Path, run: Run) -> None:
    """Verify --format pdf gives a tagged, Finnish, PDF/A-2 report whose chart is a figure with
    its alternative text."""
    result = run("report", "2026", "--format", "docx,odt,pdf")
    assert result.exit_code == 0, result.output
    with pikepdf.open(OUT / "arviointi_2026.pdf") as pdf:
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "fi-FI"
        assert pdf.open_metadata()["pdfaid:part"] == "2"
        assert str(pdf.docinfo.Title) == "Neuvotteluryhmän toiminnan arviointi 2026"
        alts = [
            str(o.get("/Alt"))
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"
        ]
        assert any(a.startswith("Pylväskaavio") for a in alts), alts
    assert problems(OUT / "arviointi_2026.pdf") == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_report_pages_keep_lead_ins_and_the_signature(
    held: None, approved_and_draft: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the evaluation, in both formats as LibreOffice lays it out, ends no page with a
    heading or a lead-in (the chart's, the questions'), and the signature does not stand alone
    on the last page: the paragraph before it comes along (the DOCX put "Koonnut" and the
    secretary's name alone on page 5)."""
    from test_pages import page_feet, stranded

    assert run("report", "2026").exit_code == 0
    for suffix in ("docx", "odt"):
        folder = tmp_path / suffix
        folder.mkdir()
        pdf = folder / "arviointi_2026.pdf"
        found = stranded([OUT / f"arviointi_2026.{suffix}"], folder)
        # the chart's lead-in ends the page's text when the chart (a picture) follows it there
        listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True)
        chart_pages = {line.split()[0] for line in listed.stdout.splitlines()[2:]}
        assert [
            f
            for f in found
            if not (f.endswith("edustaja paikalla.") and f.split()[2].rstrip(":") in chart_pages)
        ] == [], found
        crop = ("-y", "80", "-H", "700", "-W", "595")
        feet = page_feet(pdf)
        last = subprocess.run(
            ["pdftotext", "-layout", "-f", str(len(feet)), *crop, str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        first = next(line.strip() for line in last.splitlines() if line.strip())
        assert first != "Koonnut", (suffix, last)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="no LibreOffice")
def test_report_chart_fits_under_its_heading_on_the_first_page(
    before_the_meeting: None, approved_and_draft: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the example's evaluation on 1.12.2026 has the attendance chart on page 1 under
    its heading, as LibreOffice lays out the DOCX: a chart 7.85 cm high for seven groups did
    not fit there, and took its heading to page 2, leaving a third of page 1 empty."""
    from conftest import pdf_text

    assert run("report", "2026").exit_code == 0
    text = pdf_text(OUT / "arviointi_2026.docx", tmp_path)
    first = text.split("\f")[0]
    assert "Osallistuminen" in first, first
    listed = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "arviointi_2026.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert [line.split()[0] for line in listed.splitlines()[2:]][:1] == ["1"], listed


def test_report_of_a_year_without_meetings(project: Path, run: Run) -> None:
    """Verify a year with no meetings is a clear error and writes nothing."""
    result = run("report", "2019")
    assert result.exit_code == 1 and "2019" in result.output
    assert not (Path("outputs") / "arviointi_2019").exists()


def test_status_reminds_of_a_missing_report(project: Path, run: Run) -> None:
    """Verify status names a past year with meetings and no evaluation, until it is written."""
    agenda = project / "inputs" / "2025-05-05" / "agenda.yaml"
    write(
        agenda,
        """
        number: 1/2025
        date: 2025-05-05
        start: "17:00"
        items:
          - title: Kokouksen avaus
        """,
    )
    reminder = "minutes report 2025"
    assert reminder in run("status", "2026-12-07").output
    assert run("report", "2025").exit_code == 0
    assert reminder not in run("status", "2026-12-07").output


def test_report_without_libreoffice_keeps_the_office_files(
    project: Path, run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Verify `report --format docx,odt,pdf` without LibreOffice writes the DOCX and ODT, then
    exits 4 saying what to install."""
    empty = tmp_path / "nothing"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run("report", "2026", "--format", "docx,odt,pdf")
    assert result.exit_code == 4
    assert "apt-get install libreoffice-writer-nogui" in result.output
    assert sorted(p.name for p in OUT.iterdir()) == ["arviointi_2026.docx", "arviointi_2026.odt"]


def test_report_dates_the_distribution_as_status_does(project: Path, run: Run, server) -> None:
    """Verify minutes sent at 0.30 Helsinki time on 10.11. (22.30 UTC the day before) are
    reported distributed on 10.11.2026, the day `status` gives the sending, one day after the
    meeting: not on the UTC date the log stores."""
    import datetime as dt

    import time_machine
    from conftest import use_server

    without_pdf(project)
    use_server(project, server)
    with time_machine.travel(dt.datetime(2026, 11, 10, 0, 30, tzinfo=HELSINKI), tick=True):
        approve(run, EARLIER)
        sent = run("send", EARLIER, "minutes", "--smtp")
        assert sent.exit_code == 0, sent.output
        assert run("report", "2026").exit_code == 0
        assert "10.11.2026 klo 0.3" in run("status", EARLIER).output
    lines = document_text((OUT / "arviointi_2026.docx").read_bytes(), "docx").splitlines()
    start = max(i for i, line in enumerate(lines) if line == "4/2026")
    assert lines[start + 4 : start + 6] == ["10.11.2026", "1"], lines[start : start + 6]

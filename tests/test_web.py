"""The workbench through Flask's test client: its guards, its forms and the refusals."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import lxml.html
import pytest
import time_machine
from click.testing import CliRunner
from conftest import HELSINKI, MEETING, ROOT, use_muistio, without_pdf
from werkzeug.datastructures import MultiDict

from pipeline import approval as ap
from pipeline import documents as docs
from pipeline import meeting as meetings
from pipeline.cli import main
from pipeline.web import Settings, create_app


@pytest.fixture(autouse=True)
def finnish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages in their users' language, whatever the developer's locale."""
    monkeypatch.setenv("MINUTES_LANG", "fi")


@pytest.fixture
def folders(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    return tmp_path


@pytest.fixture
def app(folders: Path):
    settings = Settings(inputs=folders / "inputs", outputs=folders / "outputs", token="secret")
    return create_app(settings)


@pytest.fixture
def client(app):
    client = app.test_client()
    assert client.get("/?token=secret").status_code == 200
    return client


def form_of(client, url: str, index: int = 0) -> MultiDict:
    """The form as the browser would send it, unchanged."""
    page = client.get(url)
    assert page.status_code == 200, page.data
    form = lxml.html.fromstring(page.data.decode()).forms[index]
    return MultiDict(form.form_values())


def main_text(response) -> str:
    return lxml.html.fromstring(response.data.decode()).get_element_by_id("main").text_content()


def fingerprint(folders: Path) -> str:
    paths = meetings.Paths(folders / "inputs" / MEETING, folders / "outputs" / MEETING)
    meeting = meetings.load(paths).meeting
    return ap.fingerprint(meeting, docs.Templates().hashes(docs.MINUTES))


# The guards.


def test_every_request_without_the_token_is_refused(app):
    """Verify a page, a download and a form post are refused before signing in."""
    client = app.test_client()
    assert client.get("/").status_code == 403
    assert client.get(f"/m/{MEETING}/").status_code == 403
    assert client.get(f"/m/{MEETING}/files/kokouskutsu_{MEETING}.docx").status_code == 403
    assert client.post("/new", data={"date": "2027-01-18"}).status_code == 403
    assert client.get("/?token=wrong").status_code == 403


def test_the_refusal_is_styled_and_the_static_files_leak_nothing(app):
    """Verify the page refusing a visitor without the token gets its stylesheet (it was
    refused too, so the page came out unstyled), while nothing but the package's own static
    files is served, and only to this computer's address."""
    client = app.test_client()
    refused = client.get("/")
    assert refused.status_code == 403
    page = lxml.html.fromstring(refused.data.decode())
    sheets = page.xpath("//link[@rel='stylesheet']/@href")
    assert sheets
    for href in sheets:
        with client.get(href) as sheet:
            assert sheet.status_code == 200, href
            assert sheet.mimetype == "text/css"
            assert sheet.headers["X-Content-Type-Options"] == "nosniff"
    with client.get("/static/autosave.js") as script:
        assert script.mimetype == "text/javascript"
    for outside in (
        "/static/../__init__.py",
        "/static/%2e%2e/views.py",
        "/static/..%2F__init__.py",
        "/static/../../../inputs/organisation.yaml",
        "/static/templates/base.html",
    ):
        assert client.get(outside).status_code == 404, outside
    assert client.get("/static/style.css", headers={"Host": "evil.example"}).status_code == 403


def test_errors_are_told_in_finnish_without_a_trace(client, folders, app):
    """Verify a wrong method, a file over the size limit and an unforeseen failure (the
    inputs folder gone while the workbench runs) get the workbench's own page in Finnish,
    with its stylesheet, and no trace, exception or path of the secretary's folders."""
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    big = b"x" * 2_000_000  # as the browser sends a file: the body, its length said first
    shutil.rmtree(folders / "inputs")
    for request, code, words in (
        (lambda: client.get("/new"), 405, "Työpöytä ei voi tehdä tätä"),
        (
            lambda: client.post(
                f"/m/{MEETING}/agenda",
                input_stream=io.BytesIO(big),
                content_length=len(big),
                content_type="multipart/form-data; boundary=raja",
            ),
            413,
            "enintään 1 Mt",
        ),
        (lambda: client.get("/"), 500, "Työpöydällä tapahtui virhe"),
    ):
        with request() as response:
            assert response.status_code == code
            text = response.data.decode()
        assert words in main_text(response), text
        assert "/static/style.css" in text
        for leak in ("Traceback", "Error", "Exception", str(folders), "Werkzeug"):
            assert leak not in text, (code, leak)


def test_markup_typed_into_any_field_is_shown_as_text_on_every_page(client, folders, held):
    """Verify HTML and script typed into a group's name, a person's name, an agenda title,
    the notes and a file name come out on every page as the text typed, never as markup:
    no element or attribute of theirs reaches the page."""
    attack = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
    inputs = folders / "inputs"
    roster = inputs / "organisation.yaml"
    text = roster.read_text(encoding="utf-8")
    text = text.replace("name: Suomen Keskustan valtuustoryhmä", f"name: '{attack}'")
    text = text.replace("name: Aino Aaltonen", "name: 'Aino <b>Aaltonen</b>'")
    roster.write_text(text, encoding="utf-8")
    for path in [*inputs.glob("*/agenda.yaml"), *inputs.glob("*/notes.yaml")]:
        text = path.read_text(encoding="utf-8").replace("Aino Aaltonen", "Aino <b>Aaltonen</b>")
        text = text.replace("Elinvoimaohjelman päivitys", f"Elinvoima '{attack}'".replace("'", ""))
        text = text.replace(
            "Elinvoimajohtaja esitteli päivityksen aikataulun.",
            "<script>alert(3)</script> esitteli.",
        )
        path.write_text(text, encoding="utf-8")
    checked = CliRunner().invoke(main, ["check", str(inputs / MEETING)])
    assert checked.exit_code == 0, checked.output  # the pages show it all, not problems
    outputs = folders / "outputs" / MEETING
    outputs.mkdir(parents=True)
    (outputs / "x<img src=x onerror=alert(4)>.docx").write_bytes(b"not a document")
    pages = ["/", f"/m/{MEETING}/", f"/m/{MEETING}/agenda", f"/m/{MEETING}/notes"]
    pages += [f"/m/{MEETING}/{p}" for p in ("documents", "review", "distribution")]
    pages += ["/followups", "/report"]
    shown = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 422), url
        page = lxml.html.fromstring(response.data.decode())
        assert not page.xpath("//script[not(@src)] | //img[@src='x'] | //*[@onerror]"), url
        assert not page.xpath("//b[contains(., 'Aaltonen')]"), url
        assert "alert(" not in "".join(page.xpath("//script/@src")), url
        shown += page.text_content() + " ".join(page.xpath("//@value | //textarea/text()"))
    for typed in (attack, "Aino <b>Aaltonen</b>", "<script>alert(3)</script> esitteli."):
        assert typed in shown, typed  # shown, as text
    assert "x<img src=x onerror=alert(4)>.docx" in shown


def test_the_token_becomes_a_strict_httponly_cookie_once(app):
    """Verify the printed token signs in once, as an HttpOnly SameSite=Strict cookie, and
    leaves the address bar."""
    client = app.test_client()
    response = client.get("/m/2026-12-07/?token=secret")
    assert response.status_code == 200
    page = lxml.html.fromstring(response.data.decode())
    assert page.xpath("//meta[@http-equiv='refresh']/@content") == ["0;url=/m/2026-12-07/"]
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/").status_code == 200
    other = app.test_client()
    assert other.get("/?token=secret").status_code == 403  # used already


def test_a_foreign_host_is_refused_even_when_signed_in(client):
    """Verify DNS rebinding: a request naming another host is refused."""
    assert client.get("/", headers={"Host": "evil.example:8765"}).status_code == 403
    assert client.get("/", headers={"Host": "localhost.evil.example"}).status_code == 403
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_a_new_meeting_is_started_from_the_list(client, folders):
    """Verify the new-meeting button scaffolds the agenda and opens its form."""
    data = form_of(client, "/")
    data["date"] = "2027-01-18"
    response = client.post("/new", data=data)
    assert response.status_code == 302
    assert response.headers["Location"] == "/m/2027-01-18/agenda"
    assert (folders / "inputs" / "2027-01-18" / "agenda.yaml").exists()


def test_a_form_without_its_csrf_token_is_refused(client, folders):
    """Verify a post without the CSRF token changes nothing."""
    response = client.post("/new", data={"date": "2027-01-18"})
    assert response.status_code == 400
    assert not (folders / "inputs" / "2027-01-18").exists()


def test_serve_refuses_another_address_without_tls():
    """Verify `minutes serve --host` with a non-loopback address needs --cert and --key."""
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0", "--no-browser"])
    assert result.exit_code == 2
    assert "--cert" in result.output and "--key" in result.output


# The forms.


def test_an_unchanged_agenda_form_leaves_the_file_byte_identical(client, folders):
    """Verify saving the agenda form as rendered keeps every comment and the layout."""
    path = folders / "inputs" / MEETING / "agenda.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text("# Sihteerin kommentti\n" + text.replace("items:\n", "items:  # asiat\n"))
    before = path.read_bytes()
    data = form_of(client, f"/m/{MEETING}/agenda")
    assert client.post(f"/m/{MEETING}/agenda", data=data).status_code == 302
    assert path.read_bytes() == before


def test_agenda_items_are_edited_reordered_added_and_removed(client, folders):
    """Verify the item buttons and a changed title, with comments kept beside their items."""
    path = folders / "inputs" / MEETING / "agenda.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - title: Muut asiat\n", "  - title: Muut asiat  # aina\n"))
    url = f"/m/{MEETING}/agenda"
    data = form_of(client, url)
    data["items-6-title"] = "Muut asiat & <kysymykset>"
    data["action"] = "up-6"
    assert client.post(url, data=data).status_code == 302
    data = form_of(client, url)
    data["action"] = "add"
    assert client.post(url, data=data).status_code == 302
    data = form_of(client, url)
    assert data["items_count"] == "10"
    data["action"] = "remove-9"
    assert client.post(url, data=data).status_code == 302
    saved = path.read_text(encoding="utf-8")
    assert "title: Muut asiat & <kysymykset> # aina" in saved
    titles = [line for line in saved.splitlines() if line.startswith("  - title:")]
    assert len(titles) == 9
    assert titles[5].startswith("  - title: Muut asiat")
    assert titles[6] == "  - title: Neuvotteluryhmän toiminnan arviointi 2026"
    result = CliRunner().invoke(main, ["check", str(folders / "inputs" / MEETING)])
    assert result.exit_code == 0, result.output


def test_an_invalid_field_is_shown_beside_it_and_nothing_is_written(client, folders):
    """Verify a time that does not exist is refused with the message next to its field."""
    path = folders / "inputs" / MEETING / "agenda.yaml"
    before = path.read_bytes()
    data = form_of(client, f"/m/{MEETING}/agenda")
    data["start"] = "25:00"
    response = client.post(f"/m/{MEETING}/agenda", data=data)
    assert response.status_code == 422
    page = lxml.html.fromstring(response.data.decode())
    assert "25:00" in page.get_element_by_id("problems-start").text_content()
    assert page.get_element_by_id("start").get("aria-invalid") == "true"
    assert path.read_bytes() == before


def test_two_tabs_get_a_conflict_not_a_silent_overwrite(client, folders):
    """Verify a form rendered from an older version of the file is refused."""
    path = folders / "inputs" / MEETING / "agenda.yaml"
    first = form_of(client, f"/m/{MEETING}/agenda")
    second = form_of(client, f"/m/{MEETING}/agenda")
    second["place"] = "Kirjasto"
    assert client.post(f"/m/{MEETING}/agenda", data=second).status_code == 302
    first["place"] = "Valtuustosali"
    response = client.post(f"/m/{MEETING}/agenda", data=first)
    assert response.status_code == 409
    assert "place: Kirjasto" in path.read_text(encoding="utf-8")


def test_an_unchanged_notes_form_keeps_the_content(client, folders):
    """Verify the notes form, saved as rendered, gives the same content fingerprint."""
    before = fingerprint(folders)
    data = form_of(client, f"/m/{MEETING}/notes")
    assert client.post(f"/m/{MEETING}/notes", data=data).status_code == 302
    assert fingerprint(folders) == before


def test_autosave_answers_with_the_version_and_the_wording_findings(client, folders):
    """Verify the autosave post writes the notes and returns the guard's finding with its
    suggestion; a second post from the old version is a conflict."""
    data = form_of(client, f"/m/{MEETING}/notes")
    data["items-4-discussion"] = "Ryhmä päätti kannattaa päivitystä."
    data["autosave"] = "1"
    answer = client.post(f"/m/{MEETING}/notes", data=data)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["saved"] and body["version"] != data["version"]
    [finding] = body["wording"]["items-4-discussion"]
    assert finding["word"] == "päätti" and finding["suggestion"]
    notes = (folders / "inputs" / MEETING / "notes.yaml").read_text(encoding="utf-8")
    assert "Ryhmä päätti kannattaa päivitystä." in notes
    assert client.post(f"/m/{MEETING}/notes", data=data).status_code == 409
    page = client.get(f"/m/{MEETING}/notes").data.decode()
    assert "<mark>päätti</mark>" in page


def test_a_stale_approval_is_refused_with_the_commands_message(client, folders, held):
    """Verify approval through the page, then a change of the notes: sending the minutes is
    refused, and the review page says the approval is stale."""
    without_pdf(folders)
    data = form_of(client, f"/m/{MEETING}/review", index=0)
    data["mode"] = "outbox"
    refused = client.post(f"/m/{MEETING}/send/review", data=data, follow_redirects=True)
    assert "minutes build" in main_text(refused)  # what is sent is what was built
    build = form_of(client, f"/m/{MEETING}/documents")
    assert client.post(f"/m/{MEETING}/build", data=build).status_code == 302
    confirm = form_of_response(client.post(f"/m/{MEETING}/send/review", data=data))
    assert client.post(f"/m/{MEETING}/send/review", data=confirm).status_code == 302
    code = ap.review_code(fingerprint(folders))
    approve = form_of(client, f"/m/{MEETING}/review", index=1)
    approve["code"] = code
    client.post(f"/m/{MEETING}/approve", data=approve)
    assert approval_status(client) == "approved"
    review = lxml.html.fromstring(client.get(f"/m/{MEETING}/review").data.decode())
    [said] = review.xpath("//*[@data-status]")
    assert " 8.12.2026 " in said.text_content(), said.text_content()  # as FINNISH.md writes it
    final = folders / "outputs" / MEETING / f"poytakirja_{MEETING}.docx"
    approved = final.read_bytes()
    final.write_bytes(approved + b"\0")
    assert approval_status(client) == "tampered"
    final.write_bytes(approved)
    assert approval_status(client) == "approved"
    notes = form_of(client, f"/m/{MEETING}/notes")
    notes["items-8-discussion"] = "Seuraava kokous pidetään 25.1.2027."
    assert client.post(f"/m/{MEETING}/notes", data=notes).status_code == 302
    assert approval_status(client) == "stale"
    overview = lxml.html.fromstring(client.get(f"/m/{MEETING}/").data.decode())
    events = [row.xpath("td")[2].text_content() for row in overview.xpath("//tbody/tr")]
    assert "puheenjohtajan hyväksyntä kirjattu" in events  # the audit log, in Finnish
    assert "luonnos lähetetty puheenjohtajalle tarkastettavaksi" in events
    send = form_of(client, f"/m/{MEETING}/distribution", index=1)
    response = client.post(f"/m/{MEETING}/send/minutes", data=send, follow_redirects=True)
    refusal = lxml.html.fromstring(response.data.decode()).find_class("msg-error")
    assert refusal and "minutes send" in refusal[0].text_content()  # the command's advice
    assert not (folders / "outputs" / MEETING / "outbox" / "minutes").exists()


def approval_status(client) -> str:
    page = lxml.html.fromstring(client.get(f"/m/{MEETING}/review").data.decode())
    [status] = page.xpath("//*[@data-status]")
    return str(status.get("data-status"))


def form_of_response(response, index: int = 0) -> MultiDict:
    assert response.status_code == 200, response.data
    form = lxml.html.fromstring(response.data.decode()).forms[index]
    return MultiDict(form.form_values())


def test_followups_and_the_annual_report(client, folders):
    """Verify the follow-ups across meetings, the year's summary, and its documents written,
    listed and downloaded."""
    followups = main_text(client.get("/followups"))
    assert "myöhässä" in followups or "kesken" in followups
    assert "Kyläkoulujen oppilasennusteet ryhmien käyttöön" in followups
    page = client.get("/report?year=2026")
    assert "Kokoukset" in main_text(page)
    data = form_of_response(page, index=1)
    assert client.post("/report", data=data).status_code == 302
    listed = main_text(client.get("/report?year=2026"))
    assert "arviointi_2026.docx" in listed and "arviointi_2026.odt" in listed
    download = client.get("/report/2026/files/arviointi_2026.docx")
    assert download.status_code == 200 and download.data.startswith(b"PK")
    download.close()
    assert client.get("/report/2026/files/..%2Finputs%2Forganisation.yaml").status_code == 404


def test_smtp_sending_shows_progress_the_fault_and_resumes(client, folders, server):
    """Verify the invitation sent by SMTP from the page: a 451 mid-batch is shown with the send
    log per group, and sending again delivers the rest, each group exactly once."""
    from conftest import use_server

    use_server(folders, server)
    without_pdf(folders)
    build = form_of(client, f"/m/{MEETING}/documents")
    assert client.post(f"/m/{MEETING}/build", data=build).status_code == 302
    server.mailbox.faults = {3: "451"}

    def send_by_smtp() -> lxml.html.HtmlElement:
        data = form_of(client, f"/m/{MEETING}/distribution", index=0)
        data["mode"] = "smtp"
        confirm = form_of_response(client.post(f"/m/{MEETING}/send/invitation", data=data))
        started = client.post(f"/m/{MEETING}/send/invitation", data=confirm)
        assert started.headers["Location"].endswith("/send/invitation/progress")
        for _ in range(600):
            page = client.get(started.headers["Location"]).data.decode()
            if 'http-equiv="refresh"' not in page:
                return lxml.html.fromstring(page)
            time.sleep(0.05)
        raise AssertionError("the sending did not finish")

    first = send_by_smtp()
    assert first.find_class("msg-error")  # the failure and how to resume
    lines = [li.text_content() for li in first.xpath("//main//ul/li")]
    assert "kokouskutsu ryhmälle sdp: lähetetty" in lines, lines  # in Finnish, not `sent`
    assert any(line.endswith(": epäonnistui") for line in lines), lines
    failed = [p.text_content() for p in first.find_class("msg-error")]
    assert not any(line.startswith("lähetetty") for line in failed), failed  # not as errors
    sent = [p.text_content() for p in first.find_class("msg-ok")]
    assert len(sent) == 6 and all(line.startswith("lähetetty kokouskutsu") for line in sent), sent
    assert len(server.mailbox.received) == 6
    log = lxml.html.fromstring(client.get(f"/m/{MEETING}/distribution").data.decode())
    events = [row.xpath("td")[2].text_content() for row in log.xpath("//tbody/tr")]
    assert events.count("lähetetty") == 6 and len(events) == 7
    second = send_by_smtp()
    assert not second.find_class("msg-error")
    firsts = Counter(r.rcpt_tos[0] for r in server.mailbox.received)
    assert len(firsts) == 7 and set(firsts.values()) == {1}


def test_an_attachment_uploaded_for_an_item_goes_into_the_meeting_folder(client, folders):
    """Verify a file chosen for an item is stored under liitteet/ and listed with its file,
    and that the agenda still passes `minutes check`."""
    import io

    data = form_of(client, f"/m/{MEETING}/agenda")
    data["items-3-upload"] = (io.BytesIO(b"%PDF-1.4 elinvoima"), "Elinvoima ohjelma.pdf")
    response = client.post(f"/m/{MEETING}/agenda", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    folder = folders / "inputs" / MEETING
    assert (folder / "liitteet" / "Elinvoima_ohjelma.pdf").read_bytes().startswith(b"%PDF")
    agenda = (folder / "agenda.yaml").read_text(encoding="utf-8")
    assert "file: liitteet/Elinvoima_ohjelma.pdf" in agenda
    page = form_of(client, f"/m/{MEETING}/agenda")
    assert "Elinvoima_ohjelma | liitteet/Elinvoima_ohjelma.pdf" in page["items-3-attachments"]
    result = CliRunner().invoke(main, ["check", str(folder)])
    assert result.exit_code == 0, result.output
    before = (folder / "agenda.yaml").read_bytes()
    page["items-3-attachments"] += "\nPuuttuva | liitteet/puuttuva.pdf"
    refused = client.post(f"/m/{MEETING}/agenda", data=page)
    assert refused.status_code == 422
    problem = lxml.html.fromstring(refused.data.decode()).get_element_by_id(
        "problems-items-3-attachments"
    )
    assert "puuttuva.pdf" in problem.text_content()
    assert (folder / "agenda.yaml").read_bytes() == before


def test_an_upload_never_writes_over_a_file_of_the_meeting(client, folders):
    """Verify a file uploaded under the name of an attachment already in liitteet/ (one that
    went out with the invitation) leaves that file as it was: refused with the form, it is
    not written at all; saved, it goes beside it under a numbered name."""
    folder = folders / "inputs" / MEETING
    existing = folder / "liitteet" / "investointiohjelma-2027-2029.pdf"
    before = existing.read_bytes()
    data = form_of(client, f"/m/{MEETING}/agenda")
    data["items-0-title"] = ""  # refused: an item needs its title
    data["items-0-upload"] = (io.BytesIO(b"%PDF-1.4 toinen"), existing.name)
    refused = client.post(f"/m/{MEETING}/agenda", data=data, content_type="multipart/form-data")
    assert refused.status_code == 422
    assert existing.read_bytes() == before
    assert sorted(p.name for p in existing.parent.iterdir()) == [existing.name]
    data = form_of(client, f"/m/{MEETING}/agenda")
    data["items-0-upload"] = (io.BytesIO(b"%PDF-1.4 toinen"), existing.name)
    saved = client.post(f"/m/{MEETING}/agenda", data=data, content_type="multipart/form-data")
    assert saved.status_code == 302
    assert existing.read_bytes() == before
    beside = existing.with_name("investointiohjelma-2027-2029-2.pdf")
    assert beside.read_bytes() == b"%PDF-1.4 toinen"
    page = form_of(client, f"/m/{MEETING}/agenda")
    assert f"| liitteet/{beside.name}" in page["items-0-attachments"]
    assert f"file: liitteet/{existing.name}" in (folder / "agenda.yaml").read_text("utf-8")


def test_serve_over_tls_with_a_certificate(folders, certificate):
    """Verify `minutes serve --cert --key` speaks only TLS, and its session cookie is Secure."""
    import http.client
    import re
    import ssl

    from conftest import served

    tls = ["--cert", str(certificate[0]), "--key", str(certificate[1])]
    with served(folders, *tls) as line:
        match = re.search(r"https://127\.0\.0\.1:(\d+)/\?token=(\S+)", line)
        assert match, line
        context = ssl.create_default_context(cafile=str(certificate[0]))
        connection = http.client.HTTPSConnection("127.0.0.1", int(match[1]), context=context)
        connection.request("GET", "/")
        refused = connection.getresponse()
        refused.read()
        assert refused.status == 403
        connection.request("GET", f"/?token={match[2]}")
        response = connection.getresponse()
        response.read()
        assert response.status == 200
        assert "Secure" in response.headers["Set-Cookie"]
        connection.close()


def test_wording_marked_intended_and_earlier_followups_reported_done(client, folders):
    """Verify a flagged sentence marked as intended stops being flagged, and an earlier
    meeting's follow-up ticked in the notes is reported done at this meeting."""
    url = f"/m/{MEETING}/notes"
    data = form_of(client, url)
    data["items-4-discussion"] = "Ryhmä päätti kannattaa päivitystä."
    assert client.post(url, data=data).status_code == 302
    page = client.get(url)
    [keep] = lxml.html.fromstring(page.data.decode()).xpath("//input[@name='items-4-intended']")
    data = form_of(client, url)
    data.add("items-4-intended", keep.get("value"))
    earlier = [v for k, v in form_of(client, url).items(multi=True) if k == "follow_up_done"]
    boxes = lxml.html.fromstring(page.data.decode()).xpath("//input[@name='follow_up_done']")
    assert boxes, "the earlier meeting's follow-ups are offered"
    unticked = next(b.get("value") for b in boxes if b.get("value") not in earlier)
    data.add("follow_up_done", unticked)
    assert client.post(url, data=data).status_code == 302
    assert "<mark>" not in client.get(url).data.decode()
    notes = (folders / "inputs" / MEETING / "notes.yaml").read_text(encoding="utf-8")
    assert "intended_wording:" in notes and unticked in notes
    # once this meeting has been held, the list shows the follow-up done at it
    with time_machine.travel(dt.datetime(2026, 12, 8, 9, 0, tzinfo=HELSINKI), tick=True):
        statuses = lxml.html.fromstring(client.get("/followups").data.decode())
    row = next(r for r in statuses.xpath("//tbody/tr") if r.xpath("td")[0].text == unticked)
    assert "5/2026" in row.xpath("td")[1].text_content()  # done at this meeting
    result = CliRunner().invoke(main, ["check", str(folders / "inputs" / MEETING)])
    assert result.exit_code == 0, result.output


def test_a_file_the_form_cannot_show_is_named_and_left_alone(client, folders):
    """Verify notes.yaml broken by hand gets its problem with file and line, no traceback, and
    that nothing posted to the form is written over it."""
    path = folders / "inputs" / MEETING / "notes.yaml"
    path.write_text("opened: '17:03'\nitems: [unclosed\n", encoding="utf-8")
    before = path.read_bytes()
    page = client.get(f"/m/{MEETING}/notes")
    assert page.status_code == 422
    assert f"{path}:" in main_text(page)  # file:line as `minutes check` says it
    data = form_of(client, "/")  # any form's CSRF token
    data["opened"] = "18:00"
    assert client.post(f"/m/{MEETING}/notes", data=data).status_code == 422
    assert path.read_bytes() == before


# The record's name (`wording.record`).

FORMS = {  # genitive, partitive, draft
    "muistio": ("muistion", "muistiota", "muistioluonnos"),
    "pöytäkirja": ("pöytäkirjan", "pöytäkirjaa", "pöytäkirjaluonnos"),
}


def pages_of_a_meeting(client, folders: Path) -> dict[str, str]:
    """Every page a secretary sees through a meeting, from the notes to the minutes in the
    outbox, with the refusals she may meet on the way: {what: the page's text}."""
    seen: dict[str, str] = {}

    def see(what: str, response) -> lxml.html.HtmlElement:
        page = lxml.html.fromstring(response.data.decode())
        seen[what] = (page.findtext(".//title") + "\n" + page.text_content()).casefold()
        return page

    meeting = f"/m/{MEETING}"
    see("meetings", client.get("/"))
    for tab in ("", "agenda", "notes", "documents", "review", "distribution"):
        see(f"tab {tab}", client.get(f"{meeting}/{tab}"))
    build = form_of(client, f"{meeting}/documents")
    see("built", client.post(f"{meeting}/build", data=build, follow_redirects=True))
    see("meetings after the build", client.get("/"))
    see("overview after the build", client.get(f"{meeting}/"))
    send = form_of(client, f"{meeting}/distribution", index=1)
    refused = client.post(f"{meeting}/send/minutes", data=send, follow_redirects=True)
    see("minutes sent before the approval", refused)
    approve = form_of(client, f"{meeting}/review", index=1)
    approve["code"] = "AAAA-BBBB"
    see("a wrong code", client.post(f"{meeting}/approve", data=approve, follow_redirects=True))
    approve["by"] = "Teppo Testaaja"
    see("not the chair", client.post(f"{meeting}/approve", data=approve, follow_redirects=True))
    review = form_of(client, f"{meeting}/review", index=0)
    confirm = form_of_response(client.post(f"{meeting}/send/review", data=review))
    see("review sent", client.post(f"{meeting}/send/review", data=confirm, follow_redirects=True))
    approve = form_of(client, f"{meeting}/review", index=1)
    approve["code"] = ap.review_code(fingerprint(folders))
    approve["by"] = "Teppo Testaaja"
    see("not the chair", client.post(f"{meeting}/approve", data=approve, follow_redirects=True))
    approve["by"] = "Maija Meikäläinen"
    see("approved", client.post(f"{meeting}/approve", data=approve, follow_redirects=True))
    see("meetings after the approval", client.get("/"))
    see("overview after the approval", client.get(f"{meeting}/"))
    send = form_of(client, f"{meeting}/distribution", index=1)
    confirm_page = see("confirm", client.post(f"{meeting}/send/minutes", data=send))
    confirm = MultiDict(confirm_page.forms[0].form_values())
    see("outbox", client.post(f"{meeting}/send/minutes", data=confirm, follow_redirects=True))
    data = form_of(client, "/")
    data["date"] = "2027-01-18"
    see("new meeting", client.post("/new", data=data, follow_redirects=True))
    new = "/m/2027-01-18"
    see("new meeting's review", client.get(f"{new}/review"))
    approve = form_of(client, f"{new}/review", index=1)
    approve["code"] = "AAAA-BBBB"
    see("new meeting approved", client.post(f"{new}/approve", data=approve, follow_redirects=True))
    build = form_of(client, f"{new}/documents")
    see("new meeting built", client.post(f"{new}/build", data=build, follow_redirects=True))
    return seen


@pytest.mark.parametrize("word", ["muistio", "pöytäkirja"])
def test_the_pages_name_the_record_as_the_roster_does(client, folders, held, word):
    """Verify every page of a meeting, its buttons, titles and the flashed messages call the
    record what `wording.record` calls it, inflected, and never by the other word."""
    without_pdf(folders)
    if word == "muistio":
        use_muistio(folders)
        for path in (folders / "inputs").glob("*/*.yaml"):  # the secretary's own word too
            text = path.read_text(encoding="utf-8")
            text = text.replace("pöytäkirjan", "muistion").replace("pöytäkirja", "muistio")
            path.write_text(text, encoding="utf-8")
    other = "pöytäkirj" if word == "muistio" else "muistio"
    seen = pages_of_a_meeting(client, folders)
    wrong = {
        what: [line.strip() for line in text.splitlines() if other in line or "{" in line]
        for what, text in seen.items()
    }
    wrong = {what: lines for what, lines in wrong.items() if lines}
    assert not wrong, "\n".join(f"{what}: {lines}" for what, lines in wrong.items())
    genitive, partitive, draft = FORMS[word]
    expected = {
        "meetings": f"muodosta {draft}",  # the next step
        "tab documents": f"{draft}, kun muistiinpanot on kirjattu; hyväksytty {word} ja",
        "built": f"{draft}: tarkistuskoodi",
        "minutes sent before the approval": f"(7.12.2026) {partitive} ei ole hyväksytty",
        "a wrong code": f"ei vastaa {partitive} sellaisena kuin se nyt on",
        "not the chair": f"{genitive} hyväksyy puheenjohtaja",
        "approved": f"nykyisen {genitive} tarkistuskoodi",
        "meetings after the approval": f"lähetä {word} ryhmille",
        "overview after the approval": f"lähetä {word} ryhmille",
        "tab distribution": f"lähetä hyväksytty {word} saatekirjeineen",
        "outbox": f"hyväksytty {word}\n",  # the outbox's heading for the kind
        "new meeting's review": f"tarkastettavaa {partitive} ei ole",
        "new meeting approved": f"joten {partitive} ei vielä ole",
        "new meeting built": f"{word} tehdään, kun muistiinpanot",
    }
    for what, words in expected.items():
        assert words in seen[what].casefold(), f"{what}: {seen[what]}"
    english = {  # the English word, other than in a command, a path or a file name
        what: re.findall(r".{0,30}(?<![/\w])minutes(?![.\w]).{0,30}", re.sub("`.*?`", "", text))
        for what, text in seen.items()
    }
    assert not {what: found for what, found in english.items() if found}


def write_send_log(folders: Path, *changes: dict[str, str]) -> None:
    """A send log of one line per change to a whole `sent` line for sdp's invitation."""
    sent = {
        "event": "sent",
        "meeting": MEETING,
        "kind": "invitation",
        "group": "sdp",
        "hash": "x",
        "message_id": "<m@x>",
        "to": ["a@example.fi"],
        "time": "2026-12-08T07:05:00+00:00",
    }
    out = folders / "outputs" / MEETING
    out.mkdir(parents=True, exist_ok=True)
    lines = "".join(json.dumps({**sent, **change}) + "\n" for change in changes)
    (out / ap.SEND_LOG).write_text(lines, encoding="utf-8")


def test_the_send_log_shows_its_times_as_the_secretary_reads_them(client, folders):
    """Verify the distribution page's send log tells a logged UTC time in Helsinki time, as
    the audit log beside it does, not as the log stores it."""
    write_send_log(folders, {})
    page = lxml.html.fromstring(client.get(f"/m/{MEETING}/distribution").data.decode())
    [row] = [r.xpath("td") for r in page.xpath("//table[1]/tbody/tr")]
    assert row[3].text_content() == "8.12.2026 klo 9.05", row[3].text_content()


def test_the_send_log_names_the_chair_in_finnish(client, folders):
    """Verify the distribution page's send log names the review's recipient *puheenjohtaja*,
    as the confirmation does, not by the log's English `chair`."""
    write_send_log(folders, {"kind": "review", "group": "chair"})
    page = lxml.html.fromstring(client.get(f"/m/{MEETING}/distribution").data.decode())
    [row] = [r.xpath("td") for r in page.xpath("//table[1]/tbody/tr")]
    assert row[1].text_content() == "puheenjohtaja"


def test_the_review_is_confirmed_as_going_to_the_chair_in_finnish(client, folders, held):
    """Verify the page that confirms sending the draft names its recipient as the command's
    dry run does, *puheenjohtaja*, not by the log's English `chair`."""
    without_pdf(folders)
    build = form_of(client, f"/m/{MEETING}/documents")
    assert client.post(f"/m/{MEETING}/build", data=build).status_code == 302
    data = form_of(client, f"/m/{MEETING}/review", index=0)
    data["mode"] = "outbox"
    page = lxml.html.fromstring(client.post(f"/m/{MEETING}/send/review", data=data).data.decode())
    [row] = page.xpath("//tbody/tr")
    assert row.xpath("td")[0].text_content() == "puheenjohtaja"


def test_a_dry_run_in_the_workbench_says_how_to_send_from_the_page(client, folders, held):
    """Verify the dry run's last word on the page points to the page's own outbox and choice
    to send, not to a command the secretary at the workbench would not type."""
    without_pdf(folders)
    build = form_of(client, f"/m/{MEETING}/documents")
    assert client.post(f"/m/{MEETING}/build", data=build).status_code == 302
    data = form_of(client, f"/m/{MEETING}/review", index=0)
    data["mode"] = "outbox"
    confirm = form_of_response(client.post(f"/m/{MEETING}/send/review", data=data))
    done = client.post(f"/m/{MEETING}/send/review", data=confirm, follow_redirects=True)
    said = [m.text_content() for m in lxml.html.fromstring(done.data.decode()).find_class("msg")]
    assert any("kohdassa Lähtevät" in m and "Lähetä sähköpostilla (SMTP)" in m for m in said)
    assert not any("minutes send" in m for m in said), said
    choices = lxml.html.fromstring(client.get(f"/m/{MEETING}/distribution").data.decode())
    assert "Koeajo: viestit kirjoitetaan" in choices.text_content()  # one word, as the command


def test_the_pages_name_the_meeting_by_its_number_and_day(client, folders):
    """Verify each page of a meeting names it as the secretary knows it (5/2026, 7.12.2026),
    not by its folder, and by its folder while its agenda cannot be read."""
    tabs = ("", "agenda", "notes", "documents", "review", "distribution")
    for tab in tabs:
        page = lxml.html.fromstring(client.get(f"/m/{MEETING}/{tab}").data.decode())
        assert "5/2026, 7.12.2026 – " in page.find(".//title").text_content(), tab
        assert page.find_class("meeting-id")[0].text_content() == "5/2026, 7.12.2026", tab
    heading = lxml.html.fromstring(client.get(f"/m/{MEETING}/").data.decode()).find(".//h1")
    assert heading.text_content() == "Kokous 5/2026, 7.12.2026"

    agenda = folders / "inputs" / MEETING / "agenda.yaml"
    agenda.write_text(agenda.read_text(encoding="utf-8").replace("5/2026", "viides"), "utf-8")
    page = lxml.html.fromstring(client.get(f"/m/{MEETING}/").data.decode())
    assert page.find_class("meeting-id")[0].text_content() == MEETING


def test_the_groups_offered_a_resend_are_those_send_holds_back(client, folders, held):
    """Verify the confirmation offers to send again to each group that `send` holds back as
    unconfirmed: kesk's first invitation is in doubt and a resend of changed content then
    failed, so send still holds kesk back and the page must offer it (it read only the last
    line, failed, and offered nothing)."""
    without_pdf(folders)
    build = form_of(client, f"/m/{MEETING}/documents")
    assert client.post(f"/m/{MEETING}/build", data=build).status_code == 302
    write_send_log(
        folders,
        {"group": "kesk", "event": "unconfirmed", "hash": "a"},
        {"group": "kesk", "event": "attempting", "hash": "b"},
        {"group": "kesk", "event": "failed", "hash": "b"},
    )
    data = form_of(client, f"/m/{MEETING}/review", index=0)
    data["mode"] = "smtp"
    page = client.post(f"/m/{MEETING}/send/invitation", data=data)
    assert page.status_code == 200, page.data
    offered = lxml.html.fromstring(page.data.decode()).xpath("//input[@name='resend']/@value")
    assert offered == ["kesk"]

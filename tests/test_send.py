"""`minutes send` through the command line: dry run, real SMTP on loopback, faults, refusals."""

from __future__ import annotations

import re
from collections import Counter
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CHAIR,
    MEETING,
    Run,
    Server,
    approve,
    send_review,
    use_server,
    validate_office,
    without_pdf,
)

OUT = Path("outputs") / MEETING
GROUPS = ["kesk", "sdp", "ps", "kok", "vas", "vihr", "kd"]


def parse(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def attachments(message: EmailMessage) -> dict[str, Any]:
    return {part.get_filename() or "": part.get_content() for part in message.iter_attachments()}


# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("held", "english")


def test_a_build_without_the_pdf_some_groups_receive_says_so(project: Path, run: Run) -> None:
    """Verify that a build without PDF, when the roster sends PDF to some groups, says which
    ones and how to make it, and that sending then names the missing PDF, not a change in the
    files (the invitation was built from these very files)."""
    built = run("build", MEETING)
    assert built.exit_code == 0
    assert (
        "Some groups receive their documents as PDF (SDP, VIHR): make the PDF before sending "
        f"with `minutes build {MEETING} --format docx,odt,pdf`."
    ) in built.output
    refused = run("send", MEETING, "invitation")
    assert refused.exit_code == 3
    assert "has no PDF file, which some groups receive (SDP, VIHR)" in refused.output
    assert "not built from the files as they are now" not in refused.output
    with_pdf = run("build", MEETING, "--format", "docx,odt,pdf")
    assert with_pdf.exit_code == 0 and "receive their documents as PDF" not in with_pdf.output


def test_invitation_dry_run_writes_one_message_per_group(
    project: Path, run: Run, tmp_path: Path
) -> None:
    """Verify the dry run writes one parsable .eml per group, to that group's members only,
    with the invitation in the group's formats and a calendar event; nothing is sent."""
    refused = run("send", MEETING, "invitation")
    assert refused.exit_code == 3
    assert f"minutes build {MEETING} --format docx,odt,pdf" in refused.output
    assert run("build", MEETING, "--format", "docx,odt,pdf").exit_code == 0
    result = run("send", MEETING, "invitation")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was sent" in result.output
    files = sorted((OUT / "outbox" / "invitation").glob("*.eml"))
    assert [f.stem for f in files] == sorted(GROUPS)
    sdp = parse(OUT / "outbox" / "invitation" / "sdp.eml")
    assert sdp["To"].addresses and {a.addr_spec for a in sdp["To"].addresses} == {
        "pekka.perala@example.fi",
        "sanna.sijainen@example.fi",
        "kalle.korvaava@example.fi",
    }
    assert "5/2026" in sdp["Subject"]
    files_sdp = attachments(sdp)
    assert set(files_sdp) == {
        f"kokouskutsu_{MEETING}.docx",
        f"kokouskutsu_{MEETING}.pdf",
        f"kokous_{MEETING}.ics",
        "investointiohjelma-2027-2029.pdf",
    }
    assert files_sdp[f"kokouskutsu_{MEETING}.pdf"].startswith(b"%PDF")
    kesk = attachments(parse(OUT / "outbox" / "invitation" / "kesk.eml"))
    assert set(kesk) == {
        f"kokouskutsu_{MEETING}.docx",
        f"kokouskutsu_{MEETING}.odt",
        f"kokous_{MEETING}.ics",
        "investointiohjelma-2027-2029.pdf",
    }
    for name in (f"kokouskutsu_{MEETING}.docx", f"kokouskutsu_{MEETING}.odt"):
        (tmp_path / name).write_bytes(kesk[name])
    report = validate_office(
        tmp_path / f"kokouskutsu_{MEETING}.docx", tmp_path / f"kokouskutsu_{MEETING}.odt"
    )
    assert report.count(": valid") == 2, report
    assert "DTSTART;TZID=Europe/Helsinki:20261207T170000" in kesk[f"kokous_{MEETING}.ics"]


def test_review_goes_to_the_chair_only_with_the_code(project: Path, run: Run) -> None:
    """Verify the review message goes to the chair alone, with the draft and the review code."""
    code = send_review(run)
    message = parse(OUT / "outbox" / "review" / "chair.eml")
    assert [a.addr_spec for a in message["To"].addresses] == ["maija.meikalainen@example.fi"]
    assert code in message["Subject"] and code in message.get_body().get_content()
    assert list(attachments(message)) == [f"poytakirja_luonnos_{MEETING}.docx"]


def test_minutes_are_not_sent_before_approval(project: Path, run: Run) -> None:
    """Verify sending the minutes before the chair's approval is refused with exit 3."""
    result = run("send", MEETING, "minutes")
    assert result.exit_code == 3
    assert "not approved" in result.output
    assert not (OUT / "outbox" / "minutes").exists()


def test_minutes_dry_run_has_cover_letter_and_final(project: Path, run: Run) -> None:
    """Verify each group's minutes message holds its own cover letter and the final minutes."""
    without_pdf(project)  # the PDF of the minutes is tested in test_pdf.py
    approve(run)
    assert run("send", MEETING, "minutes").exit_code == 0
    vas = parse(OUT / "outbox" / "minutes" / "vas.eml")
    assert [a.addr_spec for a in vas["To"].addresses] == ["vas.valtuustoryhma@example.fi"]
    names = set(attachments(vas))
    assert names == {
        f"saate_vas_{MEETING}.docx",
        f"saate_vas_{MEETING}.odt",
        f"poytakirja_{MEETING}.docx",
        f"poytakirja_{MEETING}.odt",
    }
    final = attachments(vas)[f"poytakirja_{MEETING}.docx"]
    assert final == (OUT / f"poytakirja_{MEETING}.docx").read_bytes()


def test_smtp_delivers_once_per_group_and_resumes_after_a_fault(
    project: Path, run: Run, server: Server
) -> None:
    """Verify --smtp delivers exactly one message per group, that a 451 mid-batch exits 4 with
    the resume command, and that the resumed run delivers the rest exactly once."""
    use_server(project, server)
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    server.mailbox.faults = {3: "451"}
    first = run("send", MEETING, "invitation", "--smtp")
    assert first.exit_code == 4
    assert (
        "1 failed" in first.output and f"minutes send {MEETING} invitation --smtp" in first.output
    )
    assert len(server.mailbox.received) == 6
    second = run("send", MEETING, "invitation", "--smtp")
    assert second.exit_code == 0, second.output
    third = run("send", MEETING, "invitation", "--smtp")
    assert third.exit_code == 0 and "already sent earlier" in third.output
    firsts = Counter(r.rcpt_tos[0] for r in server.mailbox.received)
    assert len(firsts) == 7 and set(firsts.values()) == {1}
    assert "invitation sent" in (OUT / "audit.jsonl").read_text(encoding="utf-8")


def test_header_injection_in_roster_is_refused_before_connecting(
    project: Path, run: Run, server: Server
) -> None:
    """Verify a smuggled address in the roster is refused before any connection is opened."""
    use_server(project, server)
    roster = project / "inputs" / "organisation.yaml"
    text = roster.read_text(encoding="utf-8").replace(
        "distribution: [ps.valtuustoryhma@example.fi]",
        'distribution: ["ps.valtuustoryhma@example.fi\\nBcc: evil@example.com"]',
    )
    roster.write_text(text, encoding="utf-8")
    result = run("send", MEETING, "invitation", "--smtp")
    assert result.exit_code == 1
    assert server.mailbox.ehlo == 0 and not server.mailbox.received


def test_password_variable_missing_is_explained(project: Path, run: Run, server: Server) -> None:
    """Verify a username without its password variable set is refused before connecting."""
    use_server(project, server)
    without_pdf(project)  # the one send test with PDF is the invitation's dry run
    assert run("build", MEETING).exit_code == 0
    roster = project / "inputs" / "organisation.yaml"
    roster.write_text(
        roster.read_text(encoding="utf-8")
        + "    username: teppo\n    password_env: NO_SUCH_VAR_SET\n",
        encoding="utf-8",
    )
    result = run("send", MEETING, "invitation", "--smtp")
    assert result.exit_code == 1
    assert "NO_SUCH_VAR_SET" in result.output
    assert server.mailbox.ehlo == 0


def test_end_to_end_the_meeting_is_distributed(project: Path, run: Run, server: Server) -> None:
    """Verify the whole way: draft, review by SMTP, approval, minutes by SMTP to every group
    with its own cover letter, and the state `distributed` in status."""
    use_server(project, server)
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    assert run("send", MEETING, "review", "--smtp").exit_code == 0
    review = message_from_bytes(server.mailbox.received[0].content, policy=policy.default)
    assert isinstance(review, EmailMessage)
    code = re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}", review["Subject"])
    assert code and server.mailbox.received[0].rcpt_tos == ["maija.meikalainen@example.fi"]
    assert run("approve", MEETING, "--by", CHAIR, "--code", code.group(0)).exit_code == 0
    sent = run("send", MEETING, "minutes", "--smtp")
    assert sent.exit_code == 0, sent.output
    minutes = server.mailbox.received[1:]
    assert len(minutes) == 7
    for received in minutes:
        message = message_from_bytes(received.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        group = received.rcpt_tos[0].split(".")[0].replace("vihreat", "vihr")
        assert any(name.startswith(f"saate_{group}_") for name in attachments(message))
    status = run("status", MEETING).output
    assert "State: distributed" in status and "Pending: nothing" in status


def test_resend_to_an_unknown_group_is_a_usage_error(
    project: Path, run: Run, server: Server
) -> None:
    """Verify --resend naming a group that gets no message exits 2 (usage), naming the groups,
    before any connection is opened."""
    use_server(project, server)
    without_pdf(project)
    assert run("build", MEETING).exit_code == 0
    result = run("send", MEETING, "invitation", "--smtp", "--resend", "kesk", "--resend", "sdpp")
    assert result.exit_code == 2
    assert "Invalid value for '--resend'" in result.output
    assert "sdpp" in result.output and "kesk, sdp, ps" in result.output
    assert server.mailbox.ehlo == 0 and not server.mailbox.received

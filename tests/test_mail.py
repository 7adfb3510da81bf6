"""The mail layer against a real SMTP server (aiosmtpd on loopback), faults included."""

from __future__ import annotations

import datetime as dt
import json
import ssl
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from conftest import Mailbox, Received, Server, free_port
from filelock import FileLock
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.calendar import meeting_event
from pipeline.errors import InputError, ServiceFailed, WorkflowRefused
from pipeline.mail import (
    Attachment,
    Outgoing,
    SendReport,
    SmtpSettings,
    build_message,
    check_outgoing,
    send_smtp,
    write_outbox,
)

# These tests tell the problems apart by their English msgids (see conftest.english).
pytestmark = pytest.mark.usefixtures("english")

DATE = dt.datetime(2026, 12, 8, 10, 0, tzinfo=ZoneInfo("Europe/Helsinki"))
SENDER = "Teppo Testaaja <teppo.testaaja@example.fi>"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODT = "application/vnd.oasis.opendocument.text"
DISTRIBUTION = {
    "sdp": ("sdp.valtuustoryhma@example.fi", "sanna.sijainen@example.fi"),
    "kesk": ("kesk.valtuustoryhma@example.fi",),
    "ps": ("ps.valtuustoryhma@example.fi",),
    "kok": ("kok.valtuustoryhma@example.fi", "kalle.korvaava@example.fi"),
}
ROSTER = {address for addresses in DISTRIBUTION.values() for address in addresses}
USER = "teppo.testaaja"
# Either is right: smtplib cannot log in with the second one, the mail layer must.
PASSWORDS = ("sala-sana-1234", "sala-sana-ÄÖ-1234")


def minutes_for(group: str, to: tuple[str, ...] | None = None, **changes: Any) -> Outgoing:
    """The approved minutes with the group's cover letter, as the CLI would build them."""
    message = Outgoing(
        meeting="2026-12-07",
        kind="minutes",
        group=group,
        sender=SENDER,
        to=DISTRIBUTION[group] if to is None else to,
        subject=f"Pöytäkirja 5/2026 – neuvotteluryhmä ({group.upper()}) 🗳️",
        body=f"Hei {group}!\n\nLiitteenä pöytäkirja ja saate. Äänekoski ✅\n.\nTeppo\n",
        attachments=(
            Attachment(
                f"Pöytäkirja 5-2026 {group}.docx", b"PK\x03\x04" + group.encode() * 50, DOCX
            ),
            Attachment("Saate.odt", bytes(range(256)) * 4, ODT),
        ),
    )
    return replace(message, **changes)


def batch() -> list[Outgoing]:
    return [minutes_for(group) for group in DISTRIBUTION]


# ---------------------------------------------------------------------------------------------
# The server


def per_group(mailbox: Mailbox) -> Counter[str]:
    """How many copies each group received, by the distribution's first address."""
    first = {addresses[0]: group for group, addresses in DISTRIBUTION.items()}
    return Counter(first[r.rcpt_tos[0]] for r in mailbox.received)


def check_login(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and (auth_data.password.decode() in PASSWORDS)
    )
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[Server]:
    """STARTTLS required before anything, AUTH required, AUTH only over TLS."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(
        mailbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=check_login,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield Server(mailbox, port)
    finally:
        controller.stop()


def plain(server: Server) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=server.port, security="none", timeout=5)


def starttls(server: Server, password: str, cafile: Path | None = None) -> SmtpSettings:
    """STARTTLS with the login to `server`, trusting `cafile` besides the system's CAs."""
    return SmtpSettings(
        host="localhost",
        port=server.port,
        security="starttls",
        username=USER,
        password=password,
        cafile=str(cafile or ""),
        timeout=5,
    )


def parsed(received: Received) -> EmailMessage:
    message = message_from_bytes(received.content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def log_events(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# ---------------------------------------------------------------------------------------------
# Delivery


def test_plain_delivery(server: Server, tmp_path: Path) -> None:
    """Verify that each group gets exactly one message, to its own addresses, intact."""
    messages = batch()
    check_outgoing(messages, ROSTER, "inputs/organisation.yaml")
    progress: list[tuple[str, str]] = []
    report = send_smtp(
        messages,
        plain(server),
        tmp_path / "send.log",
        DATE,
        on_progress=lambda m, status: progress.append((m.group, status)),
    )

    assert report.ok and report.sent == messages
    assert progress == [(group, "sent") for group in DISTRIBUTION]
    assert len(server.mailbox.received) == len(messages)
    for message, received in zip(messages, server.mailbox.received, strict=True):
        assert received.mail_from == "teppo.testaaja@example.fi"
        assert received.rcpt_tos == list(message.to)
        assert received.content.isascii()  # 7-bit: no server needs 8BITMIME or SMTPUTF8
        mail = parsed(received)
        assert mail["Subject"] == message.subject
        assert mail["To"].addresses == tuple(
            a for a in mail["To"].addresses if a.addr_spec in message.to
        )
        assert mail["Message-ID"] == message.message_id
        body = mail.get_body(("plain",))
        # Line ends travel as CRLF, as SMTP has them; the text is otherwise exactly as typed.
        assert body is not None and body.get_content().replace("\r\n", "\n") == message.body
        attachments = [
            (a.get_filename(), a.get_content_type(), a.get_content())
            for a in mail.iter_attachments()
        ]
        assert attachments == [(a.filename, a.mimetype, a.data) for a in message.attachments]
    assert server.mailbox.ehlo == 1  # one connection for the whole batch


def test_send_log_format(server: Server, tmp_path: Path) -> None:
    """Verify that the log has an `attempting` line before each `sent` line, with every field."""
    log = tmp_path / "send.log"
    send_smtp(batch()[:2], plain(server), log, DATE)
    events = log_events(log)
    assert [(e["event"], e["group"]) for e in events] == [
        ("attempting", "sdp"),
        ("sent", "sdp"),
        ("attempting", "kesk"),
        ("sent", "kesk"),
    ]
    first = events[0]
    assert set(first) == {"event", "meeting", "kind", "group", "hash", "message_id", "to", "time"}
    assert first["hash"] == minutes_for("sdp").content_hash
    assert first["to"] == list(DISTRIBUTION["sdp"])
    assert log.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("password", PASSWORDS)
def test_starttls_with_auth(
    tls_server: Server, certificate: tuple[Path, Path], tmp_path: Path, password: str
) -> None:
    """Verify sending over STARTTLS with a login to a server whose certificate we trust."""
    log = tmp_path / "send.log"
    report = send_smtp(batch(), starttls(tls_server, password, certificate[0]), log, DATE)
    assert report.ok and len(report.sent) == 4
    assert per_group(tls_server.mailbox) == dict.fromkeys(DISTRIBUTION, 1)
    assert password not in log.read_text(encoding="utf-8")
    assert all(password.encode() not in r.content for r in tls_server.mailbox.received)


def test_implicit_tls(certificate: tuple[Path, Path], tmp_path: Path) -> None:
    """Verify sending with security ssl (TLS from the first byte, port 465 style)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    mailbox, port = Mailbox(), free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port, ssl_context=context)
    controller.start()
    try:
        config = SmtpSettings(
            host="127.0.0.1", port=port, security="ssl", cafile=str(certificate[0]), timeout=5
        )
        assert send_smtp(batch(), config, tmp_path / "send.log", DATE).ok
    finally:
        controller.stop()
    assert per_group(mailbox) == dict.fromkeys(DISTRIBUTION, 1)


@pytest.mark.parametrize("password", ["wrong", "väärä"])
def test_wrong_password(
    tls_server: Server, certificate: tuple[Path, Path], tmp_path: Path, password: str
) -> None:
    """Verify that a refused login is ServiceFailed naming the server, and nothing is sent."""
    config = starttls(tls_server, password, certificate[0])
    with pytest.raises(ServiceFailed, match=f"localhost:{tls_server.port}.*refused the login"):
        send_smtp(batch(), config, tmp_path / "send.log", DATE)
    assert tls_server.mailbox.received == []
    assert (tmp_path / "send.log").read_text() == ""


def test_untrusted_certificate(tls_server: Server, tmp_path: Path) -> None:
    """Verify that a certificate the system CAs do not vouch for stops everything."""
    with pytest.raises(ServiceFailed, match="certificate that is not trusted"):
        send_smtp(batch(), starttls(tls_server, PASSWORDS[0]), tmp_path / "send.log", DATE)
    assert tls_server.mailbox.received == []


def test_no_starttls_offered(server: Server, tmp_path: Path) -> None:
    """Verify that a server without STARTTLS is refused, never used in plaintext."""
    config = replace(plain(server), security="starttls", username=USER, password=PASSWORDS[0])
    with pytest.raises(ServiceFailed, match="does not offer STARTTLS"):
        send_smtp(batch(), config, tmp_path / "send.log", DATE)
    assert server.mailbox.received == []


def test_no_server(tmp_path: Path) -> None:
    """Verify that an unreachable server is ServiceFailed naming host:port."""
    port = free_port()
    config = SmtpSettings(host="127.0.0.1", port=port, security="none", timeout=2)
    with pytest.raises(ServiceFailed, match=f"127.0.0.1:{port}.*run the send again"):
        send_smtp(batch(), config, tmp_path / "send.log", DATE)


def test_plaintext_only_to_loopback(tmp_path: Path) -> None:
    """Verify that security none to a remote host is refused before connecting."""
    config = SmtpSettings(host="smtp.example.fi", port=25, security="none")
    with pytest.raises(InputError, match="allowed only to localhost"):
        send_smtp(batch(), config, tmp_path / "send.log", DATE)
    assert not (tmp_path / "send.log").exists()


# ---------------------------------------------------------------------------------------------
# Faults and resuming


def test_recipient_refused_then_fixed(server: Server, tmp_path: Path) -> None:
    """Verify that a 550 for one address fails that group only, and a re-run sends only it."""
    log = tmp_path / "send.log"
    server.mailbox.refuse = {"ps.valtuustoryhma@example.fi"}
    first = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m in first.sent] == ["sdp", "kesk", "kok"]
    assert [(m.group, "550 5.1.1" in why) for m, why in first.failed] == [("ps", True)]
    assert not first.ok
    assert not any(e["event"] == "sent" and e["group"] == "ps" for e in log_events(log))

    server.mailbox.refuse = set()
    second = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m in second.sent] == ["ps"]
    assert [m.group for m in second.skipped] == ["sdp", "kesk", "kok"]
    assert second.ok
    assert per_group(server.mailbox) == dict.fromkeys(DISTRIBUTION, 1)


def test_one_of_several_recipients_refused(server: Server, tmp_path: Path) -> None:
    """Verify that a group with one bad address of two gets nothing, so a retry is no duplicate."""
    log = tmp_path / "send.log"
    server.mailbox.refuse = {"sanna.sijainen@example.fi"}
    first = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m, _ in first.failed] == ["sdp"]
    assert "sanna.sijainen@example.fi" in first.failed[0][1]
    failed = [e for e in log_events(log) if e["event"] == "failed"]
    assert [e["refused"] for e in failed] == [["sanna.sijainen@example.fi"]]
    assert per_group(server.mailbox)["sdp"] == 0

    server.mailbox.refuse = set()
    send_smtp(batch(), plain(server), log, DATE)
    assert per_group(server.mailbox) == dict.fromkeys(DISTRIBUTION, 1)


def test_temporary_failure_mid_batch(server: Server, tmp_path: Path) -> None:
    """Verify that a 451 on the 2nd message fails it alone, and resuming sends each once."""
    log = tmp_path / "send.log"
    server.mailbox.faults = {2: "451"}
    first = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m, _ in first.failed] == ["kesk"]
    assert "451 4.3.0" in first.failed[0][1]
    assert [m.group for m in first.sent] == ["sdp", "ps", "kok"]

    second = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m in second.sent] == ["kesk"]
    assert second.ok
    assert per_group(server.mailbox) == dict.fromkeys(DISTRIBUTION, 1)


def test_connection_dropped_after_data(server: Server, tmp_path: Path) -> None:
    """Verify that a drop after DATA is unconfirmed, never resent unless asked, and the rest go."""
    log = tmp_path / "send.log"
    server.mailbox.faults = {2: "drop"}
    first = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m, _ in first.unconfirmed] == ["kesk"]
    assert [m.group for m in first.sent] == ["sdp", "ps", "kok"]
    assert not first.ok
    assert server.mailbox.ehlo == 2  # a new connection for the messages after the drop
    assert [e["event"] for e in log_events(log) if e["group"] == "kesk"] == [
        "attempting",
        "unconfirmed",
    ]

    second = send_smtp(batch(), plain(server), log, DATE)
    assert second.sent == [] and [m.group for m, _ in second.unconfirmed] == ["kesk"]
    assert per_group(server.mailbox) == dict.fromkeys(DISTRIBUTION, 1)  # exactly once

    third = send_smtp(batch(), plain(server), log, DATE, resend={"kesk"})
    assert [m.group for m in third.sent] == ["kesk"] and third.ok
    assert per_group(server.mailbox)["kesk"] == 2


def test_run_died_after_attempting(server: Server, tmp_path: Path) -> None:
    """Verify that a bare `attempting` line (the process died) counts as unconfirmed."""
    log = tmp_path / "send.log"
    send_smtp(batch()[:1], plain(server), log, DATE)
    died = {**log_events(log)[0], "group": "kesk", "hash": minutes_for("kesk").content_hash}
    # A torn last line, as a kill in the middle of a write leaves it, is dropped.
    log.write_text(log.read_text() + json.dumps(died) + "\n" + '{"event": "atte')
    report = send_smtp(batch(), plain(server), log, DATE)
    assert [m.group for m in report.skipped] == ["sdp"]
    assert [m.group for m, _ in report.unconfirmed] == ["kesk"]
    assert [m.group for m in report.sent] == ["ps", "kok"]
    assert all(line.startswith("{") for line in log.read_text().splitlines())


def test_changed_content_is_not_sent_twice(server: Server, tmp_path: Path) -> None:
    """Verify that a group already sent other content is reported, and sent only on resend."""
    log = tmp_path / "send.log"
    send_smtp(batch(), plain(server), log, DATE)
    changed = [replace(m, body=m.body + "Korjattu.\n") if m.group == "ps" else m for m in batch()]
    report = send_smtp(changed, plain(server), log, DATE)
    assert [m.group for m in report.already_sent_other] == ["ps"] and report.sent == []
    report = send_smtp(changed, plain(server), log, DATE, resend={"ps"})
    assert [m.group for m in report.sent] == ["ps"]
    assert per_group(server.mailbox) == {"sdp": 1, "kesk": 1, "ps": 2, "kok": 1}


def test_nothing_to_send_opens_no_connection(tmp_path: Path) -> None:
    """Verify that a run with everything already sent does not even connect."""
    log = tmp_path / "send.log"
    lines = [
        {
            "event": "sent",
            "meeting": m.meeting,
            "kind": m.kind,
            "group": m.group,
            "hash": m.content_hash,
            "time": "2026-12-08T08:00:00+00:00",
        }
        for m in batch()
    ]
    log.write_text("".join(json.dumps(line) + "\n" for line in lines))
    config = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=2)
    report = send_smtp(batch(), config, log, DATE)
    assert len(report.skipped) == 4 and report.ok


def test_one_send_at_a_time(server: Server, tmp_path: Path) -> None:
    """Verify that a second send while one holds the log is refused, and sends nothing."""
    log = tmp_path / "send.log"
    with (
        FileLock(f"{log.parent}/.{log.name}.lock"),
        pytest.raises(WorkflowRefused, match="another send is running"),
    ):
        send_smtp(batch(), plain(server), log, DATE)
    assert server.mailbox.ehlo == 0


def test_damaged_log_is_refused(tmp_path: Path) -> None:
    """Verify that a damaged line in the middle of the log stops the run with its line number."""
    log = tmp_path / "send.log"
    log.write_text('not json\n{"event": "sent"}\n')
    config = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=2)
    with pytest.raises(InputError, match=r"send\.log:1: the send log line is damaged"):
        send_smtp(batch(), config, log, DATE)


# ---------------------------------------------------------------------------------------------
# Refused before anything happens


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"subject": "Pöytäkirja\r\nBcc: x@evil.example"}, "subject .* line break"),
        ({"sender": "Teppo <teppo.testaaja@example.fi>\nBcc: x@evil.example"}, "sender"),
        ({"reply_to": "a@example.fi\r\nBcc: x@evil.example"}, "reply-to"),
        ({"to": ("ps.valtuustoryhma@example.fi, b@evil.example",)}, "not one plain address"),
        ({"to": ("ps.valtuustoryhma@example.fi;b@evil.example",)}, "not one plain address"),
        ({"to": ("ps.valtuustoryhma@example.fi\nBcc: c@evil.example",)}, "line break"),
        ({"to": ('"x@evil.example" <ps.valtuustoryhma@example.fi>',)}, "not one plain address"),
        ({"sender": '"x@evil.example" <teppo.testaaja@example.fi>'}, "sender .* not one address"),
        ({"to": ()}, "no recipient"),
        (
            {"attachments": (Attachment("a\r\nX-Evil: 1.pdf", b"", "application/pdf"),)},
            "attachment name",
        ),
        ({"group": "../ps"}, "group id"),
    ],
)
def test_injection_refused_before_connecting(
    server: Server, tmp_path: Path, change: dict[str, Any], expected: str
) -> None:
    """Verify that header injection and smuggled addresses are refused with no connection."""
    messages = [*batch()[:2], replace(minutes_for("ps"), **change)]
    with pytest.raises(InputError, match=expected):
        check_outgoing(messages, ROSTER, "inputs/organisation.yaml")
    with pytest.raises(InputError, match=expected):
        send_smtp(messages, plain(server), tmp_path / "send.log", DATE)
    with pytest.raises(InputError, match=expected):
        write_outbox(messages, tmp_path / "outbox", DATE)
    assert server.mailbox.ehlo == 0 and server.mailbox.received == []
    assert not (tmp_path / "outbox").exists()


def test_address_not_in_roster(server: Server) -> None:
    """Verify that an address outside the roster is refused, every problem listed at once."""
    messages = [
        minutes_for("ps", to=("someone@evil.example",)),
        minutes_for("kok", to=("KOK.Valtuustoryhma@example.fi", "x@evil.example")),
    ]
    with pytest.raises(InputError) as caught:
        check_outgoing(messages, ROSTER, "inputs/organisation.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "inputs/organisation.yaml: minutes to kok: the address 'x@evil.example' is not in the "
        "roster; correct it or add it to the group's distribution",
        "inputs/organisation.yaml: minutes to ps: the address 'someone@evil.example' is not in "
        "the roster; correct it or add it to the group's distribution",
    ]
    assert server.mailbox.ehlo == 0


def test_two_messages_for_one_group() -> None:
    """Verify that a batch may hold only one message of a kind per group."""
    with pytest.raises(InputError, match="two messages of the same kind"):
        check_outgoing([minutes_for("ps"), minutes_for("ps")], ROSTER, "org.yaml")


# ---------------------------------------------------------------------------------------------
# Building and the dry run


def test_outbox_dry_run(tmp_path: Path) -> None:
    """Verify that the dry run writes one parseable .eml per group, byte-identical each time."""
    messages = batch()
    first = write_outbox(messages, tmp_path / "a" / "minutes", DATE)
    second = write_outbox(messages, tmp_path / "b" / "minutes", DATE)
    assert [p.relative_to(tmp_path / "a").as_posix() for p in first] == [
        f"minutes/{group}.eml" for group in DISTRIBUTION
    ]
    for one, other, message in zip(first, second, messages, strict=True):
        assert one.read_bytes() == other.read_bytes()
        mail = message_from_bytes(one.read_bytes(), policy=policy.default)
        assert mail["Message-ID"] == message.message_id
        assert mail["Date"] == "Tue, 08 Dec 2026 10:00:00 +0200"
        assert [a.get_content() for a in mail.iter_attachments()] == [
            a.data for a in message.attachments
        ]
    assert len({minutes_for(g).message_id for g in DISTRIBUTION}) == len(DISTRIBUTION)


def test_calendar_attachment(tmp_path: Path) -> None:
    """Verify that an invitation's .ics goes as text/calendar with its METHOD, bytes intact."""
    ics = meeting_event(
        uid="2026-12-07@minutes.example.fi",
        summary="Kokous 5/2026",
        start=dt.datetime(2026, 12, 7, 17),
        end=None,
        location="Kaupungintalo",
        url="",
        description="",
        organizer_name="Teppo Testaaja",
        organizer_email="teppo.testaaja@example.fi",
        stamp=dt.datetime(2026, 11, 30, 9),
    )
    message = minutes_for(
        "ps", kind="invitation", attachments=(Attachment("kutsu.ics", ics, "text/calendar"),)
    )
    mail = message_from_bytes(build_message(message, DATE).as_bytes(), policy=policy.default)
    [part] = list(mail.iter_attachments())
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_payload(decode=True) == ics


@settings(max_examples=100, deadline=None)
@given(
    subject=st.text(st.characters(whitelist_categories=("L", "N", "P", "S", "Zs")), max_size=150),
    filename=st.text(
        st.characters(whitelist_categories=("L", "N", "Zs"), blacklist_characters="/\\"),
        min_size=1,
        max_size=80,
    ).filter(lambda name: name == name.strip()),
)
def test_headers_round_trip(subject: str, filename: str) -> None:
    """Verify that any typed subject and attachment name come back exactly as typed."""
    message = minutes_for(
        "ps",
        subject=subject,
        attachments=(Attachment(filename + ".pdf", b"%PDF", "application/pdf"),),
    )
    data = build_message(message, DATE).as_bytes()
    assert all(len(line) <= 78 for line in data.split(b"\r\n"))
    mail = message_from_bytes(data, policy=policy.default)
    assert mail["Subject"] == subject
    assert [a.get_filename() for a in mail.iter_attachments()] == [filename + ".pdf"]


def test_report_ok() -> None:
    """Verify that a report is ok only with nothing failed and nothing unconfirmed."""
    message = minutes_for("ps")
    assert SendReport(sent=[message], skipped=[message]).ok
    assert not SendReport(failed=[(message, "x")]).ok
    assert not SendReport(unconfirmed=[(message, "x")]).ok

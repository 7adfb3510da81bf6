"""Outgoing messages: their checks, the dry-run outbox, SMTP sending and its resumable send log."""

from __future__ import annotations

import base64
import contextlib
import ipaddress
import json
import os
import re
import smtplib
import socket
import ssl
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Literal

from pipeline import MESSAGE_KINDS, storage
from pipeline.clock import local
from pipeline.errors import InputError, Problem, ServiceFailed
from pipeline.i18n import N_, _
from pipeline.model import address_problem, control_character, mailbox_problem
from pipeline.terms import DEFAULT_RECORD, message_forms

SECURITY = ("starttls", "ssl", "none")
MIMETYPE = re.compile(r"[a-z]+/[a-z0-9][a-z0-9.+-]*")
# What each kind of message is called where it is shown (the progress, the send log), and how
# one message is named in errors and reports; the Finnish names the record as the roster does.
KIND_NAMES = {
    "invitation": N_("invitation"),
    "review": N_("draft for review"),
    "minutes": N_("approved minutes"),
}
LABELS = {
    "invitation": N_("invitation to {group}"),
    "review": N_("draft to the chair"),
    "minutes": N_("minutes to {group}"),
}
# The send log read back: (meeting, kind, group) → each content hash's last event.
History = dict[tuple[str, str, str], dict[str, str]]
# Header lines folded at 78 with CRLF: what SMTP wants, and the same bytes every time.
MAIL_POLICY = policy.SMTP


@dataclass(frozen=True)
class Attachment:
    """A file attached to a message."""

    filename: str
    data: bytes
    mimetype: str


@dataclass(frozen=True)
class Outgoing:
    """One message for one group (or the chair) about one meeting."""

    meeting: str
    kind: str
    group: str
    sender: str
    to: tuple[str, ...]
    subject: str
    body: str
    attachments: tuple[Attachment, ...]
    reply_to: str = ""
    record: str = DEFAULT_RECORD  # what the roster calls the record, for the label only

    @property
    def content_hash(self) -> str:
        """SHA-256 over canonical JSON of every field but `record` (the label's word, not the
        message's), attachments by their bytes' SHA-256."""
        return storage.hash_of(
            {
                "meeting": self.meeting,
                "kind": self.kind,
                "group": self.group,
                "sender": self.sender,
                "to": list(self.to),
                "subject": self.subject,
                "body": self.body,
                "reply_to": self.reply_to,
                "attachments": [
                    [a.filename, a.mimetype, storage.sha256(a.data)] for a in self.attachments
                ],
            }
        )

    @property
    def message_id(self) -> str:
        """A Message-ID that is the same whenever the same message is built again."""
        domain = address_domain(self.sender)
        return f"<{self.content_hash[:32]}@minutes.{domain}>"

    @property
    def label(self) -> str:
        """How the message is named in errors and reports: *muistio ryhmälle sdp*."""
        return message_label(self.kind, self.group, self.record)


def message_label(kind: str, group: str, record: str = DEFAULT_RECORD) -> str:
    """How one message is named: *kokouskutsu ryhmälle sdp*, *muistio ryhmälle sdp* (a kind
    not known, from a log edited by hand, as it is written there)."""
    label = _(LABELS[kind]) if kind in LABELS else _("{kind} to {group}")
    return label.format(kind=kind, group=group, **message_forms(record))


def recipient_name(group: str) -> str:
    """Who a message goes to, as shown: the review's *puheenjohtaja*, a group by its id."""
    return _("chair") if group == "chair" else group


def kind_name(kind: str, record: str = DEFAULT_RECORD) -> str:
    """What a kind of message is called: *hyväksytty muistio* (an unknown kind as it is)."""
    return _(KIND_NAMES[kind]).format(**message_forms(record)) if kind in KIND_NAMES else kind


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send; the password comes from the environment, never from a file."""

    host: str
    port: int
    security: str
    username: str = ""
    password: str = field(default="", repr=False)
    cafile: str = ""
    timeout: float = 30.0
    roster: str = "organisation.yaml"  # where the settings come from, for messages


@dataclass
class SendReport:
    """What one `send_smtp` run did with each message."""

    sent: list[Outgoing] = field(default_factory=list)
    skipped: list[Outgoing] = field(default_factory=list)
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)
    unconfirmed: list[tuple[Outgoing, str]] = field(default_factory=list)
    already_sent_other: list[Outgoing] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed and no delivery is in doubt."""
        return not self.failed and not self.unconfirmed


# ---------------------------------------------------------------------------------------------
# Checks


def check_outgoing(messages: Sequence[Outgoing], allowed: Collection[str], where: str) -> None:
    """Refuse the whole batch, with every problem, before anything is written or sent."""
    problems = _message_problems(messages, where)
    roster = {address.lower() for address in allowed}
    problems += [
        Problem(
            where,
            0,
            _(
                "{label}: the address {address!r} is not in the roster; correct "
                "it or add it to the group's distribution"
            ).format(label=message.label, address=address),
        )
        for message in messages
        for address in message.to
        if not address_problem(address) and address.lower() not in roster
    ]
    if problems:
        raise InputError(problems)


def _message_problems(messages: Sequence[Outgoing], where: str) -> list[Problem]:
    """Everything wrong with the messages themselves (the roster aside)."""
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for message in messages:
        texts = _header_problems(message)
        if (message.kind, message.group) in seen:
            texts.append(_("two messages of the same kind for the same group; each group gets one"))
        seen.add((message.kind, message.group))
        problems += [Problem(where, 0, f"{message.label}: {text}") for text in texts]
    return problems


def _header_problems(message: Outgoing) -> list[str]:
    """What would let a header break its line, carry a second address, or name a bad file."""
    texts: list[str] = []
    if message.kind not in MESSAGE_KINDS:
        texts.append(
            _("the kind {kind!r} is not one of {names}").format(
                kind=message.kind, names=", ".join(MESSAGE_KINDS)
            )
        )
    # A group id becomes a file name in the outbox: keep it to a safe, plain word.
    if not storage.SAFE_NAME.fullmatch(message.group):
        texts.append(
            _("the group id {group!r} is not a plain word of letters and digits").format(
                group=message.group
            )
        )
    if control_character(message.meeting):
        texts.append(_("the meeting id contains control characters"))
    return [
        *texts,
        *_sender_problems(message),
        *_recipient_problems(message.to),
        *_attachment_problems(message.attachments),
    ]


def _sender_problems(message: Outgoing) -> list[str]:
    """The sender and reply-to: one address each, and a subject of one line."""
    texts: list[str] = []
    for name, value in (("sender", message.sender), ("reply-to", message.reply_to)):
        if control_character(value):
            texts.append(
                _("the {name} {value!r} contains a line break or control character").format(
                    name=name, value=value
                )
            )
        elif value and mailbox_problem(value):
            texts.append(
                _(
                    "the {name} {value!r} is not one address like 'Teppo Testaaja "
                    "<teppo.testaaja@example.fi>'"
                ).format(name=name, value=value)
            )
    if not message.sender:
        texts.append(_("the message has no sender; set mail.sender"))
    if control_character(message.subject):
        texts.append(
            _(
                "the subject {subject!r} contains a line break or control "
                "character; a header must be one line"
            ).format(subject=message.subject)
        )
    return texts


def _recipient_problems(to: Sequence[str]) -> list[str]:
    """At least one recipient, each one plain address, none twice."""
    texts: list[str] = []
    if not to:
        texts.append(_("the message has no recipient; give the group a distribution address"))
    for address in to:
        if control_character(address):
            texts.append(
                _("the recipient {address!r} contains a line break or control character").format(
                    address=address
                )
            )
        elif address_problem(address):
            texts.append(
                _(
                    "the recipient {address!r} is not one plain address like "
                    "'name@example.fi' (one address per entry, no names, no commas)"
                ).format(address=address)
            )
    if len({address.lower() for address in to}) != len(to):
        texts.append(_("a recipient is listed twice"))
    return texts


def _attachment_problems(attachments: Sequence[Attachment]) -> list[str]:
    """Each attachment a plain file name with a valid MIME type."""
    texts: list[str] = []
    for attachment in attachments:
        name = attachment.filename
        if control_character(name):
            texts.append(
                _("the attachment name {name!r} contains a control character").format(name=name)
            )
        elif not name or name != name.strip() or "/" in name or "\\" in name:
            texts.append(
                _("the attachment name {name!r} is not a plain file name").format(name=name)
            )
        if not MIMETYPE.fullmatch(attachment.mimetype):
            texts.append(
                _("the attachment {name!r} has no valid MIME type ({mimetype!r})").format(
                    name=name, mimetype=attachment.mimetype
                )
            )
    return texts


def _refuse_bad(*messages: Outgoing) -> None:
    """The checks again where messages are built or sent: nothing unchecked reaches a header."""
    problems = _message_problems(messages, "outgoing messages")
    if problems:
        raise InputError(problems)


def address_domain(mailbox: str) -> str:
    """The domain of a checked `Name <addr>`, for the Message-ID."""
    return parseaddr(mailbox)[1].rpartition("@")[2].lower() or "localhost"


# ---------------------------------------------------------------------------------------------
# Building and the dry run


def build_message(message: Outgoing, date: datetime) -> EmailMessage:
    """The MIME message; the same message and date always give the same bytes."""
    _refuse_bad(message)
    msg = EmailMessage(policy=MAIL_POLICY)
    msg["From"] = message.sender
    msg["To"] = ", ".join(message.to)
    if message.reply_to:
        msg["Reply-To"] = message.reply_to
    _set_text_header(msg, "Subject", message.subject)
    # Helsinki time, as the secretary's own mail program would write it.
    msg["Date"] = format_datetime(local(date))
    msg["Message-ID"] = message.message_id
    # Quoted-printable keeps the message 7-bit: no server needs 8BITMIME for Finnish letters.
    msg.set_content(message.body, charset="utf-8", cte="quoted-printable")
    for attachment in message.attachments:
        maintype, subtype = attachment.mimetype.split("/")
        params = {}
        if attachment.mimetype == "text/calendar":
            params = {"charset": "utf-8", "method": _calendar_method(attachment.data)}
        msg.add_attachment(
            attachment.data,
            maintype=maintype,
            subtype=subtype,
            filename=attachment.filename,
            params=params,
        )
    if msg.is_multipart():
        for part in msg.iter_parts():
            del part["MIME-Version"]  # add_attachment repeats it in every part; once is enough
        # "=_" cannot occur in base64 or quoted-printable text, so the boundary never collides.
        msg.set_boundary(f"=_minutes_{message.content_hash[:40]}")
    return msg


def _set_text_header(msg: EmailMessage, name: str, value: str) -> None:
    """Set a free-text header so that it reads back exactly as typed."""
    if value.isascii() and value == value.strip() and "  " not in value:
        msg[name] = value
    else:
        # The policy's folder can leave a space between two encoded words, where readers drop
        # it, and it loses edge spaces; the classic encoder keeps every character inside one.
        msg.set_raw(name, Header(value, "utf-8", header_name=name).encode(linesep="\r\n"))


def _calendar_method(data: bytes) -> str:
    """The iCalendar METHOD, repeated in Content-Type as mail clients expect (RFC 6047)."""
    found = re.search(rb"^METHOD:([A-Z-]+)\r?$", data, re.MULTILINE)
    return found.group(1).decode("ascii") if found else "PUBLISH"


def write_outbox(messages: Sequence[Outgoing], folder: Path, date: datetime) -> list[Path]:
    """Dry run: one `<group>.eml` per message in `folder` (e.g. outbox/minutes); no network."""
    _refuse_bad(*messages)
    groups = [message.group for message in messages]
    if len(set(groups)) != len(groups):
        raise InputError(
            [
                Problem(
                    str(folder),
                    0,
                    _(
                        "one outbox folder holds one message per group; write each kind "
                        "of message to its own folder"
                    ),
                )
            ]
        )
    storage.owner_only(folder.parent)
    storage.owner_only(folder)
    # The messages carry the documents: readable by their owner only, like the documents.
    built = {
        folder / f"{m.group}.eml": (build_message(m, date).as_bytes(), 0o600) for m in messages
    }
    return storage.write_all(built)


# ---------------------------------------------------------------------------------------------
# Sending


@dataclass(frozen=True)
class _Outcome:
    status: Literal["sent", "failed", "unconfirmed"]
    error: str = ""
    refused: tuple[str, ...] = ()
    # The connection broke or is out of step with the server: the next message needs a new one.
    reconnect: bool = False


EARLIER_UNCONFIRMED = N_(
    "an earlier run could not confirm delivery: ask the recipients whether it arrived, and "
    "resend to this group only if it did not"
)


class _ConnectionLost(Exception):
    """The connection broke before the server had the message: it was not delivered."""


class _Unconfirmed(Exception):
    """The connection broke after the message data was sent: it may have been delivered."""


def send_smtp(
    messages: Sequence[Outgoing],
    settings: SmtpSettings,
    log_path: Path,
    date: datetime,
    *,
    resend: Collection[str] = (),
    on_progress: Callable[[Outgoing, str], None] | None = None,
) -> SendReport:
    """Send what the send log does not show as sent (or in doubt), logging every attempt.

    The log at `log_path` is JSON lines, each fsynced: `attempting` before a message is handed
    to the server, then `sent`, `failed` (refused; retried on the next run) or `unconfirmed`
    (the connection dropped after the data; never sent again without `resend`). A run that
    died leaves a bare `attempting`, read as unconfirmed. A group in `resend` is sent whatever
    the log says. A per-message failure never raises; `ServiceFailed` means no connection at all.
    """
    _check_settings(settings)
    _refuse_bad(*messages)
    report = SendReport()
    progress = on_progress or (lambda message, status: None)
    with _send_log(log_path) as log:
        pending = _pending(messages, _read_history(log_path), resend, report, progress)
        _deliver_all(pending, settings, date, log, report, progress)
    return report


def _pending(
    messages: Sequence[Outgoing],
    history: History,
    resend: Collection[str],
    report: SendReport,
    progress: Callable[[Outgoing, str], None],
) -> list[Outgoing]:
    """The messages to send now; the others reported as the log has them (sent, sent with
    other content, or in doubt)."""
    pending: list[Outgoing] = []
    for message in messages:
        verdict = "send" if message.group in resend else _verdict(message, history)
        if verdict == "send":
            pending.append(message)
            continue
        if verdict == "skipped":
            report.skipped.append(message)
        elif verdict == "already_sent_other":
            report.already_sent_other.append(message)
        else:
            report.unconfirmed.append((message, _(EARLIER_UNCONFIRMED)))
        progress(message, verdict)
    return pending


def _deliver_all(
    pending: Sequence[Outgoing],
    settings: SmtpSettings,
    date: datetime,
    log: int,
    report: SendReport,
    progress: Callable[[Outgoing, str], None],
) -> None:
    """Hand each message to the server, connecting again after a connection broke; when no
    connection can be made after some went, the rest are failed, to be resumed."""
    connection: smtplib.SMTP | None = None
    try:
        for index, message in enumerate(pending):
            if connection is None:
                try:
                    connection = _connect(settings)
                except ServiceFailed as exc:
                    if index == 0:
                        raise
                    # Some went already: report the rest as failed, to be resumed.
                    for rest in pending[index:]:
                        report.failed.append((rest, str(exc)))
                        progress(rest, "failed")
                    break
            outcome = _deliver(connection, message, date, log)
            if outcome.reconnect or (outcome.status == "failed" and not _alive(connection)):
                _close(connection)
                connection = None
            if outcome.status == "sent":
                report.sent.append(message)
            elif outcome.status == "failed":
                report.failed.append((message, outcome.error))
            else:
                report.unconfirmed.append((message, outcome.error))
            progress(message, outcome.status)
    finally:
        if connection is not None:
            _close(connection, polite=True)


def _check_settings(settings: SmtpSettings) -> None:
    """Refuse settings that cannot work or would send in plaintext over the network."""
    texts = []
    if settings.security not in SECURITY:
        texts.append(
            _("security {security!r} is not one of {names}").format(
                security=settings.security, names=", ".join(SECURITY)
            )
        )
    elif settings.security == "none" and not _loopback(settings.host):
        texts.append(
            _(
                "security none sends in plaintext, so it is allowed only to "
                "localhost, not to {host!r}: use starttls or ssl"
            ).format(host=settings.host)
        )
    if not 0 < settings.port < 65536:
        texts.append(
            _("port {port} is not a port number; write a number 1–65535, usually 587").format(
                port=settings.port
            )
        )
    if control_character(settings.host) or control_character(settings.username):
        texts.append(_("the host or user name contains a control character"))
    if texts:
        raise InputError([Problem(settings.roster, 0, f"mail.smtp: {text}") for text in texts])


def _loopback(host: str) -> bool:
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _connect(settings: SmtpSettings) -> smtplib.SMTP:
    """An open, secured and authenticated connection, or ServiceFailed saying what to do."""
    where = f"{settings.host}:{settings.port}"
    connection: smtplib.SMTP | None = None
    try:
        context = ssl.create_default_context(cafile=settings.cafile or None)
        if settings.security == "ssl":
            connection = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout, context=context
            )
        else:
            connection = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        connection.ehlo()
        if settings.security == "starttls":
            if not connection.has_extn("starttls"):
                raise ServiceFailed(
                    _(
                        "the SMTP server {where} does not offer STARTTLS; the password "
                        "and the messages are not sent in plaintext: check mail.smtp "
                        "(port 465 wants security: ssl)"
                    ).format(where=where)
                )
            connection.starttls(context=context)
            connection.ehlo()
        if settings.username:
            _login(connection, settings.username, settings.password)
        return connection
    except ServiceFailed:
        _close(connection)
        raise
    except ssl.SSLCertVerificationError as exc:
        _close(connection)
        raise ServiceFailed(
            _(
                "the SMTP server {where} has a certificate that is not trusted "
                "({verify_message}); check mail.smtp.host against the server's "
                "certificate"
            ).format(where=where, verify_message=exc.verify_message)
        ) from None
    except smtplib.SMTPAuthenticationError as exc:
        _close(connection)
        raise ServiceFailed(
            _(
                "the SMTP server {where} refused the login of {username!r} "
                "({smtp_code}); check the user name and the password in the "
                "environment variable named by mail.smtp.password_env"
            ).format(where=where, username=settings.username, smtp_code=exc.smtp_code)
        ) from None
    except (smtplib.SMTPException, OSError) as exc:
        _close(connection)
        raise ServiceFailed(
            _(
                "cannot connect to the SMTP server {where} ({value}); check "
                "mail.smtp and the network, then run the send again: it resumes "
                "where it stopped"
            ).format(where=where, value=_describe(exc))
        ) from None


def _login(connection: smtplib.SMTP, username: str, password: str) -> None:
    """AUTH; smtplib cannot send a password with letters like ä, so PLAIN is done by hand then."""
    if f"{username}{password}".isascii():
        connection.login(username, password)
        return
    if "PLAIN" not in connection.esmtp_features.get("auth", "").upper().split():
        raise smtplib.SMTPException(
            _("the server does not offer AUTH PLAIN, which a non-ASCII user name or password needs")
        )
    # RFC 4616: authorisation id, user name and password, NUL-separated, in UTF-8.
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = connection.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _deliver(connection: smtplib.SMTP, message: Outgoing, date: datetime, log: int) -> _Outcome:
    """Hand one message to the server, logging the attempt first and its outcome after."""
    data = build_message(message, date).as_bytes()
    sender = parseaddr(message.sender)[1]
    _log(log, "attempting", message)
    try:
        outcome = _transmit(connection, sender, message.to, data)
    except _Unconfirmed as exc:
        outcome = _Outcome(
            "unconfirmed",
            _(
                "the connection broke after the message was sent ({reason}); it may have "
                "arrived: ask the recipients before resending"
            ).format(reason=exc),
            reconnect=True,
        )
    except _ConnectionLost as exc:
        outcome = _Outcome(
            "failed",
            _("the connection broke before the message was sent ({reason})").format(reason=exc),
            reconnect=True,
        )
    _log(log, outcome.status, message, error=outcome.error, refused=outcome.refused)
    return outcome


def _transmit(
    connection: smtplib.SMTP, sender: str, recipients: Sequence[str], data: bytes
) -> _Outcome:
    """MAIL, RCPT and DATA by hand, so that a drop after DATA is told from one before it.

    `sendmail` would deliver to the accepted recipients when some are refused; a retry would
    then send them a second copy. Here a refused recipient stops the message before DATA.
    """
    try:
        code, reply = connection.mail(sender)
        if code != 250:
            why = _("the server refused the sender: {reply}").format(reply=_reply(code, reply))
            return _refused(connection, why)
        refused = {}
        for recipient in recipients:
            code, reply = connection.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = _reply(code, reply)
        if refused:
            listed = "; ".join(f"{address}: {why}" for address, why in refused.items())
            why = _(
                "the server refused recipients ({listed}); nothing was delivered to this group"
            ).format(listed=listed)
            return _refused(connection, why, tuple(refused))
        code, reply = connection.docmd("DATA")
        if code != 354:
            why = _("the server refused the data: {reply}").format(reply=_reply(code, reply))
            return _refused(connection, why)
    except (smtplib.SMTPException, OSError) as exc:
        raise _ConnectionLost(_describe(exc)) from None
    try:
        # RFC 5321 4.5.2: a line that starts with a dot gets a second one.
        connection.send(re.sub(rb"(?m)^\.", b"..", data) + b".\r\n")
        code, reply = connection.getreply()
    except (smtplib.SMTPException, OSError) as exc:
        raise _Unconfirmed(_describe(exc)) from None
    if code != 250:
        why = _("the server refused the message: {reply}").format(reply=_reply(code, reply))
        return _Outcome("failed", why)
    return _Outcome("sent")


def _refused(connection: smtplib.SMTP, error: str, refused: tuple[str, ...] = ()) -> _Outcome:
    """A definite refusal: reset the transaction (if the server still listens) and report it."""
    with contextlib.suppress(smtplib.SMTPException, OSError):
        connection.rset()
    return _Outcome("failed", error, refused)


def _reply(code: int, reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return f"{code} {text}".strip()


# What went wrong with the connection, in the user's words (the system's own are English).
_CONNECTION_FAULTS: tuple[tuple[type[BaseException], str], ...] = (
    (ConnectionRefusedError, N_("the server refused the connection")),
    (TimeoutError, N_("the server did not answer in time")),
    (socket.gaierror, N_("the server's name was not found")),
    (smtplib.SMTPServerDisconnected, N_("the server closed the connection")),
    (ConnectionError, N_("the connection was cut")),
    (ssl.SSLError, N_("the encrypted connection could not be opened")),
)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        return _reply(exc.smtp_code, exc.smtp_error)
    fault = next((words for kind, words in _CONNECTION_FAULTS if isinstance(exc, kind)), "")
    if fault:
        return _(fault)
    if type(exc) is smtplib.SMTPException and str(exc):
        return str(exc)  # ours, already in the user's words
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _alive(connection: smtplib.SMTP) -> bool:
    try:
        return connection.noop()[0] == 250
    except (smtplib.SMTPException, OSError):
        return False


def _close(connection: smtplib.SMTP | None, *, polite: bool = False) -> None:
    if connection is None:
        return
    if polite:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.quit()
    connection.close()


# ---------------------------------------------------------------------------------------------
# The send log


@contextlib.contextmanager
def _send_log(path: Path) -> Iterator[int]:
    """The log opened for appending (never through a symbolic link), locked so that two sends
    cannot run at once."""
    with storage.locked(path, "send"), storage.open_log(path) as log:
        # A run killed mid-write leaves a torn last line. Dropping it is safe: a torn
        # "attempting" was never followed by sending, and a torn "sent" leaves its
        # "attempting", which reads as unconfirmed.
        fd = log.fileno()
        content = path.read_bytes()
        if content and not content.endswith(b"\n"):
            os.ftruncate(fd, content.rfind(b"\n") + 1)
        yield fd


def _log(
    log: int, event: str, message: Outgoing, *, error: str = "", refused: tuple[str, ...] = ()
) -> None:
    record: dict[str, object] = {
        "event": event,
        "meeting": message.meeting,
        "kind": message.kind,
        "group": message.group,
        "hash": message.content_hash,
        "message_id": message.message_id,
        "to": list(message.to),
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if error:
        record["error"] = error
    if refused:
        record["refused"] = list(refused)
    storage.write_line(log, record)


# The fields every line of the send log has: `_log` writes them all.
LOGGED = ("event", "meeting", "kind", "group", "hash", "time")


def send_log_records(path: Path) -> list[tuple[int, dict[str, Any] | None]]:
    """Each line of the send log with its number: its record, or None where the line is
    damaged (not a JSON object with every field of `LOGGED` as a text). What is sent, what is
    in doubt and what the status calls sent are all read through it, so they agree."""
    records: list[tuple[int, dict[str, Any] | None]] = []
    for number, line in storage.read_lines(path):
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        whole = isinstance(record, dict) and all(isinstance(record.get(k), str) for k in LOGGED)
        records.append((number, record if whole else None))
    return records


def _read_history(path: Path) -> History:
    """For each (meeting, kind, group): the last event of each content hash, in log order."""
    history: History = {}
    for number, record in send_log_records(path):
        if record is None:
            damaged = Problem(
                str(path),
                number,
                _(
                    "the send log line is damaged; restore the log from a backup, or "
                    "check what was sent and remove the line"
                ),
            )
            raise InputError([damaged])
        key = (record["meeting"], record["kind"], record["group"])
        history.setdefault(key, {})[record["hash"]] = record["event"]
    return history


def _in_doubt(events: dict[str, str]) -> bool:
    """Nothing of this message sent, and a delivery unconfirmed or cut off without an outcome."""
    values = events.values()
    return "sent" not in values and any(e in ("attempting", "unconfirmed") for e in values)


def in_doubt(log_path: Path, kind: str) -> list[str]:
    """The groups whose `kind` message `send_smtp` holds back as unconfirmed until it is
    resent to them (`resend`)."""
    history = _read_history(log_path)
    return sorted({g for (_, k, g), events in history.items() if k == kind and _in_doubt(events)})


def _verdict(
    message: Outgoing, history: History
) -> Literal["send", "skipped", "already_sent_other", "unconfirmed"]:
    """What the send log says to do with the message."""
    events = history.get((message.meeting, message.kind, message.group), {})
    if events.get(message.content_hash) == "sent":
        return "skipped"
    if "sent" in events.values():
        return "already_sent_other"
    if _in_doubt(events):
        return "unconfirmed"
    return "send"

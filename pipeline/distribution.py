"""Who gets what: invitations and minutes to the groups, the draft to the chair."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline import approval as ap
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline import mail
from pipeline.errors import InputError, Problem, ServiceFailed, WorkflowRefused
from pipeline.loading import ORGANISATION
from pipeline.model import Group, Meeting, Organisation
from pipeline.render.pdf import to_pdf
from pipeline.workflow import (
    Loaded,
    Paths,
    Report,
    draft_name,
    load,
    ready_for_chair,
    render_cover,
    render_invitation,
    render_minutes,
)

KINDS = ("invitation", "review", "minutes")
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "ics": "text/calendar",
}
SEND_LOG = "sendlog.jsonl"


def _formats(org: Organisation, group: Group) -> tuple[str, ...]:
    return group.formats or org.mail.formats


def _attachments(named: dict[str, bytes], formats: Sequence[str]) -> list[mail.Attachment]:
    """The files in the formats asked for; a PDF is converted from the file's DOCX."""
    wanted = {
        name: data for name, data in named.items() if Path(name).suffix.lstrip(".") in formats
    }
    if "pdf" in formats:
        wanted.update(to_pdf({n: d for n, d in named.items() if n.endswith(".docx")}))
    return [
        mail.Attachment(name, data, MIMETYPES[Path(name).suffix.lstrip(".")])
        for name, data in sorted(wanted.items())
    ]


def _signature(org: Organisation) -> str:
    s = org.secretary
    lines = [s.name, ", ".join(x for x in (s.title, "neuvotteluryhmän sihteeri") if x)]
    lines += [x for x in (s.email, s.phone) if x]
    return "\n".join(lines)


def invitation_messages(
    loaded: Loaded, templates: docs.Templates, today: dt.date
) -> list[mail.Outgoing]:
    meeting = loaded.meeting
    org, agenda = meeting.organisation, meeting.agenda
    rendered = render_invitation(loaded, docs.OFFICE_FORMATS, templates, today)
    files = {
        docs.file_name(docs.INVITATION, meeting.id, fmt): data for fmt, data in rendered.items()
    }
    when = f"{ctx.fi_date_long(agenda.date)} klo {ctx.fi_time(agenda.start)}"
    start = dt.datetime.combine(agenda.date, agenda.start)
    event = _calendar(meeting, start, today)
    where = "\n".join(x for x in (agenda.place, agenda.remote) if x)
    messages = []
    for group in org.groups:
        body = (
            "Hyvä neuvotteluryhmän jäsen,\n\n"
            f"tervetuloa neuvotteluryhmän kokoukseen {agenda.number} {when}.\n\n"
            f"{where}\n\nKokouskutsu ja esityslista ovat liitteenä, samoin kalenterimerkintä. "
            "Valmistelethan asiat etukäteen omassa ryhmässäsi.\n\n"
            f"{ctx.DEFAULT_TEXTS['body_note']}\n\nPuheenjohtajan puolesta\n{_signature(org)}\n"
        )
        attachments = _attachments(files, _formats(org, group))
        attachments.append(mail.Attachment(f"kokous_{meeting.id}.ics", event, MIMETYPES["ics"]))
        messages.append(
            mail.Outgoing(
                meeting=meeting.id,
                kind="invitation",
                group=group.id,
                sender=org.mail.sender,
                to=tuple(m.email for m in group.members if m.email),
                subject=f"Kokouskutsu: {org.body} {agenda.number}, {when}",
                body=body,
                attachments=tuple(attachments),
                reply_to=org.secretary.email,
            )
        )
    return messages


def _calendar(meeting: Meeting, start: dt.datetime, today: dt.date) -> bytes:
    from pipeline.calendar import meeting_event

    org, agenda = meeting.organisation, meeting.agenda
    return meeting_event(
        uid=f"{meeting.id}-{agenda.number.replace('/', '-')}@minutes",
        summary=f"{org.body} {agenda.number}",
        start=start,
        end=dt.datetime.combine(agenda.date, agenda.end) if agenda.end else None,
        location=agenda.place,
        url=agenda.remote,
        description="\n".join(f"{n}. {item.title}" for n, item in enumerate(agenda.items, 1)),
        organizer_name=org.secretary.name,
        organizer_email=org.secretary.email,
        stamp=dt.datetime.combine(agenda.invited_on or today, dt.time(12, 0)),
    )


def review_message(loaded: Loaded, paths: Paths, templates: docs.Templates) -> mail.Outgoing:
    meeting = loaded.meeting
    org = meeting.organisation
    ready_for_chair(loaded, paths.folder, "sent for review")
    code = ap.review_code(ap.fingerprint(meeting))
    rendered = render_minutes(loaded, ("docx",), templates, None)
    name = draft_name(meeting.id, "docx")
    body = (
        f"Hei {org.chair.name},\n\n"
        f"liitteenä on neuvotteluryhmän kokouksen {meeting.agenda.number} "
        f"({ctx.fi_date(meeting.agenda.date)}) pöytäkirjan luonnos hyväksyttäväksi.\n\n"
        f"Jos hyväksyt pöytäkirjan sellaisenaan, vastaa tähän viestiin ja mainitse "
        f"tarkistuskoodi:\n\n    {code}\n\n"
        "Koodi vastaa täsmälleen tätä luonnosta: jos luonnosta muutetaan, saat uuden koodin. "
        "Jos haluat muutoksia, voit myös korjata liitteen ja lähettää sen takaisin.\n\n"
        f"{_signature(org)}\n"
    )
    return mail.Outgoing(
        meeting=meeting.id,
        kind="review",
        group="chair",
        sender=org.mail.sender,
        to=(org.chair.email,),
        subject=f"Hyväksyttäväksi: pöytäkirjan luonnos {meeting.agenda.number} (koodi {code})",
        body=body,
        attachments=(mail.Attachment(name, rendered["docx"], MIMETYPES["docx"]),),
        reply_to=org.secretary.email,
    )


def approved_record(loaded: Loaded, paths: Paths) -> ap.ApprovalRecord:
    """The approval, refusing one that does not hold or whose files were changed."""
    meeting = loaded.meeting
    record = ap.read_approval(paths.out)
    if record is None:
        raise WorkflowRefused(
            f"The minutes of {meeting.id} are not approved: nothing is sent "
            "before the chair approves them (`minutes approve`)."
        )
    if record.fingerprint != ap.fingerprint(meeting):
        raise WorkflowRefused(
            f"The chair's approval of {record.approved_on} no longer holds: "
            "the content has changed since. Send the new draft for review "
            f"(`minutes send {meeting.id} review`) and approve again."
        )
    changed = ap.changed_files(paths.out, record)
    if changed:
        raise WorkflowRefused(
            f"{', '.join(changed)} in {paths.out} differ from what the chair "
            "approved (edited or replaced after approval); nothing is sent. "
            "Restore the approved files."
        )
    return record


def minutes_messages(
    loaded: Loaded, paths: Paths, templates: docs.Templates
) -> list[mail.Outgoing]:
    meeting = loaded.meeting
    org = meeting.organisation
    record = approved_record(loaded, paths)
    final = {name: (paths.out / name).read_bytes() for name in sorted(record.files)}
    messages = []
    for group in org.groups:
        cover = {
            docs.file_name(docs.COVER_LETTER, meeting.id, fmt, suffix=f"_{group.id}"): data
            for fmt, data in render_cover(loaded, group.id, record, templates).items()
        }
        formats = _formats(org, group)
        body = (
            f"Hyvä {group.name},\n\n"
            f"liitteenä on neuvotteluryhmän kokouksen {meeting.agenda.number} "
            f"({ctx.fi_date(meeting.agenda.date)}) pöytäkirja saatteineen ryhmän tiedoksi. "
            "Pöytäkirja ei ole virallinen pöytäkirja eikä sisällä päätöksiä, vaan yhdessä "
            "sovittuja asioita.\n\nLuottamukselliset keskustelut pysyvät ryhmän sisällä, eikä "
            "niitä jaeta julkisuuteen ilman yhteistä sopimusta.\n\n"
            f"{_signature(org)}\n"
        )
        messages.append(
            mail.Outgoing(
                meeting=meeting.id,
                kind="minutes",
                group=group.id,
                sender=org.mail.sender,
                to=tuple(group.distribution),
                subject=f"Pöytäkirja: {org.body} {meeting.agenda.number}",
                body=body,
                attachments=tuple(_attachments({**cover, **final}, formats)),
                reply_to=org.secretary.email,
            )
        )
    return messages


def allowed_addresses(org: Organisation) -> set[str]:
    people = [org.chair, org.secretary, *([org.vice_chair] if org.vice_chair else [])]
    return {
        a.casefold()
        for a in (
            *(p.email for p in people),
            *(m.email for g in org.groups for m in g.members),
            *(a for g in org.groups for a in g.distribution),
        )
        if a
    }


@dataclass(frozen=True)
class Batch:
    """The checked messages of one kind for one meeting, ready for the outbox or SMTP."""

    paths: Paths
    meeting: Meeting
    kind: str
    messages: list[mail.Outgoing]
    roster: str


def prepare(paths: Paths, kind: str, templates: docs.Templates, today: dt.date) -> Batch:
    """Build and check the messages; refuses before anything is written or sent."""
    loaded = load(paths)
    if kind == "invitation":
        messages = invitation_messages(loaded, templates, today)
    elif kind == "review":
        messages = [review_message(loaded, paths, templates)]
    else:
        messages = minutes_messages(loaded, paths, templates)
    roster = str(paths.organisation or paths.folder.parent / ORGANISATION)
    mail.check_outgoing(messages, allowed_addresses(loaded.meeting.organisation), roster)
    return Batch(paths, loaded.meeting, kind, messages, roster)


def write_outbox(batch: Batch) -> Report:
    """The dry run: every message as an .eml file, listed; nothing touches the network."""
    folder = batch.paths.out / "outbox" / batch.kind
    report = Report(written=mail.write_outbox(batch.messages, folder, _now()))
    for message in batch.messages:
        names = ", ".join(a.filename for a in message.attachments)
        report.notes.append(
            f"{message.group}: to {', '.join(message.to)}; "
            f'"{message.subject}"; attachments: {names}'
        )
    report.notes.append(
        f"Dry run: nothing was sent. Check the messages in {folder}, then send "
        f"them with `minutes send {batch.meeting.id} {batch.kind} --smtp`."
    )
    return report


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def send_smtp(
    batch: Batch,
    *,
    resend: Sequence[str] = (),
    on_progress: Callable[[mail.Outgoing, str], None] | None = None,
) -> Report:
    """Send for real what the send log does not show as sent; ServiceFailed when any failed."""
    meeting, kind, paths = batch.meeting, batch.kind, batch.paths
    unknown = sorted(set(resend) - {m.group for m in batch.messages})
    if unknown:
        raise InputError(
            [
                Problem(
                    "--resend",
                    0,
                    f"no {kind} message goes to "
                    f"{', '.join(unknown)}; the groups are "
                    f"{', '.join(m.group for m in batch.messages)}",
                )
            ]
        )
    settings = _smtp_settings(meeting.organisation, batch.roster)
    result = mail.send_smtp(
        batch.messages,
        settings,
        paths.out / SEND_LOG,
        _now(),
        resend=resend,
        on_progress=on_progress,
    )
    report = Report()
    for message in result.sent:
        report.notes.append(f"sent {message.label}: {', '.join(message.to)}")
    for message in result.skipped:
        report.notes.append(f"already sent earlier, not sent again: {message.label}")
    for message in result.already_sent_other:
        report.warnings.append(
            f"{message.label} was already sent with other content; it is "
            f"not sent twice. To send the new version: --resend {message.group}"
        )
    fingerprint = ap.fingerprint(meeting) if meeting.notes else ""
    if result.sent:
        ap.audit(
            paths.out,
            f"{kind} sent",
            groups=[m.group for m in result.sent],
            fingerprint=fingerprint,
        )
    if kind == "minutes" and result.ok and not result.already_sent_other:
        ap.audit(paths.out, "distributed", fingerprint=fingerprint)
    if not result.ok:
        lines = [f"failed: {m.label}: {why}" for m, why in result.failed]
        lines += [
            f"unconfirmed: {m.label}: {why} (it may have arrived; ask the recipient, "
            f"then resend with --resend {m.group} if it did not)"
            for m, why in result.unconfirmed
        ]
        lines.append(
            f"{len(result.sent)} sent, {len(result.failed)} failed, "
            f"{len(result.unconfirmed)} unconfirmed. Resume with `minutes send "
            f"{meeting.id} {kind} --smtp`: what was sent is not sent again."
        )
        for note in report.notes:
            lines.insert(0, note)
        raise ServiceFailed("\n".join(lines))
    return report


def _smtp_settings(org: Organisation, roster: str) -> mail.SmtpSettings:
    smtp = org.mail.smtp
    if smtp is None:
        raise InputError(
            [
                Problem(
                    roster,
                    0,
                    "there is no mail.smtp section to send with; add "
                    "the host, port and security of the outgoing mail server",
                )
            ]
        )
    password = ""
    if smtp.username:
        variable = smtp.password_env or "MINUTES_SMTP_PASSWORD"
        password = os.environ.get(variable, "")
        if not password:
            raise InputError(
                [
                    Problem(
                        roster,
                        0,
                        f"the SMTP password is read from the "
                        f"environment variable {variable}, which is not set; set "
                        f"it in this terminal first (export {variable}=...)",
                    )
                ]
            )
    return mail.SmtpSettings(
        host=smtp.host,
        port=smtp.port,
        security=smtp.security,
        username=smtp.username,
        password=password,
        cafile=smtp.cafile,
    )

"""Who gets what: invitations and minutes to the groups, the draft to the chair."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import approval as ap
from pipeline import documents as docs
from pipeline import letters, mail, storage, wording
from pipeline.context import fi_date
from pipeline.documents import (
    confidential,
    cover_name,
    draft_name,
    final_name,
    invitation_name,
    mail_formats,
)
from pipeline.errors import InputError, Problem, ServiceFailed, WorkflowRefused
from pipeline.i18n import N_, _
from pipeline.loading import ORGANISATION
from pipeline.meeting import Loaded, Paths, Report, load
from pipeline.model import Meeting, Organisation
from pipeline.terms import message_forms
from pipeline.workflow import SENT_WHILE_DECISIONS, ready_for_chair


def _built(out: Path, files: Mapping[str, str], names: Sequence[str]) -> list[mail.Attachment]:
    """The very files that were built, read from disk and checked against their recorded hash;
    nothing is rendered again at sending time."""
    attachments = []
    for name in names:
        path = out / name
        data = storage.read_regular(path) if path.is_file() and not path.is_symlink() else None
        if data is None or storage.sha256(data) != files[name]:
            raise WorkflowRefused(
                _(
                    "{path} is not the file that was built (changed, replaced or "
                    "removed since): nothing is sent. Build it again with `minutes "
                    "build`, or restore it."
                ).format(path=path)
            )
        attachments.append(mail.Attachment(name, data, docs.mimetype(name)))
    return attachments


def _rendered(log: ap.AuditLog, event: str, fingerprint: str) -> dict[str, str]:
    """The files the build logged for this exact content: file name → SHA-256, the latest
    build's where a file was built again."""
    files: dict[str, str] = {}
    for entry in log.entries:
        if entry.get("event") == event and entry.get("fingerprint") == fingerprint:
            files.update(entry.get("files") or {})
    return files


NOT_BUILT = {  # what `send` refuses when the file it would attach is not the one built
    "invitation": N_(
        "The invitation of meeting {number} ({date}) is not built from the files as they are "
        "now: build it first with `minutes build {id} --format {names}`, check it, and send "
        "again."
    ),
    "draft": N_(
        "The draft minutes of meeting {number} ({date}) are not built from the files as they "
        "are now: build them first with `minutes build {id} --format {names}`, check them, and "
        "send again."
    ),
}


def _outgoing(
    meeting: Meeting,
    kind: str,
    group: str,
    to: Sequence[str],
    letter: tuple[str, str],
    attachments: Sequence[mail.Attachment],
) -> mail.Outgoing:
    """One message from the roster's sender, replies to the secretary."""
    org = meeting.organisation
    subject, body = letter
    return mail.Outgoing(
        meeting=meeting.id,
        kind=kind,
        group=group,
        sender=org.mail.sender,
        to=tuple(to),
        subject=subject,
        body=body,
        attachments=tuple(attachments),
        reply_to=org.secretary.email,
        record=org.wording.record,
    )


def _not_built(meeting: Meeting, what: str, formats: Sequence[str]) -> WorkflowRefused:
    return WorkflowRefused(
        _(NOT_BUILT[what]).format(
            id=meeting.id,
            number=meeting.agenda.number,
            date=fi_date(meeting.agenda.date),
            names=",".join(formats),
            **message_forms(meeting.organisation.wording.record),
        )
    )


def invitation_messages(
    loaded: Loaded, paths: Paths, templates: docs.Templates, today: dt.date, log: ap.AuditLog
) -> list[mail.Outgoing]:
    """Each group's invitation, with the files built from the agenda as it is now (in the
    group's formats), the calendar entry and the agenda's papers."""
    meeting = loaded.meeting
    org, agenda = meeting.organisation, meeting.agenda
    # The attachment files are read once: the bytes that are checked are the bytes sent.
    papers = docs.agenda_files(meeting, paths.folder)
    built = _rendered(
        log,
        "invitation rendered",
        ap.invitation_fingerprint(meeting, templates.hashes(docs.INVITATION), papers),
    )
    needed = sorted(mail_formats(meeting), key=("docx", "odt", "pdf").index)
    missing = [f for f in needed if invitation_name(meeting, f) not in built]
    if built and missing:  # built from these files, but not in every format a group receives
        raise WorkflowRefused(
            _(
                "The invitation of meeting {number} ({date}) has no {missing} file, which some "
                "groups receive ({groups}): build it with `minutes build {id} --format {names}` "
                "and send again."
            ).format(
                id=meeting.id,
                number=agenda.number,
                date=fi_date(agenda.date),
                missing=", ".join(f.upper() for f in missing),
                groups=docs.receiving(meeting, missing),
                names=",".join(needed),
            )
        )
    if missing:
        raise _not_built(meeting, "invitation", needed)
    start = dt.datetime.combine(agenda.date, agenda.start)
    event = _calendar(meeting, start, today)
    attached = [  # the agenda's attachment files go to every group
        mail.Attachment(name, data, docs.mimetype(name)) for name, data in papers.items()
    ]
    messages = []
    for group in org.groups:
        letter = letters.invitation(templates.folder, meeting, group, today)
        names = [invitation_name(meeting, f) for f in org.formats_of(group)]
        attachments = _built(paths.out, built, names)
        calendar = f"kokous_{meeting.id}.ics"
        attachments.append(mail.Attachment(calendar, event, docs.mimetype(calendar)))
        attachments.extend(attached)
        messages.append(
            _outgoing(
                meeting,
                "invitation",
                group.id,
                [m.email for m in group.members if m.email],
                letter,
                attachments,
            )
        )
    return messages


def _calendar(meeting: Meeting, start: dt.datetime, today: dt.date) -> bytes:
    from pipeline.calendar import meeting_event

    org, agenda = meeting.organisation, meeting.agenda
    domain = mail.address_domain(org.mail.sender)  # a UID is unique by the sender's domain
    # A confidential item's title stays in the documents, which go to the groups only; a
    # calendar entry is shown to whoever sees the calendar.
    items = [
        f"{n}. {'Luottamuksellinen asia' if item.confidential else item.title}"
        for n, item in enumerate(agenda.items, 1)
    ]
    return meeting_event(
        uid=f"{meeting.id}-{agenda.number.replace('/', '-')}@{domain}",
        summary=f"{org.body} {agenda.number}",
        start=start,
        end=dt.datetime.combine(agenda.date, agenda.end) if agenda.end else None,
        location=agenda.place,
        url=agenda.remote,
        description="\n".join(items),
        organizer_name=org.secretary.name,
        organizer_email=org.secretary.email,
        stamp=dt.datetime.combine(agenda.invited_on or today, dt.time(12, 0)),
        confidential=confidential(meeting),
    )


def review_message(
    loaded: Loaded, paths: Paths, templates: docs.Templates, today: dt.date, log: ap.AuditLog
) -> tuple[mail.Outgoing, dict[str, Any]]:
    """The draft to the chair, and what its sending records: the fingerprint and code the
    chair's approval will be checked against."""
    meeting = loaded.meeting
    ready_for_chair(loaded, paths.folder, _(SENT_WHILE_DECISIONS))
    details = ap.draft_details(meeting, templates.hashes(docs.MINUTES))
    name = draft_name(meeting, "docx")
    built = _rendered(log, "draft rendered", details["fingerprint"])
    if name not in built:
        raise _not_built(meeting, "draft", ["docx", "odt"])
    message = _outgoing(
        meeting,
        "review",
        "chair",
        [meeting.organisation.chair.email],
        letters.review(templates.folder, meeting, details["code"], today),
        _built(paths.out, built, [name]),
    )
    return message, details


def minutes_messages(
    loaded: Loaded, paths: Paths, templates: docs.Templates
) -> tuple[list[mail.Outgoing], str]:
    """Each group's cover letter and the final minutes, exactly as approved; and the
    approval's fingerprint."""
    meeting = loaded.meeting
    org = meeting.organisation
    state = ap.approval_state(paths.out, meeting)
    if state.status == "none":
        raise WorkflowRefused(
            _(
                "The minutes of meeting {number} ({date}) are not approved: nothing is sent "
                "before the chair approves them (`minutes approve {id}`)."
            ).format(
                id=meeting.id,
                number=meeting.agenda.number,
                date=fi_date(meeting.agenda.date),
                **message_forms(org.wording.record),
            )
        )
    if not state.holds or state.record is None:
        raise WorkflowRefused(state.reason + " " + _("Nothing is sent."))
    record = state.record
    messages = []
    for group in org.groups:
        formats = org.formats_of(group)
        names = [
            name
            for fmt in formats
            for name in (cover_name(meeting, group.id, fmt), final_name(meeting, fmt))
        ]
        if any(name not in record.files for name in names):
            raise WorkflowRefused(
                _(
                    "{name} receives {names}, but the chair's approval covers "
                    "{names2}. Nothing is sent: have the approval recorded again "
                    "after the change of formats."
                ).format(
                    name=group.name,
                    names=", ".join(formats),
                    names2=", ".join(sorted(record.files)),
                )
            )
        messages.append(
            _outgoing(
                meeting,
                "minutes",
                group.id,
                group.distribution,
                letters.minutes(templates.folder, meeting, group, record.date),
                _built(paths.out, record.files, sorted(names)),
            )
        )
    return messages, record.fingerprint


def allowed_addresses(org: Organisation) -> set[str]:
    """Every address the roster gives: the officers', the members' and the distribution's."""
    return {
        a
        for a in (
            *(p.email for p in org.officers),
            *(m.email for g in org.groups for m in g.members),
            *(a for g in org.groups for a in g.distribution),
        )
        if a
    }


@dataclass(frozen=True)
class Batch:
    """The checked messages of one kind for one meeting, ready for the outbox or SMTP, and what
    their sending records in the audit log."""

    paths: Paths
    meeting: Meeting
    kind: str
    messages: list[mail.Outgoing]
    roster: str
    details: dict[str, Any] = field(default_factory=dict)


def prepare(paths: Paths, kind: str, templates: docs.Templates, today: dt.date) -> Batch:
    """Gather and check the messages; refuses before anything is written or sent."""
    loaded = load(paths)
    # The emails' own texts read as no decision either (rule 4), as `check` has it: they are
    # rendered now, so a template changed after the check or the approval is read here.
    wording_problems = wording.template_problems(templates.folder)
    if wording_problems:
        raise InputError(wording_problems)
    log = ap.read_audit(paths.out)
    if log.damage:
        raise WorkflowRefused(log.damage)
    sent = ap.sent_messages(paths.out, loaded.meeting.organisation.wording.record)
    if sent.damage:
        raise WorkflowRefused(sent.damage)
    details: dict[str, Any] = {}
    if kind == "invitation":
        messages = invitation_messages(loaded, paths, templates, today, log)
    elif kind == "review":
        message, details = review_message(loaded, paths, templates, today, log)
        messages = [message]
    else:
        messages, fingerprint = minutes_messages(loaded, paths, templates)
        details = {"fingerprint": fingerprint}
    roster = str(paths.organisation or paths.folder.parent / ORGANISATION)
    mail.check_outgoing(messages, allowed_addresses(loaded.meeting.organisation), roster)
    return Batch(paths, loaded.meeting, kind, messages, roster, details)


def _attachment_hashes(messages: Sequence[mail.Outgoing]) -> dict[str, dict[str, str]]:
    return {m.group: {a.filename: storage.sha256(a.data) for a in m.attachments} for m in messages}


def write_outbox(batch: Batch) -> Report:
    """The dry run: every message as an .eml file, listed; nothing touches the network. How to
    send them after is for the command and the workbench to say."""
    written = mail.write_outbox(batch.messages, batch.paths.outbox(batch.kind), _now())
    report = Report(written=written)
    if batch.kind == "review":
        # The secretary delivers a dry-run review herself; it counts as sent for review.
        ap.audit(
            batch.paths.out,
            "review sent",
            dry_run=True,
            groups=["chair"],
            attachments=_attachment_hashes(batch.messages),
            **batch.details,
        )
    for message in batch.messages:
        names = ", ".join(a.filename for a in message.attachments)
        report.notes.append(
            _('{group}: to {names}; "{subject}"; attachments: {names2}').format(
                group=mail.recipient_name(message.group),
                names=", ".join(message.to),
                subject=message.subject,
                names2=names,
            )
        )
    return report


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def resend_refusal(batch: Batch, resend: Collection[str]) -> str:
    """Why `resend` names a group that gets no message in the batch, or "" when it does not."""
    groups = [m.group for m in batch.messages]
    unknown = sorted(set(resend) - set(groups))
    if not unknown:
        return ""
    return _("no {kind} message goes to {unknown}; the groups are {groups}").format(
        kind=mail.kind_name(batch.kind, batch.meeting.organisation.wording.record),
        unknown=", ".join(unknown),
        groups=", ".join(groups),
    )


def send_smtp(
    batch: Batch,
    *,
    resend: Sequence[str] = (),
    on_progress: Callable[[mail.Outgoing, str], None] | None = None,
) -> Report:
    """Send for real what the send log does not show as sent; ServiceFailed when any failed."""
    meeting, kind, paths = batch.meeting, batch.kind, batch.paths
    refusal = resend_refusal(batch, resend)
    if refusal:
        raise InputError([Problem("--resend", 0, refusal)])
    settings = _smtp_settings(meeting.organisation, batch.roster)
    result = mail.send_smtp(
        batch.messages,
        settings,
        paths.out / ap.SEND_LOG,
        _now(),
        resend=resend,
        on_progress=on_progress,
    )
    report = _outcome(result)
    if result.sent:
        ap.audit(
            paths.out,
            f"{kind} sent",
            groups=[m.group for m in result.sent],
            attachments=_attachment_hashes(result.sent),
            **batch.details,
        )
    if kind == "minutes" and result.ok and not result.already_sent_other:
        ap.audit_once(paths.out, "distributed", fingerprint=batch.details["fingerprint"])
    if not result.ok:
        raise _failure(result, report, meeting.id, kind)
    if kind == "review":
        report.notes.append(
            _(
                "When the chair replies with the review code, record her approval: "
                '`minutes approve {id} --by "{chair}" --code CODE`'
            ).format(id=meeting.id, chair=meeting.organisation.chair.name)
        )
    return report


def _outcome(result: mail.SendReport) -> Report:
    """What the run did with each message, as the command prints it."""
    report = Report()
    for message in result.sent:
        report.notes.append(
            _("sent {label}: {to}").format(label=message.label, to=", ".join(message.to))
        )
    for message in result.skipped:
        report.notes.append(
            _("already sent earlier, not sent again: {label}").format(label=message.label)
        )
    for message in result.already_sent_other:
        report.warnings.append(
            _(
                "{label} was already sent with other content; it is not sent "
                "twice. To send the new version: --resend {group}"
            ).format(label=message.label, group=message.group)
        )
    return report


def _failure(result: mail.SendReport, report: Report, meeting: str, kind: str) -> ServiceFailed:
    """What failed or is in doubt, what did go, and how to resume."""
    lines = [*report.notes]
    lines += [
        _("failed: {label}: {why}").format(label=m.label, why=why) for m, why in result.failed
    ]
    lines += [
        _(
            "unconfirmed: {label}: {why} (it may have arrived; ask the recipient, then resend "
            "with --resend {group} if it did not)"
        ).format(label=m.label, why=why, group=m.group)
        for m, why in result.unconfirmed
    ]
    lines.append(
        _(
            "{value} sent, {value2} failed, {value3} unconfirmed. Resume with"
            " `minutes send {id} {kind} --smtp`: what was sent is not sent "
            "again."
        ).format(
            value=len(result.sent),
            value2=len(result.failed),
            value3=len(result.unconfirmed),
            id=meeting,
            kind=kind,
        )
    )
    return ServiceFailed("\n".join(lines), done=report.notes)


def _smtp_settings(org: Organisation, roster: str) -> mail.SmtpSettings:
    smtp = org.mail.smtp
    if smtp is None:
        raise InputError(
            [
                Problem(
                    roster,
                    0,
                    _(
                        "there is no mail.smtp section to send with; add the host, port "
                        "and security of the outgoing mail server"
                    ),
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
                        _(
                            "the SMTP password is read from the environment variable "
                            "{variable}, which is not set; set it in this terminal first "
                            "(export {variable}=...)"
                        ).format(variable=variable),
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
        roster=roster,
    )

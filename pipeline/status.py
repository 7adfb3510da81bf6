"""Where a meeting stands: its state, approval, what was sent with which hash, what is pending,
and its audit log; gathered as data, and as the text `minutes status` prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from pipeline import approval as ap
from pipeline import clock
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline.i18n import N_, _
from pipeline.meeting import Paths, load
from pipeline.terms import DEFAULT_RECORD, message_forms


@dataclass(frozen=True)
class MeetingStatus:
    """Everything `minutes status` shows, for the command line and the workbench alike."""

    number: str
    meeting: str
    date: dt.date
    state: str
    approval: ap.ApprovalState
    fingerprint: str  # of the content and templates as they are now; "" without notes
    audit: ap.AuditLog
    sent: ap.SentMessages
    pending: list[str] = field(default_factory=list)
    unevaluated_years: list[int] = field(default_factory=list)
    record: str = DEFAULT_RECORD  # what the roster calls the record (`wording.record`)


def meeting_status(paths: Paths, templates: docs.Templates | None = None) -> MeetingStatus:
    """Where the meeting stands, its fingerprint by `templates` (the shipped ones by default)."""
    loaded = load(paths)
    meeting = loaded.meeting
    log = ap.read_audit(paths.out)
    approval = ap.approval_state(paths.out, meeting, log)
    record = approval.record
    fingerprint = ""
    pending = []
    held = meeting.held_by(clock.today())  # notes written ahead of the day are not a meeting
    if not held and not log.any("invitation sent"):
        pending.append(
            _(
                "build the invitation and send it to the groups (`minutes build {meeting}`, "
                "then `minutes send {meeting} invitation --smtp`)"
            ).format(meeting=meeting.id)
        )
    if meeting.notes is not None:
        hashes = (templates or docs.Templates()).hashes(docs.MINUTES)
        fingerprint = ap.fingerprint(meeting, hashes)
    chair = meeting.organisation.chair.name
    reviewed = [
        e
        for e in log.entries
        if e.get("event") == "review sent" and e.get("fingerprint") == fingerprint
    ]
    if meeting.notes is None:
        pending.append(_("write the notes (notes.yaml) after the meeting"))
    elif not held:
        pending.append(
            _("the meeting is held on {date}; its minutes can be approved only after it").format(
                date=ctx.fi_date_essive(meeting.agenda.date),
                **message_forms(meeting.organisation.wording.record),
            )
        )
    elif approval.status in ("none", "stale") and reviewed:
        pending.append(
            _(
                "the draft went to the chair for review on {date}; when she replies with its "
                'code, record her approval (`minutes approve {meeting} --by "{chair}" '
                "--code CODE`)"
            ).format(
                date=ctx.fi_date(clock.logged(reviewed[-1]["time"]).date()),
                meeting=meeting.id,
                chair=chair,
            )
        )
    elif approval.status == "none":
        pending.append(
            _(
                "send the draft to the chair (`minutes send {meeting} review`) and record "
                'her approval (`minutes approve {meeting} --by "{chair}" --code CODE`)'
            ).format(meeting=meeting.id, chair=chair)
        )
    elif approval.status == "stale":
        pending.append(
            _(
                "the content changed after the approval: send the new draft for review "
                "(`minutes send {meeting} review`) and record the chair's approval again"
            ).format(meeting=meeting.id)
        )
    elif approval.status in ("tampered", "damaged"):
        pending.append(_("restore the approval record and the approved files from a backup"))
    elif record is not None and not log.any("distributed", fingerprint=record.fingerprint):
        pending.append(
            _("send the minutes: `minutes send {meeting} minutes`").format(
                meeting=meeting.id, **message_forms(meeting.organisation.wording.record)
            )
        )
    from pipeline.annual import missing_reports

    return MeetingStatus(
        number=meeting.agenda.number,
        meeting=meeting.id,
        date=meeting.agenda.date,
        state=ap.meeting_state(meeting, approval, log, clock.today()),
        approval=approval,
        fingerprint=fingerprint,
        audit=log,
        sent=ap.sent_messages(paths.out, meeting.organisation.wording.record),
        pending=pending,
        unevaluated_years=missing_reports(
            [meeting, *loaded.history], paths.out.parent, clock.today()
        ),
        record=meeting.organisation.wording.record,
    )


STATES = {  # the states of a meeting and of its approval, as `status` names them
    "planned": N_("planned"),
    "invited": N_("invited"),
    "held": N_("held"),
    "draft": N_("draft"),
    "approved": N_("approved"),
    "distributed": N_("distributed"),
    "stale": N_("stale"),
    "tampered": N_("tampered"),
    "damaged": N_("damaged"),
}


EVENTS = {  # the audit log's events (stored in English, as data), as `status` names them
    "invitation rendered": N_("invitation built"),
    "draft rendered": N_("draft minutes built"),
    "review sent": N_("draft sent to the chair for review"),
    "invitation sent": N_("invitation sent to the groups"),
    "minutes sent": N_("minutes sent to the groups"),
    "approved": N_("the chair's approval recorded"),
    "re-approved": N_("the chair's new approval recorded"),
    "approval went stale": N_("the approval no longer holds: the content changed"),
    "distributed": N_("minutes sent to every group"),
    "unreadable line": N_("unreadable line"),
}


def format_status(status: MeetingStatus) -> str:
    """The status as `minutes status` prints it; dates and times as the secretary reads them."""
    lines = [
        _("Meeting {number}, {date}").format(
            number=status.number, date=ctx.fi_date_long(status.date)
        ),
        _("State: {state}").format(state=_(STATES.get(status.state, status.state))),
    ]
    if status.audit.damage:
        lines.append(_("Audit log: DAMAGED. {damage}").format(damage=status.audit.damage))
    if status.sent.damage:
        lines.append(_("Send log: DAMAGED. {damage}").format(damage=status.sent.damage))
    if status.fingerprint:
        code = ap.review_code(status.fingerprint)
        lines.append(
            _("Content fingerprint: {fingerprint} (review code {code})").format(
                fingerprint=status.fingerprint, code=code
            )
        )
    lines += _approval_lines(status.approval)
    lines += _sent_lines(status)
    lines.append(
        _("Pending: {pending}").format(
            pending="; ".join(status.pending) if status.pending else _("nothing")
        )
    )
    lines.extend(
        _(
            "Reminder: the group's work in {year} has not been evaluated (rule 6); write the "
            "evaluation with `minutes report {year}`."
        ).format(year=year)
        for year in status.unevaluated_years
    )
    lines.append(_("Log:"))
    forms = message_forms(status.record)
    lines.extend(_event_line(e, forms) for e in status.audit.entries)
    if not status.audit.entries:
        lines.append(_("  (nothing yet)"))
    return "\n".join(lines)


def _approval_lines(approval: ap.ApprovalState) -> list[str]:
    """The approval as the status tells it: stale, tampered or damaged, or approved with each
    approved file."""
    record = approval.record
    lines: list[str] = []
    if approval.status == "stale" and record is not None:
        lines.append(
            _(
                "Approval: STALE. The chair approved {code} on {approved_on}; the"
                " content has changed since."
            ).format(code=record.code, approved_on=ctx.fi_date(record.date))
        )
    elif approval.status in ("tampered", "damaged"):
        lines.append(
            _("Approval: {status}. {reason}").format(
                status=_(STATES.get(approval.status, approval.status)).upper(),
                reason=approval.reason,
            )
        )
    elif approval.holds and record is not None:
        lines.append(
            _("Approval: approved by {approved_by} on {approved_on} (code {code}).").format(
                approved_by=record.approved_by,
                approved_on=ctx.fi_date(record.date),
                code=record.code,
            )
        )
        lines.extend(
            _("  {name}: unchanged ({digest})").format(name=name, digest=digest[:12])
            for name, digest in sorted(record.files.items())
        )
    return lines


def _sent_lines(status: MeetingStatus) -> list[str]:
    """Each message the send log shows as sent, with its files' hashes."""
    lines: list[str] = []
    if status.sent.sent:
        from pipeline.mail import message_label

        lines.append(_("Sent:"))
        for (kind, group), entry in sorted(status.sent.sent.items()):
            files = ", ".join(f"{n} ({h[:12]})" for n, h in sorted(entry["files"].items()))
            lines.append(
                _("  {label} at {time}: message {hash}").format(
                    label=message_label(kind, group, status.record),
                    time=moment(entry["time"]),
                    hash=entry["hash"][:12],
                )
                + (f"; {files}" if files else "")
            )
    return lines


def moment(stamp: object) -> str:
    """A logged UTC time as the secretary reads it, in Helsinki time: *8.12.2026 klo 9.00*."""
    try:
        when = clock.logged(str(stamp))
    except ValueError:
        return str(stamp)
    return _("{date} at {time}").format(date=ctx.fi_date(when), time=ctx.fi_time(when.time()))


def event_name(name: str, forms: dict[str, str]) -> str:
    """An event of the audit log as the secretary reads it (`forms`: `message_forms(...)`)."""
    return _(EVENTS[name]).format(**forms) if name in EVENTS else name


def _event_line(event: dict[str, Any], forms: dict[str, str]) -> str:
    label = event_name(str(event.get("event")), forms)
    if event.get("dry_run"):
        label += _(" (dry run: written to the outbox)")
    fingerprint = f" ({event['fingerprint'][:12]})" if event.get("fingerprint") else ""
    when = moment(event["time"]) if "time" in event else "?"
    return f"  {when} {event.get('who', '?')}: {label}{fingerprint}"

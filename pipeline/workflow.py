"""The meeting's steps: build what its state allows, check, approve; each step in one place."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from pipeline import approval as ap
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline import storage, wording
from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.i18n import _
from pipeline.loading import AGENDA, Source, load_history, load_meeting_and_notes, read_source
from pipeline.model import Meeting, Person


@dataclass(frozen=True)
class Paths:
    """Where a meeting's inputs and outputs are."""

    folder: Path
    out: Path
    organisation: Path | None = None

    @classmethod
    def of(
        cls, meeting: str | Path, out: Path | None = None, organisation: Path | None = None
    ) -> Paths:
        folder = Path(meeting)
        if not folder.exists() and len(folder.parts) == 1:
            folder = Path("inputs") / folder  # a bare meeting id names a folder under inputs/
        return cls(folder, out or Path("outputs") / folder.name, organisation)


@dataclass
class Report:
    """What a step did, for the command line to print."""

    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Loaded:
    meeting: Meeting
    history: list[Meeting]
    # earlier meetings whose approval holds, and who approved them when
    approved: Mapping[str, ctx.Approval] = field(default_factory=dict)
    notes_source: Source | None = None  # the lines of notes.yaml, for the wording check
    agenda_source: Source | None = None  # the lines of agenda.yaml, for the wording check


def load(paths: Paths) -> Loaded:
    meeting, notes_source = load_meeting_and_notes(paths.folder, paths.organisation)
    history = [
        m for m in load_history(paths.folder.parent, meeting.organisation) if m.id != meeting.id
    ]
    approved = {}
    for earlier in history:
        state = ap.approval_state(paths.out.parent / earlier.id, earlier)
        if state.holds and state.record is not None:
            approved[earlier.id] = _approval(state.record)
    agenda_source = read_source(paths.folder / AGENDA)
    return Loaded(meeting, history, approved, notes_source, agenda_source)


# The communication guard (rule 4) over the agenda and the notes: see pipeline/wording.py.


def wording_problems(loaded: Loaded) -> list[Problem]:
    """Decision language in the agenda and the notes, each with its file, line and item."""
    return wording.meeting_problems(loaded.meeting, loaded.agenda_source, loaded.notes_source)


def check(paths: Paths, templates: Path = docs.DEFAULT_TEMPLATES) -> Report:
    """Validate the meeting's files and the wording of its agenda, notes and email templates;
    warn when the agenda does not review the previous meeting's record (rule 3)."""
    loaded = load(paths)
    problems = wording_problems(loaded) + wording.template_problems(templates)
    if problems:
        raise InputError(problems)
    report = Report()
    meeting = loaded.meeting
    previous = ctx.previous_meeting(meeting, loaded.history)
    if previous and not any(ctx.is_review_item(item.title) for item in meeting.agenda.items):
        agenda = loaded.agenda_source or read_source(paths.folder / AGENDA)
        report.warnings.append(
            str(
                agenda.problem(
                    ("items",),
                    f"the agenda has no item reviewing the previous meeting's "
                    f"{ctx.record_of(meeting.organisation).nominative} ({previous.agenda.number}),"
                    f' which rule 3 asks for; add "{ctx.review_title(meeting.organisation)}"',
                )
            )
        )
    return report


# Rendering.


def _render_all(
    kind: docs.Kind,
    context: dict[str, Any],
    formats: Sequence[str],
    templates: docs.Templates,
    created: dt.datetime,
    required: dict[str, str],
) -> dict[str, bytes]:
    return {
        fmt: docs.render(kind, fmt, context, templates, created=created, required=required)
        for fmt in formats
    }


def _minutes_required(context: dict[str, Any]) -> dict[str, str]:
    """What the minutes must show, whatever the template: a template that leaves out an item,
    a dissent, a person present, the confidentiality marking or the disclaimer is refused."""
    required = {
        "meeting.number": context["meeting"]["number"],
        "texts.disclaimer": context["texts"]["disclaimer"],
    }
    for item in context["items"]:
        required[f"items[{item['number']}].title"] = item["title"]
        for i, dissent in enumerate(item["dissent"]):
            required[f"items[{item['number']}].dissent[{i}].position"] = dissent["position"]
        if item["confidential"]:
            required["texts.confidential_label"] = context["texts"]["confidential_label"]
    for g, group in enumerate(context["attendance"]["groups"]):
        for i, person in enumerate(group["present"]):
            required[f"attendance.groups[{g}].present[{i}].name"] = person["name"]
    if context["doc"]["draft"]:
        required["doc.draft_mark"] = context["doc"]["draft_mark"]
    else:
        required["approval.by"] = context["approval"]["by"]
    return required


def invitation_name(meeting: Meeting, fmt: str) -> str:
    return docs.file_name(docs.INVITATION, meeting, fmt)


def final_name(meeting: Meeting, fmt: str) -> str:
    return docs.file_name(docs.MINUTES, meeting, fmt)


def draft_name(meeting: Meeting, fmt: str) -> str:
    return docs.file_name(docs.MINUTES, meeting, fmt, suffix="_luonnos")


def cover_name(meeting: Meeting, group_id: str, fmt: str) -> str:
    return docs.file_name(docs.COVER_LETTER, meeting, fmt, suffix=f"_{group_id}")


def render_invitation(
    loaded: Loaded, formats: Sequence[str], templates: docs.Templates, today: dt.date
) -> dict[str, bytes]:
    meeting = loaded.meeting
    context = ctx.invitation_context(meeting, loaded.history, today, loaded.approved)
    required = {
        "meeting.number": meeting.agenda.number,
        "texts.body_note": context["texts"]["body_note"],
    }
    for item in context["items"]:
        required[f"items[{item['number']}].title"] = item["title"]
    return _render_all(
        docs.INVITATION,
        context,
        formats,
        templates,
        docs.stamp(meeting.agenda.invited_on or today),
        required,
    )


def invitation_fingerprint(meeting: Meeting, templates: docs.Templates) -> str:
    """What the invitation shows: the roster and the agenda, and its templates."""
    shown = {**ap.content(meeting), "notes": None}
    return storage.hash_of({"content": shown, "templates": templates.hashes(docs.INVITATION)})


def render_minutes(
    loaded: Loaded, formats: Sequence[str], templates: docs.Templates, approval: ctx.Approval | None
) -> dict[str, bytes]:
    meeting = loaded.meeting
    context = ctx.minutes_context(meeting, loaded.history, approval)
    created = docs.stamp(approval.date if approval else meeting.agenda.date)
    return _render_all(
        docs.MINUTES, context, formats, templates, created, _minutes_required(context)
    )


def render_cover(
    loaded: Loaded, group_id: str, approval: ctx.Approval, templates: docs.Templates
) -> dict[str, bytes]:
    meeting = loaded.meeting
    group = next(g for g in meeting.organisation.groups if g.id == group_id)
    attachments = [f"{ctx.record_of(meeting.organisation).title} {meeting.agenda.number}"]
    context = ctx.cover_context(meeting, group, approval, attachments)
    required = {"group.name": group.name, "texts.body_note": context["texts"]["body_note"]}
    return _render_all(
        docs.COVER_LETTER,
        context,
        docs.OFFICE_FORMATS,
        templates,
        docs.stamp(approval.date),
        required,
    )


def confidential(meeting: Meeting) -> bool:
    """Documents of a meeting with a confidential item are readable by their owner only."""
    return any(item.confidential for item in meeting.agenda.items)


def mail_formats(meeting: Meeting) -> set[str]:
    """Every format some group receives its documents in."""
    org = meeting.organisation
    return {f for g in org.groups for f in (g.formats or org.mail.formats)}


def render_finals(
    loaded: Loaded, approval: ctx.Approval, templates: docs.Templates, *, pdf: bool
) -> dict[str, bytes]:
    """Everything that goes out after approval, by file name: the final minutes and each
    group's cover letter in both office formats, and as PDF when some group receives PDF."""
    meeting = loaded.meeting
    finals = {
        final_name(meeting, fmt): data
        for fmt, data in render_minutes(loaded, docs.OFFICE_FORMATS, templates, approval).items()
    }
    for group in meeting.organisation.groups:
        for fmt, data in render_cover(loaded, group.id, approval, templates).items():
            finals[cover_name(meeting, group.id, fmt)] = data
    if pdf:
        from pipeline.render.pdf import to_pdf

        finals.update(to_pdf({n: d for n, d in finals.items() if n.endswith(".docx")}))
    return finals


def _hashes(files: Mapping[str, bytes]) -> dict[str, str]:
    return {name: storage.sha256(data) for name, data in sorted(files.items())}


def build(
    paths: Paths, formats: Sequence[str], templates: docs.Templates, today: dt.date
) -> Report:
    """Render every document the meeting's state allows.

    Every document is rendered before any is written: a template that fails writes nothing.
    PDF is converted last, so a missing LibreOffice still leaves the DOCX and ODT files.
    """
    loaded = load(paths)
    meeting = loaded.meeting
    report = Report()
    office = docs.office_formats(formats)
    mode = 0o600 if confidential(meeting) else 0o644
    invitation = {
        invitation_name(meeting, fmt): data
        for fmt, data in render_invitation(loaded, office, templates, today).items()
    }
    draft: dict[str, bytes] = {}
    state = ap.approval_state(paths.out, meeting)
    fingerprint = ap.fingerprint(meeting, templates.hashes(docs.MINUTES))
    if meeting.notes is None:
        report.notes.append("No notes.yaml yet: the minutes are rendered once the notes exist.")
    else:
        report.warnings.extend(str(problem) for problem in wording_problems(loaded))
        if not state.holds:
            draft = {
                draft_name(meeting, fmt): data
                for fmt, data in render_minutes(loaded, office, templates, None).items()
            }
    wanted = {n: d for n, d in {**invitation, **draft}.items() if _suffix(n) in formats}
    report.written += storage.write_all({paths.out / n: (d, mode) for n, d in wanted.items()})
    pdfs: dict[str, bytes] = {}
    try:
        if "pdf" in formats:
            from pipeline.render.pdf import to_pdf

            pdfs = to_pdf({n: d for n, d in {**invitation, **draft}.items() if n.endswith(".docx")})
            report.written += storage.write_all({paths.out / n: (d, mode) for n, d in pdfs.items()})
            if state.holds and state.record is not None:
                report.written += _approved_pdfs(paths.out, state.record)
    finally:
        written = {**wanted, **pdfs}
        ap.audit_once(
            paths.out,
            "invitation rendered",
            fingerprint=invitation_fingerprint(meeting, templates),
            files=_hashes({n: d for n, d in written.items() if n.startswith(docs.INVITATION.stem)}),
        )
        if draft:
            ap.audit_once(
                paths.out,
                "draft rendered",
                fingerprint=fingerprint,
                code=ap.review_code(fingerprint),
                content=storage.hash_of(ap.content(meeting)),
                templates=templates.hashes(docs.MINUTES),
                files=_hashes({n: d for n, d in written.items() if n not in invitation}),
            )
    if meeting.notes is not None:
        _report_approval(paths, loaded, state, fingerprint, templates, report)
    return report


def _approved_pdfs(out: Path, record: ap.ApprovalRecord) -> list[Path]:
    """PDFs of the approved DOCX files that the approval has none of (for the archive): made
    from the verified files on disk, never rendered again."""
    from pipeline.render.pdf import to_pdf

    sources = {
        n: (out / n).read_bytes()
        for n in record.files
        if n.endswith(".docx") and f"{Path(n).stem}.pdf" not in record.files
    }
    return storage.write_all({out / n: (d, 0o600) for n, d in to_pdf(sources).items()})


def _suffix(name: str) -> str:
    return Path(name).suffix.lstrip(".")


def _report_approval(
    paths: Paths,
    loaded: Loaded,
    state: ap.ApprovalState,
    fingerprint: str,
    templates: docs.Templates,
    report: Report,
) -> None:
    meeting = loaded.meeting
    record = state.record
    if state.holds and record is not None:
        report.notes.append(
            f"The final minutes are approved by {record.approved_by} "
            f"({record.approved_on}) and unchanged."
        )
        return
    if record is not None and state.status == "tampered" and state.changed:
        _restore(paths, loaded, record, templates, report)
        state = ap.approval_state(paths.out, meeting)
        if state.holds:
            return
    report.notes.append(
        f"Draft minutes: review code {ap.review_code(fingerprint)}. Send them "
        f"to the chair with `minutes send {meeting.id} review`."
    )
    if state.status == "stale" and record is not None:
        ap.audit_once(
            paths.out, "approval went stale", fingerprint=fingerprint, approved=record.fingerprint
        )
        report.warnings.append(
            state.reason + " The approved minutes are kept as they were; a new draft was "
            "rendered beside them."
        )
    elif state.status in ("tampered", "damaged"):
        report.warnings.append(state.reason)


def _restore(
    paths: Paths,
    loaded: Loaded,
    record: ap.ApprovalRecord,
    templates: docs.Templates,
    report: Report,
) -> None:
    """Approved files are never rendered over: a missing one is put back only when the fresh
    render is byte-identical to what was approved."""
    missing = [n for n in record.files if not (paths.out / n).exists()]
    if not missing or templates.hashes(docs.MINUTES) != record.templates:
        return
    fresh = render_finals(
        loaded, _approval(record), templates, pdf=any(n.endswith(".pdf") for n in missing)
    )
    same = {
        paths.out / n: (fresh[n], 0o600)
        for n in missing
        if n in fresh and storage.sha256(fresh[n]) == record.files[n]
    }
    report.written += storage.write_all(same)


def _approval(record: ap.ApprovalRecord) -> ctx.Approval:
    return ctx.Approval(by=record.approved_by, title=record.role, date=record.date)


# The chair's approval.


def _same_person(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(a) == norm(b)


def ready_for_chair(loaded: Loaded, folder: Path, done: str) -> None:
    """Minutes go to the chair, or get approved, only once the notes exist and read as no
    decisions of the group (rule 4)."""
    if loaded.meeting.notes is None:
        raise WorkflowRefused(
            f"{folder}: there are no notes yet (notes.yaml), so there are no minutes yet."
        )
    findings = wording_problems(loaded)
    if findings:
        raise WorkflowRefused(
            "\n".join(str(p) for p in findings) + f"\nThe minutes cannot be {done} while they "
            "read as decisions: reword the notes (or mark the wording as intended), then build "
            "and send the new draft to the chair."
        )


def approve(
    paths: Paths,
    by: str,
    code: str,
    templates: docs.Templates,
    today: dt.date,
    key: Path | None = None,
) -> Report:
    """Record the chair's sign-off of the draft she was sent, and render what goes out."""
    loaded = load(paths)
    meeting = loaded.meeting
    org = meeting.organisation
    ready_for_chair(loaded, paths.folder, "approved")
    if meeting.agenda.date > today:
        raise WorkflowRefused(
            f"The meeting {meeting.agenda.number} is on {ctx.fi_date(meeting.agenda.date)}; "
            "its minutes can be approved only after it has been held."
        )
    log = ap.read_audit(paths.out)
    state = ap.approval_state(paths.out, meeting, log)
    report = Report()
    if state.holds and state.record is not None:
        report.notes.append(
            f"These minutes are already approved by {state.record.approved_by} on "
            f"{state.record.approved_on}; nothing to do."
        )
        return report
    if state.status in ("tampered", "damaged"):
        raise WorkflowRefused(state.reason)
    templates_now = templates.hashes(docs.MINUTES)
    current = ap.fingerprint(meeting, templates_now)
    expected = ap.review_code(current)
    _check_code(meeting, log, ap.normalise_code(code), expected, templates_now)
    if not log.any("review sent", fingerprint=current):
        raise WorkflowRefused(
            f"This draft has not been sent to the chair for review. Send it with `minutes send "
            f"{meeting.id} review` (add --smtp to email it), and record the approval when she "
            "replies with its code."
        )
    if org.chair.public_key and key is None:
        raise WorkflowRefused(
            "organisation.yaml has the chair's public key, so every approval is signed: give "
            "the chair's key file with --key."
        )
    person, title = _approver(meeting, by)
    approval = ctx.Approval(by=person.name, title=title, date=today)
    finals = render_finals(loaded, approval, templates, pdf="pdf" in mail_formats(meeting))
    draft = render_minutes(loaded, docs.OFFICE_FORMATS, templates, None)
    for fmt in docs.OFFICE_FORMATS:
        _only_approval_added(draft[fmt], finals[final_name(meeting, fmt)], fmt, approval, templates)
    record = ap.ApprovalRecord(
        meeting=meeting.id,
        number=meeting.agenda.number,
        fingerprint=current,
        code=expected,
        approved_by=person.name,
        role=title,
        approved_on=today.isoformat(),
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        recorded_by=ap.current_user(),
        templates=templates_now,
        files=_hashes(finals),
    )
    writes = {paths.out / n: (d, 0o600) for n, d in finals.items()}
    writes[paths.out / ap.APPROVAL_FILE] = (ap.approval_bytes(record), 0o600)
    if key is not None:
        writes[paths.out / ap.SIGNATURE_FILE] = (ap.sign(record, key), 0o600)
    # Every file is staged before the approval is logged, and named only after: a full disk
    # leaves the earlier state, never a file named like a final without its approval.
    with storage.staged(writes):
        superseded = _supersede(paths.out, state.record)
        ap.audit(
            paths.out,
            "re-approved" if state.record else "approved",
            record=record.hash,
            fingerprint=current,
            code=expected,
            by=person.name,
            files=record.files,
            superseded=superseded,
        )
    report.written += list(writes)
    report.notes.append(
        f"Approved by {person.name} ({expected}). Send the minutes with "
        f"`minutes send {meeting.id} minutes`."
    )
    return report


def _check_code(
    meeting: Meeting, log: ap.AuditLog, given: str, expected: str, templates: dict[str, str]
) -> None:
    if given == expected:
        return
    sent = log.last("review sent")
    if (
        sent is not None
        and sent.get("code") == given
        and sent.get("content") == storage.hash_of(ap.content(meeting))
        and sent.get("templates") != templates
    ):
        raise WorkflowRefused(
            f"The code {given} is that of the draft sent for review, but the templates are not "
            "those that draft was rendered with: the final minutes must come from the same "
            "templates as the draft the chair read. Approve with the templates of the draft "
            "(the same --templates as at build), or build and send the draft again."
        )
    raise WorkflowRefused(
        f"The code {given} does not match the minutes as they are now (their code is "
        f"{expected}): the draft has changed since it was sent for review, or the code was "
        f"mistyped. Send the current draft with `minutes send {meeting.id} review` and record "
        "the code the chair quotes from that email."
    )


_BLANK_FIELD = re.compile(r"[^_]*_{5,}\s*")
_DRAFT_MARK = re.compile(r"(?i)\s*luonnos\b")


def _only_approval_added(
    draft: bytes, final: bytes, fmt: str, approval: ctx.Approval, templates: docs.Templates
) -> None:
    """The final minutes are the draft the chair read plus her approval, nothing else: a line
    of the draft may lose its draft marking or a blank to fill in; a new line must name the
    approver or the approval date."""
    ours = [line for line in docs.document_text(draft, fmt).splitlines() if line.strip()]
    theirs = [line for line in docs.document_text(final, fmt).splitlines() if line.strip()]
    removed = [line[2:] for line in difflib.ndiff(ours, theirs) if line.startswith("- ")]
    added = [line[2:] for line in difflib.ndiff(ours, theirs) if line.startswith("+ ")]
    unmarked = {_DRAFT_MARK.sub("", line).strip() for line in removed}
    signs = (approval.by, ctx.fi_date(approval.date))
    extra = [
        line
        for line in added
        if not any(sign in line for sign in signs) and line.strip() not in unmarked
    ]
    lost = [
        line
        for line in removed
        if not _DRAFT_MARK.search(line) and not _BLANK_FIELD.fullmatch(line)
    ]
    if extra or lost:
        shown = (extra or lost)[0]
        raise WorkflowRefused(
            f"{templates.path(docs.MINUTES, fmt)}: the final minutes would "
            f"{'show' if extra else 'leave out'} text the draft the chair read did "
            f'{"not have" if extra else "have"} ("{shown[:80]}"). The final may differ from '
            "the draft only by the approval: fix the template, then build and send the draft "
            "for review again."
        )


def _approver(meeting: Meeting, by: str) -> tuple[Person, str]:
    """The person approving and the title printed: the chair, or the vice-chair when the notes
    record the chair as absent."""
    org, notes = meeting.organisation, meeting.notes
    assert notes is not None
    if _same_person(by, org.chair.name):
        return org.chair, "puheenjohtaja"
    if org.vice_chair and _same_person(by, org.vice_chair.name):
        chair_absent = org.chair.name in notes.attendance.absent or not any(
            _same_person(p.name, org.chair.name) for p in notes.attendance.present
        )
        if chair_absent:
            return org.vice_chair, "varapuheenjohtaja"
        raise WorkflowRefused(
            f"{by} is the vice-chair; the vice-chair approves only when the "
            f"notes record the chair ({org.chair.name}) as absent."
        )
    raise WorkflowRefused(
        f"{by} is not the chair: the minutes are approved by the chair, "
        f"{org.chair.name} (rule 3). Check the name given with --by."
    )


def _supersede(out: Path, record: ap.ApprovalRecord | None) -> str:
    """Move the files of an approval that no longer holds aside, never over them."""
    if record is None:
        return ""
    folder = out / "superseded" / f"{record.approved_on}_{record.code}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in [*record.files, ap.APPROVAL_FILE, ap.SIGNATURE_FILE]:
        if (out / name).exists():
            shutil.move(out / name, folder / name)
    return str(folder)


# What the secretary looks at.


def status(paths: Paths, templates: docs.Templates | None = None) -> str:
    """The meeting's state, fingerprints, approval and files, what was sent to whom with which
    hash, what is pending, and the audit log."""
    loaded = load(paths)
    meeting = loaded.meeting
    log = ap.read_audit(paths.out)
    approval = ap.approval_state(paths.out, meeting, log)
    record = approval.record
    lines = [
        f"Meeting {meeting.agenda.number} ({meeting.id}), {ctx.fi_date(meeting.agenda.date)}",
        f"State: {ap.meeting_state(meeting, approval, log)}",
    ]
    pending = []
    if log.damage:
        lines.append(f"Audit log: DAMAGED. {log.damage}")
    sendlog = sent_messages(paths.out)
    if sendlog.damage:
        lines.append(f"Send log: DAMAGED. {sendlog.damage}")
    if meeting.notes is None:
        pending.append("write the notes (notes.yaml) after the meeting")
    else:
        current = ap.fingerprint(meeting, (templates or docs.Templates()).hashes(docs.MINUTES))
        lines.append(f"Content fingerprint: {current} (review code {ap.review_code(current)})")
        if approval.status == "none":
            pending.append(
                f"send the draft to the chair (`minutes send {meeting.id} review`) "
                "and record her approval (`minutes approve`)"
            )
        elif approval.status == "stale" and record is not None:
            lines.append(
                f"Approval: STALE. The chair approved {record.code} on "
                f"{record.approved_on}; the content has changed since."
            )
            pending.append("send the new draft for review and record the chair's approval again")
        elif approval.status in ("tampered", "damaged"):
            lines.append(f"Approval: {approval.status.upper()}. {approval.reason}")
            pending.append("restore the approval record and the approved files from a backup")
        elif record is not None:
            lines.append(
                f"Approval: approved by {record.approved_by} on {record.approved_on} "
                f"(code {record.code})."
            )
            for name in sorted(record.files):
                lines.append(f"  {name}: unchanged ({record.files[name][:12]})")
            if not log.any("distributed", fingerprint=record.fingerprint):
                pending.append(f"send the minutes: `minutes send {meeting.id} minutes`")
    if sendlog.sent:
        lines.append("Sent:")
        for (kind, group), entry in sorted(sendlog.sent.items()):
            files = ", ".join(f"{n} ({h[:12]})" for n, h in sorted(entry["files"].items()))
            lines.append(
                f"  {kind} to {group} at {entry['time']}: message {entry['hash'][:12]}"
                + (f"; {files}" if files else "")
            )
    lines.append("Pending: " + ("; ".join(pending) if pending else "nothing"))
    from pipeline.annual import missing_reports

    for year in missing_reports([meeting, *loaded.history], paths.out.parent, dt.date.today()):
        lines.append(
            _(
                "Reminder: the group's work in {year} has not been evaluated (rule 6); write the "
                "evaluation with `minutes report {year}`."
            ).format(year=year)
        )
    lines.append("Log:")
    lines.extend(
        f"  {e.get('time', '?')} {e.get('who', '?')}: {e.get('event')}"
        + (f" ({e['fingerprint'][:12]})" if e.get("fingerprint") else "")
        for e in log.entries
    )
    if not log.entries:
        lines.append("  (nothing yet)")
    return "\n".join(lines)


@dataclass(frozen=True)
class SentMessages:
    """What the send log shows as delivered: (kind, group) → hash, time and attachments."""

    sent: dict[tuple[str, str], dict[str, Any]]
    damage: str = ""


def sent_messages(out: Path) -> SentMessages:
    """The send log read against the audit log, which records every attachment's hash."""
    import json

    sent: dict[tuple[str, str], dict[str, Any]] = {}
    damage = ""
    try:
        lines = storage.read_lines(out / ap.SEND_LOG)
    except WorkflowRefused as exc:
        return SentMessages({}, str(exc))
    for number, line in lines:
        try:
            entry = json.loads(line)
            if entry["event"] == "sent":
                sent[(entry["kind"], entry["group"])] = {
                    "hash": entry["hash"],
                    "time": entry["time"],
                    "files": {},
                }
        except (ValueError, KeyError, TypeError):
            damage = f"{out / ap.SEND_LOG}:{number}: the send log line is damaged"
    log = ap.read_audit(out)
    for event in log.entries:
        kind = str(event.get("event", "")).removesuffix(" sent")
        for group, files in (event.get("attachments") or {}).items():
            if (kind, group) in sent and isinstance(files, dict):
                sent[(kind, group)]["files"] = files
    logged = {
        (str(e["event"]).removesuffix(" sent"), g)
        for e in log.entries
        if str(e.get("event", "")).endswith(" sent") and not e.get("dry_run")
        for g in e.get("groups", [])
    }
    if not damage and logged - set(sent):
        missing = ", ".join(f"{k} to {g}" for k, g in sorted(logged - set(sent)))
        damage = (
            f"{out / ap.SEND_LOG}: the audit log records messages the send log does not "
            f"({missing}): the send log was removed or cut"
        )
    if not damage and sent and not log.entries:
        damage = f"{out / ap.AUDIT_FILE}: the send log records messages, but the audit log is gone"
    if damage:
        damage += (
            ". Nothing is sent while the logs disagree, so that nobody gets a message twice: "
            "restore the logs from a backup."
        )
    return SentMessages(sent, damage)


def diff(paths: Paths, returned: Path) -> list[str]:
    """The chair's changes in a returned draft, paragraph by paragraph against the draft sent."""
    sent = paths.out / draft_name(load(paths).meeting, "docx")
    if not sent.exists():
        raise WorkflowRefused(
            f"{sent} does not exist: build the draft first (`minutes build {paths.folder.name}`)."
        )
    data = storage.read_regular(returned, limit=docs.MAX_DOCUMENT_BYTES)
    try:
        theirs = docs.document_text(data, "docx").splitlines()
    except InputError as exc:
        raise InputError(
            [
                Problem(
                    str(returned),
                    0,
                    f"{p.message}; ask the chair to send the file as Word .docx",
                )
                for p in exc.problems
            ]
        ) from None
    except (ValueError, KeyError, etree.XMLSyntaxError) as exc:
        raise InputError(
            [
                Problem(
                    str(returned),
                    0,
                    f"this is not a readable DOCX ({exc}); ask "
                    "the chair to send the file as Word .docx",
                )
            ]
        ) from None
    ours = docs.document_text(sent.read_bytes(), "docx").splitlines()
    ours = [p for p in ours if p.strip()]
    theirs = [p for p in theirs if p.strip()]
    return [
        line
        for line in difflib.unified_diff(ours, theirs, "sent", "returned", lineterm="", n=1)
        if not line.startswith(("---", "+++"))
    ]


def verify(paths: Paths) -> str:
    """Check the approval's signature with the chair's public key, and the final files."""
    meeting = load(paths).meeting
    key = meeting.organisation.chair.public_key
    if not key:
        raise WorkflowRefused(
            "organisation.yaml has no chair.public_key to verify with; add "
            "the key `minutes keygen` printed."
        )
    state = ap.approval_state(paths.out, meeting)
    if state.status == "none":
        raise WorkflowRefused(f"{paths.out}: the minutes have not been approved yet.")
    if state.status in ("tampered", "damaged"):
        raise WorkflowRefused(state.reason)
    assert state.record is not None
    stale = (
        "" if state.holds else " Note: the content has changed since; the approval no longer holds."
    )
    return (
        f"The approval by {state.record.approved_by} on {state.record.approved_on} is signed "
        f"with the chair's key, and the final files are unchanged.{stale}"
    )

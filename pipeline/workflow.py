"""The meeting's steps: build what its state allows, check, approve; each step in one place."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pipeline import approval as ap
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline import storage, wording
from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.i18n import N_, _
from pipeline.loading import AGENDA, read_source
from pipeline.meeting import Loaded, Paths, Report, load
from pipeline.model import Meeting
from pipeline.terms import message_forms

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
                    _(
                        "the agenda has no item reviewing the previous meeting's "
                        '{nominative} ({number}), which rule 3 asks for; add "{value}"'
                    ).format(
                        nominative=ctx.record_of(meeting.organisation).nominative,
                        number=previous.agenda.number,
                        value=ctx.review_title(meeting.organisation),
                    ),
                )
            )
        )
    return report


# Rendering.


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
    mode = 0o600 if docs.confidential(meeting) else 0o644
    invitation = {
        docs.invitation_name(meeting, fmt): data
        for fmt, data in docs.render_invitation(loaded, office, templates, today).items()
    }
    draft: dict[str, bytes] = {}
    state = ap.approval_state(paths.out, meeting)
    fingerprint = ap.fingerprint(meeting, templates.hashes(docs.MINUTES))
    if meeting.notes is None:
        report.notes.append(
            _("No notes.yaml yet: the minutes are rendered once the notes exist.").format(
                **_forms(meeting)
            )
        )
    else:
        report.warnings.extend(str(problem) for problem in wording_problems(loaded))
        if not state.holds:
            draft = {
                docs.draft_name(meeting, fmt): data
                for fmt, data in docs.render_minutes(loaded, office, templates, None).items()
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
        _audit_rendered(paths, meeting, templates, invitation, draft, written)
    if meeting.notes is not None:
        _report_approval(paths, loaded, state, fingerprint, templates, report)
    if "pdf" in docs.mail_formats(meeting) and "pdf" not in formats:
        report.notes.append(
            _(
                "Some groups receive their documents as PDF ({groups}): make the PDF before "
                "sending with `minutes build {id} --format docx,odt,pdf`."
            ).format(groups=docs.receiving(meeting, ["pdf"]), id=meeting.id)
        )
    return report


def _audit_rendered(
    paths: Paths,
    meeting: Meeting,
    templates: docs.Templates,
    invitation: Mapping[str, bytes],
    draft: Mapping[str, bytes],
    written: Mapping[str, bytes],
) -> None:
    """Log the files written, by their hash, with what they were rendered from: what a send
    later checks the files on disk against."""
    ap.audit_once(
        paths.out,
        "invitation rendered",
        fingerprint=ap.invitation_fingerprint(
            meeting, templates.hashes(docs.INVITATION), docs.agenda_files(meeting, paths.folder)
        ),
        files=_hashes({n: d for n, d in written.items() if n.startswith(docs.INVITATION.stem)}),
    )
    if draft:
        ap.audit_once(
            paths.out,
            "draft rendered",
            **ap.draft_details(meeting, templates.hashes(docs.MINUTES)),
            files=_hashes({n: d for n, d in written.items() if n not in invitation}),
        )


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
            _(
                "The final minutes are approved by {approved_by} ({approved_on}) and unchanged."
            ).format(
                approved_by=record.approved_by,
                approved_on=ctx.fi_date(record.date),
                **_forms(meeting),
            )
        )
        return
    if record is not None and state.status == "tampered" and state.changed:
        _restore(paths, loaded, record, templates, report)
        state = ap.approval_state(paths.out, meeting)
        if state.holds:
            return
    report.notes.append(
        _(
            "Draft minutes: review code {value}. Send them to the chair with "
            "`minutes send {id} review`."
        ).format(value=ap.review_code(fingerprint), id=meeting.id, **_forms(meeting))
    )
    if state.status == "stale" and record is not None:
        ap.audit_once(
            paths.out, "approval went stale", fingerprint=fingerprint, approved=record.fingerprint
        )
        report.warnings.append(
            state.reason
            + " "
            + _(
                "The approved minutes are kept as they were; a new draft was rendered beside them."
            ).format(**_forms(meeting))
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
    fresh = docs.render_finals(
        loaded, ap.printed(record), templates, pdf=any(n.endswith(".pdf") for n in missing)
    )
    same = {
        paths.out / n: (fresh[n], 0o600)
        for n in missing
        if n in fresh and storage.sha256(fresh[n]) == record.files[n]
    }
    report.written += storage.write_all(same)


# The chair's approval.


APPROVED_WHILE_DECISIONS = N_(
    "The minutes cannot be approved while they read as decisions: reword the notes (or mark "
    "the wording as intended), then build and send the new draft to the chair."
)
SENT_WHILE_DECISIONS = N_(
    "The minutes cannot be sent for review while they read as decisions: reword the notes (or "
    "mark the wording as intended), then build and send the new draft to the chair."
)


def ready_for_chair(loaded: Loaded, folder: Path, done: str) -> None:
    """Minutes go to the chair, or get approved, only once the notes exist and read as no
    decisions of the group (rule 4); `done` says which, as one of the messages above."""
    if loaded.meeting.notes is None:
        raise WorkflowRefused(
            _("{folder}: there are no notes yet (notes.yaml), so there are no minutes yet.").format(
                folder=folder, **_forms(loaded.meeting)
            )
        )
    findings = wording_problems(loaded)
    if findings:
        raise WorkflowRefused(
            "\n".join(str(p) for p in findings) + "\n" + done.format(**_forms(loaded.meeting))
        )


def approve(
    paths: Paths,
    by: str,
    code: str,
    templates: docs.Templates,
    today: dt.date,
    key: Path | None = None,
) -> Report:
    """Record the chair's sign-off of the draft she was sent, and render what goes out; one
    approval of a meeting at a time (a double click in the workbench sends two), so that two
    never log and write their records crosswise."""
    with storage.locked(paths.out / ap.APPROVAL_FILE, _("approval")):
        return _approve(paths, by, code, templates, today, key)


def _approve(
    paths: Paths,
    by: str,
    code: str,
    templates: docs.Templates,
    today: dt.date,
    key: Path | None,
) -> Report:
    loaded = load(paths)
    meeting = loaded.meeting
    log = ap.read_audit(paths.out)
    state = ap.approval_state(paths.out, meeting, log)
    report = Report()
    earlier = state.record if state.holds else None
    if earlier is not None:
        if "pdf" not in docs.mail_formats(meeting) or any(
            n.endswith(".pdf") for n in earlier.files
        ):
            report.notes.append(
                _(
                    "These minutes are already approved by {approved_by} on "
                    "{approved_on}; nothing to do."
                ).format(
                    approved_by=earlier.approved_by,
                    approved_on=ctx.fi_date(earlier.date),
                    **_forms(meeting),
                )
            )
            return report
        # Groups now receive PDF, of which the approval has no file: the same approval of the
        # same content is recorded again, on its own date, with the PDFs (send asks for it).
        today = earlier.date
    templates_now = templates.hashes(docs.MINUTES)
    current = ap.fingerprint(meeting, templates_now)
    if meeting.notes is not None:  # who signs is told first: a code is the wrong one's to chase
        ap.approver(meeting, by)
    _may_approve(loaded, paths, state, log, ap.normalise_code(code), templates_now, today, key)
    person, title = ap.approver(meeting, by)
    if earlier is not None and person.name != earlier.approved_by:
        raise WorkflowRefused(
            _(
                "These minutes were approved by {approved_by}; the approval is recorded again "
                'in the same name: give --by "{approved_by}".'
            ).format(approved_by=earlier.approved_by, **_forms(meeting))
        )
    approval = ctx.Approval(by=person.name, title=title, date=today)
    finals = _finals_as_drafted(loaded, approval, templates, ap.drafts_sent(log, current))
    record = ap.ApprovalRecord(
        meeting=meeting.id,
        number=meeting.agenda.number,
        fingerprint=current,
        code=ap.review_code(current),
        approved_by=person.name,
        role=title,
        approved_on=today.isoformat(),
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        recorded_by=ap.current_user(),
        templates=templates_now,
        files=_hashes(finals),
    )
    report.written += _record_approval(paths.out, record, finals, state.record, key)
    report.notes.append(
        _(
            "Approved by {name} ({expected}). Send the minutes with `minutes send {id} minutes`."
        ).format(name=person.name, expected=record.code, id=meeting.id, **_forms(meeting))
    )
    return report


def _record_approval(
    out: Path,
    record: ap.ApprovalRecord,
    finals: Mapping[str, bytes],
    earlier: ap.ApprovalRecord | None,
    key: Path | None,
) -> list[Path]:
    """Write the final files, the approval record (signed with the key, when given) and log
    it, superseding an earlier approval; the paths written."""
    writes = {out / n: (d, 0o600) for n, d in finals.items()}
    writes[out / ap.APPROVAL_FILE] = (ap.approval_bytes(record), 0o600)
    if key is not None:
        writes[out / ap.SIGNATURE_FILE] = (ap.sign(record, key), 0o600)
    # Every file is staged before the approval is logged, and named only after: a full disk
    # leaves the earlier state, never a file named like a final without its approval.
    with storage.staged(writes):
        superseded = ap.supersede(out, earlier)
        ap.audit(
            out,
            "re-approved" if earlier else "approved",
            record=record.hash,
            fingerprint=record.fingerprint,
            code=record.code,
            by=record.approved_by,
            files=record.files,
            superseded=superseded,
        )
    return list(writes)


def _may_approve(
    loaded: Loaded,
    paths: Paths,
    state: ap.ApprovalState,
    log: ap.AuditLog,
    code: str,
    templates: dict[str, str],
    today: dt.date,
    key: Path | None,
) -> None:
    """Refuse an approval the workflow does not allow, saying what to do instead: the notes
    must read as no decisions, the meeting be held, the code be that of this very draft and
    the draft have gone to the chair, and a roster with the chair's key wants a signature."""
    meeting = loaded.meeting
    ready_for_chair(loaded, paths.folder, _(APPROVED_WHILE_DECISIONS))
    if meeting.agenda.date > today:
        raise WorkflowRefused(
            _(
                "The meeting {number} is on {value}; its minutes can be approved "
                "only after it has been held."
            ).format(
                number=meeting.agenda.number,
                value=ctx.fi_date_essive(meeting.agenda.date),
                **_forms(meeting),
            )
        )
    if state.status in ("tampered", "damaged"):
        raise WorkflowRefused(state.reason)
    current = ap.fingerprint(meeting, templates)
    ap.check_review_code(meeting, log, code, ap.review_code(current), templates)
    if not log.any("review sent", fingerprint=current):
        raise WorkflowRefused(
            _(
                "This draft has not been sent to the chair for review. Send it "
                "with `minutes send {id} review` (add --smtp to email it), and "
                "record the approval when she replies with its code."
            ).format(id=meeting.id)
        )
    if meeting.organisation.chair.public_key and key is None:
        raise WorkflowRefused(
            _(
                "organisation.yaml has the chair's public key, so every approval "
                "is signed: give the chair's key file with --key."
            )
        )


def _finals_as_drafted(
    loaded: Loaded, approval: ctx.Approval, templates: docs.Templates, sent: set[str]
) -> dict[str, bytes]:
    """What goes out after approval, refused when the draft would no longer come out as the
    file the chair was sent (`sent`: the SHA-256 of those files), or the final minutes would
    differ from that draft by more than her approval."""
    meeting = loaded.meeting
    draft = docs.render_minutes(loaded, docs.OFFICE_FORMATS, templates, None)
    if storage.sha256(draft["docx"]) not in sent:
        raise WorkflowRefused(
            _(
                "The draft minutes would now come out differently from the draft the chair "
                "was sent for review, though the agenda, the notes and the roster are the "
                "same: something else they show has changed since (an earlier meeting's "
                "follow-up, the logo). Build the draft, send it for review again, and record "
                "the code the chair quotes from that email."
            ).format(**_forms(meeting))
        )
    finals = docs.render_finals(
        loaded, approval, templates, pdf="pdf" in docs.mail_formats(meeting)
    )
    _cover_letters_decide_nothing(meeting, finals, templates)
    for fmt in docs.OFFICE_FORMATS:
        ap.approval_only_difference(
            docs.document_text(draft[fmt], fmt),
            docs.document_text(finals[docs.final_name(meeting, fmt)], fmt),
            approval,
            str(templates.path(docs.MINUTES, fmt)),
            meeting.organisation.wording.record,
        )
    return finals


def _cover_letters_decide_nothing(
    meeting: Meeting, finals: Mapping[str, bytes], templates: docs.Templates
) -> None:
    """The cover letters go out with the minutes unread by the chair: their text, the
    template's own words included, must read as no decision of the group (rule 4) either."""
    assert meeting.notes is not None
    intended = [p for item in meeting.notes.items.values() for p in item.intended_wording]
    intended += [p for item in meeting.agenda.items for p in item.intended_wording]
    for fmt in docs.OFFICE_FORMATS:
        for group in meeting.organisation.groups:
            text = docs.document_text(finals[docs.cover_name(meeting, group.id, fmt)], fmt)
            found = wording.find_decision_language(text, intended)
            if found:
                raise WorkflowRefused(
                    _(
                        "{template}: the cover letter would read as a decision of the group "
                        '("{sentence}"), which decides nothing (rule 4). Write {suggestion} '
                        "instead in the template, then approve again."
                    ).format(
                        template=templates.path(docs.COVER_LETTER, fmt),
                        sentence=" ".join(found[0].sentence.split())[:120],
                        suggestion=found[0].suggestion,
                    )
                )


# What the secretary looks at.


def diff(paths: Paths, returned: Path) -> list[str]:
    """The chair's changes in a returned draft, paragraph by paragraph against the draft sent."""
    sent = paths.out / docs.draft_name(load(paths).meeting, "docx")
    if not sent.exists():
        raise WorkflowRefused(
            _("{sent} does not exist: build the draft first (`minutes build {name}`).").format(
                sent=sent, name=paths.folder.name
            )
        )
    from lxml import etree  # here: the other commands start without it

    data = storage.read_regular(returned, limit=docs.MAX_DOCUMENT_BYTES)
    try:
        theirs = docs.document_text(data, "docx").splitlines()
    except InputError as exc:
        raise InputError(
            [
                Problem(
                    str(returned),
                    0,
                    _("{message}; ask the chair to send the file as Word .docx").format(
                        message=p.message
                    ),
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
                    _(
                        "this is not a readable DOCX ({exc}); ask the chair to send the "
                        "file as Word .docx"
                    ).format(exc=exc),
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
            _(
                "organisation.yaml has no chair.public_key to verify with; add "
                "the key `minutes keygen` printed."
            )
        )
    state = ap.approval_state(paths.out, meeting)
    if state.status == "none":
        raise WorkflowRefused(
            _("{out}: the minutes have not been approved yet.").format(
                out=paths.out, **_forms(meeting)
            )
        )
    if state.status in ("tampered", "damaged"):
        raise WorkflowRefused(state.reason)
    assert state.record is not None
    stale = (
        ""
        if state.holds
        else _(" Note: the content has changed since; the approval no longer holds.")
    )
    return _(
        "The approval by {approved_by} on {approved_on} is signed with "
        "the chair's key, and the final files are unchanged.{stale}"
    ).format(
        approved_by=state.record.approved_by,
        approved_on=ctx.fi_date(state.record.date),
        stale=stale,
    )


def _forms(meeting: Any) -> dict[str, str]:
    """The record's name for messages that name it (`wording.record`)."""
    return message_forms(meeting.organisation.wording.record)

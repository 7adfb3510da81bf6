"""The meeting's steps: build what its state allows, check, approve; each step in one place."""

from __future__ import annotations

import datetime as dt
import shutil
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline import approval as ap
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.loading import Source, load_history, load_meeting_and_notes
from pipeline.model import Meeting
from pipeline.wording import find_decision_language


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
    approved: frozenset[str] = frozenset()  # earlier meetings whose approval holds
    notes_source: Source | None = None  # the lines of notes.yaml, for the wording check


def load(paths: Paths) -> Loaded:
    meeting, notes_source = load_meeting_and_notes(paths.folder, paths.organisation)
    history = [
        m for m in load_history(paths.folder.parent, meeting.organisation) if m.id != meeting.id
    ]
    approved = set()
    for earlier in history:
        try:
            record = ap.read_approval(paths.out.parent / earlier.id)
        except WorkflowRefused:
            continue  # its own status command reports the damage
        if record is not None and record.fingerprint == ap.fingerprint(earlier):
            approved.add(earlier.id)
    return Loaded(meeting, history, frozenset(approved), notes_source)


# The communication guard over the notes (rule 4).


def wording_problems(loaded: Loaded) -> list[Problem]:
    """Decision language in the notes, each with its file, line and agenda item."""
    meeting, source = loaded.meeting, loaded.notes_source
    if meeting.notes is None or source is None:
        return []
    problems = []
    for number, item in sorted(meeting.notes.items.items()):
        texts: list[tuple[tuple[Any, ...], str, str]] = [
            (("discussion",), "discussion", item.discussion),
            *((("agreed", i), "agreed view", t) for i, t in enumerate(item.agreed)),
            *(
                (("dissent", i, "position"), "dissent", d.position)
                for i, d in enumerate(item.dissent)
            ),
            *(
                (("follow_up", i, "task"), "follow-up", f.task)
                for i, f in enumerate(item.follow_up)
            ),
        ]
        if item.statement:
            texts.append((("statement", "text"), "statement", item.statement.text))
        for path, label, text in texts:
            for finding in find_decision_language(text, item.intended_wording):
                line = _line_of(source, ("items", number, *path), text, finding.start)
                problems.append(
                    Problem(
                        source.file,
                        line,
                        (
                            f'item {number}, {label}: "{finding.word}" reads as a decision of the '
                            f"group, which decides nothing (rule 4); {finding.suggestion}. If the "
                            f"wording is intended, add a phrase of it under `intended_wording:` of "
                            f"item {number}"
                        ),
                    )
                )
    return problems


def _line_of(source: Source, path: tuple[Any, ...], text: str, offset: int) -> int:
    line = source.line(path)
    # A block text (`|`) starts on the line after its field name.
    return line + 1 + text.count("\n", 0, offset) if "\n" in text.rstrip("\n") else line


def check(paths: Paths) -> Report:
    """Validate the meeting's files and the wording of its notes."""
    problems = wording_problems(load(paths))
    if problems:
        raise InputError(problems)
    return Report()


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
    required = {
        "meeting.number": context["meeting"]["number"],
        "texts.disclaimer": context["texts"]["disclaimer"],
    }
    if context["doc"]["draft"]:
        required["doc.draft_mark"] = "LUONNOS"
    else:
        required["approval.by"] = context["approval"]["by"]
    return required


def render_invitation(
    loaded: Loaded, formats: Sequence[str], templates: docs.Templates, today: dt.date
) -> dict[str, bytes]:
    meeting = loaded.meeting
    context = ctx.invitation_context(meeting, loaded.history, today, loaded.approved)
    required = {
        "meeting.number": meeting.agenda.number,
        "texts.body_note": context["texts"]["body_note"],
    }
    return _render_all(
        docs.INVITATION,
        context,
        formats,
        templates,
        docs.stamp(meeting.agenda.invited_on or today),
        required,
    )


def render_minutes(
    loaded: Loaded, formats: Sequence[str], templates: docs.Templates, approval: ctx.Approval | None
) -> dict[str, bytes]:
    meeting = loaded.meeting
    context = ctx.minutes_context(meeting, loaded.history, approval)
    created = docs.stamp(approval.date if approval else meeting.agenda.date)
    return _render_all(
        docs.MINUTES, context, formats, templates, created, _minutes_required(context)
    )


def final_name(meeting_id: str, fmt: str) -> str:
    return docs.file_name(docs.MINUTES, meeting_id, fmt)


def draft_name(meeting_id: str, fmt: str) -> str:
    return docs.file_name(docs.MINUTES, meeting_id, fmt, suffix="_luonnos")


def confidential(meeting: Meeting) -> bool:
    """Documents of a meeting with a confidential item are readable by their owner only."""
    return any(item.confidential for item in meeting.agenda.items)


@dataclass
class _Writer:
    """Writes what was asked for: the formats chosen, PDF converted from the DOCX at the end."""

    out: Path
    formats: Sequence[str]
    report: Report
    pdf: dict[str, bytes] = field(default_factory=dict)
    private: set[str] = field(default_factory=set)

    def keep(self, name: str, data: bytes, *, private: bool) -> None:
        fmt = Path(name).suffix.lstrip(".")
        if fmt in self.formats:
            self.report.written.append(docs.write(self.out / name, data, private=private))
        if fmt == "docx" and "pdf" in self.formats:
            self.convert(name, data, private=private)

    def convert(self, name: str, data: bytes, *, private: bool) -> None:
        self.pdf[name] = data
        if private:
            self.private.add(Path(name).stem)

    def finish(self) -> Report:
        from pipeline.render.pdf import to_pdf

        for name, data in to_pdf(self.pdf).items():
            private = Path(name).stem in self.private
            self.report.written.append(docs.write(self.out / name, data, private=private))
        return self.report


def build(
    paths: Paths, formats: Sequence[str], templates: docs.Templates, today: dt.date
) -> Report:
    """Render every document the meeting's state allows."""
    loaded = load(paths)
    meeting = loaded.meeting
    writer = _Writer(paths.out, formats, Report())
    report = writer.report
    office = docs.office_formats(formats)
    private = confidential(meeting)
    for fmt, data in render_invitation(loaded, office, templates, today).items():
        writer.keep(docs.file_name(docs.INVITATION, meeting.id, fmt), data, private=private)
    if meeting.notes is None:
        report.notes.append("No notes.yaml yet: the minutes are rendered once the notes exist.")
        return writer.finish()
    for problem in wording_problems(loaded):
        report.warnings.append(str(problem))
    current = ap.fingerprint(meeting)
    record = ap.read_approval(paths.out)
    if record is not None and record.fingerprint == current:
        _final_documents(paths, loaded, record, templates, writer)
        return writer.finish()
    for fmt, data in render_minutes(loaded, office, templates, None).items():
        writer.keep(draft_name(meeting.id, fmt), data, private=private)
    _audit_once(paths.out, "draft rendered", fingerprint=current, code=ap.review_code(current))
    report.notes.append(
        f"Draft minutes: review code {ap.review_code(current)}. Send them "
        f"to the chair with `minutes send {meeting.id} review`."
    )
    if record is not None:
        _audit_once(
            paths.out, "approval went stale", fingerprint=current, approved=record.fingerprint
        )
        report.warnings.append(
            f"the chair's approval of {record.approved_on} no longer holds: the content has "
            "changed since. The approved minutes are kept as they were; a new draft was "
            "rendered beside them. Send it for review and record the chair's approval again."
        )
    return writer.finish()


def _final_documents(
    paths: Paths,
    loaded: Loaded,
    record: ap.ApprovalRecord,
    templates: docs.Templates,
    writer: _Writer,
) -> None:
    """The approved minutes are never rendered over: a missing one is restored only when the
    fresh render is byte-identical to what was approved. Then the cover letters."""
    missing = [n for n in record.files if not (paths.out / n).exists()]
    if missing:
        formats = [Path(n).suffix.lstrip(".") for n in missing]
        for fmt, data in render_minutes(loaded, formats, templates, _approval(record)).items():
            name = final_name(loaded.meeting.id, fmt)
            if ap.sha256(data) == record.files[name]:
                writer.report.written.append(docs.write(paths.out / name, data, private=True))
    changed = ap.changed_files(paths.out, record)
    if changed:
        writer.report.warnings.append(
            f"{', '.join(changed)} differ from what the chair approved; they will not be sent. "
            "Restore the approved files or approve again."
        )
    else:
        writer.report.notes.append(
            f"The final minutes are approved by {record.approved_by} "
            f"({record.approved_on}) and unchanged."
        )
        final = final_name(loaded.meeting.id, "docx")
        if "pdf" in writer.formats and final in record.files:
            writer.convert(final, (paths.out / final).read_bytes(), private=True)
    for group in loaded.meeting.organisation.groups:
        for fmt, data in render_cover(loaded, group.id, record, templates).items():
            name = docs.file_name(docs.COVER_LETTER, loaded.meeting.id, fmt, suffix=f"_{group.id}")
            writer.keep(name, data, private=confidential(loaded.meeting))


def _approval(record: ap.ApprovalRecord) -> ctx.Approval:
    return ctx.Approval(by=record.approved_by, title=record.role, date=record.date)


def render_cover(
    loaded: Loaded, group_id: str, record: ap.ApprovalRecord, templates: docs.Templates
) -> dict[str, bytes]:
    meeting = loaded.meeting
    group = next(g for g in meeting.organisation.groups if g.id == group_id)
    attachments = [f"Pöytäkirja {meeting.agenda.number}"]
    context = ctx.cover_context(meeting, group, _approval(record), attachments)
    required = {"group.name": group.name, "texts.body_note": context["texts"]["body_note"]}
    return _render_all(
        docs.COVER_LETTER,
        context,
        docs.OFFICE_FORMATS,
        templates,
        docs.stamp(record.date),
        required,
    )


def _audit_once(out: Path, event: str, **details: Any) -> None:
    """Log an event unless the latest event of its kind says the same."""
    last = next((e for e in reversed(ap.read_audit(out)) if e.get("event") == event), None)
    if last is None or any(last.get(k) != v for k, v in details.items()):
        ap.audit(out, event, **details)


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
    """Record the chair's sign-off of the draft she was sent, and render the final minutes."""
    loaded = load(paths)
    meeting = loaded.meeting
    org = meeting.organisation
    ready_for_chair(loaded, paths.folder, "approved")
    current = ap.fingerprint(meeting)
    expected = ap.review_code(current)
    record = ap.read_approval(paths.out)
    report = Report()
    if record is not None and record.fingerprint == current:
        report.notes.append(
            f"These minutes are already approved by {record.approved_by} on "
            f"{record.approved_on}; nothing to do."
        )
        return report
    if ap.normalise_code(code) != expected:
        raise WorkflowRefused(
            f"The code {code.strip()} does not match the minutes as they are now (their code is "
            f"{expected}): the draft has changed since it was sent for review, or the code was "
            f"mistyped. Send the current draft with `minutes send {meeting.id} review` and record "
            "the code the chair quotes from that email."
        )
    role = _role(meeting, by)
    person = org.chair if role == "chair" else org.vice_chair
    assert person is not None
    title = "puheenjohtaja" if role == "chair" else "varapuheenjohtaja"
    approval = ctx.Approval(by=person.name, title=title, date=today)
    rendered = render_minutes(loaded, docs.OFFICE_FORMATS, templates, approval)
    superseded = _supersede(paths.out, record)
    files = {}
    for fmt, data in rendered.items():
        name = final_name(meeting.id, fmt)
        report.written.append(docs.write(paths.out / name, data, private=True))
        files[name] = ap.sha256(data)
    new = ap.ApprovalRecord(
        meeting=meeting.id,
        number=meeting.agenda.number,
        fingerprint=current,
        code=expected,
        approved_by=person.name,
        role=title,
        approved_on=today.isoformat(),
        recorded_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        recorded_by=ap.current_user(),
        templates={
            str(templates.path(docs.MINUTES, f)): ap.sha256_file(templates.path(docs.MINUTES, f))
            for f in docs.OFFICE_FORMATS
        },
        files=files,
    )
    ap.write_approval(paths.out, new)
    report.written.append(paths.out / ap.APPROVAL_FILE)
    if key is not None:
        (paths.out / ap.SIGNATURE_FILE).unlink(missing_ok=True)
        docs.write(paths.out / ap.SIGNATURE_FILE, ap.sign(new, key), private=True)
        report.written.append(paths.out / ap.SIGNATURE_FILE)
    ap.audit(
        paths.out,
        "re-approved" if record else "approved",
        fingerprint=current,
        code=expected,
        by=person.name,
        files=files,
        superseded=superseded,
    )
    report.notes.append(
        f"Approved by {person.name} ({expected}). Send the minutes with "
        f"`minutes send {meeting.id} minutes`."
    )
    return report


def _role(meeting: Meeting, by: str) -> str:
    org, notes = meeting.organisation, meeting.notes
    assert notes is not None
    if _same_person(by, org.chair.name):
        return "chair"
    if org.vice_chair and _same_person(by, org.vice_chair.name):
        chair_absent = org.chair.name in notes.attendance.absent or not any(
            _same_person(p.name, org.chair.name) for p in notes.attendance.present
        )
        if chair_absent:
            return "vice_chair"
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


def status(paths: Paths) -> str:
    """The meeting's state, fingerprints, approval and files, what is pending, and the log."""
    meeting = load(paths).meeting
    record = ap.read_approval(paths.out)
    events = ap.read_audit(paths.out)
    current = ap.fingerprint(meeting) if meeting.notes else None
    lines = [
        f"Meeting {meeting.agenda.number} ({meeting.id}), {ctx.fi_date(meeting.agenda.date)}",
        f"State: {ap.state(current, record, events)}",
    ]
    pending = []
    if current is None:
        pending.append("write the notes (notes.yaml) after the meeting")
    else:
        lines.append(f"Content fingerprint: {current} (review code {ap.review_code(current)})")
        if record is None:
            pending.append(
                f"send the draft to the chair (`minutes send {meeting.id} review`) "
                "and record her approval (`minutes approve`)"
            )
        elif record.fingerprint != current:
            lines.append(
                f"Approval: STALE. The chair approved {record.code} on "
                f"{record.approved_on}; the content has changed since."
            )
            pending.append("send the new draft for review and record the chair's approval again")
        else:
            lines.append(
                f"Approval: approved by {record.approved_by} on {record.approved_on} "
                f"(code {record.code})."
            )
            changed = ap.changed_files(paths.out, record)
            for name in sorted(record.files):
                lines.append(
                    f"  {name}: {'CHANGED OR MISSING' if name in changed else 'unchanged'}"
                )
            if changed:
                pending.append("restore the approved files: they differ from what was approved")
            elif not any(e.get("event") == "distributed" for e in events):
                pending.append(f"send the minutes: `minutes send {meeting.id} minutes`")
    lines.append("Pending: " + ("; ".join(pending) if pending else "nothing"))
    lines.append("Log:")
    lines.extend(
        f"  {e.get('time', '?')} {e.get('who', '?')}: {e.get('event')}"
        + (f" ({e['fingerprint'][:12]})" if e.get("fingerprint") else "")
        for e in events
    )
    if not events:
        lines.append("  (nothing yet)")
    return "\n".join(lines)


def diff(paths: Paths, returned: Path) -> list[str]:
    """The chair's changes in a returned draft, paragraph by paragraph against the draft sent."""
    import difflib

    sent = paths.out / draft_name(paths.folder.name, "docx")
    if not sent.exists():
        raise WorkflowRefused(
            f"{sent} does not exist: build the draft first (`minutes build {paths.folder.name}`)."
        )
    try:
        theirs = docs.document_text(returned.read_bytes(), "docx").splitlines()
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
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
    record = ap.read_approval(paths.out)
    if record is None:
        raise WorkflowRefused(f"{paths.out}: the minutes have not been approved yet.")
    signature = paths.out / ap.SIGNATURE_FILE
    key = meeting.organisation.chair.public_key
    if not signature.exists():
        raise WorkflowRefused(
            "The approval was recorded without a signature (no --key was "
            "given), so there is nothing to verify."
        )
    if not key:
        raise WorkflowRefused(
            "organisation.yaml has no chair.public_key to verify with; add "
            "the key `minutes keygen` printed."
        )
    if not ap.verify_signature(record, signature.read_bytes(), key):
        raise WorkflowRefused(
            f"{signature}: the signature does NOT match the approval record: "
            "the record was changed, or signed with another key."
        )
    changed = ap.changed_files(paths.out, record)
    if changed:
        raise WorkflowRefused(
            f"The signature is valid, but {', '.join(changed)} differ from the approved files."
        )
    stale = (
        ""
        if record.fingerprint == ap.fingerprint(meeting)
        else (" Note: the content has changed since; the approval no longer holds.")
    )
    return (
        f"The approval by {record.approved_by} on {record.approved_on} is signed with the "
        f"chair's key, and the final files are unchanged.{stale}"
    )

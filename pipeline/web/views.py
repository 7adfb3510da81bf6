"""The workbench's pages: thin views over the same library functions the commands call."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import subprocess
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from werkzeug.utils import secure_filename

from pipeline import MESSAGE_KINDS, clock, mail, storage, workflow
from pipeline import approval as ap
from pipeline import documents as docs
from pipeline import meeting as mtg
from pipeline.context import fi_date
from pipeline.errors import InputError, PipelineError, Problem, ServiceFailed
from pipeline.i18n import N_, _
from pipeline.loading import AGENDA, NOTES, ORGANISATION, check_meeting_id, load_model
from pipeline.loading import load_organisation as read_roster
from pipeline.model import Agenda, Meeting
from pipeline.status import event_name, format_status, meeting_status, moment
from pipeline.terms import DEFAULT_RECORD, message_forms
from pipeline.web import Settings, editing
from pipeline.wording import find_decision_language

bp = Blueprint("workbench", __name__)

STATES = {  # the meeting's state: its name and the next step, translated where shown (the
    # next step with `.format(**words)`: it may name the record)
    "planned": (N_("planned"), N_("send the invitation")),
    "invited": (N_("invited"), N_("write the notes during the meeting")),
    "held": (N_("held"), N_("build the draft minutes")),
    "draft": (N_("draft"), N_("send the draft to the chair and record the approval")),
    "approved": (N_("approved"), N_("send the minutes to the groups")),
    "distributed": (N_("distributed"), N_("nothing")),
}
SHOWN = (N_("open"), N_("overdue"), N_("done"))  # a follow-up's status, shown through _()
SEND_EVENTS = {  # what became of a message: the progress page and the send log
    "attempting": N_("sending started, outcome unknown"),
    "sent": N_("sent"),
    "failed": N_("failed"),
    "unconfirmed": N_("delivery unconfirmed"),
    "skipped": N_("already sent earlier"),
    "already_sent_other": N_("already sent with other content"),
}
OUTPUT_SUFFIXES = (".docx", ".odt", ".pdf")


def settings() -> Settings:
    return current_app.config["WORKBENCH"]  # type: ignore[no-any-return]


def paths_of(meeting_id: str) -> mtg.Paths:
    try:
        check_meeting_id(meeting_id)
    except InputError:
        abort(404)
    s = settings()
    folder = s.inputs / meeting_id
    if not (folder / AGENDA).is_file():
        abort(404)
    return mtg.Paths(folder, s.outputs / meeting_id, s.organisation)


def templates() -> docs.Templates:
    return docs.Templates(settings().templates or docs.DEFAULT_TEMPLATES)


def record_word() -> str:
    """What the roster calls the record (`wording.record`), for the pages' own texts; the
    default while the roster cannot be read (the pages show its problems)."""
    s = settings()
    path = s.organisation or s.inputs / ORGANISATION
    try:
        stat = path.stat()
    except OSError:
        return DEFAULT_RECORD
    return _roster_word(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=8)
def _roster_word(path: Path, mtime: int, size: int) -> str:
    try:
        return read_roster(path).wording.record
    except PipelineError:
        return DEFAULT_RECORD


def meeting_name(meeting_id: str) -> str:
    """How the secretary knows the meeting: its number and day (*5/2026, 7.12.2026*); the folder
    name while the agenda cannot be read (the pages show its problems)."""
    path = settings().inputs / meeting_id / AGENDA
    try:
        stat = path.stat()
    except OSError:
        return meeting_id
    return _agenda_name(path, stat.st_mtime_ns, stat.st_size) or meeting_id


@functools.lru_cache(maxsize=32)
def _agenda_name(path: Path, mtime: int, size: int) -> str:
    try:
        agenda = load_model(path, Agenda)[0]
    except PipelineError:
        return ""
    return f"{agenda.number}, {fi_date(agenda.date)}"


@bp.app_context_processor
def record_names() -> dict[str, Any]:
    """For the templates: `_("...").format(**words)` where a text names the record,
    `kind_name(kind)` for a kind of message, `recipient_name(group)` for whom it goes to and
    `meeting_name(id)` for the meeting."""
    word = record_word()
    return {
        "words": message_forms(word),
        "kind_name": functools.partial(mail.kind_name, record=word),
        "recipient_name": mail.recipient_name,
        "meeting_name": meeting_name,
    }


def report_error(exc: PipelineError) -> None:
    """The library's refusal, as the command would print it, shown at the top of the page."""
    if isinstance(exc, InputError):
        for problem in exc.problems:
            flash(str(problem), "error")
    else:
        flash(str(exc), "error")


def report_done(report: mtg.Report) -> None:
    for warning in report.warnings:
        flash(warning, "warning")
    if report.written:
        names = ", ".join(path.name for path in report.written)
        flash(_("Wrote {files}").format(files=names), "ok")
    for note in report.notes:
        flash(note, "ok")


def state_of(paths: mtg.Paths, loaded: mtg.Loaded | None = None) -> str:
    meeting = (loaded or mtg.load(paths)).meeting
    log = ap.read_audit(paths.out)
    return ap.meeting_state(meeting, ap.approval_state(paths.out, meeting, log), log, clock.today())


# The meetings.


@bp.get("/")
def meetings() -> str:
    rows = []
    s = settings()
    folders = sorted((p for p in s.inputs.iterdir() if (p / AGENDA).is_file()), reverse=True)
    for folder in folders:
        row: dict[str, Any] = {"id": folder.name, "number": "", "date": "", "problems": 0}
        try:
            check_meeting_id(folder.name)
            paths = mtg.Paths(folder, s.outputs / folder.name, s.organisation)
            loaded = mtg.load(paths)
            agenda = loaded.meeting.agenda
            row.update(
                number=agenda.number,
                date=f"{agenda.date:%-d.%-m.%Y}",
                state=STATES[state_of(paths, loaded)],
            )
        except InputError as exc:
            row["problems"] = len(exc.problems)
        except PipelineError:
            row["problems"] = 1
        rows.append(row)
    return render_template("meetings.html", rows=rows, today=clock.today().isoformat())


@bp.post("/new")
def new_meeting() -> ResponseReturnValue:
    from pipeline import overview

    s = settings()
    day = request.form.get("date", "").strip()
    try:
        overview.new_meeting(s.inputs, day, s.organisation)
    except PipelineError as exc:
        report_error(exc)
        return redirect(url_for(".meetings"))
    flash(_("Meeting {day} started: fill in the agenda.").format(day=day), "ok")
    return redirect(url_for(".agenda", meeting_id=day))


@bp.get("/m/<meeting_id>/")
def meeting(meeting_id: str) -> str:
    paths = paths_of(meeting_id)
    status = state = None
    problems: list[str] = []
    try:
        loaded = mtg.load(paths)
        state = STATES[state_of(paths, loaded)]
        status = format_status(meeting_status(paths, templates()))
    except InputError as exc:
        problems = [str(p) for p in exc.problems]
    except PipelineError as exc:
        problems = [str(exc)]
    log = ap.read_audit(paths.out)
    return render_template(
        "meeting.html",
        meeting_id=meeting_id,
        state=state,
        status=status,
        problems=problems,
        events=[_audit_row(e) for e in log.entries],
        damage=log.damage,
    )


def _short(value: Any) -> str:
    """A detail of the audit log for a screen: hashes cut to 12 characters, files by name."""
    if isinstance(value, dict):
        return ", ".join(
            f"{k} ({_short(v)})" if isinstance(v, str) else str(k) for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(_short(v) for v in value)
    text = str(value)
    return text[:12] if len(text) >= 40 and all(c in "0123456789abcdef" for c in text) else text


DETAILS = {  # the names of the audit log's details (stored in English, as data), as shown
    "files": N_("files"),
    "fingerprint": N_("fingerprint"),
    "code": N_("review code"),
    "content": N_("content"),
    "templates": N_("templates"),
    "attachments": N_("attachments"),
    "groups": N_("groups"),
    "dry_run": N_("dry run"),
    "by": N_("approved by"),
    "record": N_("approval record"),
    "superseded": N_("superseded"),
    "approved": N_("approved content"),
}


def _audit_row(entry: dict[str, Any]) -> dict[str, Any]:
    hidden = {"time", "who", "event", "prev"}
    return {
        "time": moment(entry.get("time", "")),
        "who": entry.get("who", ""),
        "event": event_name(str(entry.get("event", "")), message_forms(record_word())),
        "details": [
            (_(DETAILS[k]) if k in DETAILS else k, _("yes") if v is True else _short(v))
            for k, v in entry.items()
            if k not in hidden and v
        ],
    }


# The agenda form.


@bp.route("/m/<meeting_id>/agenda", methods=["GET", "POST"])
def agenda(meeting_id: str) -> Any:
    paths = paths_of(meeting_id)
    path = paths.folder / AGENDA
    try:
        doc = editing.read(path)
    except editing.Unreadable:
        return unreadable(paths, path)
    version = editing.version(path)
    field_problems: dict[str, list[str]] = {}
    general: list[str] = []
    status = 200
    if request.method == "POST":
        action = request.form.get("action", "save")
        doc = editing.agenda_from_form(doc, request.form, action)
        stored: list[Path] = []  # the files new in liitteet/: removed unless the agenda saves
        try:
            if editing.version(path) != request.form.get("version", ""):
                raise editing.Conflict(str(path))
            _store_uploads(paths.folder, doc, stored)
            saved = editing.save(
                paths.folder,
                paths.organisation,
                AGENDA,
                editing.dump(doc, path),
                request.form.get("version", ""),
            )
        except editing.Conflict:
            flash(CONFLICT, "error")
            version = request.form.get("version", "")
            status = 409
        except InputError as exc:
            report_error(exc)
            status = 422
        else:
            if not saved.problems:
                flash(_("The agenda was saved."), "ok")
                return redirect(url_for(".agenda", meeting_id=meeting_id))
            field_problems, general = editing.by_field(saved.problems, path, saved.source)
            flash(_("Nothing was saved: fix the fields marked below."), "error")
            status = 422
        for upload in stored:  # the agenda was not saved: neither are its new files
            upload.unlink(missing_ok=True)
    else:
        field_problems, general = _problems_by_field(paths, path)
    return (
        render_template(
            "agenda.html",
            meeting_id=meeting_id,
            doc=doc,
            items=list(doc.get("items") or []),
            version=version,
            problems=field_problems,
            general=general,
            attachment_lines=editing.attachment_lines,
            upload_ok=editing.file_attachments_supported(),
        ),
        status,
    )


def unreadable(paths: mtg.Paths, path: Path) -> ResponseReturnValue:
    """A file the form cannot show: its problems as `check` names them, and nothing written."""
    _fields, problems = _problems_by_field(paths, path)
    message = _(
        "{path} cannot be opened in the form: fix it in a text editor first (the problems are "
        "listed below); the form opens once the file reads."
    ).format(path=path)
    return render_template("error.html", message=message, problems=problems), 422


CONFLICT = _(
    "The file was changed elsewhere (another tab or program) after this form was opened, so "
    "it was not saved over. Copy what you typed, reload the page and add it again."
)


def _store_uploads(folder: Path, doc: Any, stored: list[Path]) -> None:
    """Files chosen for an item go to the meeting's liitteet/ folder and onto its list; those
    new there are added to `stored`."""
    items = list(doc.get("items") or [])
    for i, item in enumerate(items):
        upload = request.files.get(f"items-{i}-upload")
        if upload is None or not upload.filename:
            continue
        name = secure_filename(upload.filename)
        if not name:
            raise InputError([Problem(upload.filename, 0, _("this file name cannot be used"))])
        data = upload.read()
        target = _unused_name(folder / "liitteet" / name, data)
        if not target.exists():
            storage.atomic_write(target, data)
            stored.append(target)
        file = f"liitteet/{target.name}"
        attachments = list(item.get("attachments") or [])
        if any(isinstance(a, dict) and a.get("file") == file for a in attachments):
            continue  # already listed
        attachments.append(editing.CommentedMap(title=Path(name).stem, file=file))
        item["attachments"] = editing.CommentedSeq(attachments)


def _unused_name(target: Path, data: bytes) -> Path:
    """Where an uploaded file goes: its own name, or a numbered one (`liite-2.pdf`) when a
    different file already has it. A file of the meeting is never written over: it may have
    gone out with the invitation, and a form that is then refused must leave it as it was."""
    if target.parent.is_symlink():
        raise InputError(
            [
                Problem(
                    str(target.parent),
                    0,
                    _("the folder is a symbolic link; nothing is written through it"),
                )
            ]
        )
    candidate, n = target, 1
    while candidate.exists() or candidate.is_symlink():
        if candidate.is_file() and not candidate.is_symlink() and candidate.read_bytes() == data:
            return candidate  # the same file chosen again
        n += 1
        candidate = target.with_name(f"{target.stem}-{n}{target.suffix}")
    return candidate


def _problems_by_field(paths: mtg.Paths, path: Path) -> tuple[dict[str, list[str]], list[str]]:
    try:
        mtg.load(paths)
    except InputError as exc:
        return editing.by_field(exc.problems, path)
    except PipelineError as exc:
        return {}, [str(exc)]
    return {}, []


# The notes form, filled in during the meeting.


def _meeting_for_form(paths: mtg.Paths) -> Meeting:
    """The roster and the agenda the notes form is built from (the notes may be unfinished)."""
    org = read_roster(paths.organisation or paths.folder.parent / ORGANISATION)
    agenda, _source = load_model(paths.folder / AGENDA, Agenda)
    return Meeting(id=paths.folder.name, organisation=org, agenda=agenda)


@bp.route("/m/<meeting_id>/notes", methods=["GET", "POST"])
def notes(meeting_id: str) -> Any:
    paths = paths_of(meeting_id)
    path = paths.folder / NOTES
    try:
        meeting = _meeting_for_form(paths)
    except InputError as exc:
        report_error(exc)
        flash(_("Fix the agenda and the roster first; the notes form is built from them."))
        return redirect(url_for(".agenda", meeting_id=meeting_id))
    try:
        doc = editing.read(path)
    except editing.Unreadable:
        return unreadable(paths, path)
    if request.method == "GET":
        return _notes_page(paths, meeting, doc, editing.version(path))
    doc = editing.notes_from_form(doc, request.form, meeting)
    autosave = request.form.get("autosave") == "1"
    try:
        saved = editing.save(
            paths.folder,
            paths.organisation,
            NOTES,
            editing.dump(doc, path),
            request.form.get("version", ""),
        )
    except editing.Conflict:
        if autosave:
            return jsonify(saved=False, conflict=CONFLICT), 409
        flash(CONFLICT, "error")
        return _notes_page(paths, meeting, doc, request.form.get("version", ""), status=409)
    if autosave:
        return _autosaved(saved, doc, path)
    if saved.problems:
        flash(_("Nothing was saved: fix the fields marked below."), "error")
        return _notes_page(paths, meeting, doc, saved.version, saved, status=422)
    flash(_("The notes were saved."), "ok")
    rows = "#items" if request.form.get("action") == "rows" else ""  # back to the new rows
    return redirect(url_for(".notes", meeting_id=meeting_id) + rows)


def _autosaved(saved: editing.Saved, doc: Any, path: Path) -> ResponseReturnValue:
    """The answer to the page's autosave: saved or not, the new version, the problems by
    field and the wording guard's findings."""
    fields, general = editing.by_field(saved.problems, path, saved.source)
    return jsonify(
        saved=not saved.problems,
        version=saved.version,
        problems=fields,
        general=general,
        wording=_wording(doc),
        time=dt.datetime.now(clock.HELSINKI).strftime("%H.%M.%S"),
    )


def _notes_page(
    paths: mtg.Paths,
    meeting: Meeting,
    doc: Any,
    version: str,
    saved: editing.Saved | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The notes form with `doc` in it, and the problems of the text refused (`saved`) or
    else of the meeting's files."""
    path = paths.folder / NOTES
    if saved is not None and saved.problems:
        field_problems, general = editing.by_field(saved.problems, path, saved.source)
    else:
        field_problems, general = _problems_by_field(paths, path)
    return (
        render_template(
            "notes.html",
            meeting_id=paths.folder.name,
            meeting=meeting,
            others=editing.others(meeting.organisation),
            earlier=_earlier_followups(meeting, doc),
            form=_notes_values(doc),
            version=version,
            problems=field_problems,
            general=general,
            wording=_wording(doc),
        ),
        status,
    )


def _earlier_followups(meeting: Meeting, doc: Any) -> list[Any] | None:
    """Follow-ups of earlier meetings that this meeting can report done: those still open and
    those it already reports (None when the other meetings cannot be read)."""
    from pipeline import overview

    s = settings()
    reported = {str(x) for x in doc.get("follow_up_done") or []}
    try:
        statuses = overview.followup_statuses(s.inputs, s.organisation, meeting.agenda.date)
    except PipelineError:
        return None
    return [
        (status.entry, status.entry.id in reported)
        for status in statuses
        if status.entry.meeting_date < meeting.agenda.date
        and (status.status != "done" or status.entry.id in reported)
    ]


def _mapping(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _plain(value: Any) -> str:
    return "" if value is None else str(value)


def _notes_values(doc: Any) -> dict[str, Any]:
    """notes.yaml as the form shows it (also while it is unfinished or invalid)."""
    attendance = doc.get("attendance") or {}
    present: dict[str, str] = {}
    for entry in attendance.get("present") or []:
        if isinstance(entry, dict):
            present[_plain(entry.get("name"))] = _plain(entry.get("substitute_for"))
        else:
            present[_plain(entry)] = ""
    guests = [
        {
            "name": _plain(g.get("name")),
            "title": _plain(g.get("title")),
            "items": " ".join(str(n) for n in g.get("items") or []),
        }
        for g in attendance.get("guests") or []
        if isinstance(g, dict)
    ]
    items: dict[int, dict[str, Any]] = {}
    for key, item in _mapping(doc.get("items")).items():
        if not isinstance(item, dict) or not str(key).isdigit():
            continue
        statement = item.get("statement") or {}
        items[int(key)] = {
            "discussion": _plain(item.get("discussion")).rstrip("\n"),
            "agreed": "\n".join(_plain(a) for a in item.get("agreed") or []),
            "dissent": [
                {"groups": list(d.get("groups") or []), "position": _plain(d.get("position"))}
                for d in item.get("dissent") or []
                if isinstance(d, dict)
            ],
            "follow_up": [
                {
                    "task": _plain(f.get("task")),
                    "owner": _plain(f.get("owner")),
                    "due": _plain(f.get("due")),
                }
                for f in item.get("follow_up") or []
                if isinstance(f, dict)
            ],
            "statement": _plain(statement.get("text")).rstrip("\n")
            if isinstance(statement, dict)
            else "",
            "public": bool(statement.get("public")) if isinstance(statement, dict) else False,
        }
    return {
        "opened": _plain(doc.get("opened")),
        "closed": _plain(doc.get("closed")),
        "present": present,
        "guests": guests,
        "items": items,
    }


def _wording(doc: Any) -> dict[str, list[dict[str, str]]]:
    """The guard's findings in each text field: the sentence around the word, and the advice."""
    found: dict[str, list[dict[str, str]]] = {}
    for key, item in _mapping(doc.get("items")).items():
        if not isinstance(item, dict):
            continue
        intended = [str(x) for x in item.get("intended_wording") or []]
        p = f"items-{key}"
        texts = [(f"{p}-discussion", item.get("discussion"))]
        texts += [(f"{p}-agreed", a) for a in item.get("agreed") or []]
        texts += [
            (f"{p}-dissent-{j}-position", d.get("position"))
            for j, d in enumerate(item.get("dissent") or [])
            if isinstance(d, dict)
        ]
        texts += [
            (f"{p}-follow_up-{j}-task", f.get("task"))
            for j, f in enumerate(item.get("follow_up") or [])
            if isinstance(f, dict)
        ]
        statement = item.get("statement")
        if isinstance(statement, dict):
            texts.append((f"{p}-statement", statement.get("text")))
        for name, text in texts:
            for finding in find_decision_language(_plain(text), intended):
                sentence = finding.sentence
                at = sentence.find(finding.word)
                found.setdefault(name, []).append(
                    {
                        "before": sentence[:at] if at >= 0 else sentence,
                        "word": finding.word if at >= 0 else "",
                        "after": sentence[at + len(finding.word) :] if at >= 0 else "",
                        "suggestion": finding.suggestion,
                        "sentence": sentence,
                    }
                )
    return found


# Documents: build, preview, download.


def _output_files(paths: mtg.Paths) -> list[str]:
    if not paths.out.is_dir():
        return []
    return sorted(p.name for p in paths.out.iterdir() if p.suffix in OUTPUT_SUFFIXES)


@bp.get("/m/<meeting_id>/documents")
def documents(meeting_id: str) -> str:
    paths = paths_of(meeting_id)
    return render_template("documents.html", meeting_id=meeting_id, files=_output_files(paths))


@bp.post("/m/<meeting_id>/build")
def build(meeting_id: str) -> ResponseReturnValue:
    paths = paths_of(meeting_id)
    formats = [f for f in request.form.getlist("format") if f in ("docx", "odt", "pdf")]
    try:
        report_done(workflow.build(paths, formats or ["docx", "odt"], templates(), clock.today()))
    except PipelineError as exc:
        report_error(exc)
    return redirect(url_for(".documents", meeting_id=meeting_id))


def _output(paths: mtg.Paths, name: str) -> Path:
    if name not in _output_files(paths):
        abort(404)
    return paths.out / name


@bp.get("/m/<meeting_id>/files/<name>")
def download(meeting_id: str, name: str) -> ResponseReturnValue:
    path = _output(paths_of(meeting_id), name)
    return send_file(path.resolve(), as_attachment=True, download_name=name)


_previews: dict[str, list[bytes]] = {}
_preview_lock = threading.Lock()


def pages(path: Path) -> list[bytes]:
    """The document's pages as PNG pictures: LibreOffice makes the PDF, pdftoppm the pages."""
    data = path.read_bytes()
    key = hashlib.sha256(data).hexdigest()
    with _preview_lock:
        if key not in _previews:
            from pipeline.render.pdf import to_pdf

            pdf = data if path.suffix == ".pdf" else to_pdf({path.name: data})[path.stem + ".pdf"]
            with tempfile.TemporaryDirectory(prefix="minutes-preview-") as scratch:
                (Path(scratch) / "doc.pdf").write_bytes(pdf)
                subprocess.run(
                    ["pdftoppm", "-png", "-r", "60", "doc.pdf", "page"],
                    cwd=scratch,
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
                _previews[key] = [p.read_bytes() for p in sorted(Path(scratch).glob("page*.png"))]
        return _previews[key]


@bp.get("/m/<meeting_id>/preview/<name>")
def preview(meeting_id: str, name: str) -> Any:
    return _preview(
        _output(paths_of(meeting_id), name),
        back=url_for(".documents", meeting_id=meeting_id),
        image=functools.partial(url_for, ".preview_page", meeting_id=meeting_id, name=name),
        download=url_for(".download", meeting_id=meeting_id, name=name),
        meeting_id=meeting_id,
    )


def _preview(
    path: Path, *, back: str, image: Any, download: str, **page: Any
) -> ResponseReturnValue:
    """A document's pages as pictures, or back with the reason when they cannot be made."""
    try:
        count = len(pages(path))
    except (PipelineError, OSError, subprocess.SubprocessError) as exc:
        flash(_("No preview: {reason}").format(reason=exc), "error")
        return redirect(back)
    return render_template(
        "preview.html",
        name=path.name,
        count=count,
        image=image,
        back=back,
        download=download,
        **page,
    )


def _page(path: Path, page: int) -> ResponseReturnValue:
    images = pages(path)
    if not 1 <= page <= len(images):
        abort(404)
    return Response(images[page - 1], mimetype="image/png")


@bp.get("/m/<meeting_id>/preview/<name>/<int:page>.png")
def preview_page(meeting_id: str, name: str, page: int) -> ResponseReturnValue:
    return _page(_output(paths_of(meeting_id), name), page)


# Review and approval.


@bp.get("/m/<meeting_id>/review")
def review(meeting_id: str) -> str:
    paths = paths_of(meeting_id)
    info: dict[str, Any] = {}
    try:
        loaded = mtg.load(paths)
    except PipelineError as exc:
        report_error(exc)
        return render_template("review.html", meeting_id=meeting_id, info=None)
    meeting = loaded.meeting
    org = meeting.organisation
    if meeting.notes is not None:
        info["code"] = ap.review_code(ap.fingerprint(meeting, templates().hashes(docs.MINUTES)))
    info["approval"] = ap.approval_state(paths.out, meeting)
    info["approvers"] = [p.name for p in (org.chair, org.vice_chair) if p]
    info["chair"] = org.chair
    return render_template("review.html", meeting_id=meeting_id, info=info, fi_date=fi_date)


@bp.post("/m/<meeting_id>/approve")
def approve(meeting_id: str) -> ResponseReturnValue:
    paths = paths_of(meeting_id)
    try:
        report_done(
            workflow.approve(
                paths,
                request.form.get("by", ""),
                request.form.get("code", ""),
                templates(),
                clock.today(),
            )
        )
    except PipelineError as exc:
        report_error(exc)
    return redirect(url_for(".review", meeting_id=meeting_id))


# Sending: a confirmation listing who gets what, then the outbox or SMTP.

KINDS = set(MESSAGE_KINDS)


def _digest(batch: Any) -> str:
    """What the confirmation showed: sending refuses if the messages changed since."""
    parts = [f"{m.group}:{','.join(m.to)}:{m.content_hash}" for m in batch.messages]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _back(kind: str, meeting_id: str) -> ResponseReturnValue:
    page = ".review" if kind == "review" else ".distribution"
    return redirect(url_for(page, meeting_id=meeting_id))


@bp.post("/m/<meeting_id>/send/<kind>")
def send(meeting_id: str, kind: str) -> Any:
    from pipeline import distribution

    if kind not in KINDS:
        abort(404)
    paths = paths_of(meeting_id)
    smtp = request.form.get("mode") == "smtp"
    try:
        batch = distribution.prepare(paths, kind, templates(), clock.today())
    except PipelineError as exc:
        report_error(exc)
        return _back(kind, meeting_id)
    if request.form.get("confirmed") != _digest(batch):
        if request.form.get("confirmed"):
            flash(_("The messages changed after you confirmed them; check them again."), "error")
        return render_template(
            "confirm.html",
            meeting_id=meeting_id,
            kind=kind,
            smtp=smtp,
            batch=batch,
            digest=_digest(batch),
            unconfirmed=mail.in_doubt(paths.out / ap.SEND_LOG, kind),
        )
    if not smtp:
        try:
            report_done(distribution.write_outbox(batch))
            flash(
                _(
                    "Dry run: nothing was sent. The messages are under Outbox on the "
                    "distribution page; when they are right, send them with the choice "
                    "Send by email (SMTP)."
                ),
                "ok",
            )
        except PipelineError as exc:
            report_error(exc)
        return _back(kind, meeting_id)
    job = Job(total=len(batch.messages))
    with _jobs_lock:
        running = _jobs.get((meeting_id, kind))
        if running and not running.finished:
            flash(_("This sending is already in progress."), "warning")
            return redirect(url_for(".progress", meeting_id=meeting_id, kind=kind))
        _jobs[(meeting_id, kind)] = job
    resend = [g for g in request.form.getlist("resend") if g]
    threading.Thread(target=job.run, args=(batch, resend), daemon=True).start()
    return redirect(url_for(".progress", meeting_id=meeting_id, kind=kind))


@dataclass
class Job:
    """One SMTP sending in the background, for the progress page."""

    total: int
    done: list[str] = field(default_factory=list)
    finished: bool = False
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def run(self, batch: Any, resend: list[str]) -> None:
        from pipeline import distribution

        try:
            report = distribution.send_smtp(
                batch,
                resend=resend,
                on_progress=lambda message, state: self.done.append(
                    f"{message.label}: {send_event(state)}"
                ),
            )
            self.notes = [*report.notes, *report.warnings]
        except ServiceFailed as exc:  # what went well apart from what failed
            self.notes = list(exc.done)
            self.errors = [line for line in str(exc).splitlines() if line not in exc.done]
        except PipelineError as exc:
            self.errors = str(exc).splitlines()
        except Exception as exc:  # shown on the page: a thread has nobody else to tell
            self.errors = [repr(exc)]
        finally:
            self.finished = True


def send_event(event: str) -> str:
    """An event of the send log, or what became of a message, in the user's language."""
    return _(SEND_EVENTS[event]) if event in SEND_EVENTS else event


_jobs: dict[tuple[str, str], Job] = {}
_jobs_lock = threading.Lock()


@bp.get("/m/<meeting_id>/send/<kind>/progress")
def progress(meeting_id: str, kind: str) -> str:
    paths_of(meeting_id)
    job = _jobs.get((meeting_id, kind))
    if job is None:
        abort(404)
    return render_template("progress.html", meeting_id=meeting_id, kind=kind, job=job)


def send_log(paths: mtg.Paths) -> list[dict[str, Any]]:
    """The send log's last event per message kind and group (a damaged line left out)."""
    last: dict[tuple[str, str], dict[str, Any]] = {}
    for _number, record in mail.send_log_records(paths.out / ap.SEND_LOG):
        if record is not None:
            last[(record["kind"], record["group"])] = record
    return [last[k] for k in sorted(last)]


@bp.get("/m/<meeting_id>/distribution")
def distribution(meeting_id: str) -> str:
    paths = paths_of(meeting_id)
    outbox = paths.outbox()
    written = {
        kind: sorted(p.name for p in (outbox / kind).glob("*.eml"))
        for kind in MESSAGE_KINDS
        if (outbox / kind).is_dir()
    }
    running = {kind for (m, kind), job in _jobs.items() if m == meeting_id and not job.finished}
    return render_template(
        "distribution.html",
        meeting_id=meeting_id,
        log=send_log(paths),
        outbox=written,
        running=running,
        send_event=send_event,
        moment=moment,
    )


# Across meetings.


@bp.get("/followups")
def followups() -> str:
    from pipeline import overview

    s = settings()
    try:
        statuses = overview.followup_statuses(s.inputs, s.organisation, clock.today())
    except PipelineError as exc:
        report_error(exc)
        statuses = []
    return render_template("followups.html", statuses=statuses)


@bp.route("/report", methods=["GET", "POST"])
def annual_report() -> ResponseReturnValue:
    from pipeline import annual

    s = settings()
    year = request.values.get("year", type=int) or clock.today().year
    if request.method == "POST":
        formats = [f for f in request.form.getlist("format") if f in ("docx", "odt", "pdf")]
        try:
            written = annual.write_report(
                s.inputs,
                s.organisation,
                s.outputs,
                year,
                annual.default_out(year, s.outputs),
                formats or ["docx", "odt"],
                templates(),
                clock.today(),
            )
            report_done(mtg.Report(written=written))
        except PipelineError as exc:
            report_error(exc)
        return redirect(url_for(".annual_report", year=year))
    text = None
    try:
        text = annual.summary(s.inputs, s.organisation, s.outputs, year, clock.today())
    except PipelineError as exc:
        report_error(exc)
    return render_template("report.html", year=year, text=text, files=_report_files(year))


def _report_files(year: int) -> list[str]:
    from pipeline import annual

    folder = annual.default_out(year, settings().outputs)
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.suffix in OUTPUT_SUFFIXES)


def _report_file(year: int, name: str) -> Path:
    from pipeline import annual

    if name not in _report_files(year):
        abort(404)
    return annual.default_out(year, settings().outputs) / name


@bp.get("/report/<int:year>/files/<name>")
def report_download(year: int, name: str) -> ResponseReturnValue:
    path = _report_file(year, name)
    return send_file(path.resolve(), as_attachment=True, download_name=name)


@bp.get("/report/<int:year>/preview/<name>")
def report_preview(year: int, name: str) -> ResponseReturnValue:
    return _preview(
        _report_file(year, name),
        back=url_for(".annual_report", year=year),
        image=functools.partial(url_for, ".report_page", year=year, name=name),
        download=url_for(".report_download", year=year, name=name),
    )


@bp.get("/report/<int:year>/preview/<name>/<int:page>.png")
def report_page(year: int, name: str, page: int) -> ResponseReturnValue:
    return _page(_report_file(year, name), page)

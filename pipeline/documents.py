"""Which documents exist, their templates and file names, and rendering them into files."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import mimetypes
import signal
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline import context as ctx
from pipeline.errors import InputError, Problem, template_error
from pipeline.i18n import _
from pipeline.meeting import Loaded
from pipeline.model import Meeting
from pipeline.render.package import read_template
from pipeline.storage import atomic_write, sha256
from pipeline.terms import record

if TYPE_CHECKING:
    from lxml import etree

    from pipeline.context_types import MinutesContext


# `minutes templates check` renders with an environment that lists unknown placeholders
# instead of stopping at the first (pipeline/template_check.py); every other render: None.
CHECKING_ENV: ContextVar[Any] = ContextVar("checking_env", default=None)


def _default_templates() -> Path:
    """The default templates, shipped inside the package (the build copies templates/ there).
    In a source checkout with an editable install, the build step has not run: there the
    repo's templates/ folder, which the wheel's copy is made from, is the package's."""
    shipped = resources.files("pipeline") / "templates"
    if isinstance(shipped, Path) and shipped.is_dir():
        return shipped
    return Path(__file__).resolve().parent.parent / "templates"


DEFAULT_TEMPLATES = _default_templates()
OFFICE_FORMATS = ("docx", "odt")
_TEXT_PARTS = {"docx": ("word/",), "odt": ("content.xml", "styles.xml")}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


@dataclass(frozen=True)
class Kind:
    """A kind of document: its template's name and the start of its file names."""

    template: str
    stem: str


INVITATION = Kind("invitation", "kokouskutsu")
MINUTES = Kind("minutes", "poytakirja")
COVER_LETTER = Kind("cover_letter", "saate")


@dataclass
class Templates:
    """The template folder; each template file is read once however many documents it makes."""

    folder: Path = DEFAULT_TEMPLATES
    _cache: dict[tuple[str, str], tuple[bytes, dict[str, bytes]]] = field(default_factory=dict)

    def path(self, kind: Kind, fmt: str) -> Path:
        return self.folder / f"{kind.template}.{fmt}"

    def hashes(self, kind: Kind) -> dict[str, str]:
        """SHA-256 of the kind's template files by name: what a rendering is bound to."""
        return {f"{kind.template}.{fmt}": sha256(self.read(kind, fmt)[0]) for fmt in OFFICE_FORMATS}

    def read(self, kind: Kind, fmt: str) -> tuple[bytes, dict[str, bytes]]:
        """The template file's bytes and its zip entries (refusing a damaged or huge zip)."""
        key = (kind.template, fmt)
        if key not in self._cache:
            path = self.path(kind, fmt)
            entries = read_template(path)
            self._cache[key] = (path.read_bytes(), entries)
        return self._cache[key]


def render(
    kind: Kind,
    fmt: str,
    context: Mapping[str, Any],
    templates: Templates,
    *,
    created: dt.datetime,
    required: Mapping[str, str],
) -> bytes:
    """Render one document, and refuse it when the template did not print what it must show.

    `required` maps a placeholder to the text it prints: a municipality's own template that
    leaves out, say, the disclaimer is refused rather than sent out without it.
    """
    template, entries = templates.read(kind, fmt)
    name = str(templates.path(kind, fmt))
    try:
        with time_limit(RENDER_SECONDS):
            data = _filled(fmt, template, entries, context, name, created)
    except InputError:
        raise
    except (Exception, RecursionError, MemoryError) as exc:
        # Whatever a hostile or broken template makes the engine do, it is the template's fault.
        raise template_error(name, exc) from None
    if len(data) > MAX_DOCUMENT_BYTES:
        raise template_error(name, ValueError(_("the template makes a document of over 50 MB")))
    text = " ".join(document_text(data, fmt).split())
    missing = [p for p, value in required.items() if value and " ".join(value.split()) not in text]
    if missing:
        raise InputError(
            [
                Problem(
                    name,
                    0,
                    _(
                        "the template does not show {placeholders}; add the placeholder back "
                        "to the template"
                    ).format(placeholders=", ".join(f"{{{{ {p} }}}}" for p in missing)),
                )
            ]
        )
    return data


def _filled(
    fmt: str,
    template: bytes,
    entries: dict[str, bytes],
    context: Mapping[str, Any],
    name: str,
    created: dt.datetime,
) -> bytes:
    """The template filled in by its format's engine, with the document's metadata (title,
    author, language) from the context."""
    title = f"{context['doc']['title']} {context['meeting']['number']}"
    language = "fi-FI"
    author = f"{context['org']['municipality']}, {context['org']['body']}"
    # The engines are imported where they are used: `minutes check` starts without them.
    from pipeline.render.base import shared_env

    env = CHECKING_ENV.get() or shared_env()
    if fmt == "docx":
        from pipeline.render.docx import render_docx

        return render_docx(
            template,
            context,
            env,
            name=name,
            title=title,
            author=author,
            language=language,
            created=created,
        )
    from pipeline.render.odt import render_odt

    return render_odt(
        entries,
        context,
        env,
        title=title,
        author=author,
        language=language,
        created=created,
        name=name,
    )


def document_text(data: bytes, fmt: str) -> str:
    """All the text a DOCX or ODT shows, headers and footers included, paragraph by paragraph.

    The file may come from outside (a draft the chair sent back): it is read as a template is,
    refusing a damaged zip or a zip bomb, and its XML without entities, DTDs or the network.
    """
    from lxml import etree

    parts: list[str] = []
    for name, part in sorted(read_package(data).items()):
        if name.endswith(".xml") and name.startswith(_TEXT_PARTS[fmt]):
            tree = etree.fromstring(part, safe_xml())
            parts.extend(_paragraphs(tree, fmt))
    return "\n".join(parts)


def read_package(data: bytes, where: str = "the document") -> dict[str, bytes]:
    """The zip entries of a DOCX or ODT given as bytes, through the template reader's checks."""
    return read_template(io.BytesIO(data), where)


@cache
def safe_xml() -> etree.XMLParser:
    """The parser of XML from a file: no entity expansion, no DTD, no network, no huge trees."""
    from lxml import etree

    return etree.XMLParser(
        resolve_entities=False,
        load_dtd=False,
        no_network=True,
        huge_tree=False,
        dtd_validation=False,
    )


RENDER_SECONDS = 60
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024


@contextlib.contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Stop a render that runs away (a template looping without end); only where a signal can
    be delivered, the main thread of a Unix process."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expired(signum: int, frame: Any) -> None:
        raise TimeoutError(
            _("rendering took over {seconds} s; the template loops without end").format(
                seconds=seconds
            )
        )

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _paragraphs(tree: etree._Element, fmt: str) -> list[str]:
    if fmt == "docx":
        return ["".join(p.itertext()) for p in tree.iter(f"{_W}p")]
    return ["".join(_odt_text(p)) for p in tree.iter(f"{_T}p", f"{_T}h")]


def _odt_text(element: etree._Element) -> list[str]:
    parts = [element.text or ""]
    for child in element:
        if child.tag == f"{_T}s":
            parts.append(" " * int(child.get(f"{_T}c", "1")))
        elif child.tag == f"{_T}tab":
            parts.append("\t")
        elif child.tag == f"{_T}line-break":
            parts.append("\n")
        elif child.tag not in (f"{_T}p", f"{_T}h"):
            parts.extend(_odt_text(child))
        parts.append(child.tail or "")
    return parts


def write(path: Path, data: bytes, *, private: bool) -> Path:
    """Write a rendered file atomically; private files are readable by their owner only."""
    atomic_write(path, data, mode=0o600 if private else 0o644)
    return path


def parse_formats(value: str) -> tuple[str, ...]:
    """`docx,odt,pdf` → the formats asked for, in a fixed order."""
    asked = [part.strip().lower() for part in value.split(",") if part.strip()]
    unknown = [part for part in asked if part not in ("docx", "odt", "pdf")]
    if unknown or not asked:
        raise InputError(
            [
                Problem(
                    "--format",
                    0,
                    _(
                        "unknown format {names!s}; choose from docx, odt, pdf, e.g. "
                        "--format docx,odt"
                    ).format(names=", ".join(unknown)),
                )
            ]
        )
    return tuple(f for f in ("docx", "odt", "pdf") if f in asked)


def stamp(day: dt.date) -> dt.datetime:
    """A document's metadata time: noon of its date, so that renders are reproducible."""
    return dt.datetime.combine(day, dt.time(12, 0))


def file_name(kind: Kind, meeting: Meeting, fmt: str, *, suffix: str = "") -> str:
    """The one place file names are made: the minutes' stem follows `wording.record`
    (`muistio_luonnos_2026-12-07.docx`)."""
    stem = record(meeting.organisation.wording.record).stem if kind == MINUTES else kind.stem
    return f"{stem}{suffix}_{meeting.id}.{fmt}"


def agenda_files(meeting: Meeting, folder: Path) -> dict[str, bytes]:
    """The agenda's attachment files by their names, read from the meeting folder (`check`
    has made sure each is a file inside it). They go with every invitation email."""
    return {
        Path(a.file).name: (folder / a.file).read_bytes()
        for item in meeting.agenda.items
        for a in item.attachments
        if a.file
    }


# The pipeline's own files' types, the same on every machine (the system's tables vary).
MIMETYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pdf": "application/pdf",
    "ics": "text/calendar",
}


def mimetype(name: str) -> str:
    """The MIME type of a file by its name; unknown kinds are plain bytes."""
    own = MIMETYPES.get(Path(name).suffix[1:].lower())
    return own or mimetypes.guess_type(name)[0] or "application/octet-stream"


def office_formats(formats: Sequence[str]) -> list[str]:
    """The office formats to render: PDF is converted from the DOCX."""
    chosen = [f for f in OFFICE_FORMATS if f in formats]
    if "pdf" in formats and "docx" not in chosen:
        chosen.insert(0, "docx")
    return chosen


# What each document shows, and its file names.


def _render_all(
    kind: Kind,
    context: Mapping[str, Any],
    formats: Sequence[str],
    templates: Templates,
    created: dt.datetime,
    required: dict[str, str],
) -> dict[str, bytes]:
    return {
        fmt: render(kind, fmt, context, templates, created=created, required=required)
        for fmt in formats
    }


def minutes_required(context: MinutesContext) -> dict[str, str]:
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
    return file_name(INVITATION, meeting, fmt)


def final_name(meeting: Meeting, fmt: str) -> str:
    return file_name(MINUTES, meeting, fmt)


def draft_name(meeting: Meeting, fmt: str) -> str:
    return file_name(MINUTES, meeting, fmt, suffix="_luonnos")


def cover_name(meeting: Meeting, group_id: str, fmt: str) -> str:
    return file_name(COVER_LETTER, meeting, fmt, suffix=f"_{group_id}")


def render_invitation(
    loaded: Loaded, formats: Sequence[str], templates: Templates, today: dt.date
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
        INVITATION,
        context,
        formats,
        templates,
        stamp(meeting.agenda.invited_on or today),
        required,
    )


def render_minutes(
    loaded: Loaded, formats: Sequence[str], templates: Templates, approval: ctx.Approval | None
) -> dict[str, bytes]:
    meeting = loaded.meeting
    context = ctx.minutes_context(meeting, loaded.history, approval)
    created = stamp(approval.date if approval else meeting.agenda.date)
    return _render_all(MINUTES, context, formats, templates, created, minutes_required(context))


def render_cover(
    loaded: Loaded, group_id: str, approval: ctx.Approval, templates: Templates
) -> dict[str, bytes]:
    return render_cover_in(loaded, group_id, approval, templates, OFFICE_FORMATS)


def render_cover_in(
    loaded: Loaded,
    group_id: str,
    approval: ctx.Approval,
    templates: Templates,
    formats: Sequence[str],
) -> dict[str, bytes]:
    meeting = loaded.meeting
    group = next(g for g in meeting.organisation.groups if g.id == group_id)
    attachments = [f"{ctx.record_of(meeting.organisation).title} {meeting.agenda.number}"]
    context = ctx.cover_context(meeting, group, approval, attachments)
    required = {"group.name": group.name, "texts.body_note": context["texts"]["body_note"]}
    return _render_all(
        COVER_LETTER,
        context,
        formats,
        templates,
        stamp(approval.date),
        required,
    )


def confidential(meeting: Meeting) -> bool:
    """Documents of a meeting with a confidential item are readable by their owner only."""
    return any(item.confidential for item in meeting.agenda.items)


def mail_formats(meeting: Meeting) -> set[str]:
    """Every format some group receives its documents in."""
    org = meeting.organisation
    return {f for g in org.groups for f in org.formats_of(g)}


def receiving(meeting: Meeting, formats: Iterable[str]) -> str:
    """The groups that receive their documents in any of `formats`, by short name: `KD, PS`."""
    org, wanted = meeting.organisation, set(formats)
    return ", ".join(g.short for g in org.groups if wanted & set(org.formats_of(g)))


def render_finals(
    loaded: Loaded, approval: ctx.Approval, templates: Templates, *, pdf: bool
) -> dict[str, bytes]:
    """Everything that goes out after approval, by file name: the final minutes and each
    group's cover letter in both office formats, and as PDF when some group receives PDF."""
    meeting = loaded.meeting
    finals = {
        final_name(meeting, fmt): data
        for fmt, data in render_minutes(loaded, OFFICE_FORMATS, templates, approval).items()
    }
    for group in meeting.organisation.groups:
        for fmt, data in render_cover(loaded, group.id, approval, templates).items():
            finals[cover_name(meeting, group.id, fmt)] = data
    if pdf:
        from pipeline.render.pdf import to_pdf

        finals.update(to_pdf({n: d for n, d in finals.items() if n.endswith(".docx")}))
    return finals

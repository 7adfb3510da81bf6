"""Archival PDF through LibreOffice: every file of a command in one start, tagged, Finnish,
titled, PDF/A-2, every character drawn by a font that has it, and the same bytes every time
for the same DOCX."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import fcntl
import functools
import io
import json
import os
import re
import shutil
import struct
import subprocess
import tempfile
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.errors import ServiceFailed
from pipeline.i18n import _

TIMEOUT_SECONDS = 300
# LibreOffice's own PDF export options: PDF/A-2b, tagged (structure and alternative texts).
EXPORT_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
}
CONVERT_TO = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))
_CORE = "docProps/core.xml"
_CP = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_W_TEXT = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
_PRINTED = re.compile(r"word/(document|header\d*|footer\d*)\.xml")


def soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise ServiceFailed(
            _(
                "PDF needs LibreOffice, which is not installed here. Install it (Debian: apt-get "
                "install libreoffice-writer-nogui) or leave pdf out of --format; the DOCX and ODT "
                "files were written."
            )
        )
    return found


def profile_folder() -> Path:
    """LibreOffice's profile for this command, kept under the user's cache folder, so that
    only the first conversion pays for setting it up."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "minutes" / "libreoffice-profile"


@contextlib.contextmanager
def _profile(work: Path) -> Iterator[Path]:
    """The persistent private profile, or a fresh one in `work` when another conversion is
    using it at this moment (LibreOffice cannot share a profile between two processes)."""
    folder = profile_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        lock = open(folder.parent / "libreoffice-profile.lock", "w")  # noqa: SIM115
    except OSError:
        yield work / "profile"
        return
    with lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            yield work / "profile"
            return
        yield folder


def to_pdf(documents: Mapping[str, bytes]) -> dict[str, bytes]:
    """Archival PDFs of DOCX documents given by file name and bytes, all in one LibreOffice
    start: {name.pdf: bytes}."""
    if not documents:
        return {}
    program = soffice()
    _refuse_missing_glyphs(documents)
    with tempfile.TemporaryDirectory(prefix="minutes-pdf-") as work:
        folder = Path(work)
        sources = []
        for name, data in documents.items():
            (folder / name).write_bytes(data)
            sources.append(str(folder / name))
        with _profile(folder) as profile:
            try:
                done = subprocess.run(
                    [
                        program,
                        f"-env:UserInstallation={profile.as_uri()}",
                        "--headless",
                        "--norestore",
                        "--convert-to",
                        CONVERT_TO,
                        "--outdir",
                        str(folder / "pdf"),
                        *sources,
                    ],
                    capture_output=True,
                    text=True,
                    timeout=TIMEOUT_SECONDS,
                    check=False,
                )
            except subprocess.TimeoutExpired:
                raise ServiceFailed(
                    _(
                        "LibreOffice did not finish the PDF conversion in {seconds} s; the DOCX "
                        "and ODT files were written. Try again, or convert them by hand."
                    ).format(seconds=TIMEOUT_SECONDS)
                ) from None
        result = {}
        for name, data in documents.items():
            pdf = folder / "pdf" / f"{Path(name).stem}.pdf"
            if not pdf.exists():
                raise ServiceFailed(
                    _(
                        "LibreOffice could not convert {name} to PDF ({detail}); the DOCX and "
                        "ODT files were written."
                    ).format(name=name, detail=(done.stderr or done.stdout).strip()[:300])
                )
            result[pdf.name] = archival(pdf.read_bytes(), properties(data))
        return result


def _refuse_missing_glyphs(documents: Mapping[str, bytes]) -> None:
    """LibreOffice draws a character that no installed font has as an empty box (the font's
    .notdef glyph, which PDF/A forbids) or leaves it out: the archived text would not be
    what was typed. Refuse before converting, naming the characters and the documents."""
    coverage = _font_coverage()
    if coverage is None:  # no fontconfig to ask: LibreOffice has its own fonts then
        return
    missing: dict[str, list[str]] = {}
    for name, data in documents.items():
        for char in sorted(_printed_characters(data)):
            if not _covered(coverage, ord(char)):
                missing.setdefault(char, []).append(name)
    if missing:
        chars = ", ".join(f"{c} (U+{ord(c):04X})" for c in missing)
        names = sorted({n for found in missing.values() for n in found})
        raise ServiceFailed(
            _(
                "No font installed on this computer has the characters {chars} of {names}: "
                "the PDF would show them as empty boxes or leave them out, so it was not "
                "made. Install a font that has them (Debian: apt-get install fonts-noto-core "
                "fonts-noto-cjk fonts-symbola) and run the command again."
            ).format(chars=chars, names=", ".join(names))
        )


def _printed_characters(docx: bytes) -> set[str]:
    """The characters the DOCX prints (body, headers, footers), less spaces, controls and
    the invisible format characters a font need not have (joiners, variation selectors); a
    private-use or unassigned character stays in: a font must have it to draw it."""
    found: set[str] = set()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        for part in archive.namelist():
            if _PRINTED.fullmatch(part):
                root = etree.fromstring(archive.read(part))
                for element in root.iter(_W_TEXT):
                    found.update(element.text or "")
    return {
        c
        for c in found
        if c > "~"
        and unicodedata.category(c) not in ("Cc", "Cf", "Zs", "Zl", "Zp")
        and not ("\ufe00" <= c <= "\ufe0f" or "\U000e0100" <= c <= "\U000e01ef")
    }


@functools.cache
def _font_coverage() -> tuple[list[int], list[int]] | None:
    """Every code point some installed font has, as merged ranges (starts, ends), from
    fontconfig, which LibreOffice asks for a font that has a character; None without it."""
    program = shutil.which("fc-list")
    if program is None:
        return None
    listed = subprocess.run(
        [program, "--format", "%{charset}\n"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    ).stdout
    ranges = []
    for token in listed.split():
        first, _dash, last = token.partition("-")
        ranges.append((int(first, 16), int(last or first, 16)))
    starts: list[int] = []
    ends: list[int] = []
    for low, high in sorted(ranges):
        if ends and low <= ends[-1] + 1:
            ends[-1] = max(ends[-1], high)
        else:
            starts.append(low)
            ends.append(high)
    return starts, ends


def _covered(coverage: tuple[list[int], list[int]], point: int) -> bool:
    starts, ends = coverage
    at = bisect.bisect_right(starts, point) - 1
    return at >= 0 and point <= ends[at]


@dataclass(frozen=True)
class Properties:
    title: str
    author: str
    language: str
    created: dt.datetime


def properties(docx: bytes) -> Properties:
    """The DOCX's own title, author, language and date, which its PDF carries too."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        root = etree.fromstring(archive.read(_CORE))

    def text(name: str) -> str:
        found = root.find(name, _CP)
        return (found.text or "").strip() if found is not None else ""

    created = text("dcterms:created")
    when = dt.datetime.fromisoformat(created.replace("Z", "+00:00")) if created else None
    return Properties(
        title=text("dc:title"),
        author=text("dc:creator"),
        language=text("dc:language") or "fi-FI",
        created=when or dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    )


def archival(pdf: bytes, props: Properties) -> bytes:
    """Fix what LibreOffice takes from the clock (dates, the file's /ID) to the document's own
    date, and set the title, author and language in the document info and its XMP alike."""
    import pikepdf

    title, author, language, created = props.title, props.author, props.language, props.created
    when = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    stamp = when.replace(microsecond=0).isoformat()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        with document.open_metadata(set_pikepdf_as_editor=False) as meta:
            if title:
                meta["dc:title"] = title
            if author:
                meta["dc:creator"] = [author]
            meta["dc:language"] = [language]
            for key in ("xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"):
                meta[key] = stamp
        document.Root.Lang = pikepdf.String(language)
        for intent in document.Root.get("/OutputIntents", ()):
            _date_icc_profile(intent.get("/DestOutputProfile"), when)
        for key in ("/ID", "/DocChecksum"):  # LibreOffice's change at every export: qpdf makes
            if key in document.trailer:  # the file's /ID from its content instead
                del document.trailer[key]
        out = io.BytesIO()
        document.save(out, deterministic_id=True)
    return out.getvalue()


def _date_icc_profile(stream: object, when: dt.datetime) -> None:
    """LibreOffice makes the sRGB profile of PDF/A at export: its header holds the time."""
    import pikepdf

    if not isinstance(stream, pikepdf.Stream):
        return
    data = bytearray(stream.read_bytes())
    if data[36:40] != b"acsp":  # not an ICC profile
        return
    utc = when.astimezone(dt.UTC)
    data[24:36] = struct.pack(">6H", utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second)
    stream.write(zlib.compress(bytes(data), 9), filter=pikepdf.Name.FlateDecode)

"""Deterministic zip packaging and atomic file writes shared by every engine."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from pipeline.errors import InputError, Problem
from pipeline.i18n import _

# A fixed timestamp for every zip entry: the same inputs give byte-identical files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# A template larger than this when unpacked is refused: no office template comes near it.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 2000


def read_template(path: Path | BinaryIO, where: str = "") -> dict[str, bytes]:
    """Read an office file's zip entries (a template, or a document from outside), refusing
    what is not a sound, reasonably sized zip."""
    where = where or str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            why = _listing_problem(infos)
            if why:
                raise InputError([Problem(where, 0, why)])
            return _entries(archive, infos, where)
    except FileNotFoundError:
        raise InputError([Problem(where, 0, _("the template file does not exist"))]) from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError, ValueError):
        raise InputError(
            [
                Problem(
                    where,
                    0,
                    _(
                        "the file is not a readable DOCX/ODT file (a damaged or truncated "
                        "zip); save it again from Word or LibreOffice"
                    ),
                )
            ]
        ) from None


def _listing_problem(infos: list[zipfile.ZipInfo]) -> str:
    """Why the zip's list of parts is not an office document's (too many parts, too large
    unpacked, a part outside the package), or ""."""
    if len(infos) > MAX_ENTRIES:
        return _("the file has {count} parts; this is not an office document").format(
            count=len(infos)
        )
    total = sum(info.file_size for info in infos)
    if total > MAX_UNPACKED_BYTES:
        return _(
            "the file unpacks to {size} MB, more than an office document can be; use the "
            "original file"
        ).format(size=total // (1024 * 1024))
    unsafe = [i.filename for i in infos if not _inside(i.filename)]
    if unsafe:
        return _(
            "the file has parts outside itself ({name}); it is not an office document as Word "
            "or LibreOffice saves it"
        ).format(name=unsafe[0])
    return ""


def _entries(
    archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], where: str
) -> dict[str, bytes]:
    """Each part's bytes, refusing a part that unpacks to more than the zip declares."""
    entries: dict[str, bytes] = {}
    for info in infos:
        with archive.open(info) as member:
            data = member.read(MAX_UNPACKED_BYTES + 1)
        if len(data) > info.file_size or len(data) > MAX_UNPACKED_BYTES:
            raise InputError(
                [
                    Problem(
                        where,
                        0,
                        _("the file unpacks to more than it declares; use the original file"),
                    )
                ]
            )
        entries[info.filename] = data
    return entries


def write_zip(entries: Iterable[tuple[str, bytes]], *, stored: Iterable[str] = ()) -> bytes:
    """Pack entries in order with fixed timestamps; names in `stored` are left uncompressed."""
    keep_raw = set(stored)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_STORED if name in keep_raw else zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3
            archive.writestr(info, data, compresslevel=6 if name not in keep_raw else None)
    return buffer.getvalue()


def _inside(name: str) -> bool:
    """A zip entry name that stays inside the package: no absolute path, drive or `..`."""
    parts = name.replace("\\", "/").split("/")
    return bool(name) and not name.startswith("/") and ":" not in parts[0] and ".." not in parts

"""Deterministic zip packaging and atomic file writes shared by every engine."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Iterable
from pathlib import Path

from pipeline.errors import InputError, Problem

# A fixed timestamp for every zip entry: the same inputs give byte-identical files.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
# A template larger than this when unpacked is refused: no office template comes near it.
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_ENTRIES = 2000


def read_template(path: Path) -> dict[str, bytes]:
    """Read an office template's zip entries, refusing what is not a sound, reasonably sized zip."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_ENTRIES:
                raise InputError(
                    [
                        Problem(
                            where,
                            0,
                            f"the template has {len(infos)} parts; this is not an office document",
                        )
                    ]
                )
            total = sum(info.file_size for info in infos)
            if total > MAX_UNPACKED_BYTES:
                raise InputError(
                    [
                        Problem(
                            where,
                            0,
                            "the template unpacks to "
                            f"{total // (1024 * 1024)} MB, more than an office "
                            "template can be; use the original template file",
                        )
                    ]
                )
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
                                "the template unpacks to more than it "
                                "declares; use the original template file",
                            )
                        ]
                    )
                entries[info.filename] = data
            return entries
    except FileNotFoundError:
        raise InputError([Problem(where, 0, "the template file does not exist")]) from None
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise InputError(
            [
                Problem(
                    where,
                    0,
                    "the template is not a readable DOCX/ODT file "
                    f"(a damaged or truncated zip: {exc}); save it again from "
                    "Word or LibreOffice",
                )
            ]
        ) from None


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


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write a file so that a crash leaves the old file or the new one, never half of one."""
    if path.is_symlink():
        raise InputError(
            [
                Problem(
                    str(path),
                    0,
                    "the output path is a symbolic link; "
                    "remove the link or choose another --out folder",
                )
            ]
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

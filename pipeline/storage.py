"""Files the pipeline keeps: atomic writes, append-only JSON lines, canonical hashes, locks.

Every file the pipeline writes goes through here, so the rules hold everywhere: a crash leaves
the old file or the new one, never half of one; a symbolic link is never written through; a
log line is on disk before the step it records goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.i18n import _

# Characters XML 1.0 cannot carry: C0 controls other than tab, LF and CR, DEL, lone surrogates,
# U+FFFE and U+FFFF. One pattern for the inputs and for every engine.
NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]"
# A name that becomes a file or folder name (meeting ids, group ids in the outbox).
SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
# The largest input file read: far above any roster, agenda or notes, far below a hostile one.
MAX_INPUT_BYTES = 4 * 1024 * 1024


def _nfc(value: Any) -> Any:
    """Text in Unicode NFC, recursively: the same words typed two ways compare equal."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, Mapping):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_nfc(v) for v in value]
    return value


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, NFC text: equal data gives equal bytes, however it was typed."""
    return json.dumps(
        _nfc(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256(path.read_bytes())


def hash_of(value: Any) -> str:
    """SHA-256 of the canonical JSON of a value."""
    return sha256(canonical_json(value))


def _refuse_link(path: Path) -> None:
    if path.is_symlink():
        raise InputError(
            [
                Problem(
                    str(path),
                    0,
                    _(
                        "the path is a symbolic link; remove the link or choose another "
                        "--out folder (nothing is written through a link)"
                    ),
                )
            ]
        )


def atomic_write(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write a file so that a crash leaves the old file or the new one, never half of one."""
    staged = _stage(path, data, mode=mode)
    try:
        os.replace(staged, path)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise


def _stage(path: Path, data: bytes, *, mode: int = 0o644) -> Path:
    """Write `data` to a hidden temporary file beside `path`, synced, for the caller to rename
    into place with `os.replace`. Staging every file of a step first means a full disk fails
    before any file of the step carries its final name."""
    _refuse_link(path)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700 if mode & 0o077 == 0 else 0o777)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_all(files: Mapping[Path, tuple[bytes, int]]) -> list[Path]:
    """Write several files as one step: all staged first, then renamed into place."""
    with staged(files):
        pass
    return list(files)


@contextlib.contextmanager
def staged(files: Mapping[Path, tuple[bytes, int]]) -> Iterator[None]:
    """Stage every file (path → bytes and mode), run the block, then rename them all into place.

    A failure while staging (a full disk) or in the block leaves none of them written; the
    renames that follow need no space.
    """
    temporary: dict[Path, Path] = {}
    try:
        for path, (data, mode) in files.items():
            temporary[path] = _stage(path, data, mode=mode)
        yield
    except BaseException:
        for tmp in temporary.values():
            tmp.unlink(missing_ok=True)
        raise
    for path, tmp in temporary.items():
        os.replace(tmp, path)


def read_regular(path: Path, *, shown: str | None = None, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file, refusing devices, pipes, folders and huge files."""
    name = shown or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        if path.is_symlink():
            raise InputError(
                [Problem(name, 0, _("the file is a symbolic link to a file that does not exist"))]
            ) from None
        raise InputError([Problem(name, 0, _("the file does not exist"))]) from None
    except OSError as exc:
        raise InputError(
            [Problem(name, 0, _("the file cannot be read: {reason}").format(reason=exc.strerror))]
        ) from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise InputError(
            [Problem(name, 0, _("this is not a regular file; give the path of a file"))]
        )
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise InputError(
            [
                Problem(
                    name,
                    0,
                    _(
                        "the file is larger than {size} MB; this cannot be a file of the meeting"
                    ).format(size=limit // (1024 * 1024)),
                )
            ]
        )
    return data


# Append-only logs of JSON lines.


def append_line(path: Path, entry: Mapping[str, Any]) -> None:
    """Append one JSON line and sync it; a symbolic link is refused, its target untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open_log(path) as handle:
        write_line(handle.fileno(), entry)


def write_line(fd: int, entry: Mapping[str, Any]) -> None:
    """Append one JSON line to an open log and sync it before the step it records goes on."""
    data = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    os.write(fd, data)
    os.fsync(fd)


@contextlib.contextmanager
def open_log(path: Path) -> Iterator[BinaryIO]:
    """An append-only log file, opened without following a symbolic link."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        if path.is_symlink():
            raise WorkflowRefused(
                _(
                    "{path}: the log is a symbolic link; nothing is written through it. Remove "
                    "the link and restore the log from a backup."
                ).format(path=path)
            ) from None
        raise
    with os.fdopen(fd, "ab") as handle:
        yield handle


def read_lines(path: Path) -> list[tuple[int, str]]:
    """The non-empty lines of a log with their numbers (split on newline only: JSON escapes it
    in strings, but not U+2028, which `splitlines` cuts at)."""
    if path.is_symlink():
        raise WorkflowRefused(
            _(
                "{path}: the log is a symbolic link; it is not read. Remove the link and "
                "restore the log from a backup."
            ).format(path=path)
        )
    if not path.exists():
        return []
    text = path.read_bytes().decode("utf-8", errors="replace")
    return [(n, line) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]


@contextlib.contextmanager
def locked(path: Path, what: str) -> Iterator[None]:
    """Hold an exclusive lock beside `path` (any platform), or refuse at once."""
    from filelock import FileLock, Timeout

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(path.parent / f".{path.name}.lock"), timeout=0)  # hidden beside it
    try:
        with lock:
            yield
    except Timeout:
        raise WorkflowRefused(
            _("{path}: another {what} is running for this meeting; wait for it to finish").format(
                path=path, what=what
            )
        ) from None


def owner_only(folder: Path) -> None:
    """Make a folder (with any missing parents) and make it readable by its owner only."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)

"""Fingerprints, review codes, approval records, the audit log and the meeting's state."""

from __future__ import annotations

import base64
import datetime as dt
import getpass
import hashlib
import json
import os
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.model import Meeting
from pipeline.render.package import atomic_write

APPROVAL_FILE = "approval.json"
SIGNATURE_FILE = "approval.sig"
AUDIT_FILE = "audit.jsonl"
# Crockford's base 32: no I, L, O or U, so a code read aloud or retyped cannot be misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RETYPED = str.maketrans({"O": "0", "I": "1", "L": "1", "-": None, " ": None})


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def canonical_json(value: Any) -> bytes:
    """Sorted keys, no spaces, NFC text: equal data gives equal bytes, however it was typed."""
    return json.dumps(
        _nfc(value), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode("utf-8")


def content(meeting: Meeting) -> dict[str, Any]:
    """What the minutes show: the roster as printed, the agenda and the notes.

    Addresses, attachment formats and the mail settings are left out: changing who receives
    the minutes does not change what the chair approved.
    """
    org = meeting.organisation.model_dump(mode="json", exclude={"mail"})
    for group in org["groups"]:
        group.pop("distribution", None)
        group.pop("formats", None)
        for member in group["members"]:
            member.pop("email", None)
    return {
        "organisation": org,
        "agenda": meeting.agenda.model_dump(mode="json"),
        "notes": meeting.notes.model_dump(mode="json") if meeting.notes else None,
    }


def fingerprint(meeting: Meeting) -> str:
    """SHA-256 of the canonical content the minutes show."""
    return hashlib.sha256(canonical_json(content(meeting))).hexdigest()


def review_code(fingerprint_hex: str) -> str:
    """A short, readable form of a fingerprint: 40 bits as two groups of four, `7F3A-91C2`."""
    bits = int(fingerprint_hex[:10], 16)
    chars = "".join(_ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def normalise_code(code: str) -> str:
    """A code as the chair or secretary may have retyped it: any case, O for 0, no dash."""
    plain = code.upper().translate(_RETYPED)
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == 8 else code.strip().upper()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256(path.read_bytes())


@dataclass(frozen=True)
class ApprovalRecord:
    """The chair's sign-off of one exact content, and the final files made from it."""

    meeting: str
    number: str
    fingerprint: str
    code: str
    approved_by: str
    role: str
    approved_on: str  # the date printed in the final minutes, ISO
    recorded_at: str  # when the secretary recorded it, ISO with time
    recorded_by: str
    templates: dict[str, str] = field(default_factory=dict)  # template file → sha256
    files: dict[str, str] = field(default_factory=dict)  # final file name → sha256

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.approved_on)

    def signed_bytes(self) -> bytes:
        return canonical_json(asdict(self))


def read_approval(out: Path) -> ApprovalRecord | None:
    path = out / APPROVAL_FILE
    if not path.exists():
        return None
    try:
        return ApprovalRecord(**json.loads(path.read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise WorkflowRefused(
            f"{path}: the approval record is damaged ({exc}); it was changed "
            "by hand. Restore it from a backup, or have the chair approve "
            "again after removing it."
        ) from None


def write_approval(out: Path, record: ApprovalRecord) -> None:
    atomic_write(
        out / APPROVAL_FILE,
        json.dumps(asdict(record), indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")
        + b"\n",
        mode=0o600,
    )


def changed_files(out: Path, record: ApprovalRecord) -> list[str]:
    """Final files that are missing or differ from what was recorded at approval."""
    changed = []
    for name, digest in sorted(record.files.items()):
        path = out / name
        if path.is_symlink() or not path.is_file() or sha256_file(path) != digest:
            changed.append(name)
    return changed


# The audit log: one JSON line per step that changes state, appended and synced.


def audit(out: Path, event: str, **details: Any) -> None:
    out.mkdir(parents=True, exist_ok=True)
    path = out / AUDIT_FILE
    if path.is_symlink():
        raise InputError([Problem(str(path), 0, "the audit log is a symbolic link; remove it")])
    entry = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": current_user(),
        "event": event,
        **details,
    }
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def read_audit(out: Path) -> list[dict[str, Any]]:
    path = out / AUDIT_FILE
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            entries.append(json.loads(line))
        except ValueError:
            entries.append({"event": "unreadable line", "line": line[:80]})
    return entries


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


# The stronger form: an Ed25519 signature of the approval record with a key the chair holds.


def generate_key(private: Path) -> str:
    """Write a new private key (owner-only) and return the public key as base64."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    if private.exists():
        raise InputError(
            [
                Problem(
                    str(private),
                    0,
                    "a key file already exists here; choose "
                    "another name (an existing key is never overwritten)",
                )
            ]
        )
    atomic_write(private, pem, mode=0o600)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign(record: ApprovalRecord, private: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(
            [Problem(str(private), 0, f"this is not a key made by `minutes keygen` ({exc})")]
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            [Problem(str(private), 0, "this is not an Ed25519 key made by `minutes keygen`")]
        )
    return base64.b64encode(key.sign(record.signed_bytes())) + b"\n"


def verify_signature(record: ApprovalRecord, signature: bytes, public_key: str) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(signature.strip(), validate=True), record.signed_bytes())
    except (InvalidSignature, ValueError):
        return False
    return True


def state(
    current: str | None, record: ApprovalRecord | None, events: Sequence[Mapping[str, Any]]
) -> str:
    """planned → invited → held → draft → approved → distributed; `current` is the content's
    fingerprint, None while there are no notes."""
    kinds = {e.get("event") for e in events}
    if current is not None and record is not None and record.fingerprint == current:
        distributed = any(
            e.get("event") == "distributed" and e.get("fingerprint") == current for e in events
        )
        return "distributed" if distributed else "approved"
    if current is not None:
        return "draft" if "draft rendered" in kinds else "held"
    return "invited" if "invitation sent" in kinds else "planned"

"""Fingerprints, review codes, approval records, the audit log and the meeting's state.

`approval_state` is the one answer to "do the approved minutes hold?"; every command asks it.
"""

from __future__ import annotations

import base64
import datetime as dt
import difflib
import getpass
import json
import re
import shutil
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from pipeline import context as ctx
from pipeline import storage
from pipeline.errors import InputError, Problem, WorkflowRefused
from pipeline.i18n import _
from pipeline.model import Meeting, Person
from pipeline.terms import DEFAULT_RECORD, message_forms

APPROVAL_FILE = "approval.json"
SIGNATURE_FILE = "approval.sig"
AUDIT_FILE = "audit.jsonl"
SEND_LOG = "sendlog.jsonl"
# Crockford's base 32: no I, L, O or U, so a code read aloud or retyped cannot be misread.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_RETYPED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATOR = re.compile(r"Z.|C.|Pd|Sm\u2212")  # a character's category and the character
_HEX64 = re.compile(r"[0-9a-f]{64}")
APPROVAL_EVENTS = ("approved", "re-approved")


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


def fingerprint(meeting: Meeting, templates: Mapping[str, str]) -> str:
    """SHA-256 of what the chair reads: the canonical content and the exact templates
    (file name → SHA-256) the minutes are rendered with."""
    return storage.hash_of({"content": content(meeting), "templates": dict(templates)})


def review_code(fingerprint_hex: str) -> str:
    """A short, readable form of a fingerprint: 40 bits as two groups of four, `7F3A-91C2`."""
    bits = int(fingerprint_hex[:10], 16)
    chars = "".join(_ALPHABET[(bits >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def draft_details(meeting: Meeting, templates: Mapping[str, str]) -> dict[str, Any]:
    """What a draft's build and its sending for review both log: the fingerprint and review
    code the approval is checked against, and the content's and the templates' own hashes,
    which tell a change of templates from a change of content."""
    digest = fingerprint(meeting, templates)
    return {
        "fingerprint": digest,
        "code": review_code(digest),
        "content": storage.hash_of(content(meeting)),
        "templates": dict(templates),
    }


def normalise_code(code: str) -> str:
    """A code as the chair or secretary may have retyped it: any case, O for 0, no dash, or
    as an email program may have changed it: an en dash, a no-break space, wide letters
    (NFKC). It never makes another code of it: every letter it maps is outside the alphabet,
    and a lookalike from another script (a Cyrillic Е) stays itself and does not match."""
    folded = unicodedata.normalize("NFKC", code)
    # Spaces, invisible characters and dashes (the minus sign too) are left out.
    kept = "".join(c for c in folded if not _SEPARATOR.match(unicodedata.category(c) + c))
    plain = kept.upper().translate(_RETYPED)
    return f"{plain[:4]}-{plain[4:]}" if len(plain) == 8 else code.strip().upper()


@dataclass(frozen=True)
class ApprovalRecord:
    """The chair's sign-off of one exact content and rendering, and the files made from it."""

    meeting: str
    number: str
    fingerprint: str
    code: str
    approved_by: str
    role: str
    approved_on: str  # the date printed in the final minutes, ISO
    recorded_at: str  # when the secretary recorded it, ISO with time
    recorded_by: str
    templates: dict[str, str] = field(default_factory=dict)  # template file name → sha256
    files: dict[str, str] = field(default_factory=dict)  # final file name → sha256

    @property
    def date(self) -> dt.date:
        return dt.date.fromisoformat(self.approved_on)

    def signed_bytes(self) -> bytes:
        return storage.canonical_json(asdict(self))

    @property
    def hash(self) -> str:
        return storage.sha256(self.signed_bytes())


def _record_from(data: Any) -> ApprovalRecord:
    """The record, checked field by field: a hand-edited or damaged file says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError(_("it is not a JSON object"))
    names = {f for f in ApprovalRecord.__dataclass_fields__}
    unknown = sorted(set(data) - names)
    missing = sorted(names - set(data))
    if unknown or missing:
        raise ValueError(
            _("fields missing: {missing}; unknown fields: {unknown}").format(
                missing=", ".join(missing) or "-", unknown=", ".join(unknown) or "-"
            )
        )
    for name in names - {"templates", "files"}:
        if not isinstance(data[name], str) or not data[name]:
            raise ValueError(_("`{name}` should be a non-empty text").format(name=name))
    for name in ("templates", "files"):
        value = data[name]
        if (
            not isinstance(value, dict)
            or not value
            or not all(
                isinstance(k, str) and isinstance(v, str) and _HEX64.fullmatch(v)
                for k, v in value.items()
            )
        ):
            raise ValueError(
                _("`{name}` should list file names with their SHA-256").format(name=name)
            )
        if any("/" in k or "\\" in k or k.startswith(".") for k in value):
            raise ValueError(_("`{name}` names a file outside the folder").format(name=name))
    if not _HEX64.fullmatch(data["fingerprint"]):
        raise ValueError(_("`fingerprint` is not a SHA-256"))
    try:
        dt.date.fromisoformat(data["approved_on"])
    except ValueError:
        raise ValueError(_("`approved_on` is not a date")) from None
    return ApprovalRecord(**data)


def read_approval(out: Path) -> ApprovalRecord | None:
    path = out / APPROVAL_FILE
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return _record_from(json.loads(storage.read_regular(path).decode("utf-8")))
    except (ValueError, InputError) as exc:
        raise WorkflowRefused(
            _(
                "{path}: the approval record is damaged ({reason}); it was changed by hand. "
                "Restore it from a backup, or remove it and have the chair approve again."
            ).format(path=path, reason=exc)
        ) from None


def approval_bytes(record: ApprovalRecord) -> bytes:
    return (
        json.dumps(asdict(record), indent=2, ensure_ascii=False, sort_keys=True).encode("utf-8")
        + b"\n"
    )


def changed_files(out: Path, files: Mapping[str, str]) -> list[str]:
    """Files that are missing or differ from the SHA-256 recorded for them."""
    changed = []
    for name, digest in sorted(files.items()):
        path = out / name
        if path.is_symlink() or not path.is_file() or storage.sha256_file(path) != digest:
            changed.append(name)
    return changed


# The audit log: one JSON line per step that changes state, appended, synced, and chained:
# each line carries the SHA-256 of the line before it, so a line edited, removed or inserted
# by hand breaks the chain, and the approval record is anchored in it by its hash.


@dataclass(frozen=True)
class AuditLog:
    entries: list[dict[str, Any]]
    damage: str = ""  # why the log cannot be trusted; empty when it is whole
    head: str = ""  # SHA-256 of the last line: what the next line names as its `prev`

    def last(self, *events: str) -> dict[str, Any] | None:
        return next((e for e in reversed(self.entries) if e.get("event") in events), None)

    def any(self, event: str, **details: Any) -> bool:
        return any(
            e.get("event") == event and all(e.get(k) == v for k, v in details.items())
            for e in self.entries
        )


def audit(out: Path, event: str, **details: Any) -> None:
    path = out / AUDIT_FILE
    with storage.locked(path, _("step")):
        log = read_audit(out)
        if log.damage:
            raise WorkflowRefused(log.damage)
        entry = {
            "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "who": current_user(),
            "event": event,
            "prev": log.head,
            **details,
        }
        storage.append_line(path, entry)


def audit_once(out: Path, event: str, **details: Any) -> None:
    """Log an event unless the latest event of its kind says the same."""
    last = read_audit(out).last(event)
    if last is None or any(last.get(k) != v for k, v in details.items()):
        audit(out, event, **details)


def read_audit(out: Path) -> AuditLog:
    path = out / AUDIT_FILE
    entries: list[dict[str, Any]] = []
    previous = ""
    damage = ""
    for number, line in storage.read_lines(path):
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict):
                raise ValueError
        except ValueError:
            entries.append({"event": "unreadable line", "line": line[:80]})
            damage = damage or _("{path}:{line}: the audit log line is damaged").format(
                path=path, line=number
            )
            previous = storage.sha256(line.encode("utf-8"))
            continue
        if entry.get("prev") != previous and not damage:
            damage = _(
                "{path}:{line}: the audit log was changed by hand (a line was edited, removed "
                "or added)"
            ).format(path=path, line=number)
        entries.append(entry)
        previous = storage.sha256(line.encode("utf-8"))
    if damage:
        damage += _(
            ". Nothing is approved or sent while the log is damaged: restore {path} from a backup."
        ).format(path=path)
    return AuditLog(entries, damage, previous)


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
                    _(
                        "a key file already exists here; choose another name (an existing"
                        " key is never overwritten)"
                    ),
                )
            ]
        )
    storage.atomic_write(private, pem, mode=0o600)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign(record: ApprovalRecord, private: Path) -> bytes:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    try:
        key = serialization.load_pem_private_key(private.read_bytes(), password=None)
    except (OSError, ValueError, TypeError) as exc:
        raise InputError(
            [
                Problem(
                    str(private),
                    0,
                    _("this is not a key made by `minutes keygen` ({exc})").format(exc=exc),
                )
            ]
        ) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InputError(
            [Problem(str(private), 0, _("this is not an Ed25519 key made by `minutes keygen`"))]
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


@dataclass(frozen=True)
class ApprovalState:
    """Whether the approved minutes hold, and if not, why."""

    status: str  # "none" | "approved" | "stale" | "tampered" | "damaged"
    record: ApprovalRecord | None = None
    reason: str = ""
    changed: tuple[str, ...] = ()

    @property
    def holds(self) -> bool:
        return self.status == "approved"


def approval_state(out: Path, meeting: Meeting, log: AuditLog | None = None) -> ApprovalState:
    """The one answer to "are these minutes approved?": a record that is whole, anchored in the
    audit log (and signed, when the roster has the chair's key), for exactly this content,
    with its files unchanged."""
    log = log if log is not None else read_audit(out)
    try:
        record = read_approval(out)
    except WorkflowRefused as exc:
        return ApprovalState("damaged", None, str(exc))
    if record is None:
        return ApprovalState("none")
    if log.damage:
        return ApprovalState("damaged", record, log.damage)
    anchor = log.last(*APPROVAL_EVENTS)
    path = out / APPROVAL_FILE
    if anchor is None or anchor.get("record") != record.hash or record.meeting != meeting.id:
        return ApprovalState(
            "tampered",
            record,
            _(
                "{path} is not the approval recorded in the audit log: it was edited or "
                "replaced by hand. Restore it from a backup, or remove it and have the chair "
                "approve again."
            ).format(path=path),
        )
    key = meeting.organisation.chair.public_key
    unsigned = _signature_problem(out, record, key) if key else ""
    if unsigned:
        return ApprovalState("tampered", record, unsigned)
    if fingerprint(meeting, record.templates) != record.fingerprint:
        return ApprovalState(
            "stale",
            record,
            _(
                "the chair's approval of {date} no longer holds: the content has changed since. "
                "Send the new draft for review (`minutes send {meeting} review`) and record the "
                "chair's approval again."
            ).format(date=ctx.fi_date(record.date), meeting=meeting.id),
        )
    changed = changed_files(out, record.files)
    if changed:
        return ApprovalState(
            "tampered",
            record,
            _(
                "{files} in {out} differ from what the chair approved (edited, replaced or "
                "removed after approval). Restore the approved files from a backup, or have "
                "the chair approve again."
            ).format(files=", ".join(changed), out=out),
            tuple(changed),
        )
    return ApprovalState("approved", record)


def _signature_problem(out: Path, record: ApprovalRecord, key: str) -> str:
    """Why the approval's signature does not hold against the chair's public key, or ""."""
    signature = out / SIGNATURE_FILE
    if signature.is_symlink() or not signature.is_file():
        return _(
            "{path} is missing: the roster has the chair's public key, so the approval "
            "must be signed. Record the approval again with --key."
        ).format(path=signature)
    if not verify_signature(record, signature.read_bytes(), key):
        return _(
            "{path}: the signature does not match the approval record: the record was "
            "changed, or signed with another key than the chair's."
        ).format(path=signature)
    return ""


def meeting_state(meeting: Meeting, approval: ApprovalState, log: AuditLog, today: dt.date) -> str:
    """planned → invited → held → draft → approved → distributed; a meeting whose day has not
    come is not held, though its notes be written ahead."""
    if approval.holds and approval.record is not None:
        fp = approval.record.fingerprint
        return "distributed" if log.any("distributed", fingerprint=fp) else "approved"
    if meeting.held_by(today):
        return "draft" if log.any("draft rendered") else "held"
    return "invited" if log.any("invitation sent") else "planned"


def drafts_sent(log: AuditLog, fingerprint: str) -> set[str]:
    """SHA-256 of every draft file sent to the chair for review of this content: what she read.
    Rendering is deterministic, so a draft rendered now from what she approved is one of them
    unless something the content fingerprint leaves out changed (an earlier meeting's follow-up
    task, the logo's picture)."""
    return {
        digest
        for entry in log.entries
        if entry.get("event") == "review sent" and entry.get("fingerprint") == fingerprint
        for files in (entry.get("attachments") or {}).values()
        if isinstance(files, dict)
        for digest in files.values()
    }


def invitation_fingerprint(
    meeting: Meeting, templates: Mapping[str, str], papers: Mapping[str, bytes]
) -> str:
    """What the invitation and its email carry: the roster and the agenda, the templates
    (name → SHA-256), and the agenda's attachment files (name → bytes)."""
    shown = {**content(meeting), "notes": None}
    attached = {name: storage.sha256(data) for name, data in papers.items()}
    return storage.hash_of(
        {"content": shown, "templates": dict(templates), "attachments": attached}
    )


def printed(record: ApprovalRecord) -> ctx.Approval:
    """The approval as the documents print it."""
    return ctx.Approval(by=record.approved_by, title=record.role, date=record.date)


# The chair's approval: who may give it, for which code, and what it may change.


def _same_person(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return " ".join(unicodedata.normalize("NFC", s).split()).casefold()

    return norm(a) == norm(b)


def approver(meeting: Meeting, by: str) -> tuple[Person, str]:
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
            _(
                "{by} is the vice-chair; the vice-chair approves only when the "
                "notes record the chair ({name}) as absent."
            ).format(by=by, name=org.chair.name)
        )
    raise WorkflowRefused(
        _(
            "{by} is not the chair: the minutes are approved by the chair, "
            "{name} (rule 3). Check the name given with --by."
        ).format(by=by, name=org.chair.name, **message_forms(org.wording.record))
    )


def check_review_code(
    meeting: Meeting, log: AuditLog, given: str, expected: str, templates: dict[str, str]
) -> None:
    if given == expected:
        return
    foreign = next((c for c in given if not c.isascii()), None)
    if foreign is not None:
        raise WorkflowRefused(
            _(
                "The code {given} has the character {char} (U+{number:04X}), which only looks "
                "like a letter or digit of a review code: retype the code by hand from the "
                "chair's email (its code is made of A-Z and 0-9)."
            ).format(given=given, char=foreign, number=ord(foreign))
        )
    sent = log.last("review sent")
    if (
        sent is not None
        and sent.get("code") == given
        and sent.get("content") == storage.hash_of(content(meeting))
        and sent.get("templates") != templates
    ):
        raise WorkflowRefused(
            _(
                "The code {given} is that of the draft sent for review, but the "
                "templates are not those that draft was rendered with: the final "
                "minutes must come from the same templates as the draft the chair"
                " read. Approve with the templates of the draft (the same "
                "--templates as at build), or build and send the draft again."
            ).format(given=given, **message_forms(meeting.organisation.wording.record))
        )
    raise WorkflowRefused(
        _(
            "The code {given} does not match the minutes as they are now "
            "(their code is {expected}): the draft has changed since it was "
            "sent for review, or the code was mistyped. Send the current "
            "draft with `minutes send {id} review` and record the code the "
            "chair quotes from that email."
        ).format(
            given=given,
            expected=expected,
            id=meeting.id,
            **message_forms(meeting.organisation.wording.record),
        )
    )


_BLANK_FIELD = re.compile(r"[^_]*_{5,}\s*")
_DRAFT_MARK = re.compile(r"(?i)\s*luonnos\b")


def approval_only_difference(
    draft: str, final: str, approval: ctx.Approval, template: str, record: str = DEFAULT_RECORD
) -> None:
    """The final minutes are the draft the chair read plus her approval, nothing else: a line
    of the draft may lose its draft marking or a blank to fill in; a new line must name the
    approver or the approval date. `draft` and `final` are the documents' texts."""
    ours = [line for line in draft.splitlines() if line.strip()]
    theirs = [line for line in final.splitlines() if line.strip()]
    changes = list(difflib.ndiff(ours, theirs))
    removed = [line[2:] for line in changes if line.startswith("- ")]
    added = [line[2:] for line in changes if line.startswith("+ ")]
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
            (
                _(
                    "{template}: the final minutes would show text that the draft the chair "
                    'read did not have ("{text}"). The final may differ from the draft only by '
                    "the approval: fix the template, then build and send the draft for review "
                    "again."
                )
                if extra
                else _(
                    "{template}: the final minutes would leave out text that the draft the "
                    'chair read had ("{text}"). The final may differ from the draft only by the '
                    "approval: fix the template, then build and send the draft for review again."
                )
            ).format(template=template, text=shown[:80], **message_forms(record))
        )


def supersede(out: Path, record: ApprovalRecord | None) -> str:
    """Move the files of an approval that no longer holds aside, never over them."""
    if record is None:
        return ""
    folder = out / "superseded" / f"{record.approved_on}_{record.code}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in [*record.files, APPROVAL_FILE, SIGNATURE_FILE]:
        if (out / name).exists():
            shutil.move(out / name, folder / name)
    return str(folder)


# What was sent: the send log read against the audit log.


@dataclass(frozen=True)
class SentMessages:
    """What the send log shows as delivered: (kind, group) → hash, time and attachments."""

    sent: dict[tuple[str, str], dict[str, Any]]
    damage: str = ""


def sent_messages(out: Path, record: str = DEFAULT_RECORD) -> SentMessages:
    """The send log read against the audit log, which records every attachment's hash;
    `record`, what the roster calls the record, names the messages a damage leaves out."""
    from pipeline.mail import message_label, send_log_records

    sent: dict[tuple[str, str], dict[str, Any]] = {}
    damage = ""
    try:
        records = send_log_records(out / SEND_LOG)
    except WorkflowRefused as exc:
        return SentMessages({}, str(exc))
    for number, entry in records:
        if entry is None:
            damage = _("{path}:{line}: the send log line is damaged").format(
                path=out / SEND_LOG, line=number
            )
        elif entry["event"] == "sent":
            sent[(entry["kind"], entry["group"])] = {
                "hash": entry["hash"],
                "time": entry["time"],
                "files": {},
            }
    log = read_audit(out)
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
        missing = ", ".join(message_label(k, g, record) for k, g in sorted(logged - set(sent)))
        damage = _(
            "{path}: the audit log records messages the send log does not ({missing}): the "
            "send log was removed or cut"
        ).format(path=out / SEND_LOG, missing=missing)
    if not damage and sent and not log.entries:
        damage = _("{path}: the send log records messages, but the audit log is gone").format(
            path=out / AUDIT_FILE
        )
    if damage:
        damage += _(
            ". Nothing is sent while the logs disagree, so that nobody gets a message twice: "
            "restore the logs from a backup."
        )
    return SentMessages(sent, damage)

"""The workbench's forms ↔ agenda.yaml and notes.yaml: round-trip edits that keep the
secretary's comments and layout, checked before they are written, refused on a stale version."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, LiteralScalarString
from ruamel.yaml.util import load_yaml_guess_indent
from werkzeug.datastructures import MultiDict

from pipeline.errors import InputError, Problem
from pipeline.loading import (
    ORGANISATION,
    Source,
    load_meeting_and_notes,
    read_source,
)
from pipeline.model import AgendaItem, Meeting, Organisation
from pipeline.storage import atomic_write, locked

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WRITE_LOCK = threading.Lock()  # one compare-and-write at a time in this process


Form = MultiDict[str, str]  # a submitted form


def version(path: Path) -> str:
    """The file's version as the form saw it: a hash of its bytes ("" while it does not exist)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except FileNotFoundError:
        return ""


def _yaml(like: str = "") -> YAML:
    yaml = YAML()  # round-trip: comments, key order and quoting stay as the secretary left them
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line the secretary typed
    sequence, offset = 4, 2
    if like.strip():
        # Lists indented as the file has them ("- " flush or indented under their key).
        _data, sequence, offset = load_yaml_guess_indent(like)
        sequence, offset = sequence or 4, offset or 0
    yaml.indent(mapping=2, sequence=sequence, offset=offset)
    return yaml


class Unreadable(Exception):
    """The file cannot be shown in a form (not YAML, not UTF-8, not fields): it is not touched."""


def read(path: Path) -> CommentedMap:
    """The file for a form: empty while it does not exist; Unreadable when a form would lose
    what it holds."""
    if not path.exists():
        return CommentedMap()
    try:
        data = _yaml().load(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, YAMLError) as exc:
        raise Unreadable(str(path)) from exc
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise Unreadable(str(path))
    return data


def dump(data: CommentedMap, like: Path | None = None) -> str:
    """The YAML text of `data`, laid out as the file `like` is."""
    original = like.read_text(encoding="utf-8-sig") if like and like.exists() else ""
    buffer = io.StringIO()
    _yaml(original).dump(data, buffer)
    return buffer.getvalue()


# Values as YAML writes them.


def _text(value: str) -> Any:
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    if "\n" in value.strip():
        return LiteralScalarString(value.strip("\n") + "\n")
    return value.strip()


def _date(value: str) -> Any:
    value = value.strip()
    if _DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return value  # left as typed: the check names what is wrong with it


def _time(value: str) -> Any:
    return DoubleQuotedScalarString(value.strip()) if value.strip() else ""


def _empty(value: Any) -> bool:
    return value is None or value is False or (isinstance(value, str | list | dict) and not value)


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_same(old[k], new[k]) for k in old)
    return (str(old).strip() == str(new).strip() and type(old) is not bool) or old is new


def put(data: CommentedMap, key: Any, value: Any) -> None:
    """Set a field, leaving an unchanged one as it was written and dropping an emptied one."""
    if _empty(value):
        data.pop(key, None)
    elif key not in data or not _same(data[key], value):
        data[key] = value


def _seq(values: Iterable[Any]) -> CommentedSeq:
    return CommentedSeq(values)


# The agenda form.


def file_attachments_supported() -> bool:
    """Whether agenda.yaml takes `{title, file}` attachments (else titles only)."""
    try:
        AgendaItem.model_validate({"title": "x", "attachments": [{"title": "a", "file": "b"}]})
    except ValueError:
        return False
    return True


def attachment_lines(attachments: Sequence[Any]) -> str:
    lines = []
    for entry in attachments:
        if isinstance(entry, dict):
            lines.append(f"{entry.get('title', '')} | {entry.get('file', '')}")
        else:
            lines.append(str(entry))
    return "\n".join(lines)


def _attachments(text: str) -> list[Any]:
    result: list[Any] = []
    for line in text.splitlines():
        title, _, file = (part.strip() for part in line.partition("|"))
        if file:
            result.append(CommentedMap(title=title, file=file))
        elif title:
            result.append(title)
    return result


def item_count(form: Form, prefix: str = "items") -> int:
    try:
        return max(0, min(500, int(form.get(f"{prefix}_count", "0"))))
    except ValueError:
        return 0


def agenda_from_form(doc: CommentedMap, form: Form, action: str = "") -> CommentedMap:
    """Apply the agenda form (and an add/remove/reorder action) to the parsed agenda.yaml."""
    put(doc, "number", form.get("number", "").strip())
    put(doc, "date", _date(form.get("date", "")))
    put(doc, "start", _time(form.get("start", "")))
    put(doc, "end", _time(form.get("end", "")))
    for key in ("place", "remote"):
        put(doc, key, form.get(key, "").strip())
    put(doc, "invited_on", _date(form.get("invited_on", "")))
    old_items = list(doc.get("items") or [])
    items = []
    for i in range(item_count(form)):
        origin = form.get(f"items-{i}-origin", "")
        # The item's own map keeps its comments wherever it moves.
        item = (
            old_items[int(origin)]
            if origin.isdigit() and int(origin) < len(old_items)
            else CommentedMap()
        )
        if not isinstance(item, CommentedMap):
            item = CommentedMap()
        put(item, "title", form.get(f"items-{i}-title", "").strip())
        put(item, "presenter", form.get(f"items-{i}-presenter", "").strip())
        put(item, "background", _text(form.get(f"items-{i}-background", "")))
        put(item, "attachments", _seq(_attachments(form.get(f"items-{i}-attachments", ""))))
        put(item, "confidential", form.get(f"items-{i}-confidential") == "on")
        items.append(item)
    kind, _, at = action.partition("-")
    if kind == "add":
        items.append(CommentedMap(title=""))
    elif at.isdigit() and int(at) < len(items):
        n = int(at)
        if kind == "remove":
            del items[n]
        elif kind == "up" and n > 0:
            items[n - 1], items[n] = items[n], items[n - 1]
        elif kind == "down" and n + 1 < len(items):
            items[n], items[n + 1] = items[n + 1], items[n]
    if not _same(old_items, items) or [id(x) for x in old_items] != [id(x) for x in items]:
        doc["items"] = _seq(items)
    return doc


# The notes form.


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _rows(form: Form, prefix: str) -> range:
    return range(item_count(form, prefix))


def others(org: Organisation) -> list[str]:
    """The chair, vice-chair and secretary when they are not in a group's list."""
    members = {m.name for g in org.groups for m in g.members}
    return [p.name for p in org.officers if p.name not in members]


def notes_from_form(doc: CommentedMap, form: Form, meeting: Meeting) -> CommentedMap:
    """Apply the notes form to the parsed notes.yaml; fields the form does not show stay."""
    put(doc, "opened", _time(form.get("opened", "")))
    put(doc, "closed", _time(form.get("closed", "")))
    put(doc, "attendance", _attendance_from_form(doc.get("attendance"), form, meeting.organisation))
    items = doc.get("items")
    if not isinstance(items, CommentedMap):
        items = CommentedMap()
    for number in range(1, len(meeting.agenda.items) + 1):
        item = _item_from_form(items.get(number), form, f"items-{number}")
        if item:
            items[number] = item
        else:
            items.pop(number, None)
    put(doc, "items", items)
    if form.get("follow_up_done_shown"):
        put(doc, "follow_up_done", _flow(CommentedSeq(form.getlist("follow_up_done"))))
    return doc


def _attendance_from_form(old: Any, form: Form, org: Organisation) -> CommentedMap:
    """Who was there (a substitute with whom she stood in for), who was not, and the guests."""
    attendance = old if isinstance(old, CommentedMap) else CommentedMap()
    checked = set(form.getlist("present"))
    members = [m for g in org.groups for m in g.members]
    present: list[Any] = []
    for name in [*(m.name for m in members), *others(org)]:
        if name in checked:
            instead = form.get(f"substitute_for-{name}", "").strip()
            present.append(
                _flow(CommentedMap(name=name, substitute_for=instead)) if instead else name
            )
    absent = [m.name for m in members if not m.substitute and m.name not in checked]
    put(attendance, "present", _seq(present))
    put(attendance, "absent", _flow(_seq(absent)))
    put(attendance, "guests", _seq(_guests_from_form(form)))
    return attendance


def _guests_from_form(form: Form) -> list[Any]:
    guests = []
    for i in _rows(form, "guests"):
        name = form.get(f"guests-{i}-name", "").strip()
        if not name:
            continue
        guest = CommentedMap(name=name)
        put(guest, "title", form.get(f"guests-{i}-title", "").strip())
        numbers = [int(n) for n in re.findall(r"\d+", form.get(f"guests-{i}-items", ""))]
        put(guest, "items", _flow(CommentedSeq(numbers)))
        guests.append(_flow(guest))
    return guests


def _item_from_form(old: Any, form: Form, p: str) -> CommentedMap:
    """One agenda item's notes from the fields named `p-…` (`items-3-discussion`, …)."""
    item = old if isinstance(old, CommentedMap) else CommentedMap()
    put(item, "discussion", _text(form.get(f"{p}-discussion", "")))
    put(item, "agreed", _seq(_lines(form.get(f"{p}-agreed", ""))))
    put(item, "dissent", _seq(_dissents_from_form(form, p)))
    put(item, "follow_up", _seq(_follow_ups_from_form(form, p)))
    statement = _text(form.get(f"{p}-statement", ""))
    if statement:
        entry = item.get("statement")
        entry = entry if isinstance(entry, CommentedMap) else CommentedMap()
        put(entry, "text", statement)
        put(entry, "public", form.get(f"{p}-statement-public") == "on")
        item["statement"] = entry
    else:
        item.pop("statement", None)
    marked = [t for t in form.getlist(f"{p}-intended") if t.strip()]
    if marked:  # sentences the guard flagged that the secretary keeps as written
        intended = list(item.get("intended_wording") or [])
        intended += [t for t in marked if t not in intended]
        item["intended_wording"] = _seq(intended)
    return item


def _dissents_from_form(form: Form, p: str) -> list[Any]:
    dissents = []
    for j in _rows(form, f"{p}-dissent"):
        position = _text(form.get(f"{p}-dissent-{j}-position", ""))
        groups = form.getlist(f"{p}-dissent-{j}-groups")
        if position or groups:
            dissents.append(CommentedMap(groups=_flow(CommentedSeq(groups)), position=position))
    return dissents


def _follow_ups_from_form(form: Form, p: str) -> list[Any]:
    follow_ups = []
    for j in _rows(form, f"{p}-follow_up"):
        task = _text(form.get(f"{p}-follow_up-{j}-task", ""))
        if not task:
            continue
        entry = CommentedMap(task=task)
        put(entry, "owner", form.get(f"{p}-follow_up-{j}-owner", "").strip())
        put(entry, "due", _date(form.get(f"{p}-follow_up-{j}-due", "")))
        follow_ups.append(entry)
    return follow_ups


def _flow(node: Any) -> Any:
    node.fa.set_flow_style()
    return node


# Checked, version-compared writing.


class Conflict(Exception):
    """The file changed after the form was rendered (another tab, the secretary's editor)."""


@dataclass
class Saved:
    version: str
    problems: list[Problem] = field(default_factory=list)
    source: Source | None = None  # the lines of the refused text, to place its problems


def _check_in_copy(
    folder: Path, organisation: Path, name: str, text: str
) -> tuple[list[Problem], Source | None]:
    """Load the meeting as it would be with `text` as its `name`, in a scratch copy beside it
    (its other files hard-linked), so that an invalid form never reaches the real file."""
    with tempfile.TemporaryDirectory(prefix=".minutes-web-", dir=folder.parent) as scratch:
        copy = Path(scratch) / folder.name
        for source in folder.rglob("*"):
            target = copy / source.relative_to(folder)
            if source.is_dir() and not source.is_symlink():
                target.mkdir(parents=True, exist_ok=True)
            elif source.is_file() and not source.is_symlink() and source.parent.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, target)
                except OSError:
                    shutil.copyfile(source, target)
        copy.mkdir(exist_ok=True)
        (copy / name).unlink(missing_ok=True)  # a link: never write through it
        (copy / name).write_text(text, encoding="utf-8")
        try:
            load_meeting_and_notes(copy, organisation)
        except InputError as exc:
            problems = [
                Problem(p.file.replace(str(copy), str(folder)), p.line, p.message)
                for p in exc.problems
            ]
            return problems, source_of(copy / name)
    return [], None


def save(folder: Path, organisation: Path | None, name: str, text: str, expected: str) -> Saved:
    """Write `text` as folder/name if the file is still at version `expected` and the meeting
    loads with it; otherwise nothing is written (Conflict, or the problems returned)."""
    path = folder / name
    with _WRITE_LOCK, locked(path, "save"):
        if version(path) != expected:
            raise Conflict(str(path))
        roster = organisation or folder.parent / ORGANISATION
        problems, source = _check_in_copy(folder, roster, name, text)
        if problems:
            return Saved(expected, problems, source)
        atomic_write(path, text.encode("utf-8"))
        return Saved(version(path))


# Problems next to their fields.


def source_of(path: Path) -> Source | None:
    try:
        return read_source(path)
    except InputError:
        return None


def by_field(
    problems: Sequence[Problem], path: Path, source: Source | None = None
) -> tuple[dict[str, list[str]], list[str]]:
    """Each problem of `path` under the form field of its line ("items-2-title"), the lines
    being those of `source` (default: the file as it is); the rest, and those of other
    files, as general messages."""
    source = source or source_of(path)
    fields: dict[str, list[str]] = {}
    general: list[str] = []
    for problem in problems:
        key = _field_at(source, problem.line) if source and problem.file == str(path) else None
        if key:
            fields.setdefault(key, []).append(problem.message)
        else:
            general.append(str(problem))
    return fields, general


def _field_at(source: Source, line: int) -> str | None:
    at_line = [p for p, n in source.lines.items() if n == line]
    if not at_line:
        return None
    deepest = max(at_line, key=len)
    if "attachments" in deepest:  # one textarea holds the item's whole list
        deepest = deepest[: deepest.index("attachments") + 1]
    # A single value in a list of values is shown on the list's field (agreed views, absent).
    while deepest and deepest[-1].isdigit() and deepest[:-1] and deepest[-2] in _LIST_FIELDS:
        deepest = deepest[:-1]
    return "-".join(deepest)


_LIST_FIELDS = {"agreed", "attachments", "absent", "groups"}

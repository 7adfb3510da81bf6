"""YAML files → the typed model, with a file and line for every problem found."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from pipeline.errors import InputError, Problem
from pipeline.i18n import N_, _
from pipeline.model import (
    Agenda,
    Attendance,
    ItemNotes,
    Meeting,
    Notes,
    Organisation,
    address_problem,
    mailbox_problem,
)
from pipeline.storage import SAFE_NAME, read_regular
from pipeline.terms import message_forms

M = TypeVar("M", bound=BaseModel)
Path_ = tuple[str, ...]

MAX_NODES = 200_000  # far above any real roster or notes; stops alias bombs
MAX_DEPTH = 32  # the deepest real path is about six levels
_NULL = "tag:yaml.org,2002:null"


@dataclass
class Source:
    """One YAML file's data, as plain dicts, lists and strings, with the line of every path."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Iterable[str | int]) -> int:
        """The line of the longest known prefix of `path` (1 when nothing is known)."""
        key = tuple(str(p) for p in path)
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, 1)

    def problem(self, path: Iterable[str | int], message: str) -> Problem:
        return Problem(self.file, self.line(path), message)


def _compose(text: str) -> list[yaml.Node]:
    """The YAML's nodes, through libyaml's C parser where it is installed (several times faster);
    a text it refuses is read again by the Python parser, whose messages the errors quote."""
    fast = getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return list(yaml.compose_all(text, Loader=fast))
        except Exception:  # the Python parser below says what is wrong
            pass
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def read_source(path: Path, shown: str | None = None) -> Source:
    """Read a YAML file into plain data: every scalar stays the text the secretary typed."""
    name = shown or str(path)
    node = _document(_text(read_regular(path, shown=name), name), name)
    source = Source(name, None)
    problems: list[Problem] = []
    source.data = _Reader(source, problems).plain(node, ())
    if problems:
        raise InputError(problems)
    if not isinstance(source.data, dict):
        raise InputError(
            [
                Problem(
                    name,
                    1,
                    _(
                        "the file should hold fields such as `name: value`, not a single "
                        "value or a list"
                    ),
                )
            ]
        )
    return source


def _text(raw: bytes, name: str) -> str:
    """The file's text: UTF-8 (a byte order mark is dropped), and not empty."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    _(
                        "the file is not UTF-8 text; save it again as UTF-8 (in Notepad: "
                        "Save as → Encoding: UTF-8)"
                    ),
                )
            ]
        ) from None
    if not text.strip() or all(
        not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()
    ):
        raise InputError(
            [
                Problem(
                    name, 0, _("the file is empty; fill it in (see the example meeting in inputs/)")
                )
            ]
        )
    return text


def _document(text: str, name: str) -> yaml.Node:
    """The text's one YAML document, or the YAML's problem at its line."""
    try:
        nodes = _compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise InputError([Problem(name, line, _yaml_problem(exc))]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    _(
                        "the text contains the invisible character U+{character:04X}, "
                        "which a document cannot hold; retype the text without it"
                    ).format(character=exc.character),
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(
            [Problem(name, 0, _("this is not valid YAML ({exc})").format(exc=exc))]
        ) from None
    except RecursionError:
        raise InputError([Problem(name, 0, _(_NESTED))]) from None
    if len(nodes) != 1:
        raise InputError(
            [Problem(name, 0, _("the file holds several YAML documents (---); keep only one"))]
        )
    return nodes[0]


_NESTED = N_(
    "the fields are nested deeper than any roster, agenda or notes can be; check the indentation"
)

# PyYAML's problems in the secretary's words. PyYAML speaks English only, so a problem not
# listed here is left out and the message says what to check.
_YAML_PROBLEMS = (
    ("mapping values are not allowed", N_("a colon inside a text")),
    ("found character '\\t'", N_("a tab character: indent with spaces")),
    ("that cannot start any token", N_("a text starts with a character YAML reserves")),
    ("expected <block end>", N_("the indentation does not match the lines above")),
    ("found unexpected end of stream", N_("a quotation mark is not closed")),
    ("but found '<stream end>'", N_("a bracket is not closed")),
    ("but got '<stream end>'", N_("a bracket is not closed")),
    ("expected ',' or ']'", N_("a bracket is not closed")),
    ("expected ',' or '}'", N_("a bracket is not closed")),
    ("found undefined alias", N_("an alias (*) names no anchor (&)")),
    ("could not find expected ':'", N_("a line has no colon after its field name")),
)


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    """What is wrong with the YAML, and where it started when that is an earlier line."""
    problem = exc.problem or ""
    what = next((_(words) for text, words in _YAML_PROBLEMS if text in problem), "")
    if not what:
        return _(
            "this is not valid YAML; check the indentation and that texts with a colon are "
            "in quotes"
        )
    mark = exc.problem_mark or exc.context_mark
    if exc.context and exc.context_mark and exc.context_mark is not mark:
        what = _("{problem}, from line {line} on").format(
            problem=what, line=exc.context_mark.line + 1
        )
    return _(
        "this is not valid YAML ({what}); check the indentation and that texts with a colon are "
        "in quotes"
    ).format(what=what)


@dataclass
class _Reader:
    """YAML nodes → plain data, keeping every path's line; bounded in size and depth, and
    refusing an alias that contains itself."""

    source: Source
    problems: list[Problem]
    count: int = 0
    open_nodes: set[int] = field(default_factory=set)

    def refuse(self, node: yaml.Node, message: str) -> InputError:
        return InputError([Problem(self.source.file, node.start_mark.line + 1, message)])

    def plain(self, node: yaml.Node, path: Path_) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.refuse(
                node, _("the file is too large or repeats itself through anchors (&, *)")
            )
        if len(path) > MAX_DEPTH:
            raise self.refuse(node, _(_NESTED))
        if id(node) in self.open_nodes:
            raise self.refuse(
                node, _("an anchor (&) is used inside itself (*); write the list out instead")
            )
        self.source.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.ScalarNode):
            # A plain `~`, `null` or nothing is absent; every other scalar is kept as the text
            # typed, so YAML 1.1 surprises (`no`, `0777`, `17:00`, a bare date) never change
            # what was meant. (libyaml calls the plain style "", the Python parser None.)
            return None if node.tag == _NULL and not node.style else node.value
        self.open_nodes.add(id(node))
        try:
            if isinstance(node, yaml.MappingNode):
                return self.mapping(node, path)
            return [self.plain(v, (*path, str(i))) for i, v in enumerate(node.value)]
        finally:
            self.open_nodes.discard(id(node))

    def mapping(self, node: yaml.MappingNode, path: Path_) -> dict[str, Any]:
        result: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(self.source.file, line, _("a field name must be a plain word"))
                )
                continue
            key = key_node.value
            # `3` and `03` name the same item: keep the first, report both lines.
            same = next((k for k in result if k == key or _same_number(k, key)), None)
            if same is not None:
                self.problems.append(
                    Problem(
                        self.source.file,
                        line,
                        _(
                            "the field `{key}` appears twice here (also `{same}` on line "
                            "{value}); keep one"
                        ).format(key=key, same=same, value=lines[same]),
                    )
                )
                continue
            lines[key] = line
            self.source.lines[(*path, key)] = line
            result[key] = self.plain(value_node, (*path, key))
        return result


def _same_number(a: str, b: str) -> bool:
    return a.isdigit() and b.isdigit() and int(a) == int(b)


def validate(model: type[M], source: Source, problems: list[Problem], at: Path_ = ()) -> M | None:
    """Build the model from the source's data, turning every validation error into a Problem."""
    data = source.data
    for key in at:
        data = data.get(key) if isinstance(data, dict) else None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for error in errors:
            loc = (*at, *(str(p) for p in error["loc"]))
            if error["type"] == "too_short" and any(
                len(e["loc"]) > len(error["loc"]) and e["loc"][: len(error["loc"])] == error["loc"]
                for e in errors
            ):
                continue  # pydantic counts the invalid entries as missing; they are reported
            problems.append(source.problem(loc, _explain(model, error, loc)))
        return None


_TEXT_TYPES = ("string_type", "string_sub_type", "string_unicode")
_LIST_TYPES = ("list_type", "tuple_type", "set_type", "frozen_set_type", "iterable_type")
_FIELDS_TYPES = ("model_type", "model_attributes_type", "dict_type", "mapping_type")
_BOOL_TYPES = ("bool_parsing", "bool_type")
_NUMBER_TYPES = (
    "int_parsing",
    "int_parsing_size",
    "int_type",
    "int_from_float",
    "float_parsing",
    "float_type",
    "finite_number",
)


def _explain(model: type[BaseModel], error: ErrorDetails, loc: tuple[str, ...]) -> str:
    """A validation error in the secretary's words: what the field should hold, what it holds
    now, and how to write it; every error type pydantic has, in the message's language."""
    kind = error["type"]
    name = _field_name(model, loc) or _("the file")
    last = loc[-1] if loc else ""
    given = error.get("input")
    value = _what(given)
    if kind == "missing":
        return _("the required field `{last}` is missing ({name}); add it").format(
            last=last, name=name
        )
    if kind == "extra_forbidden":
        known = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(last, known, n=1, cutoff=0.6)
        hint = (
            _("; did you mean `{value}`?").format(value=close[0])
            if close
            else (
                _("; the fields here are: {names}").format(names=", ".join(known)) if known else ""
            )
        )
        return _("unknown field `{last}`{hint}").format(last=last, hint=hint)
    if kind == "value_error":
        return f"`{name}`: {error['ctx']['error']}"
    if last == "[key]":  # the notes' items are keyed by the agenda's numbers
        return _(
            "`{name}`: {value} is not an item number; write the agenda's number, such as 3:"
        ).format(name=".".join(p for p in loc[:-2] if not p.isdigit()), value=value)
    if kind in _TEXT_TYPES:
        if isinstance(given, list):
            return _(
                "`{name}` should be a text, not a list: write the text after the colon; a text "
                "of several paragraphs goes on the lines below `{last}: |`, indented"
            ).format(name=name, last=last)
        if isinstance(given, dict):
            return _(
                "`{name}` should be a text, not fields: write the text on the same line after "
                "the colon, in quotes if the text has a colon of its own"
            ).format(name=name)
        if given is None and _optional(model, loc):
            return _(
                "`{name}` is empty: write the text after the colon, or remove the line"
            ).format(name=name)
        if given is None:
            return _("`{name}` is empty: write the text after the colon").format(name=name)
        return _("`{name}` should be a text, not {value}").format(name=name, value=value)
    if kind in _LIST_TYPES:
        return _(
            "`{name}` should be a list, not {value}: write each entry on its own line below "
            "`{last}:`, starting with `- `"
        ).format(name=name, value=value, last=last)
    if kind in _FIELDS_TYPES:
        if model is Notes and loc == ("items",):
            return _(
                "`items` should be the agenda's item numbers, each with a colon and its notes "
                "indented below it (3:), not {value}"
            ).format(value=value)
        known = _fields_at(model, loc)
        return _(
            "`{name}` should be fields written as `field: value`, each on its own line, not "
            "{value}; the fields here are: {names}"
        ).format(name=name, value=value, names=", ".join(known) or "-")
    if kind in _BOOL_TYPES:
        return _("`{name}` should be true (yes) or false (no), not {value}").format(
            name=name, value=value
        )
    if kind in _NUMBER_TYPES:
        return _("`{name}` should be a whole number such as 3, not {value}").format(
            name=name, value=value
        )
    if kind == "literal_error":
        expected = str(error["ctx"]["expected"])
        if " or " not in expected:
            return _("`{name}` can only be {value}, not {value2}").format(
                name=name, value=expected, value2=value
            )
        return _("`{name}` should be one of {value}, not {value2}").format(
            name=name, value=_choices(expected), value2=value
        )
    if kind == "too_short":
        return _("`{name}` must not be empty: add at least one entry").format(name=name)
    if kind == "too_long":
        return _("`{name}` has too many entries: at most {count}").format(
            name=name, count=error.get("ctx", {}).get("max_length", "?")
        )
    if kind == "string_too_short":
        return _("`{name}` must not be empty: write the text after the colon").format(name=name)
    if kind == "string_too_long":
        return _("`{name}` is too long: at most {count} characters").format(
            name=name, count=error.get("ctx", {}).get("max_length", "?")
        )
    return _(
        "`{name}`: {value} does not fit here; compare the line with the example meeting in "
        "inputs/, or with the fields' descriptions that `minutes schema` writes"
    ).format(name=name, value=value)


def _field_name(model: type[BaseModel], loc: tuple[str, ...]) -> str:
    """The field's path as the secretary finds it: list positions left out (the line shows
    them), the notes' item numbers kept (`items.4.agreed`), since she typed them."""
    return ".".join(
        p
        for i, p in enumerate(loc)
        if not p.isdigit() or (model is Notes and i == 1 and loc[0] == "items")
    )


def _what(value: Any) -> str:
    """What was typed instead, named in the message's language; a long text cut short."""
    if isinstance(value, dict):
        return _("fields")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("an empty value")
    shown = repr(value)
    return shown if len(shown) <= 40 else shown[:38] + "…" + shown[0]


def _choices(expected: str) -> str:
    """Pydantic's `'docx', 'odt' or 'pdf'` with its English *or* in the message's language."""
    head, separator, last = expected.rpartition(" or ")
    word = _("or")
    return f"{head} {word} {last}" if separator else expected


def _fields_at(model: type[BaseModel], loc: tuple[str, ...]) -> list[str]:
    """The field names the model accepts at a location, for suggesting the misspelt one's fix."""
    current: Any = model
    for part in loc:
        if part.isdigit():
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _inner_model(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _optional(model: type[BaseModel], loc: tuple[str, ...]) -> bool:
    """Whether the field at a location may be left out (it has a default)."""
    current: Any = model
    info = None
    for part in loc:
        if part.isdigit() or current is None:
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return False
        current = _inner_model(info.annotation)
    return info is not None and not info.is_required()


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    metadata = getattr(annotation, "__origin__", None)
    return _inner_model(metadata) if metadata is not None and metadata is not annotation else None


def check_meeting_id(meeting_id: str) -> None:
    """A meeting folder name is a date or a safe word: nothing that could leave the folder."""
    if not SAFE_NAME.fullmatch(meeting_id) or ".." in meeting_id:
        raise InputError(
            [
                Problem(
                    repr(meeting_id),
                    0,
                    _(
                        "a meeting folder name may hold only letters, digits, '-', '_' "
                        "and '.', with no spaces, slashes or '..'; use its date, e.g. "
                        "2026-12-07"
                    ),
                )
            ]
        )


_FOLLOWUP_ID = re.compile(r"\d{1,3}/\d{4}-\d+\.\d+")
AGENDA, NOTES, ORGANISATION = "agenda.yaml", "notes.yaml", "organisation.yaml"


def load_model(path: Path, model: type[M]) -> tuple[M, Source]:
    """Read one file into one model, or raise every problem found in it."""
    source = read_source(path)
    problems: list[Problem] = []
    result = validate(model, source, problems)
    if problems or result is None:
        raise InputError(problems)
    return result, source


def load_organisation(path: Path) -> Organisation:
    """Read and check the roster."""
    source = read_source(path)
    problems: list[Problem] = []
    org = validate(Organisation, source, problems)
    if org is not None:
        problems.extend(_check_organisation(org, source))
        if org.logo:
            problems.extend(_read_logo(org, source, path.parent))
    if problems or org is None:
        raise InputError(problems)
    return org


def _read_logo(org: Organisation, src: Source, folder: Path) -> list[Problem]:
    """Read the logo beside the roster into the model; a problem when it cannot be used."""
    from pipeline.pictures import LogoError, read_logo

    name = Path(org.logo)
    if name.is_absolute() or ".." in name.parts:
        return [
            src.problem(
                ("logo",),
                _(
                    "the logo should be a file beside organisation.yaml, named without a folder "
                    "above it (for example aanekoski.png)"
                ),
            )
        ]
    try:
        org._logo = read_logo(folder / name, org.municipality)
    except LogoError as exc:
        return [src.problem(("logo",), str(exc))]
    return []


def load_meeting(folder: Path, organisation: Path | None = None) -> Meeting:
    """Read a meeting folder and the roster, and cross-check them; every problem at once."""
    return load_meeting_and_notes(folder, organisation)[0]


def load_meeting_and_notes(
    folder: Path, organisation: Path | None = None
) -> tuple[Meeting, Source | None]:
    """`load_meeting`, also giving the notes file's lines (for the wording check's messages)."""
    check_meeting_id(folder.name)
    if not folder.is_dir():
        raise InputError(
            [
                Problem(
                    str(folder),
                    0,
                    _(
                        "the meeting folder does not exist; create it with `minutes new {name}`"
                    ).format(name=folder.name),
                )
            ]
        )
    org_path = organisation or folder.parent / ORGANISATION
    problems: list[Problem] = []
    org = agenda = notes = None
    roster: Organisation | None = None  # the roster as validated, for the cross-checks
    notes_source: Source | None = None
    try:
        org = load_organisation(org_path)
        roster = org
    except InputError as exc:
        problems.extend(exc.problems)
        roster = _quietly(Organisation, org_path)
    try:
        agenda_source = read_source(folder / AGENDA)
        agenda = validate(Agenda, agenda_source, problems)
        if agenda is not None:
            problems.extend(_check_agenda(agenda, agenda_source, folder))
    except InputError as exc:
        problems.extend(exc.problems)
    if (folder / NOTES).exists() or (folder / NOTES).is_symlink():
        try:
            notes_source = read_source(folder / NOTES)
            notes = validate(Notes, notes_source, problems)
            # Every problem in one run: the cross-checks run on whatever validated.
            checked = notes if notes is not None else _valid_parts(notes_source)
            problems.extend(_check_notes(checked, notes_source, roster, agenda))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems or org is None or agenda is None:
        raise InputError(problems)
    return Meeting(id=folder.name, organisation=org, agenda=agenda, notes=notes), notes_source


def _quietly(model: type[M], path: Path) -> M | None:
    """The file as the model, or None; its problems are reported elsewhere."""
    try:
        return validate(model, read_source(path), [])
    except InputError:
        return None


def _valid_parts(source: Source) -> Notes:
    """Notes of the parts that validate (the attendance, each item, the times), for the
    cross-checks when the whole file does not: their problems are reported already."""
    data = source.data if isinstance(source.data, dict) else {}
    attendance = validate(Attendance, source, [], ("attendance",)) if "attendance" in data else None
    items = {}
    for key in data.get("items") or {} if isinstance(data.get("items"), dict) else {}:
        item = validate(ItemNotes, source, [], ("items", key))
        if item is not None and str(key).isdigit():
            items[int(key)] = item
    times = {k: data.get(k) for k in ("opened", "closed") if data.get(k) is not None}
    base = validate_data(Notes, times) or Notes()
    return base.model_copy(update={"attendance": attendance or Attendance(), "items": items})


def validate_data(model: type[M], data: Any) -> M | None:
    """The data as the model, or None where it does not validate (no file, so no lines)."""
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


def _roster_names(org: Organisation) -> list[str]:
    return [p.name for p in org.officers] + [m.name for g in org.groups for m in g.members]


def _check_organisation(org: Organisation, src: Source) -> list[Problem]:
    problems: list[Problem] = []
    ids = [g.id for g in org.groups]
    seen_ids: set[str] = set()
    seen_names: set[str] = set()
    for i, group in enumerate(org.groups):
        if group.id in seen_ids:
            problems.append(
                src.problem(
                    ("groups", i, "id"),
                    _("the group id `{id}` is used twice; every group needs its own id").format(
                        id=group.id
                    ),
                )
            )
        seen_ids.add(group.id)
        for j, member in enumerate(group.members):
            if member.name in seen_names:
                problems.append(
                    src.problem(
                        ("groups", i, "members", j, "name"),
                        _("{name} is listed twice in the roster").format(name=member.name),
                    )
                )
            seen_names.add(member.name)
            if member.email:
                problems.extend(_email(src, ("groups", i, "members", j, "email"), member.email))
        for j, address in enumerate(group.distribution):
            problems.extend(_email(src, ("groups", i, "distribution", j), address))
        if not group.distribution:
            problems.append(
                src.problem(
                    ("groups", i),
                    _(
                        "the group `{id}` has no `distribution` address, so it would get "
                        "no minutes; add the address that receives them"
                    ).format(id=group.id, **message_forms(org.wording.record)),
                )
            )
    why = mailbox_problem(org.mail.sender)
    if why:
        problems.append(src.problem(("mail", "sender"), f"`mail.sender`: {why}"))
    for role in ("chair", "vice_chair", "secretary"):
        person = getattr(org, role)
        if person is None:
            continue
        if person.email:
            problems.extend(_email(src, (role, "email"), person.email))
        if person.group is not None and person.group not in ids:
            problems.append(src.problem((role, "group"), _unknown_group(person.group, ids)))
    return problems


def _email(src: Source, path: tuple[str | int, ...], address: str) -> list[Problem]:
    why = address_problem(address)
    if not why:
        return []
    return [
        src.problem(
            path,
            _(
                "{address!r} is not an email address the mail can be sent to "
                "({why}); write one address, such as name@example.fi, per line"
            ).format(address=address, why=why),
        )
    ]


def _unknown_group(group: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(group, ids, n=1, cutoff=0.5)
    hint = (
        _("did you mean `{value}`?").format(value=close[0])
        if close
        else _("the groups are: {names}").format(names=", ".join(ids))
    )
    return _("there is no group `{group}` in organisation.yaml; {hint}").format(
        group=group, hint=hint
    )


def _check_agenda(agenda: Agenda, src: Source, folder: Path) -> list[Problem]:
    problems: list[Problem] = []
    for i, item in enumerate(agenda.items):
        for j, attachment in enumerate(item.attachments):
            if attachment.file:
                why = _attachment_problem(folder, attachment.file)
                if why:
                    problems.append(src.problem(("items", i, "attachments", j, "file"), why))
    if not agenda.place and not agenda.remote:
        problems.append(
            src.problem(("place",), _("the meeting needs a `place` or a `remote` link (or both)"))
        )
    if agenda.end is not None and agenda.end <= agenda.start:
        problems.append(
            src.problem(
                ("end",),
                _("`end` ({end}) is not after `start` ({start}); check the times").format(
                    end=agenda.end.strftime("%H:%M"), start=agenda.start.strftime("%H:%M")
                ),
            )
        )
    if agenda.invited_on is not None and agenda.invited_on > agenda.date:
        problems.append(src.problem(("invited_on",), _("the invitation date is after the meeting")))
    if str(agenda.date.year) != agenda.number.split("/")[1]:
        problems.append(
            src.problem(
                ("number",),
                _(
                    "the meeting number {number} is not of the meeting's year {year}; write it "
                    "as number/{year}, such as 1/{year}"
                ).format(number=agenda.number, year=agenda.date.year),
            )
        )
    if agenda.previous:
        try:
            check_meeting_id(agenda.previous)
        except InputError:
            problems.append(
                src.problem(
                    ("previous",),
                    _("`previous` should name an earlier meeting folder, e.g. 2026-11-09"),
                )
            )
    return problems


def _attachment_problem(folder: Path, name: str) -> str:
    """Why an attachment file cannot go with the invitation, or "" when it can: it must be a
    file inside the meeting folder, reached without `..` or a symbolic link."""
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return _(
            "the attachment file {name} is outside the meeting folder; put "
            "the file in the meeting folder (e.g. liitteet/) and name it "
            "relative to it"
        ).format(name=name)
    walked = folder
    for part in relative.parts:
        walked = walked / part
        if walked.is_symlink():
            return _(
                "the attachment file {name} goes through a symbolic link; copy "
                "the file itself into the meeting folder"
            ).format(name=name)
    path = folder / name
    if not path.is_file():
        return _(
            "the attachment file {name} does not exist in {folder}; check the"
            " name, or leave `file` out if the paper is delivered separately"
        ).format(name=name, folder=folder)
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return _("the attachment file {name} is outside the meeting folder").format(name=name)
    return ""


def _check_notes(
    notes: Notes, src: Source, org: Organisation | None, agenda: Agenda | None
) -> list[Problem]:
    """The notes against the roster and the agenda; a check whose other file did not
    validate is left out (that file's problems are reported)."""
    problems = _check_attendance(notes.attendance, src, org, agenda)
    for number, item in notes.items.items():
        problems += _check_item(number, item, notes.attendance, src, org, agenda)
    if notes.opened and notes.closed and notes.closed <= notes.opened:
        problems.append(
            src.problem(
                ("closed",),
                _("`closed` ({closed}) is not after `opened` ({opened}); check the times").format(
                    closed=notes.closed.strftime("%H:%M"), opened=notes.opened.strftime("%H:%M")
                ),
            )
        )
    for i, done in enumerate(notes.follow_up_done):
        if not _FOLLOWUP_ID.fullmatch(done):
            problems.append(
                src.problem(
                    ("follow_up_done", i),
                    _(
                        "{done!r} is not a follow-up id; they look like 5/2026-3.1: copy it "
                        "from `minutes followups`"
                    ).format(done=done),
                )
            )
    return problems


def _check_attendance(
    att: Attendance, src: Source, org: Organisation | None, agenda: Agenda | None
) -> list[Problem]:
    """Everyone present or absent is in the roster, and everyone is listed once; a substitute
    stands in for someone who is not there; a guest is heard on items of the agenda."""
    problems: list[Problem] = []
    roster = _roster_names(org) if org else None
    listed: dict[str, str] = {}

    def once(path: tuple[str | int, ...], name: str, where: str) -> None:
        if name in listed:
            problems.append(
                src.problem(
                    path,
                    _("{name} is listed twice in the attendance ({value} and {where})").format(
                        name=name, value=listed[name], where=where
                    ),
                )
            )
        listed[name] = where

    for i, present in enumerate(att.present):
        path: tuple[str | int, ...] = ("attendance", "present", i)
        problems += _not_in_roster(src, path, present.name, roster)
        once(path, present.name, "present")
        if present.substitute_for:
            substitute = (*path, "substitute_for")
            problems += _not_in_roster(src, substitute, present.substitute_for, roster)
            if any(p.name == present.substitute_for for p in att.present):
                problems.append(
                    src.problem(
                        substitute,
                        _(
                            "{substitute_for} is also listed as present; a substitute stands "
                            "in for someone absent"
                        ).format(substitute_for=present.substitute_for),
                    )
                )
    for i, name in enumerate(att.absent):
        problems += _not_in_roster(src, ("attendance", "absent", i), name, roster)
        once(("attendance", "absent", i), name, "absent")
    count = len(agenda.items) if agenda else 0
    for i, guest in enumerate(att.guests):
        once(("attendance", "guests", i), guest.name, "guests")
        for j, number in enumerate(guest.items):
            if agenda is not None and not 1 <= number <= count:
                problems.append(
                    src.problem(
                        ("attendance", "guests", i, "items", j),
                        _(
                            "item {number} is not on the agenda (1–{count}); give the number "
                            "of the item the guest was heard in"
                        ).format(number=number, count=count),
                    )
                )
    return problems


def _not_in_roster(
    src: Source, path: tuple[str | int, ...], name: str, roster: list[str] | None
) -> list[Problem]:
    """A person the roster does not have, with the closest name it has (none without a
    roster that validated)."""
    if roster is None or name in roster:
        return []
    close = difflib.get_close_matches(name, roster, n=1, cutoff=0.6)
    hint = (
        _("; did you mean {value}?").format(value=close[0])
        if close
        else (_("; add the person to organisation.yaml, or list an outsider under `guests`"))
    )
    return [src.problem(path, _("{name} is not in the roster{hint}").format(name=name, hint=hint))]


def _check_item(
    number: int,
    item: ItemNotes,
    att: Attendance,
    src: Source,
    org: Organisation | None,
    agenda: Agenda | None,
) -> list[Problem]:
    """One item's notes: an item of the agenda under its title, dissenting groups of the
    roster, each once, and a statement public only where rule 4 allows."""
    path: tuple[str | int, ...] = ("items", number)
    problems: list[Problem] = []
    if agenda is not None:
        count = len(agenda.items)
        if not 1 <= number <= count:
            return [
                src.problem(
                    path,
                    _(
                        "item {number} is not on the agenda, which has items 1–{count}; "
                        "correct the number, or add the item to agenda.yaml"
                    ).format(number=number, count=count),
                )
            ]
        expected = agenda.items[number - 1].title
        if item.title and _norm(item.title) != _norm(expected):
            problems.append(
                src.problem(
                    (*path, "title"),
                    _(
                        "the title of item {number} does not match the agenda, which "
                        "says: {expected}; copy the agenda's title, or leave `title` out"
                    ).format(number=number, expected=expected),
                )
            )
    ids = [g.id for g in org.groups] if org else []
    for i, dissent in enumerate(item.dissent):
        for j, group in enumerate(dissent.groups):
            if org is not None and group not in ids:
                problems.append(
                    src.problem((*path, "dissent", i, "groups", j), _unknown_group(group, ids))
                )
        if len(set(dissent.groups)) != len(dissent.groups):
            problems.append(
                src.problem(
                    (*path, "dissent", i, "groups"),
                    _("a group is named twice in the same dissent"),
                )
            )
    if item.statement and item.statement.public and org is not None and agenda is not None:
        why = _not_public(item, agenda.items[number - 1].confidential, org, att)
        if why:
            problems.append(src.problem((*path, "statement", "public"), why))
    return problems


def _not_public(item: ItemNotes, confidential: bool, org: Organisation, att: Attendance) -> str:
    """Why a statement cannot be public, or "": rule 4 allows publicity only by the agreement
    of every group, so not over a dissent, not with a group absent, not on a confidential item."""
    present = {p.name for p in att.present}
    reasons = []
    dissenting = [g for d in item.dissent for g in d.groups]
    if dissenting:
        reasons.append(
            _("groups dissent on this item ({names})").format(
                names=", ".join(dict.fromkeys(dissenting))
            )
        )
    absent = [g.id for g in org.groups if not any(m.name in present for m in g.members)]
    if absent:
        reasons.append(_("no one of {names} was present").format(names=", ".join(absent)))
    if confidential:
        reasons.append(_("the item is confidential"))
    if not reasons:
        return ""
    return _(
        "the statement cannot be public: a statement is published only "
        "when every group agrees (rule 4), and {names}. Write `public: "
        "false`, or leave it out"
    ).format(names="; ".join(reasons))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def load_history(inputs: Path, organisation: Organisation) -> list[Meeting]:
    """Every meeting folder beside this one whose files are valid, oldest first.

    A meeting whose files have problems is left out; `minutes check` on it says why.
    """
    meetings: list[Meeting] = []
    for folder in sorted(p for p in inputs.iterdir() if (p / AGENDA).is_file()):
        try:
            check_meeting_id(folder.name)
            agenda = load_model(folder / AGENDA, Agenda)[0]
            notes = load_model(folder / NOTES, Notes)[0] if (folder / NOTES).exists() else None
        except InputError:
            continue
        meetings.append(
            Meeting(id=folder.name, organisation=organisation, agenda=agenda, notes=notes)
        )
    return sorted(meetings, key=lambda m: (m.agenda.date, m.id))

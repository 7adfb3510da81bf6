"""A municipality's own templates (the documents' and the emails') checked against a meeting:
what they name that does not exist, and what a document must show that they leave out."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

from jinja2 import Environment, nodes
from jinja2.runtime import Undefined

from pipeline import annual, letters
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline.errors import InputError, Problem
from pipeline.i18n import _
from pipeline.meeting import Loaded
from pipeline.render.base import MailEnvironment, TemplateEnvironment

# The filter every dotted path of a checked template goes through (a name no template uses).
_AS_WRITTEN = "_minutes_as_written"


def check_templates(loaded: Loaded, folder: Path, today: dt.date) -> dict[str, list[Problem]]:
    """Each template of the folder rendered against the meeting: {file name: its problems},
    the documents' by their names, the emails' as `mail/<name>.txt`.

    A placeholder the render context does not have is listed by its path as the template
    writes it (all of them, not only the first one a render stops at), and so is every value
    the document must show that the template leaves out (the disclaimer, the meeting
    number...). Nothing is written."""
    from jinja2 import ChainableUndefined

    meeting = loaded.meeting
    chair = meeting.organisation.chair
    approval = ctx.Approval(by=chair.name, title="puheenjohtaja", date=today)
    templates = docs.Templates(folder)
    renders: list[tuple[docs.Kind, Callable[[list[str]], object]]] = [
        (docs.INVITATION, lambda f: docs.render_invitation(loaded, f, templates, today)),
    ]
    if meeting.notes is not None:
        renders.append((docs.MINUTES, lambda f: docs.render_minutes(loaded, f, templates, None)))
        renders.append(
            (docs.MINUTES, lambda f: docs.render_minutes(loaded, f, templates, approval))
        )
    group = meeting.organisation.groups[0].id
    renders.append(
        (docs.COVER_LETTER, lambda f: docs.render_cover_in(loaded, group, approval, templates, f))
    )
    renders.append((annual.REPORT, lambda f: _render_report(loaded, templates, today, f)))
    found: dict[str, list[Problem]] = {}
    _check_mail(loaded, folder / letters.MAIL_FOLDER, today, found)
    for kind, render in renders:
        for fmt in docs.OFFICE_FORMATS:
            path = templates.path(kind, fmt)
            if not path.exists():
                continue
            unknown: set[str] = set()
            problems = found.setdefault(path.name, [])
            checking = _checking(_CheckingEnvironment(), _recorder(ChainableUndefined, unknown))
            token = docs.CHECKING_ENV.set(checking)
            try:
                render([fmt])
            except InputError as exc:
                problems.extend(p for p in exc.problems if p not in problems)
            finally:
                docs.CHECKING_ENV.reset(token)
            for name in sorted(unknown):
                problem = Problem(str(path), 0, _unknown(name))
                if problem not in problems:
                    problems.append(problem)
    return found


def _unknown(name: str) -> str:
    return _("`{name}` is not the name of a placeholder; templates/README.md lists them").format(
        name=name
    )


def _check_mail(
    loaded: Loaded, folder: Path, today: dt.date, found: dict[str, list[Problem]]
) -> None:
    """The emails' templates (mail/*.txt) rendered against the meeting, into `found` under
    `mail/<file>`: each unknown placeholder at the line of the file (or the file it includes)
    that writes it."""
    from jinja2 import ChainableUndefined

    if not folder.is_dir():
        return
    meeting = loaded.meeting
    group = meeting.organisation.groups[0]
    contexts: dict[str, Mapping[str, object]] = {
        "invitation": letters.invitation_context(meeting, group, today),
        "review": letters.review_context(meeting, "ABCD-1234", today),
        "minutes": letters.minutes_context(meeting, group, today),
    }
    texts = {
        p: p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))
    }
    for path in texts:
        found.setdefault(f"{folder.name}/{path.name}", [])
    for name, context in contexts.items():
        path = folder / f"{name}.txt"
        if path not in texts:
            continue
        unknown: set[str] = set()
        env = _checking(_CheckingMail(str(folder)), _recorder(ChainableUndefined, unknown))
        written: list[Problem] = []
        try:
            letters.render(folder.parent, name, context, env)
        except InputError as exc:
            written += exc.problems
        for placeholder in sorted(unknown):
            file, line = _written_at(placeholder, path, texts)
            written.append(Problem(str(file), line, _unknown(placeholder)))
        for problem in written:
            problems = found.setdefault(f"{folder.name}/{Path(problem.file).name}", [])
            if problem not in problems:
                problems.append(problem)
                problems.sort(key=lambda p: (p.line, p.message))


def _written_at(placeholder: str, path: Path, texts: dict[Path, str]) -> tuple[Path, int]:
    """The file and line where a tag first names the placeholder: the template itself, else a
    file it includes; (the template, 0) when none does."""
    named = re.compile(r"\{[{%][^}]*?(?<![\w.])" + re.escape(placeholder) + r"(?![\w])")
    for file in sorted(texts, key=lambda p: p != path):
        match = named.search(texts[file])
        if match:
            return file, texts[file].count("\n", 0, match.start()) + 1
    return path, 0


class _MarksPaths(Environment):
    """An environment whose every dotted path of a template (`item.title`, `meeting.number`)
    goes through a filter that names an unknown value by the whole path as the template writes
    it: the value alone would be named by its last part (`title`)."""

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        _mark_paths(tree)
        tree.set_environment(self)
        return tree


class _CheckingEnvironment(_MarksPaths, TemplateEnvironment):
    """The documents' environment, marking paths."""


class _CheckingMail(_MarksPaths, MailEnvironment):
    """The emails' environment, marking paths."""


def _render_report(
    loaded: Loaded, templates: docs.Templates, today: dt.date, formats: list[str]
) -> list[bytes]:
    """The evaluation of the meeting's year, with the meetings beside it (their approvals as
    outputs/ records them)."""
    meeting = loaded.meeting
    meetings = sorted([*loaded.history, meeting], key=lambda m: (m.agenda.date, m.id))
    year = meeting.agenda.date.year
    context = annual.report_context(meeting.organisation, meetings, Path("outputs"), year, today)
    return [annual.render_report(context, fmt, templates, today) for fmt in formats]


E = TypeVar("E", bound=Environment)


def _checking(env: E, undefined: type) -> E:
    """A checking environment of its own (its compiled templates are never the strict one's)
    with the unknown values recorded."""
    env.undefined = undefined
    env.filters = {**env.filters, _AS_WRITTEN: _as_written}
    return env


def _as_written(value: Any, path: str) -> Any:
    """The value, or when it is unknown, an unknown value named by its path."""
    if isinstance(value, Undefined):
        return type(value)(obj=value._undefined_obj, name=path)
    return value


def _mark_paths(node: nodes.Node) -> None:
    """Each dotted path among the node's children passed through the filter (in place)."""
    for field, value in node.iter_fields():
        if isinstance(value, nodes.Node):
            setattr(node, field, _marked(value))
        elif isinstance(value, list):
            value[:] = [_marked(v) if isinstance(v, nodes.Node) else v for v in value]


def _marked(node: nodes.Node) -> nodes.Node:
    path = _path(node) if isinstance(node, nodes.Getattr | nodes.Getitem) else None
    if path is None:
        _mark_paths(node)
        return node
    return nodes.Filter(node, _AS_WRITTEN, [nodes.Const(path)], [], None, None, lineno=node.lineno)


def _path(node: nodes.Node) -> str | None:
    """`item.title`, `org.groups[0].name`: a name and its attributes and constant indexes, as
    the template writes them; None for anything else (`(a or b).c`, `items[n]`)."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        step = f".{node.attr}"
    elif isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        step = f"[{node.arg.value!r}]"
    else:
        return None
    base = _path(node.node)
    return None if base is None else base + step


def _recorder(base: type, found: set[str]) -> type:
    """An Undefined that prints as nothing and notes the name of every unknown value the
    template prints, tests or loops over (a default() for an optional value is not noted)."""

    def note(self: Any) -> None:
        if self._undefined_name is not None:
            found.add(str(self._undefined_name))

    def printed(self: Any) -> str:
        note(self)
        return ""

    def tested(self: Any) -> bool:
        note(self)
        return False

    def looped(self: Any) -> Any:
        note(self)
        return iter(())

    return type("Unknown", (base,), {"__str__": printed, "__bool__": tested, "__iter__": looped})


def latest_meeting(inputs: Path) -> str:
    """The latest meeting folder under inputs/ that has notes (so every document can be made);
    the latest one at all when none has."""
    folders = sorted(p.parent for p in inputs.glob("*/agenda.yaml"))
    with_notes = [f for f in folders if (f / "notes.yaml").exists()]
    chosen = (with_notes or folders)[-1:]
    if not chosen:
        raise InputError(
            [
                Problem(
                    str(inputs),
                    0,
                    _("there is no meeting folder to render the templates against; give MEETING"),
                )
            ]
        )
    return str(chosen[0])

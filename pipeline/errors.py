"""The one error hierarchy: every failure the library reports, with what the user should do."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.i18n import _


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file, printed as `file:line: message` (line 0: the file as a whole)."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return (
            f"{self.file}:{self.line}: {self.message}"
            if self.line
            else f"{self.file}: {self.message}"
        )


class PipelineError(Exception):
    """Base of every error the pipeline reports to its user."""

    exit_code = 1


class InputError(PipelineError):
    """The inputs (YAML files, templates, paths) are invalid: every problem at once."""

    exit_code = 1

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.message))
        super().__init__("\n".join(str(p) for p in self.problems))


class WorkflowRefused(PipelineError):
    """The workflow refuses the step: not approved, stale approval, tampered file."""

    exit_code = 3


class ServiceFailed(PipelineError):
    """An outside service (SMTP, LibreOffice) failed after what could be done was kept; `done`
    holds the lines of the message that say what went well."""

    exit_code = 4

    def __init__(self, message: str, done: Sequence[str] = ()):
        super().__init__(message)
        self.done = tuple(done)


# Jinja's words for a placeholder that names nothing: `meeting.nmber`, `titel`.
_UNDEFINED = re.compile(r"'[^']*' has no attribute '([^']*)'|'([^']*)' is undefined")


def template_detail(exc: Exception) -> str:
    """What the template engine said, with a placeholder that names nothing said in the
    message's language (the engine says it in English)."""
    text = getattr(exc, "message", None) or str(exc)
    if found := _UNDEFINED.fullmatch(text):
        return _("there is no field `{name}`").format(name=found.group(1) or found.group(2))
    return text


def template_error(template: str, exc: Exception) -> InputError:
    """A template that cannot be rendered: say which placeholder, so it can be fixed."""
    line = getattr(exc, "lineno", None)
    where = _(" (XML line {line})").format(line=line) if line else ""
    detail = template_detail(exc)
    return InputError(
        [
            Problem(
                template,
                0,
                _(
                    "a placeholder in the template cannot be filled{where}: {detail};"
                    " fix it in Word or LibreOffice (the placeholders are listed in "
                    "templates/README.md)"
                ).format(where=where, detail=detail),
            )
        ]
    )

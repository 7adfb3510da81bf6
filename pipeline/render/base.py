"""What every engine shares: the sandboxed template environment and the rendered document."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined, Template
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from pipeline.i18n import _
from pipeline.markup import Block, Rich
from pipeline.render.picture import Picture


class TemplateEnvironment(ImmutableSandboxedEnvironment):
    """Autoescaped, strict and sandboxed: a value is text, a missing name is an error, and a
    template cannot reach Python internals. A template part compiled once is kept by its
    source, so the seven cover letters compile their template once, not seven times."""

    MAX_COMPILED = 64
    # Repetition and powers are checked before they run: `'x' * 10**10` is refused, not built.
    intercepted_binops = frozenset({"*", "**"})
    MAX_REPEAT = 100_000
    MAX_EXPONENT = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True)
        self._compiled: dict[str, Template] = {}

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > self.MAX_EXPONENT:
            raise SecurityError(
                _("a power of {value} is more than a document needs").format(value=right)
            )
        if operator == "*":
            sizes = [
                len(a) * b
                for a, b in ((left, right), (right, left))
                if isinstance(a, str | list | tuple) and isinstance(b, int)
            ]
            if any(size > self.MAX_REPEAT for size in sizes):
                raise SecurityError(_("a repetition that long is more than a document needs"))
        return super().call_binop(context, operator, left, right)

    def getattr(self, obj: Any, attribute: str) -> Any:
        # `item.name` on a plain dict: the key, as the sandbox would find it after failing to
        # find a dict attribute of that name, without raising and catching that failure for
        # every value printed.
        if type(obj) is dict and attribute in obj and not hasattr(dict, attribute):
            return obj[attribute]
        return super().getattr(obj, attribute)

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            if len(self._compiled) >= self.MAX_COMPILED:
                self._compiled.clear()
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


@lru_cache(maxsize=1)
def shared_env() -> TemplateEnvironment:
    """The one environment every render uses (its compiled templates are reused)."""
    return TemplateEnvironment()


def convert_rich(
    value: Any, convert: Callable[[Rich], Any], picture: Callable[[Picture], Any] | None = None
) -> Any:
    """The context with every Rich (and Picture) turned into an engine's own object."""
    if isinstance(value, Rich):
        return convert(value)
    if isinstance(value, Picture) and picture is not None:
        return picture(value)
    if isinstance(value, Block):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {**fields, "rich": convert(value.rich), "text": value.text}
    if isinstance(value, dict):
        return {k: convert_rich(v, convert, picture) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [convert_rich(v, convert, picture) for v in value]
    return value


class MailEnvironment(TemplateEnvironment):
    """The emails' templates: sandboxed, strict and guarded like the documents', but plain
    text, so nothing is HTML-escaped; `{% include %}` reads beside the template (the
    signature)."""

    def __init__(self, folder: str) -> None:
        self._compiled = {}
        ImmutableSandboxedEnvironment.__init__(
            self,
            loader=FileSystemLoader(folder),
            autoescape=False,
            undefined=StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
        )


@lru_cache(maxsize=4)
def mail_env(folder: str) -> MailEnvironment:
    """The environment of one folder of email templates (compiled once per folder)."""
    return MailEnvironment(folder)

"""What every engine shares: the sandboxed template environment and the rendered document."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

from pipeline.markup import Block, Rich


def make_env() -> SandboxedEnvironment:
    """Autoescaped, strict and sandboxed: a value is text, a missing name is an error, and a
    template cannot reach Python internals."""
    return SandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, keep_trailing_newline=True
    )


def convert_rich(value: Any, convert: Callable[[Rich], Any]) -> Any:
    """The context with every Rich turned into an engine's own formatted-text object."""
    if isinstance(value, Rich):
        return convert(value)
    if isinstance(value, Block):
        fields = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
        return {**fields, "rich": convert(value.rich), "text": value.text}
    if isinstance(value, dict):
        return {k: convert_rich(v, convert) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [convert_rich(v, convert) for v in value]
    return value

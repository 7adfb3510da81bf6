"""Long text fields: a small Markdown subset (paragraphs, lists, emphasis) parsed into blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@dataclass(frozen=True)
class Run:
    """A piece of text with one formatting."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass(frozen=True)
class Rich:
    """Formatted inline text. Each render engine turns it into its own markup (`{{r x }}`)."""

    runs: tuple[Run, ...]

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    def __str__(self) -> str:
        return self.text

    def __bool__(self) -> bool:
        return bool(self.text)


@dataclass(frozen=True)
class Block:
    """One paragraph of a long text field: a plain paragraph or a list item."""

    kind: str  # "paragraph", "bullet" or "number"
    rich: Rich
    level: int = 1  # list nesting depth, 1 for top-level items and paragraphs
    label: str = ""  # the number of an ordered list item as typed, "3."
    bullet: bool = field(init=False)
    numbered: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "bullet", self.kind == "bullet")
        object.__setattr__(self, "numbered", self.kind == "number")

    @property
    def text(self) -> str:
        return self.rich.text


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # where it is used: checking the files needs no Markdown

    # Only what a secretary means when typing notes: no HTML, no entities, no escapes, no code,
    # no headings or links, so every other character comes out exactly as typed.
    return MarkdownIt("zero").enable(["list", "emphasis", "newline"])


def parse_blocks(text: str) -> list[Block]:
    """Split a text field into paragraphs and list items, keeping every character of the words."""
    blocks: list[Block] = []
    lists: list[tuple[str, str]] = []  # (kind, label of the current item) per open list
    for token in _parser().parse(text):
        if token.type == "bullet_list_open":
            lists.append(("bullet", ""))
        elif token.type == "ordered_list_open":
            lists.append(("number", ""))
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open" and lists and lists[-1][0] == "number":
            lists[-1] = ("number", f"{token.info}{token.markup}")
        elif token.type == "inline":
            runs = _runs(token.children or [])
            if not runs:
                continue
            if lists:
                kind, label = lists[-1]
                blocks.append(Block(kind, Rich(runs), level=len(lists), label=label))
            else:
                blocks.append(Block("paragraph", Rich(runs)))
    return blocks


def _runs(children: list[Token]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    for child in children:
        if child.type == "strong_open":
            bold += 1
        elif child.type == "strong_close":
            bold -= 1
        elif child.type == "em_open":
            italic += 1
        elif child.type == "em_close":
            italic -= 1
        elif child.type in ("softbreak", "hardbreak"):
            _append(runs, Run(" ", bold > 0, italic > 0))
        elif child.content:
            _append(runs, Run(child.content, bold > 0, italic > 0))
    return tuple(runs)


def _append(runs: list[Run], run: Run) -> None:
    if runs and (runs[-1].bold, runs[-1].italic) == (run.bold, run.italic):
        runs[-1] = Run(runs[-1].text + run.text, run.bold, run.italic)
    else:
        runs.append(run)

"""The Markdown subset of long text fields: paragraphs, bulleted and numbered lists, bold and
italic; every other character exactly as typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.markup import Block, Rich, Run, parse_blocks


def shape(text: str) -> list[tuple[str, int, str, str]]:
    return [(b.kind, b.level, b.label, b.text) for b in parse_blocks(text)]


def test_paragraphs_and_lists() -> None:
    """Verify an empty line starts a paragraph, `- ` and `1.` start list items with their
    level and label, and a line break inside a paragraph is one space."""
    text = "Eka kappale\njatkuu.\n\nToinen.\n\n- a\n- b\n  - b1\n\n3. kolmas\n4. neljäs\n"
    assert shape(text) == [
        ("paragraph", 1, "", "Eka kappale jatkuu."),
        ("paragraph", 1, "", "Toinen."),
        ("bullet", 1, "", "a"),
        ("bullet", 1, "", "b"),
        ("bullet", 2, "", "b1"),
        ("number", 1, "3.", "kolmas"),
        ("number", 1, "4.", "neljäs"),
    ]
    first = parse_blocks("- a")[0]
    assert first.bullet and not first.numbered


def test_bold_and_italic_are_runs() -> None:
    """Verify **bold**, *italic* and both become runs with their formatting, merged when
    neighbours share it."""
    (block,) = parse_blocks("Tämä on **tärkeää** ja *korostettua* ja ***molempia***.")
    assert block.rich.runs == (
        Run("Tämä on "),
        Run("tärkeää", bold=True),
        Run(" ja "),
        Run("korostettua", italic=True),
        Run(" ja "),
        Run("molempia", bold=True, italic=True),
        Run("."),
    )


@pytest.mark.parametrize(
    "typed",
    [
        "A & B < C > D",
        "<b>ei HTML:ää</b>",
        "&amp; ei entiteetti",
        "{{ x }} {% if y %} {# z #}",
        "# ei otsikko",
        "[ei linkki](http://example.fi)",
        "`ei koodia`",
        "C:\\polku\\tiedosto.docx",
        "5 * 3 = 15",
        "😀 Åäö ß",
    ],
)
def test_everything_else_comes_out_as_typed(typed: str) -> None:
    """Verify HTML, entities, template syntax, headings, links, code and backslashes are text."""
    assert [b.text for b in parse_blocks(typed)] == [typed]


def test_empty_text_has_no_blocks() -> None:
    """Verify an empty or blank field gives no block, so no empty paragraph is printed."""
    assert parse_blocks("") == [] and parse_blocks("  \n\n ") == []


def test_rich_text_and_truth() -> None:
    """Verify Rich prints as its plain text and is false when empty."""
    rich = Rich((Run("a", bold=True), Run("b")))
    assert str(rich) == "ab" and rich and not Rich(())
    assert Block("paragraph", rich).text == "ab"


WORDS = st.text(
    alphabet=st.characters(whitelist_categories=["L", "N"], whitelist_characters="&<>{}%'\""),
    min_size=1,
    max_size=20,
)


@given(words=st.lists(WORDS, min_size=1, max_size=6))
def test_plain_words_survive(words: list[str]) -> None:
    """Verify any words without Markdown markers come out as one paragraph, exactly."""
    text = " ".join(words)
    assert [b.text for b in parse_blocks(text)] == [text]

"""The DOCX engine on templates built here with python-docx: values exactly as typed, rich text,
fixed metadata, one deterministic and valid package, and broken templates refused."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from office_validator import problems

from pipeline.errors import InputError
from pipeline.markup import Rich, Run
from pipeline.render.base import shared_env
from pipeline.render.docx import render_docx

CREATED = dt.datetime(2026, 12, 7, 12, 0)
TRICKY = "A & B < C > D \"E\" 'F' {{ x }} {% if y %} </w:t> 😀 Åäö"


def template(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render(data: bytes, **context: Any) -> bytes:
    return render_docx(
        data,
        context,
        shared_env(),
        name="pohja.docx",
        title="Pöytäkirja 5/2026",
        author="Äänekosken kaupunki, Neuvotteluryhmä",
        language="fi-FI",
        created=CREATED,
    )


def paragraphs(docx: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(docx)).paragraphs]


def test_values_come_out_as_typed() -> None:
    """Verify markup characters, template syntax, quotes and emoji in values are text."""
    docx = render(template("{{ v }}", "[{{ v }}]"), v=TRICKY)
    assert paragraphs(docx) == [TRICKY, f"[{TRICKY}]"]


def test_loops_and_rich_text() -> None:
    """Verify a {%p for %} repeats its paragraph per item and {{r }} keeps bold as bold."""
    tpl = template("{%p for i in items %}", "{{ i.name }}: {{r i.note }}", "{%p endfor %}")
    note = Rich((Run("tärkeä", bold=True), Run(" huomio")))
    docx = render(tpl, items=[{"name": "Asia 1", "note": note}, {"name": "Asia 2", "note": note}])
    assert paragraphs(docx) == ["Asia 1: tärkeä huomio", "Asia 2: tärkeä huomio"]
    first = Document(io.BytesIO(docx)).paragraphs[0]
    assert [(r.text, bool(r.bold)) for r in first.runs if r.text.strip()][-2:] == [
        ("tärkeä", True),
        (" huomio", False),
    ]


def test_metadata_is_fixed_and_bytes_are_deterministic() -> None:
    """Verify the document's title, language, author and dates are set from the arguments, and
    two renders (the second from a cached, copied template) are byte-identical."""
    tpl = template("{{ v }}")
    first, second = render(tpl, v="sama"), render(tpl, v="sama")
    assert first == second
    props = Document(io.BytesIO(first)).core_properties
    assert (props.title, props.language, props.author) == (
        "Pöytäkirja 5/2026",
        "fi-FI",
        "Äänekosken kaupunki, Neuvotteluryhmä",
    )
    assert props.created == props.modified == CREATED.replace(tzinfo=dt.UTC)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_a_render_does_not_change_the_next_one() -> None:
    """Verify the parsed template is copied for each render: what one render fills in never
    shows up in the next."""
    tpl = template("{%p for i in items %}", "{{ i }}", "{%p endfor %}")
    assert paragraphs(render(tpl, items=["a", "b", "c"])) == ["a", "b", "c"]
    assert paragraphs(render(tpl, items=["d"])) == ["d"]


def test_package_is_as_valid_as_its_template(tmp_path: Path) -> None:
    """Verify the package zipped from the parts adds no problem to the OOXML schema check: the
    rendered file has exactly the template's (python-docx's own starting file has one)."""
    tpl = template("{{ v }}")
    source, rendered = tmp_path / "template.docx", tmp_path / "out.docx"
    source.write_bytes(tpl)
    rendered.write_bytes(render(tpl, v=TRICKY))
    assert problems(rendered) == problems(source)


def test_unknown_placeholder_and_broken_file_are_input_errors() -> None:
    """Verify a name the context lacks and a file that is not a DOCX are InputErrors that name
    the template, not tracebacks."""
    with pytest.raises(InputError, match=r"pohja\.docx"):
        render(template("{{ puuttuu }}"))
    with pytest.raises(InputError, match=r"pohja\.docx"):
        render(b"PK\x03\x04 not really a zip")

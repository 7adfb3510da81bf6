"""DOCX through docxtpl: sandboxed rendering, fixed metadata and deterministic packaging."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from docxtpl import DocxTemplate, RichText
from jinja2 import Environment, TemplateError

from pipeline.errors import InputError, Problem, template_error
from pipeline.markup import Rich
from pipeline.render.base import convert_rich
from pipeline.render.package import write_zip


def _rich_text(rich: Rich) -> RichText:
    text = RichText()
    for run in rich.runs:
        text.add(run.text, bold=run.bold or None, italic=run.italic or None)
    return text


def render_docx(
    template: bytes,
    context: Mapping[str, Any],
    env: Environment,
    *,
    name: str,
    title: str,
    author: str,
    language: str,
    created: dt.datetime,
) -> bytes:
    """Render a DOCX template (its file's bytes) into the bytes of the finished document."""
    try:
        document = DocxTemplate(io.BytesIO(template))
        document.render(convert_rich(dict(context), _rich_text), jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise template_error(name, exc) from None
    except (TypeError, AttributeError, ArithmeticError) as exc:
        # A placeholder that does something a value cannot do, e.g. {{ meeting.number + 1 }}.
        raise template_error(name, exc) from None
    except (KeyError, zipfile.BadZipFile, ValueError) as exc:
        raise InputError(
            [
                Problem(
                    name,
                    0,
                    f"the template is not a usable DOCX file ({exc}); "
                    "save it again from Word or LibreOffice as .docx",
                )
            ]
        ) from None
    props = document.docx.core_properties
    props.title, props.language, props.author = title, language, author
    props.last_modified_by, props.revision, props.comments = "", 1, ""
    props.created = props.modified = created
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
    return write_zip(entries)

"""DOCX through docxtpl: sandboxed rendering, fixed metadata and deterministic packaging."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from typing import Any

from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2 import Environment, TemplateError

from pipeline.errors import InputError, Problem, template_error
from pipeline.markup import Rich
from pipeline.render.base import convert_rich
from pipeline.render.package import write_zip
from pipeline.render.picture import Picture


def _rich_text(rich: Rich) -> RichText:
    text = RichText()
    for run in rich.runs:
        text.add(run.text, bold=run.bold or None, italic=run.italic or None)
    return text


class _Image(InlineImage):
    """docxtpl's inline image with its alternative text (wp:docPr descr), which a screen
    reader reads and LibreOffice carries into the tagged PDF."""

    def __init__(self, tpl: DocxTemplate, picture: Picture) -> None:
        data = picture.raster or picture.data
        size = {"width": Cm(picture.width_cm), "height": Cm(picture.height_cm)}
        super().__init__(tpl, io.BytesIO(data), **size)
        self.alt = picture.alt

    def _insert_image(self) -> str:
        part = self.tpl.current_rendering_part
        inline = part.new_pic_inline(self.image_descriptor, self.width, self.height)
        for element in inline.xpath(".//wp:docPr | .//pic:cNvPr"):
            element.set("descr", self.alt)
        drawing = f"<w:drawing>{inline.xml}</w:drawing>"
        return f'</w:t></w:r><w:r>{drawing}</w:r><w:r><w:t xml:space="preserve">'


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
        values = convert_rich(dict(context), _rich_text, lambda p: _Image(document, p))
        document.render(values, jinja_env=env, autoescape=True)
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

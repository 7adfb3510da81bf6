"""DOCX through docxtpl: sandboxed rendering, fixed metadata and deterministic packaging."""

from __future__ import annotations

import copy
import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.package import OpcPackage
from docx.opc.packuri import PACKAGE_URI
from docx.opc.pkgwriter import _ContentTypesItem  # what python-docx's own writer uses
from docx.shared import Cm
from docxtpl import DocxTemplate, InlineImage, RichText
from jinja2 import Environment, TemplateError

from pipeline.errors import InputError, Problem, template_error
from pipeline.i18n import _
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


@lru_cache(maxsize=16)
def _opened(template: bytes) -> DocxDocument:
    """The template opened by python-docx once: each render fills a copy of it (copying the
    parsed parts is several times faster than unzipping and parsing them again)."""
    return Document(io.BytesIO(template))


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
        document.docx = copy.deepcopy(_opened(template))
        values = convert_rich(dict(context), _rich_text, lambda p: _Image(document, p))
        document.render(values, jinja_env=env, autoescape=True)
    except TemplateError as exc:
        raise template_error(name, exc) from None
    except (TypeError, AttributeError, ArithmeticError) as exc:
        # A placeholder that does something a value cannot do, e.g. {{ meeting.number + 1 }}.
        raise template_error(name, exc) from None
    except (KeyError, zipfile.BadZipFile, ValueError):
        raise InputError(
            [
                Problem(
                    name,
                    0,
                    _(
                        "the template is not a usable DOCX file; save it again from Word or "
                        "LibreOffice as .docx"
                    ),
                )
            ]
        ) from None
    props = document.docx.core_properties
    props.title, props.language, props.author = title, language, author
    props.last_modified_by, props.revision, props.comments = "", 1, ""
    props.created = props.modified = created
    return write_zip(_entries(document.docx.part.package))


def _entries(package: OpcPackage) -> list[tuple[str, bytes]]:
    """The package's files as python-docx writes them, in its order, taken from the parts
    themselves: zipped once, with fixed timestamps, instead of saved, read back and zipped
    again. (docxtpl's save adds nothing here: it only replaces pictures and media on request.)"""
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    entries = [
        ("[Content_Types].xml", _ContentTypesItem.from_parts(parts).blob),
        (PACKAGE_URI.rels_uri.membername, package.rels.xml),
    ]
    for part in parts:
        entries.append((part.partname.membername, part.blob))
        if len(part.rels):
            entries.append((part.partname.rels_uri.membername, part.rels.xml))
    return entries

"""The ODT engine: docxtpl's placeholder language on an OpenDocument template's XML tree."""

from __future__ import annotations

import datetime
import re
import traceback
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import replace
from functools import lru_cache
from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from lxml import etree
from markupsafe import Markup, escape

from pipeline.errors import InputError, Problem, template_detail
from pipeline.i18n import _
from pipeline.markup import Rich
from pipeline.render.base import TemplateEnvironment
from pipeline.render.package import write_zip
from pipeline.render.picture import Picture
from pipeline.storage import NOT_XML

_MIMETYPE = "application/vnd.oasis.opendocument.text"
_META, _MANIFEST = "meta.xml", "META-INF/manifest.xml"
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "fo": "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    "xlink": "http://www.w3.org/1999/xlink",
}


def _q(name: str) -> str:
    """The lxml name of a prefixed ODF name: "text:p" -> "{urn:...:text:1.0}p"."""
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


# Templates come from outside: no entity expansion, no network access.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
_PARAGRAPHS = (_q("text:p"), _q("text:h"))
# Elements whose text is part of the paragraph's text. Anything else (frames, notes, fields,
# comments) is opaque: a tag does not continue inside it.
_INLINE = {_q("text:span"), _q("text:a"), _q("text:meta")}
_SPACING = {_q("text:s"): " ", _q("text:tab"): "\t", _q("text:line-break"): "\n"}
# A list item holding nothing but a {%p %} paragraph goes with it: no empty bullet is left.
_LIST_WRAPPERS = {_q("text:list"), _q("text:list-item"), _q("text:list-header")}
_CELLS = {"tr": _q("table:table-row"), "tc": _q("table:table-cell")}

_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_STRUCTURAL = re.compile(r"\{([%#])(p|tr|tc)\s(.*)", re.S)
_PRINT = re.compile(r"\{\{(-?)(r\s)?(.*?)(-?)\}\}", re.S)
# An office suite auto-corrects quotes and may type a no-break space into what is code.
_TAG_CHARS = str.maketrans("“”„‘’‚\xa0", "\"\"\"''' ")
_PI_TARGET = "minutes-tag"
_PI_REF = re.compile(r"<\?minutes-tag (\d+)\?>")

_NOT_XML = re.compile(NOT_XML)
# ODF collapses literal white space: runs of spaces, a space next to a tab or line break or at
# either end of a value, tabs and line breaks are written as elements to print exactly as typed.
_WHITESPACE = re.compile(r"\r\n|[\t\n\r]| {2,}|(?<![^\t\n\r]) | (?![^\t\n\r])")
_RUN_STYLES = {
    (True, False): "minutes_strong",
    (False, True): "minutes_emphasis",
    (True, True): "minutes_strong_emphasis",
}
# What meta.xml says about the template and its editing, not about this document; meta:template
# would also make LibreOffice offer to "update the styles" from the template file.
_DROPPED_META = {
    _q(name)
    for name in (
        "meta:editing-duration",
        "meta:editing-cycles",
        "meta:document-statistic",
        "meta:print-date",
        "meta:printed-by",
        "meta:initial-creator",
        "dc:creator",
        "meta:template",
    )
}
_MEDIA_TYPES = {
    "xml": "text/xml",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
}
_TEMPLATE_ERRORS = (jinja2.TemplateError, TypeError, ValueError, ArithmeticError)


def render_odt(
    template: dict[str, bytes],
    context: Mapping[str, Any],
    env: jinja2.Environment,
    *,
    title: str,
    author: str = "",
    language: str,
    created: datetime.datetime,
    name: str = "template",
) -> bytes:
    """Fill an ODT template's content.xml and styles.xml with the context; the finished .odt.
    A problem of the template is named by `name` (its file) and the part: `… content.xml`."""
    try:
        return _render_template(template, context, env, title, author, language, created)
    except InputError as exc:
        raise InputError(
            [replace(p, file=p.file.replace("template", name, 1)) for p in exc.problems]
        ) from None


def _render_template(
    template: dict[str, bytes],
    context: Mapping[str, Any],
    env: jinja2.Environment,
    title: str,
    author: str,
    language: str,
    created: datetime.datetime,
) -> bytes:
    if "content.xml" not in template:
        raise _error("template", _("it has no content.xml, so it is not an ODT document"))
    parts = {"mimetype": _MIMETYPE.encode()}  # an .ott template gives a document too
    versions: dict[str, str | None] = {}
    pictures: dict[str, bytes] = {}
    token = _PICTURES.set(pictures)
    try:
        for part in ("content.xml", "styles.xml"):
            if part in template:
                parts[part], versions[part] = _render_part(env, part, template[part], context)
    finally:
        _PICTURES.reset(token)
    version = versions["content.xml"]
    parts |= pictures
    # The thumbnail shows the template, not this document.
    names = [n for n in template if n != "mimetype" and not n.startswith("Thumbnails/")]
    names += sorted(n for n in pictures if n not in names)
    names = ["mimetype", *names, *(n for n in (_META, _MANIFEST) if n not in names)]
    parts[_META] = _meta(template.get(_META), version, title, author, language, created)
    parts[_MANIFEST] = _manifest(template.get(_MANIFEST), names, version)
    entries = ((name, parts[name] if name in parts else template[name]) for name in names)
    return write_zip(entries, stored=["mimetype"])


def _render_part(
    env: jinja2.Environment, part: str, data: bytes, context: Mapping[str, Any]
) -> tuple[bytes, str | None]:
    """The filled-in part, checked to be well-formed, and its ODF version."""
    template, lines, version = _compile(_printing_odf(env), part, data)
    try:
        xml = template.render(context)
    except _TEMPLATE_ERRORS as exc:
        raise _template_problem(part, exc, lines) from None
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        message = _(
            "the filled-in template is not well-formed XML (line {line}); an {if_tag} or "
            "{for_tag} over several paragraphs must be written {p_tag}, over table rows {tr_tag}"
        ).format(
            line=exc.lineno,
            if_tag="{% if %}",
            for_tag="{% for %}",
            p_tag="{%p ... %}",
            tr_tag="{%tr ... %}",
        )
        raise _error(f"template {part}", message) from None
    if _LIST_END_START.search(xml) and _merge_lists(root):
        xml = etree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + xml).encode(), version


_LIST_END_START = re.compile(r"</text:list>\s*<text:list[ >]")


def _merge_lists(root: etree._Element) -> bool:
    """Make list items that follow each other one list: a template writes each bulleted
    paragraph as a list of its own, which a screen reader would announce as many lists of one
    item. Lists are merged only when nothing but white space is between them and they have the
    same attributes (the same list style)."""
    merged = False
    for current in list(root.iter(_q("text:list"))):
        before = current.getprevious()
        if (
            current.getparent() is None
            or before is None
            or before.tag != current.tag
            or (before.tail or "").strip()
            or dict(before.attrib) != dict(current.attrib)
        ):
            continue
        before.extend(list(current))
        before.tail = current.tail
        current.getparent().remove(current)
        merged = True
    return merged


@lru_cache(maxsize=32)
def _compile(
    env: jinja2.Environment, part: str, data: bytes
) -> tuple[jinja2.Template, dict[int, list[str]], str | None]:
    """The part's Jinja template, the typed tags on each of its lines, and its ODF version."""
    root = _parse(data, f"template {part}")
    if root.nsmap.get("text") != _NS["text"]:
        root = _with_text_prefix(root, part)
    tags = _Tags(part)
    for paragraph in list(root.iter(*_PARAGRAPHS)):
        if not any(ancestor in tags.replaced for ancestor in paragraph.iterancestors()):
            tags.merge(paragraph)
        # One paragraph a line, so that a Jinja error's line names the tags to quote. A paragraph
        # sits where white space is insignificant.
        paragraph.tail = "\n" + (paragraph.tail or "")
    if tags.rich:
        _add_rich_styles(root)
    chunks = _PI_REF.split(etree.tostring(root, encoding="unicode"))
    lines: dict[int, list[str]] = {}
    line = 1
    for i in range(1, len(chunks), 2):
        line += chunks[i - 1].count("\n")
        index = int(chunks[i])
        lines.setdefault(line, []).append(tags.typed[index])
        chunks[i] = tags.code[index]
        line += chunks[i].count("\n")
    try:
        compiled = env.from_string("".join(chunks), globals=_GLOBALS)
    except jinja2.TemplateSyntaxError as exc:
        raise _template_problem(part, exc, lines) from None
    return compiled, lines, root.get(_q("office:version"))


class _Tags:
    """A part's tags: each stands in the tree as a processing instruction until serialised."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.code: list[str] = []  # what Jinja compiles
        self.typed: list[str] = []  # what the template's author typed, to quote in errors
        self.replaced: set[etree._Element] = set()
        self.rich = False

    def mark(self, typed: str, code: str) -> etree._Element:
        self.code.append(code)
        self.typed.append(typed)
        self.rich = self.rich or "_odf_rich(" in code
        return etree.ProcessingInstruction(_PI_TARGET, str(len(self.code) - 1))

    def merge(self, paragraph: etree._Element) -> None:
        """Gather each tag split over spans and spacing elements into one place of the tree."""
        atoms = list(_atoms(paragraph))
        text = "".join(value for _, _, value in atoms)
        if "{" not in text:
            return
        found = [(m.start(), m.end(), m.group().translate(_TAG_CHARS)) for m in _TAG.finditer(text)]
        structural = [(typed, m[2]) for _, _, typed in found if (m := _STRUCTURAL.match(typed))]
        if structural:
            self._replace(paragraph, structural)
            return
        spans = [(start, end, self.mark(typed, _code(typed))) for start, end, typed in found]
        emptied: list[etree._Element] = []
        position = 0
        for node, slot, value in atoms:
            end = position + len(value)
            inside = [span for span in spans if span[0] < end and span[1] > position]
            if inside and slot == "spacing":
                emptied.append(node)  # never cut: a tag's braces hold no white space
            elif inside:
                _splice(node, slot, _pieces(value, position, inside))
                if slot == "text" and node is not paragraph and not node.text and not len(node):
                    emptied.append(node)  # a span that held only part of a tag
            position = end
        for node in emptied:
            _drop(node)

    def _replace(self, paragraph: etree._Element, structural: list[tuple[str, str]]) -> None:
        """Replace the paragraph, row or cell holding {%p %}, {%tr %} or {%tc %} by the tags."""
        kinds = {kind for _, kind in structural}
        kind = "tr" if "tr" in kinds else "tc" if "tc" in kinds else "p"
        if kind == "p":
            container = paragraph
            while (parent := container.getparent()).tag in _LIST_WRAPPERS and len(parent) == 1:
                container = parent
        else:
            container = next(paragraph.iterancestors(_CELLS[kind]), None)
        if container is None:
            message = (
                _("{tag} is not in a table row; outside tables write {p_tag}")
                if kind == "tr"
                else _("{tag} is not in a table cell; outside tables write {p_tag}")
            ).format(tag=structural[0][0], p_tag="{%p ... %}")
            raise _error(f"template {self.part}", message)
        typed = "".join(tag for tag, _ in structural)
        pi = self.mark(typed, "".join(_code(tag) for tag, _ in structural))
        pi.tail = "\n" + (container.tail or "")
        container.getparent().replace(container, pi)
        self.replaced.add(container)


def _atoms(element: etree._Element) -> Iterator[tuple[etree._Element, str, str]]:
    """The paragraph's text in order: (node, "text" | "tail" | "spacing", the characters)."""
    if element.text:
        yield element, "text", element.text
    for child in element:
        if child.tag in _SPACING:
            count = child.get(_q("text:c"), "1")
            count = min(int(count), 1000) if count.isdigit() else 1  # no memory bomb
            yield child, "spacing", _SPACING[child.tag] * count
        elif child.tag in _INLINE:
            yield from _atoms(child)
        if child.tail:
            yield child, "tail", child.tail


def _pieces(value: str, position: int, inside: list[tuple[int, int, Any]]) -> list[Any]:
    """A text node's characters outside tags, with each tag starting in it: [text, tag, text...]."""
    pieces: list[Any] = []
    cursor = position
    for start, end, pi in inside:
        if start >= cursor:
            pieces += [value[cursor - position : start - position], pi]
        cursor = min(end, position + len(value))
    return [*pieces, value[cursor - position :]]


def _splice(node: etree._Element, slot: str, pieces: list[Any]) -> None:
    texts, pis = pieces[0::2], pieces[1::2]
    if slot == "text":
        node.text = texts[0] or None
        for index, (pi, after) in enumerate(zip(pis, texts[1:], strict=True)):
            node.insert(index, pi)
            pi.tail = after or None
    else:
        node.tail = texts[0] or None
        for pi, after in zip(pis, texts[1:], strict=True):
            node.addnext(pi)
            pi.tail = after or None
            node = pi


def _drop(element: etree._Element) -> None:
    """Remove an element, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail and previous is not None:
        previous.tail = (previous.tail or "") + element.tail
    elif element.tail:
        parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _code(typed: str) -> str:
    """The Jinja code of a typed tag: structural tags lose their letter, values print as ODF."""
    if structural := _STRUCTURAL.match(typed):
        return "{" + structural[1] + " " + structural[3]
    printed = _PRINT.fullmatch(typed)
    if printed is None or not printed[3].strip():
        return typed
    left, rich, expression, right = printed.groups()
    if rich:
        return "{{" + left + f" _odf_rich(({expression})) " + right + "}}"
    return "{{" + left + f" ({expression}) " + right + "}}"  # printed by `finalize`: _odf_text


@lru_cache(maxsize=8)
def _printing_odf(env: jinja2.Environment) -> jinja2.Environment:
    """The environment with every printed value turned into ODF text by its `finalize`: Jinja
    calls it directly for each {{ }}, where a function in the template would be a sandboxed
    call per value (several times slower). The value is escaped there whatever the
    environment's autoescape says, and a value that already is markup (a {{r }} span, a
    macro's output) is left as it is; so the output code calls finalize alone, without
    autoescape's second escape() of what finalize returned."""
    odf = env.overlay(finalize=_odf_text)
    odf.code_generator_class = _FinalizedOutput
    if isinstance(odf, TemplateEnvironment):
        odf._compiled = {}  # its cache of templates compiled without the finalize
    return odf


class _FinalizedOutput(CodeGenerator):
    """Printed values are `environment.finalize(value)`: escaping is finalize's own job."""

    def _output_child_pre(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is None:
            super()._output_child_pre(node, frame, finalize)
        else:
            self.write(finalize.src)

    def _output_child_post(self, node: Any, frame: Any, finalize: Any) -> None:
        if finalize.src is None:
            super()._output_child_post(node, frame, finalize)
        else:
            self.write(")")


def _odf_text(value: object) -> Markup:
    """A printed value as ODF text: escaped, with its white space kept. (It runs for every
    value printed, so the common case, a plain text, goes first and skips markupsafe's
    Python-level constructor.)"""
    if type(value) is not str:
        if isinstance(value, Picture):
            return _odf_picture(value)
        if hasattr(value, "__html__"):  # already markup: a macro's output or a {{r }} value
            return Markup(value)
        value = str(value)
    text = _checked(value)
    # What _WHITESPACE finds, told by quick tests first: most values have no such space.
    if (
        "\t" in text
        or "\n" in text
        or "\r" in text
        or "  " in text
        or text[:1] == " "
        or text[-1:] == " "
    ):
        return Markup(_WHITESPACE.sub(_spacing_element, escape(text)))
    escaped = (  # as markupsafe.escape does
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&#34;")
        .replace("'", "&#39;")
    )
    return str.__new__(Markup, escaped)


def _odf_rich(value: object) -> Markup:
    """Formatted text as ODF spans of the minutes_* automatic styles; anything else as text."""
    if not isinstance(value, Rich):
        return _odf_text(value)
    spans = []
    for run in value.runs:
        text, style = _odf_text(run.text), _RUN_STYLES.get((run.bold, run.italic))
        spans.append(f'<text:span text:style-name="{style}">{text}</text:span>' if style else text)
    return Markup("".join(spans))


# The pictures printed by the render under way, which go into its package.
_PICTURES: ContextVar[dict[str, bytes]] = ContextVar("pictures")


def _odf_picture(picture: Picture) -> Markup:
    """A picture as a frame in the text, with its alternative text (svg:title and svg:desc)."""
    path = f"Pictures/{picture.name}"
    _PICTURES.get()[path] = picture.data
    alt = escape(_checked(picture.alt))
    return Markup(
        f'<draw:frame xmlns:draw="{_NS["draw"]}" xmlns:svg="{_NS["svg"]}" '
        f'xmlns:text="{_NS["text"]}" draw:name="{picture.name}" text:anchor-type="as-char" '
        f'svg:width="{picture.width_cm:.3f}cm" svg:height="{picture.height_cm:.3f}cm" '
        f'draw:z-index="0"><draw:image xmlns:xlink="{_NS["xlink"]}" xlink:href="{path}" '
        'xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        f"<svg:title>{alt}</svg:title><svg:desc>{alt}</svg:desc></draw:frame>"
    )


_GLOBALS = {"_odf_rich": _odf_rich}


def _spacing_element(match: re.Match[str]) -> str:
    found = match.group()
    if found == "\t":
        return "<text:tab/>"
    if found.strip(" "):
        return "<text:line-break/>"
    return f'<text:s text:c="{len(found)}"/>' if len(found) > 1 else "<text:s/>"


def _checked(text: str) -> str:
    """The text, if XML can carry every character of it (the last guard: inputs are validated)."""
    if bad := _NOT_XML.search(text):
        message = _(
            "the text {text!r} holds the character U+{code:04X}, which a document cannot "
            "contain; remove it from the input"
        ).format(text=text[:60], code=ord(bad.group()))
        raise _error("input", message)
    return text


def _error(where: str, message: str) -> InputError:
    return InputError([Problem(where, 0, message)])


def _template_problem(part: str, exc: Exception, lines: dict[int, list[str]]) -> InputError:
    """A Jinja error as a problem of the template, quoting the tags on the line it names."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        line = exc.lineno
    else:
        frames = traceback.extract_tb(exc.__traceback__)
        line = next((f.lineno or 0 for f in reversed(frames) if f.filename == "<template>"), 0)
    near = _(" (at {tags})").format(tags=" ".join(lines[line])) if line in lines else ""
    return _error(
        f"template {part}",
        _("a placeholder cannot be filled in: {detail}{near}").format(
            detail=template_detail(exc), near=near
        ),
    )


def _parse(data: bytes, where: str) -> etree._Element:
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        message = _(
            "not well-formed XML (line {line}); save the template again from LibreOffice"
        ).format(line=exc.lineno)
        raise _error(where, message) from None


def _with_text_prefix(root: etree._Element, part: str) -> etree._Element:
    """The root with the text: prefix declared, which the printed values' markup uses."""
    if "text" in root.nsmap:
        message = _("its prefix text: is not ODF text; save the template again from LibreOffice")
        raise _error(f"template {part}", message)
    rooted = etree.Element(root.tag, dict(root.attrib), nsmap={**root.nsmap, "text": _NS["text"]})
    rooted.text = root.text
    rooted.extend(root)
    return rooted


def _add_rich_styles(root: etree._Element) -> None:
    """Declare the minutes_* text styles of formatted values, unless the template has its own."""
    automatic = root.find(_q("office:automatic-styles"))
    if automatic is None:
        automatic = etree.Element(_q("office:automatic-styles"))
        later = [c for c in root if c.tag in (_q("office:master-styles"), _q("office:body"))]
        if later:
            later[0].addprevious(automatic)
        else:
            root.append(automatic)
    names = {style.get(_q("style:name")) for style in automatic}
    for (bold, italic), name in _RUN_STYLES.items():
        if name not in names:
            style = etree.SubElement(
                automatic,
                _q("style:style"),
                {_q("style:name"): name, _q("style:family"): "text"},
                nsmap={"style": _NS["style"], "fo": _NS["fo"]},
            )
            properties = etree.SubElement(style, _q("style:text-properties"))
            if bold:
                properties.set(_q("fo:font-weight"), "bold")
            if italic:
                properties.set(_q("fo:font-style"), "italic")


def _meta(
    data: bytes | None,
    version: str | None,
    title: str,
    author: str,
    language: str,
    created: datetime.datetime,
) -> bytes:
    """meta.xml of this document: its title, language and date, nothing about the template."""
    skeleton = (
        f'<office:document-meta xmlns:office="{_NS["office"]}" xmlns:meta="{_NS["meta"]}" '
        f'xmlns:dc="{_NS["dc"]}"><office:meta/></office:document-meta>'
    )
    root = _parse(data or skeleton.encode(), f"template {_META}")
    if version:
        root.set(_q("office:version"), version)
    meta = root.find(_q("office:meta"))
    if meta is None:
        meta = etree.SubElement(root, _q("office:meta"))
    for element in list(meta):
        if element.tag in _DROPPED_META:
            meta.remove(element)
    when = created.replace(microsecond=0).isoformat()
    values = {
        "meta:generator": "minutes",
        "dc:title": title,
        "dc:language": language,
        "meta:creation-date": when,
        "dc:date": when,
    }
    if author:
        values |= {"meta:initial-creator": author, "dc:creator": author}
    for name, value in values.items():
        element = meta.find(_q(name))
        if element is None:
            prefix = name.split(":")[0]
            element = etree.SubElement(meta, _q(name), nsmap={prefix: _NS[prefix]})
        element.text = _checked(value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _manifest(data: bytes | None, names: list[str], version: str | None) -> bytes:
    """The manifest listing exactly the package's files, of the content's ODF version."""
    skeleton = f'<manifest:manifest xmlns:manifest="{_NS["manifest"]}"/>'
    root = _parse(data or skeleton.encode(), f"template {_MANIFEST}")
    if version:
        root.set(_q("manifest:version"), version)
    path, media_type = _q("manifest:full-path"), _q("manifest:media-type")
    listed = {"mimetype", _MANIFEST}
    for entry in root.findall(_q("manifest:file-entry")):
        where = entry.get(path, "")
        folder = where.endswith("/") and any(name.startswith(where) for name in names)
        if where == "/":
            entry.set(media_type, _MIMETYPE)
        elif where not in names and not folder:
            root.remove(entry)  # a dropped file (the thumbnail) or one the template lacked
            continue
        listed.add(where)
    if "/" not in listed:
        root.insert(0, etree.Element(_q("manifest:file-entry"), {path: "/", media_type: _MIMETYPE}))
    for name in names:
        if name not in listed and not name.endswith("/"):
            kind = _MEDIA_TYPES.get(name.rsplit(".", 1)[-1].lower(), "")
            etree.SubElement(root, _q("manifest:file-entry"), {path: name, media_type: kind})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

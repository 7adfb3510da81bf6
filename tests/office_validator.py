"""The project's schema check of DOCX and ODT files, over the published schemas in tests/schemas/.

    python tests/office_validator.py FILE...

DOCX: every XML part well-formed; the package parts (content types, relationships, core
properties) against the Open Packaging Conventions schemas; every WordprocessingML part
(document, headers, footers, styles, numbering, settings...) against ECMA-376 Transitional, once
the markup that mc:Ignorable allows a reader to skip is set aside; every internal relationship
pointing at a part that exists, and every part having a content type.

ODT: the package rules of ODF (mimetype first, stored and right; every file in the manifest) and
content.xml, styles.xml, meta.xml, settings.xml and the manifest against the OpenDocument RelaxNG
schema of the version the file declares (1.2 or 1.3), once foreign elements and attributes are
set aside, as ODF allows of an extended document.

Word and LibreOffice open invalid files without a word and drop what they do not understand;
this check is what says a file is right.
"""

from __future__ import annotations

import posixpath
import sys
import zipfile
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "schemas"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_ODF = "urn:oasis:names:tc:opendocument:xmlns:"
# The namespaces the OpenDocument schema defines; anything else is foreign.
_ODF_NAMES = (
    "office:1.0 style:1.0 text:1.0 table:1.0 drawing:1.0 xsl-fo-compatible:1.0 meta:1.0 "
    "datastyle:1.0 presentation:1.0 svg-compatible:1.0 chart:1.0 dr3d:1.0 animation:1.0 "
    "form:1.0 script:1.0 config:1.0 database:1.0 smil-compatible:1.0 of:1.2 manifest:1.0"
)
ODF_NAMESPACES = {_ODF + name for name in _ODF_NAMES.split(" ")} | {
    "http://purl.org/dc/elements/1.1/",
    "http://www.w3.org/1999/xlink",
    "http://www.w3.org/1998/Math/MathML",
    "http://www.w3.org/2002/xforms",
    "http://www.w3.org/1999/xhtml",
    "http://www.w3.org/2003/g/data-view#",
    "http://www.w3.org/XML/1998/namespace",
}
ODF_PARTS = ("content.xml", "styles.xml", "meta.xml", "settings.xml")


@cache
def _xsd(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "ooxml" / name)))


@cache
def _rng(version: str, manifest: bool) -> etree.RelaxNG:
    stem = f"OpenDocument-v{version}{'-os' if version == '1.2' else ''}"
    name = f"{stem}-manifest-schema.rng" if manifest else f"{stem}-schema.rng"
    return etree.RelaxNG(etree.parse(str(SCHEMAS / f"odf{version}" / name)))


def problems(path: Path) -> list[str]:
    """Every problem found in a DOCX or ODT file (empty: the file is valid)."""
    try:
        with zipfile.ZipFile(path) as archive:
            if path.suffix.lower() == ".docx":
                return _docx(archive)
            if path.suffix.lower() == ".odt":
                return _odt(archive)
    except zipfile.BadZipFile as exc:
        return [f"not a zip package: {exc}"]
    return [f"cannot check a {path.suffix!r} file: give a .docx or .odt"]


class _Part:
    """One XML part: parsed, and checked against a schema, its problems kept."""

    def __init__(self, archive: zipfile.ZipFile, name: str, found: list[str]) -> None:
        self.name, self.found = name, found
        try:
            self.root: etree._Element | None = etree.fromstring(archive.read(name), _PARSER)
        except etree.XMLSyntaxError as exc:
            self.root = None
            found.append(f"{name}: not well-formed XML: {exc}")

    def check(self, schema: etree._Validator, root: etree._Element) -> None:
        if not schema.validate(root):
            for error in list(schema.error_log)[:5]:
                self.found.append(f"{self.name}:{error.line}: {error.message}")


def _docx(archive: zipfile.ZipFile) -> list[str]:
    found: list[str] = []
    names = set(archive.namelist())
    if "[Content_Types].xml" not in names:
        return ["[Content_Types].xml is missing: not an Office Open XML package"]
    types = _Part(archive, "[Content_Types].xml", found)
    if types.root is not None:
        types.check(_xsd("opc-xsd/opc-contentTypes.xsd"), types.root)
        _content_types(types.root, names, found)
    for name in sorted(names):
        if name == "[Content_Types].xml" or not name.endswith((".xml", ".rels")):
            continue
        part = _Part(archive, name, found)
        if part.root is None:
            continue
        if name.endswith(".rels"):
            part.check(_xsd("opc-xsd/opc-relationships.xsd"), part.root)
            _relationship_targets(name, part.root, names, found)
        elif name == "docProps/core.xml":
            part.check(_xsd("opc-xsd/opc-coreProperties.xsd"), part.root)
        elif name.startswith("word/") and etree.QName(part.root).namespace == W:
            part.check(_xsd("wml.xsd"), _without_ignorable(part.root))
    return found


def _content_types(root: etree._Element, names: set[str], found: list[str]) -> None:
    """Every part has a content type: an Override of its name or a Default of its extension."""
    defaults = {e.get("Extension", "").lower() for e in root.iter(f"{{{CT}}}Default")}
    overrides = {e.get("PartName", "").lstrip("/") for e in root.iter(f"{{{CT}}}Override")}
    for name in sorted(names - overrides - {"[Content_Types].xml"}):
        if not name.endswith("/") and name.rsplit(".", 1)[-1].lower() not in defaults:
            found.append(f"{name}: the part has no content type in [Content_Types].xml")


def _relationship_targets(
    rels: str, root: etree._Element, names: set[str], found: list[str]
) -> None:
    """Every internal relationship points at a part of the package."""
    source_folder = posixpath.dirname(posixpath.dirname(rels))  # word/_rels/x.rels -> word
    for relation in root.iter(f"{{{REL}}}Relationship"):
        if relation.get("TargetMode") == "External":
            continue
        target = relation.get("Target", "")
        where = (
            target.lstrip("/") if target.startswith("/") else posixpath.join(source_folder, target)
        )
        if posixpath.normpath(where) not in names:
            found.append(
                f"{rels}: relationship {relation.get('Id')} points at {target}, not in the package"
            )


def _without_ignorable(root: etree._Element) -> etree._Element:
    """Markup compatibility: what a consumer may ignore (mc:Ignorable namespaces) set aside."""
    ignorable = {MC}
    for element in root.iter():
        if value := element.get(f"{{{MC}}}Ignorable"):
            ignorable |= {element.nsmap.get(prefix) for prefix in value.split()}
    return _without(root, lambda namespace: namespace in ignorable)


def _without(root: etree._Element, foreign) -> etree._Element:
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            continue
        if foreign(etree.QName(element).namespace):
            parent = element.getparent()
            if parent is not None:
                parent.remove(element)
            continue
        for attribute in list(element.attrib):
            namespace = etree.QName(attribute).namespace
            if namespace and foreign(namespace):
                del element.attrib[attribute]
    return root


def _odt(archive: zipfile.ZipFile) -> list[str]:
    found: list[str] = []
    infos = archive.infolist()
    if not infos or infos[0].filename != "mimetype":
        found.append("mimetype is not the first file of the package")
    elif infos[0].compress_type != zipfile.ZIP_STORED:
        found.append("mimetype is compressed; ODF wants it stored")
    elif archive.read("mimetype") != ODT_MIMETYPE:
        found.append(f"mimetype is {archive.read('mimetype')!r}, not an ODF text document")
    names = set(archive.namelist())
    foreign = lambda namespace: namespace not in ODF_NAMESPACES  # noqa: E731
    if "META-INF/manifest.xml" not in names:
        found.append("META-INF/manifest.xml is missing")
    else:
        manifest = _Part(archive, "META-INF/manifest.xml", found)
        if manifest.root is not None:
            version = manifest.root.get(f"{{{MANIFEST}}}version", "1.2")
            if version in ("1.2", "1.3"):
                manifest.check(_rng(version, True), _without(manifest.root, foreign))
            listed = {e.get(f"{{{MANIFEST}}}full-path") for e in manifest.root}
            for name in sorted(names - listed - {"mimetype", "META-INF/manifest.xml"}):
                if not name.endswith("/"):
                    found.append(f"{name}: in the package but not in the manifest")
    if "content.xml" not in names:
        found.append("content.xml is missing")
    for name in ODF_PARTS:
        if name not in names:
            continue
        part = _Part(archive, name, found)
        if part.root is None:
            continue
        version = part.root.get(f"{{{OFFICE}}}version")
        if version not in ("1.2", "1.3"):
            found.append(f"{name}: office:version is {version!r}; 1.2 or 1.3 was expected")
            continue
        part.check(_rng(version, False), _without(part.root, foreign))
    return found


def main(files: list[str]) -> int:
    if not files:
        print("usage: python tests/office_validator.py FILE...", file=sys.stderr)
        return 2
    invalid = 0
    for name in files:
        found = problems(Path(name))
        for problem in found:
            print(f"{name}: {problem}")
        print(f"{name}: {'valid' if not found else f'INVALID ({len(found)} problems)'}")
        invalid += bool(found)
    return 1 if invalid else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

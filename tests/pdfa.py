"""What of PDF/A-2b (ISO 19005-2) a PDF can be checked for here, with pikepdf: no validator
such as veraPDF is installed, so the tests read the file's own structures for the rules that
the conversion and its post-processing could break."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf

_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})")
# Actions that PDF/A-2 forbids (6.5.1), and filters it forbids (6.1.7.2).
_ACTIONS = {"/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide"}
_FILTERS = {"/LZWDecode"}


def _date(pdf_date: str) -> str:
    """`D:20261201120000+00'00` as `2026-12-01T12:00:00`."""
    match = _DATE.match(pdf_date)
    assert match, pdf_date
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}"


def problems(path: Path) -> list[str]:
    """The PDF/A-2b rules the file breaks, as sentences; empty when none of those checked."""
    found: list[str] = []
    raw = path.read_bytes()
    header = raw.split(b"\n", 2)
    if not re.fullmatch(rb"%PDF-1\.[0-7]\r?", header[0]):
        found.append(f"header {header[0]!r} is not %PDF-1.n (6.1.2)")
    if (
        len(header) < 2
        or not header[1].startswith(b"%")
        or not all(b > 127 for b in header[1][1:5])
    ):
        found.append("no comment of four binary bytes after the header (6.1.2)")
    with pikepdf.open(path) as pdf:
        found += [f"qpdf: {p}" for p in pdf.check_pdf_syntax()]  # xref, streams, objects
        if pdf.is_encrypted:
            found.append("encrypted (6.1.3)")
        if "/ID" not in pdf.trailer:
            found.append("the trailer has no /ID (6.1.3)")
        root = pdf.Root
        for key in ("/AA", "/JavaScript"):
            if key in root or key in root.get("/Names", {}):
                found.append(f"the catalog has {key} (6.5.2)")
        if "/EmbeddedFiles" in root.get("/Names", {}):
            found.append("embedded files (6.8)")
        intents = [i for i in root.get("/OutputIntents", ()) if i.get("/S") == "/GTS_PDFA1"]
        if len(intents) != 1:
            found.append(f"{len(intents)} PDF/A output intents, not one (6.2.3)")
        else:
            profile = intents[0].get("/DestOutputProfile")
            data = profile.read_bytes() if isinstance(profile, pikepdf.Stream) else b""
            if data[36:40] != b"acsp":
                found.append("the output intent has no ICC profile (6.2.3)")
            elif data[16:20] != b"RGB " or int(profile.get("/N", 0)) != 3:
                found.append("the output intent's profile is not an RGB profile with /N 3")
        found += _metadata(pdf)
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
                continue
            kind, subtype = obj.get("/Type"), obj.get("/Subtype")
            if obj.get("/S") in _ACTIONS:
                found.append(f"a {obj.get('/S')} action (6.5.1)")
            if "/JS" in obj:
                found.append("a JavaScript action (6.5.1)")
            filters = obj.get("/Filter")
            names = (
                {str(f) for f in filters} if isinstance(filters, pikepdf.Array) else {str(filters)}
            )
            if names & _FILTERS:
                found.append(f"a stream filtered with {names & _FILTERS} (6.1.7.2)")
            if kind == "/Font" and subtype not in ("/Type0", "/Type3"):
                descriptor = obj.get("/FontDescriptor")
                if descriptor is None or not any(
                    k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
                ):
                    found.append(f"font {obj.get('/BaseFont')} is not embedded (6.2.11.4)")
            if subtype == "/Image" and (obj.get("/Interpolate") or "/Alternates" in obj):
                found.append("an image with /Interpolate or /Alternates (6.2.8)")
            if kind == "/Annot" and subtype != "/Popup" and not int(obj.get("/F", 0)) & 4:
                found.append(f"a {subtype} annotation without the print flag (6.3.2)")
    return found


def _metadata(pdf: pikepdf.Pdf) -> list[str]:
    """The XMP identifies PDF/A-2b, its packet is well formed, and the document information
    agrees with it (6.6.2, 6.6.3, 6.6.4)."""
    found: list[str] = []
    stream = pdf.Root.get("/Metadata")
    if not isinstance(stream, pikepdf.Stream):
        return ["no XMP metadata stream (6.6.2.1)"]
    if "/Filter" in stream:
        found.append("the XMP metadata stream is compressed")
    packet = stream.read_bytes()
    begin = re.match(
        rb'<\?xpacket begin="(\xef\xbb\xbf)?" id="W5M0MpCehiHzreSzNTczkc9d"\?>', packet
    )
    if not begin:
        found.append("the XMP packet has no xpacket header, or one with bytes= or encoding=")
    meta = pdf.open_metadata()
    if meta.get("pdfaid:part") != "2" or meta.get("pdfaid:conformance") != "B":
        found.append("the XMP does not identify PDF/A-2b (6.6.4)")
    info = pdf.docinfo
    pairs = {
        "/Title": meta.get("dc:title"),
        "/Creator": meta.get("xmp:CreatorTool"),
        "/Producer": meta.get("pdf:Producer"),
        "/Subject": meta.get("dc:description"),
        "/Keywords": meta.get("pdf:Keywords"),
    }
    for key, value in pairs.items():
        if key in info and str(info[key]) != (value or ""):
            found.append(f"document info {key} {str(info[key])!r} is not the XMP's {value!r}")
    if "/Author" in info:
        creators = meta.get("dc:creator") or []
        if [str(info["/Author"])] != list(creators):
            found.append(f"document info /Author is not the XMP's dc:creator {creators!r}")
    for key, name in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        if key in info:
            xmp = meta.get(name) or ""
            if not xmp.startswith(_date(str(info[key]))):
                found.append(f"document info {key} {info[key]!s} is not the XMP's {xmp!r}")
    return found

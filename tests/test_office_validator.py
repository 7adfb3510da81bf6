"""The project's schema check finds what is wrong in a document, not only says 'valid'."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from conftest import ROOT
from office_validator import main, problems


def repacked(source: Path, target: Path, change: dict[str, bytes | None], *, stored=()) -> Path:
    """A copy of an office file with parts replaced (None: left out)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(buffer, "w") as new:
        for info in old.infolist():
            data = change.get(info.filename, old.read(info))
            if data is not None:
                kind = zipfile.ZIP_STORED if info.filename in stored else zipfile.ZIP_DEFLATED
                new.writestr(info.filename, data, compress_type=kind)
        for name, data in change.items():
            if name not in old.namelist() and data is not None:
                new.writestr(name, data)
    target.write_bytes(buffer.getvalue())
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name)


def test_docx_problems_are_found(tmp_path: Path) -> None:
    """Verify an unknown WordprocessingML element, a dangling relationship and a part without
    a content type are each reported, and the untouched template is valid."""
    template = ROOT / "templates" / "minutes.docx"
    assert problems(template) == []
    document = part(template, "word/document.xml").replace(b"<w:body>", b"<w:body><w:bogus/>", 1)
    rels = part(template, "word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rId99" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/image" Target="media/none.png"/></Relationships>',
    )
    broken = repacked(
        template,
        tmp_path / "broken.docx",
        {"word/document.xml": document, "word/_rels/document.xml.rels": rels, "word/x.bin": b"x"},
    )
    found = problems(broken)
    assert any(p.startswith("word/document.xml:") and "bogus" in p for p in found), found
    assert any("rId99" in p and "media/none.png" in p for p in found), found
    assert "word/x.bin: the part has no content type in [Content_Types].xml" in found


def test_docx_ignorable_markup_is_set_aside(tmp_path: Path) -> None:
    """Verify markup of a namespace declared mc:Ignorable (w14, as Word writes) is set aside,
    while the same element in a namespace that is not ignorable is a problem."""
    template = ROOT / "templates" / "minutes.docx"
    document = part(template, "word/document.xml")
    assert b'mc:Ignorable="w14' in document
    ignorable = document.replace(b"<w:body>", b"<w:body><w14:extra/>", 1)
    word = repacked(template, tmp_path / "word.docx", {"word/document.xml": ignorable})
    assert problems(word) == []
    not_ignorable = document.replace(b'mc:Ignorable="w14', b'mc:Ignorable="', 1)
    word = repacked(template, tmp_path / "strict.docx", {"word/document.xml": not_ignorable})
    assert problems(word) == []  # w14 declared but unused: still valid
    strict = not_ignorable.replace(b"<w:body>", b"<w:body><w14:extra/>", 1)
    word = repacked(template, tmp_path / "extra.docx", {"word/document.xml": strict})
    assert any("extra" in p for p in problems(word))


def test_odt_problems_are_found(tmp_path: Path) -> None:
    """Verify a compressed mimetype, a file missing from the manifest and an element where the
    OpenDocument schema allows none are each reported."""
    template = ROOT / "templates" / "minutes.odt"
    assert problems(template) == []
    content = part(template, "content.xml").replace(
        b"<office:text>", b"<office:text><text:p><text:p/></text:p>", 1
    )
    broken = repacked(
        template, tmp_path / "broken.odt", {"content.xml": content, "Pictures/logo.png": b"png"}
    )
    found = problems(broken)
    assert "mimetype is compressed; ODF wants it stored" in found
    assert "Pictures/logo.png: in the package but not in the manifest" in found
    assert any(p.startswith("content.xml:") for p in found), found


def test_command_line_exit_codes(tmp_path: Path) -> None:
    """Verify the script's exit code: 0 when every file is valid, 1 when one is not."""
    assert main([str(ROOT / "templates" / "cover_letter.odt")]) == 0
    (tmp_path / "not.odt").write_bytes(b"not a zip")
    assert main([str(ROOT / "templates" / "cover_letter.odt"), str(tmp_path / "not.odt")]) == 1

"""Tests of the ODT engine: placeholders on ODT templates built here with odfpy."""

from __future__ import annotations

import datetime
import io
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import StrictUndefined
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree
from odf.element import Element
from odf.opendocument import OpenDocumentText
from odf.style import Header, MasterPage, PageLayout
from odf.table import Table, TableCell, TableColumn, TableRow
from odf.text import List, ListItem, P, S, Span
from office_validator import problems

from pipeline.errors import InputError
from pipeline.markup import Rich, Run, parse_blocks
from pipeline.render.odt import render_odt
from pipeline.render.package import read_template

TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
CREATED = datetime.datetime(2026, 11, 30, 9, 15, 7, 123456)
TRICKY = "A & B < C > D \"E\" 'F' {{ x }} {% if y %} </text:p> 😀 Åäö ß"
XML_INVALID = [chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)] + [
    "\x7f",
    "\ufffe",
    "\uffff",
]


def env() -> SandboxedEnvironment:
    return SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)


def paragraph(*parts: str | Element) -> Element:
    """A text:p of plain strings and odfpy elements (spans, spacing) in order."""
    p = P()
    for part in parts:
        if isinstance(part, str):
            p.addText(part)
        else:
            p.addElement(part)
    return p


def template(*body: str | Element, header: str | None = None) -> dict[str, bytes]:
    """An ODT template of the given paragraphs (or elements), as read_template returns it."""
    doc = OpenDocumentText()
    if header is not None:
        layout = PageLayout(name="pm1")
        doc.automaticstyles.addElement(layout)
        page = MasterPage(name="Standard", pagelayoutname=layout)
        top = Header()
        top.addElement(P(text=header))
        page.addElement(top)
        doc.masterstyles.addElement(page)
    for item in body:
        doc.text.addElement(P(text=item) if isinstance(item, str) else item)
    buffer = io.BytesIO()
    doc.write(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def table(*rows: list[str]) -> Table:
    grid = Table(name="T")
    grid.addElement(TableColumn())
    for cells in rows:
        row = TableRow()
        for text in cells:
            cell = TableCell()
            cell.addElement(P(text=text))
            row.addElement(cell)
        grid.addElement(row)
    return grid


def render(tpl: dict[str, bytes], **context: Any) -> bytes:
    return render_odt(
        tpl, context, env(), title="Pöytäkirja 5/2026", language="fi-FI", created=CREATED
    )


def part(odt: bytes, name: str = "content.xml") -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        return etree.fromstring(archive.read(name))


def odf_text(element: etree._Element) -> str:
    """The text a reader sees (ODF 1.2, 6.1.2): literal white space collapses to one space and
    vanishes at the paragraph's ends; text:s, text:tab and text:line-break print as they are."""
    chars: list[tuple[str, bool]] = []  # (character, literal white space)

    def walk(node: etree._Element) -> None:
        chars.extend((c, c in " \t\r\n") for c in node.text or "")
        for child in node:
            if child.tag == f"{{{TEXT}}}s":
                chars.extend([(" ", False)] * int(child.get(f"{{{TEXT}}}c", "1")))
            elif child.tag == f"{{{TEXT}}}tab":
                chars.append(("\t", False))
            elif child.tag == f"{{{TEXT}}}line-break":
                chars.append(("\n", False))
            elif isinstance(child.tag, str):
                walk(child)
            chars.extend((c, c in " \t\r\n") for c in child.tail or "")

    walk(element)
    seen: list[tuple[str, bool]] = []
    for char, collapsible in chars:
        if not collapsible:
            seen.append((char, False))
        elif seen and seen[-1][0] not in " \t\n":
            seen.append((" ", True))
    while seen and seen[-1][1]:
        seen.pop()
    return "".join(char for char, _ in seen)


def texts(odt: bytes, name: str = "content.xml") -> list[str]:
    """The text of every paragraph and heading of a part, as a reader sees it."""
    root = part(odt, name)
    return [odf_text(p) for p in root.iter(f"{{{TEXT}}}p", f"{{{TEXT}}}h")]


def test_tag_split_over_spans_and_spacing_is_merged() -> None:
    """Verify a tag split over several spans, or holding text:s spacing, still prints its value."""
    tpl = template(
        paragraph("Kokous ", Span(text="{{ meeting."), Span(text="num"), Span(text="ber }}"), "."),
        paragraph("{", Span(text="{"), S(), "meeting.place", S(c=3), "}} ja {{ x", S(), "}}"),
        paragraph(Span(text="{%"), " if n ", Span(text="> 1 %}iso{% endif %}")),
    )
    odt = render(tpl, meeting={"number": "5/2026", "place": "Valtuustosali"}, x="X", n=2)
    assert texts(odt) == ["Kokous 5/2026.", "Valtuustosali ja X", "iso"]
    first = part(odt).find(f".//{{{TEXT}}}p")
    assert len(first.findall(f"{{{TEXT}}}span")) == 1  # the spans emptied by the merge are gone


def test_values_print_exactly_as_typed() -> None:
    """Verify markup characters, template syntax, quotes and emoji in values are text."""
    odt = render(template("{{ v }}", "[{{ v }}]"), v=TRICKY)
    assert texts(odt) == [TRICKY, f"[{TRICKY}]"]


def test_white_space_of_a_value_is_kept() -> None:
    """Verify runs of spaces, edge spaces, tabs and line breaks of a value survive collapsing."""
    value = " two  spaces,\ttab,\nline, three   end "
    odt = render(template("{{ v }}"), v=value)
    assert texts(odt) == [value]
    xml = etree.tostring(part(odt), encoding="unicode")
    assert '<text:s text:c="3"/>' in xml and "<text:tab/>" in xml and "<text:line-break/>" in xml


def test_entities_and_typographic_quotes_inside_tags_are_code() -> None:
    """Verify > < & stored as entities, and auto-corrected quotes, work as code inside tags."""
    tpl = template("{% if n > 1 and n < 5 %}{{ ”kyllä” ~ ‘!’ }}{% endif %} & ”lainaus”")
    assert texts(render(tpl, n=2)) == ["kyllä! & ”lainaus”"]


def test_p_for_repeats_paragraphs_without_leftovers() -> None:
    """Verify {%p for %} gives one paragraph per item and no paragraph of the tags."""
    tpl = template("Alku", "{%p for x in xs %}", "Kohta {{ x }}", "{%p endfor %}", "Loppu")
    assert texts(render(tpl, xs=["a", "b", "c"])) == [
        "Alku",
        "Kohta a",
        "Kohta b",
        "Kohta c",
        "Loppu",
    ]


def test_p_if_false_leaves_nothing() -> None:
    """Verify a false {%p if %} removes its paragraphs and leaves no empty paragraph."""
    tpl = template(
        "Alku",
        "{%p if meeting.remote %}",
        "Etäyhteys: {{ meeting.remote }}",
        "{%p endif %}",
        "Loppu",
    )
    assert texts(render(tpl, meeting={"remote": ""})) == ["Alku", "Loppu"]


def test_p_for_in_a_list_leaves_no_empty_items() -> None:
    """Verify {%p %} paragraphs that are list items take their list item with them."""
    bullets = List()
    for text in ("{%p for x in xs %}", "{{ x }}", "{%p endfor %}"):
        item = ListItem()
        item.addElement(P(text=text))
        bullets.addElement(item)
    odt = render(template(bullets), xs=["yksi", "kaksi"])
    items = part(odt).findall(f".//{{{TEXT}}}list-item")
    assert [odf_text(item) for item in items] == ["yksi", "kaksi"]


def test_tr_for_repeats_rows() -> None:
    """Verify {%tr for %} gives one table row per item, after the header row."""
    tpl = template(table(["Ryhmä"], ["{%tr for g in groups %}"], ["{{ g }}"], ["{%tr endfor %}"]))
    odt = render(tpl, groups=["KOK", "SDP", "PS", "KESK"])
    rows = part(odt).findall(".//{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-row")
    assert [odf_text(row) for row in rows] == ["Ryhmä", "KOK", "SDP", "PS", "KESK"]


def test_tc_for_repeats_cells() -> None:
    """Verify {%tc for %} gives one table cell per item."""
    odt = render(template(table(["{%tc for x in xs %}", "{{ x }}", "{%tc endfor %}"])), xs="abc")
    cells = part(odt).findall(".//{urn:oasis:names:tc:opendocument:xmlns:table:1.0}table-cell")
    assert [odf_text(cell) for cell in cells] == ["a", "b", "c"]


@pytest.mark.usefixtures("english")  # the problem told apart by its English msgid
def test_tr_outside_a_table_is_an_input_error() -> None:
    """Verify {%tr %} in a paragraph outside any table is reported, not silently mangled."""
    with pytest.raises(InputError, match="not in a table row"):
        render(template("{%tr for x in xs %}", "{%tr endfor %}"), xs=[])


def test_header_in_styles_xml_is_rendered() -> None:
    """Verify placeholders of the page header (styles.xml) are filled in."""
    odt = render(
        template("Runko", header="{{ doc.name }} {{ meeting.number }}"),
        doc={"name": "PÖYTÄKIRJA"},
        meeting={"number": "5/2026"},
    )
    assert texts(odt, "styles.xml") == ["PÖYTÄKIRJA 5/2026"]


def test_rich_text_gives_styled_spans() -> None:
    """Verify {{r }} prints bold and italic runs in minutes_* spans whose styles are declared."""
    rich = Rich(
        (
            Run("Ei "),
            Run("päätöksiä", bold=True),
            Run(", vain "),
            Run("näkemyksiä", italic=True),
            Run(" <&>", bold=True, italic=True),
        )
    )
    odt = render(template("{{r rich }}", "{{ rich }}", "{{r plain }}"), rich=rich, plain="a<b")
    root = part(odt)
    spans = {s.get(f"{{{TEXT}}}style-name"): odf_text(s) for s in root.iter(f"{{{TEXT}}}span")}
    assert spans == {
        "minutes_strong": "päätöksiä",
        "minutes_emphasis": "näkemyksiä",
        "minutes_strong_emphasis": " <&>",
    }
    assert texts(odt) == [rich.text, rich.text, "a<b"]
    style = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
    declared = {s.get(f"{style}name"): s.get(f"{style}family") for s in root.iter(f"{style}style")}
    assert declared == dict.fromkeys(spans, "text")


def test_blocks_render_through_the_readme_pattern() -> None:
    """Verify the README's block loop gives one paragraph per block, bold kept, no tags left."""
    tpl = template(
        "{%p for b in blocks %}",
        "{%p if b.bullet %}",
        "• {{r b.rich }}",
        "{%p else %}",
        "{{r b.rich }}",
        "{%p endif %}",
        "{%p endfor %}",
    )
    blocks = parse_blocks("Taustaa **tärkeää**.\n\n- eka\n- toka")
    odt = render(tpl, blocks=blocks)
    assert texts(odt) == ["Taustaa tärkeää.", "• eka", "• toka"]
    assert "minutes_strong" in etree.tostring(part(odt), encoding="unicode")


def test_undefined_name_is_an_input_error() -> None:
    """Verify a misspelt placeholder is reported with the tag, not printed empty."""
    with pytest.raises(InputError, match=r"template content\.xml.*numbr.*\{\{ meeting\.numbr \}\}"):
        render(template("Kokous {{ meeting.numbr }}"), meeting={"number": "5/2026"})


def test_python_internals_are_out_of_reach() -> None:
    """Verify the sandbox refuses a template reaching for Python internals."""
    with pytest.raises(InputError, match="unsafe"):
        render(template("{{ ''.__class__.__mro__ }}"))


def test_syntax_error_is_an_input_error() -> None:
    """Verify a broken tag or an unclosed block is reported as a template problem."""
    with pytest.raises(InputError, match=r"template content\.xml.*endfor"):
        render(template("{%p for x in xs %}", "{{ x }}"), xs=[])


@pytest.mark.usefixtures("english")  # the problem told apart by its English msgid
def test_if_cutting_through_markup_is_an_input_error() -> None:
    """Verify a {% if %} that would leave broken XML is reported instead of written."""
    tpl = template(paragraph(Span(text="{% if a %}lihava"), " {% endif %}loppu"))
    with pytest.raises(InputError, match="not well-formed XML"):
        render(tpl, a=False)


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\ud800", "\uffff"])
def test_character_xml_cannot_carry_is_refused(bad: str) -> None:
    """Verify a value with a character XML cannot carry is an InputError, not a broken file."""
    with pytest.raises(InputError, match=f"U\\+{ord(bad):04X}"):
        render(template("{{ v }}"), v=f"a{bad}b")


def test_same_inputs_give_identical_bytes() -> None:
    """Verify rendering is deterministic, also with a fresh environment."""
    tpl = template("{{ v }}", header="{{ v }}")
    first = render(tpl, v="sama")
    second = render_odt(
        dict(tpl),
        {"v": "sama"},
        env(),
        title="Pöytäkirja 5/2026",
        language="fi-FI",
        created=CREATED,
    )
    assert first == second


def test_package_mimetype_meta_and_manifest() -> None:
    """Verify mimetype first and stored, meta.xml about the document, the thumbnail dropped."""
    tpl = template("{{ v }}")
    tpl["mimetype"] = b"application/vnd.oasis.opendocument.text-template"
    tpl["Thumbnails/thumbnail.png"] = b"\x89PNG template picture"
    tpl["Pictures/logo.png"] = b"\x89PNG logo"
    odt = render(tpl, v="x")
    with zipfile.ZipFile(io.BytesIO(odt)) as archive:
        infos = archive.infolist()
        assert infos[0].filename == "mimetype" and infos[0].compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.text"
        names = [info.filename for info in infos]
    assert names == [
        "mimetype",
        *(n for n in tpl if n not in ("mimetype", "Thumbnails/thumbnail.png")),
    ]
    manifest_ns = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
    manifest = part(odt, "META-INF/manifest.xml")
    listed = {e.get(f"{manifest_ns}full-path") for e in manifest}
    assert manifest.get(f"{manifest_ns}version") == part(odt).get(
        "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}version"
    )
    assert listed == {"/", "content.xml", "styles.xml", "meta.xml", "Pictures/logo.png"}
    meta = {etree.QName(e).localname: e.text for e in part(odt, "meta.xml").iter() if e.text}
    assert meta == {
        "generator": "minutes",
        "title": "Pöytäkirja 5/2026",
        "language": "fi-FI",
        "creation-date": "2026-11-30T09:15:07",
        "date": "2026-11-30T09:15:07",
    }


def full_document(out: Path) -> Path:
    """A rendered document using every construct, written to out/minutes.odt."""
    tpl = template(
        "{{ org.body }}",
        "{%p for item in items %}",
        "§ {{ item.number }} {{ item.title }}",
        "{%p for b in item.background %}",
        "{{r b.rich }}",
        "{%p endfor %}",
        "{%p endfor %}",
        table(
            ["Ryhmä", "Läsnä"],
            ["{%tr for g in groups %}"],
            ["{{ g.name }}", "{{ g.present }}"],
            ["{%tr endfor %}"],
        ),
        header="{{r doc.name }} {{ meeting.number }}",
    )
    tpl["Thumbnails/thumbnail.png"] = b"\x89PNG template picture"
    items = [
        {
            "number": n,
            "title": f"Asia {n} & <muu>",
            "background": parse_blocks(
                "Ryhmät **sopivat** yhteisestä *näkemyksestä*.\n\n- ensimmäinen\n- toinen"
            ),
        }
        for n in (1, 2)
    ]
    odt = render(
        tpl,
        org={"body": "Neuvotteluryhmä"},
        items=items,
        meeting={"number": "5/2026"},
        doc={"name": Rich((Run("PÖYTÄKIRJA", bold=True),))},
        groups=[{"name": "Vihreä valtuustoryhmä", "present": "Anna  Ahonen"}],
    )
    path = out / "minutes.odt"
    path.write_bytes(odt)
    return path


def test_rendered_document_is_valid_odf(tmp_path: Path) -> None:
    """Verify the rendered file passes the OASIS OpenDocument schema check."""
    path = full_document(tmp_path)
    assert problems(path) == []
    assert texts(path.read_bytes())[:3] == [
        "Neuvotteluryhmä",
        "§ 1 Asia 1 & <muu>",
        "Ryhmät sopivat yhteisestä näkemyksestä.",
    ]


def soffice(out: Path, kind: str, path: Path) -> Path:
    """Convert a file with LibreOffice into out/, with a profile of its own (others may run)."""
    profile = f"-env:UserInstallation={(out / 'profile').as_uri()}"
    command = ["soffice", profile, "--headless", "--convert-to", kind, "--outdir", str(out)]
    subprocess.run([*command, str(path)], check=True, capture_output=True, timeout=180)
    return out / f"{path.stem}.{kind}"


NO_SOFFICE = pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice")


@NO_SOFFICE
def test_libreoffice_prints_the_values(tmp_path: Path) -> None:
    """Verify LibreOffice converts the rendered file to a PDF holding the values as typed."""
    pdf = soffice(tmp_path, "pdf", full_document(tmp_path))
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True)
    for expected in ("PÖYTÄKIRJA 5/2026", "§ 2 Asia 2 & <muu>", "Vihreä valtuustoryhmä", "toinen"):
        assert expected in text.stdout
    assert "{{" not in text.stdout and "{%" not in text.stdout


@NO_SOFFICE
def test_template_saved_by_libreoffice_renders_valid(tmp_path: Path) -> None:
    """Verify a template as LibreOffice saves it (ODF 1.3, settings, thumbnail, configuration
    folders, manifest.rdf) renders to a valid document listing exactly its files."""
    source = tmp_path / "source" / "template.odt"
    source.parent.mkdir()
    with zipfile.ZipFile(source, "w") as archive:
        for name, data in template("Kokous {{ n }}", header="{{r n }}").items():
            archive.writestr(name, data)
    saved = soffice(tmp_path, "odt", source)
    path = tmp_path / "rendered.odt"
    path.write_bytes(render(read_template(saved), n="5/2026"))
    assert problems(path) == []
    assert texts(path.read_bytes()) == ["Kokous 5/2026"]
    with zipfile.ZipFile(path) as archive:
        assert "Thumbnails/thumbnail.png" not in archive.namelist()


XML_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters=XML_INVALID))
PROPERTY_TEMPLATE = template("{{ v }}", "[{{ v }}]")


@settings(max_examples=150, deadline=None)
@given(value=XML_TEXT)
def test_any_text_reads_back_identical(value: str) -> None:
    """Verify any XML-valid text printed with {{ v }} reads back exactly (a CR is a line break)."""
    typed = value.replace("\r\n", "\n").replace("\r", "\n")
    assert texts(render(PROPERTY_TEMPLATE, v=value)) == [typed, f"[{typed}]"]


def test_every_way_of_printing_escapes_once() -> None:
    """Verify a value comes out exactly as typed however the template prints it: plain, through
    a filter, joined, as a constant, inside a macro, and a number; markup a macro makes is kept
    as markup, never escaped twice."""
    tricky = "A & B <c> \"d\" 'e' {{ x }}"
    tpl = template(
        "{{ v }}",
        "{{ v|upper }}",
        "{{ v ~ '!' }}",
        "{{ '<b> & </b>' }}",
        "{% macro m(x) %}[{{ x }}]{% endmacro %}{{ m(v) }}",
        "{{ n }} {{ n * 2 }}",
        "{{ items|join(', ') }}",
    )
    assert texts(render(tpl, v=tricky, n=5, items=["<1>", "&2"])) == [
        tricky,
        tricky.upper(),
        tricky + "!",
        "<b> & </b>",
        f"[{tricky}]",
        "5 10",
        "<1>, &2",
    ]

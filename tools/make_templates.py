"""Write the eight default templates (invitation, minutes, cover letter, report) as DOCX and ODT.

    python tools/make_templates.py [--force] [--out DIR]

A one-time bootstrap of templates/, not their source of truth: once a municipality (or anyone)
edits a template in Word or LibreOffice, that file is theirs. A file is written only when it is
missing, already identical, or still as this script left it (its generator is `minutes`: Word
and LibreOffice put their own name there when they save); any other file is left alone and
named, unless --force. tests/test_make_templates.py checks that the committed templates are
exactly what this script makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor
from odf import style as ost
from odf import table as otb
from odf import text as otx
from odf.element import Element as OdfElement
from odf.opendocument import OpenDocumentText
from odf.teletype import addTextToElement

from pipeline.render.package import write_zip

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
CREATED = dt.datetime(2026, 1, 1, 0, 0, 0)
FONT = "Arial"  # LibreOffice shows it with the metric-compatible Liberation Sans
PAGE_W, PAGE_H = 21.0, 29.7
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 2.5, 2.0, 3.6, 2.6
HEADER_FROM_EDGE, FOOTER_FROM_EDGE = 1.2, 1.0
TEXT_W = PAGE_W - MARGIN_LEFT - MARGIN_RIGHT  # 16.5 cm
LABEL_W = 4.0  # the left column of field labels; body text is indented to its edge
DRAFT_RED, GREY, RULE, SHADE = "B00000", "595959", "A6A6A6", "F0F0F0"


# ---------------------------------------------------------------------------------------------
# Styles, described once for both formats


@dataclass(frozen=True)
class ParaStyle:
    """A named paragraph style: sizes in points, distances in centimetres."""

    name: str  # the name in Word; in LibreOffice `odt` if it has a built-in of its own
    odt: str = ""
    size: float = 11
    bold: bool = False
    italic: bool = False
    color: str = ""
    left: float = 0
    hanging: float = 0
    before: float = 0
    after: float = 0
    line: float = 0  # a fixed line height (the space paragraphs below)
    align: str = "left"
    keep_next: bool = False
    outline: int = 0
    tabs: tuple[float, ...] = ()
    box: bool = False  # a thin frame and light shading (the disclaimer)
    rule_above: bool = False  # a thin line above (the footer)
    bullet: int = 0  # 1 or 2: an item of the bulleted list at that level
    heading: bool = False  # a title or heading: Enter in Word or LibreOffice goes on in Body Text


@dataclass(frozen=True)
class CharStyle:
    name: str
    bold: bool = False
    color: str = ""


BODY = LABEL_W
BULLET_STEP = 0.6
STYLES = (
    ParaStyle("Normal", odt="Standard"),
    ParaStyle("Title", heading=True, odt="Title", size=16, bold=True, after=4, keep_next=True),
    # The letter's subject line is its heading (level 1): the sections under it are level 2.
    ParaStyle("Subject", heading=True, size=13, bold=True, after=10, keep_next=True, outline=1),
    ParaStyle(
        "Draft Mark", heading=True, size=14, bold=True, color=DRAFT_RED, after=6, keep_next=True
    ),
    ParaStyle(
        "Heading 1",
        heading=True,
        odt="Heading_20_1",
        size=13,
        bold=True,
        after=6,
        keep_next=True,
        outline=1,
        left=LABEL_W,
        hanging=LABEL_W,
        tabs=(LABEL_W,),
    ),
    ParaStyle(
        "Heading 2",
        heading=True,
        odt="Heading_20_2",
        size=11.5,
        bold=True,
        after=3,
        keep_next=True,
        outline=2,
        left=BODY,
    ),
    ParaStyle(
        "Heading 3",
        heading=True,
        odt="Heading_20_3",
        bold=True,
        after=2,
        keep_next=True,
        outline=3,
        left=BODY,
    ),
    ParaStyle("Body Text", odt="Text_20_body", left=BODY, after=6),
    # A paragraph that leads in to what follows it (a chart, a list, the signature): kept on
    # the same page with it, so that neither stands alone.
    ParaStyle("Lead In", left=BODY, after=6, keep_next=True),
    ParaStyle("Figure", before=6, after=10, keep_next=False),
    ParaStyle("List Bullet", left=BODY + BULLET_STEP, hanging=BULLET_STEP, after=3, bullet=1),
    ParaStyle("List Bullet 2", left=BODY + 2 * BULLET_STEP, hanging=BULLET_STEP, after=3, bullet=2),
    ParaStyle("Numbered Paragraph", left=BODY + 0.8, hanging=0.8, after=3, tabs=(BODY + 0.8,)),
    ParaStyle("Field", left=LABEL_W, hanging=LABEL_W, after=3, tabs=(LABEL_W,)),
    # An item's presenter, guests and (in the minutes) papers: kept with what follows, so an
    # item's heading block never ends a page without its first paragraph.
    ParaStyle(
        "Item Field", left=LABEL_W, hanging=LABEL_W, after=3, tabs=(LABEL_W,), keep_next=True
    ),
    # The invitation's first paragraph after the facts: a space above, so that it does not
    # read as part of the last field (Etäyhteys).
    ParaStyle("Lead", left=BODY, before=14, after=6),
    ParaStyle(
        "Signature Line",
        left=LABEL_W,
        hanging=LABEL_W,
        after=3,
        keep_next=True,
        tabs=(LABEL_W,),
    ),
    ParaStyle("Field Label", after=0),
    ParaStyle("Field Text", after=0),
    ParaStyle("Field Group", bold=True, after=0, keep_next=True),
    ParaStyle("Notice", size=10, box=True, before=6, after=10),
    ParaStyle("Marking", size=10, bold=True, color=DRAFT_RED, left=BODY, after=4, keep_next=True),
    ParaStyle("Statement", left=BODY + 0.5, italic=True, after=4),
    ParaStyle("Recipient", after=30),
    ParaStyle("Closing", left=BODY, after=12, keep_next=True),
    ParaStyle("Signature", odt="Signature"),
    ParaStyle("Table Heading", odt="Table_20_Heading", size=10, bold=True, keep_next=True),
    ParaStyle("Table Text", odt="Table_20_Contents", size=10),
    ParaStyle("Header", odt="Header", size=10),
    ParaStyle("Header Logo", size=10, after=6),
    ParaStyle("Header Page", size=10, align="right"),
    ParaStyle("Footer", odt="Footer", size=8, color=GREY, rule_above=True),
    # Only in the template: the paragraphs of {%p %} and {%tr %} tags, which rendering removes.
    ParaStyle("Template Tag", size=9, color=GREY),
    ParaStyle("Footer Mark", size=9, bold=True, color=DRAFT_RED, before=2),
)
# The space above each paragraph that is kept with the next one is an empty paragraph of a fixed
# height, kept with it, instead of the paragraph's own space above: LibreOffice sometimes leaves
# a kept paragraph with space above at the foot of a page, apart from the text it belongs to
# (item 4's heading in the example invitation, in both formats); a kept paragraph without one,
# it never does (tests/test_pages.py).
SPACE_ABOVE = {"Heading 1": 16, "Heading 2": 8, "Heading 3": 6, "Closing": 12, "Signature Line": 16}
STYLES += tuple(
    ParaStyle(f"{name} Space", size=2, line=points, keep_next=True)
    for name, points in SPACE_ABOVE.items()
)
CHAR_STYLES = (CharStyle("Strong", bold=True), CharStyle("Draft", bold=True, color=DRAFT_RED))
HEADINGS = {"Subject": 1, "Heading 1": 1, "Heading 2": 2, "Heading 3": 3}
STYLE_BY_NAME = {s.name: s for s in STYLES}


# ---------------------------------------------------------------------------------------------
# The outline: what each document holds, as data that both emitters read


class Tab:
    """A tab character."""


TAB = Tab()


@dataclass(frozen=True)
class Styled:
    """Text in a character style (bold, the draft mark)."""

    text: str
    style: str = "Strong"


@dataclass(frozen=True)
class PageField:
    """The number of this page (`page`) or of all pages (`count`)."""

    kind: str


Inline = str | Tab | Styled | PageField


@dataclass(frozen=True)
class Para:
    style: str
    parts: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Row:
    cells: tuple[tuple[Para, ...], ...]
    header: bool = False


@dataclass(frozen=True)
class Table:
    widths: tuple[float, ...]
    rows: tuple[Row, ...]
    grid: bool = False  # a ruled data table with a repeated header row; else borderless layout
    pad: tuple[float, float] = (0.06, 0.06)  # the space above and below each cell's text, cm


Element = Para | Table


@dataclass(frozen=True)
class Outline:
    stem: str
    title: str
    body: tuple[Element, ...]
    footer_note: str


def para(style: str, *parts: Inline) -> Para:
    return Para(style, parts)


def spaced(elements: Iterable[Element]) -> Iterator[Element]:
    """`elements` with the space paragraph (SPACE_ABOVE) before each paragraph that has one."""
    for element in elements:
        if isinstance(element, Para) and element.style in SPACE_ABOVE:
            yield Para(f"{element.style} Space")
        yield element


def tag(code: str) -> Para:
    """A `{%p ... %}` paragraph: the engine replaces the whole paragraph with the tag."""
    return Para("Template Tag", ("{%p " + code + " %}",))


def flat(*items: Element | Iterable[Element]) -> tuple[Element, ...]:
    out: list[Element] = []
    for item in items:
        if isinstance(item, Para | Table):
            out.append(item)
        else:
            out.extend(flat(*item))
    return tuple(out)


def paras(*items: Element | Iterable[Element]) -> tuple[Para, ...]:
    """Paragraphs only: what a table cell holds."""
    elements = flat(*items)
    found = tuple(element for element in elements if isinstance(element, Para))
    if len(found) != len(elements):
        raise ValueError("a table cell holds paragraphs only")
    return found


def when(condition: str, *elements: Element | Iterable[Element]) -> tuple[Element, ...]:
    return flat(tag(f"if {condition}"), *elements, tag("endif"))


def each(loop: str, *elements: Element | Iterable[Element]) -> tuple[Element, ...]:
    return flat(tag(f"for {loop}"), *elements, tag("endfor"))


def blocks(expr: str) -> tuple[Element, ...]:
    """A long text field: paragraphs, bulleted items and numbered items (templates/README.md)."""
    return each(
        f"b in {expr}",
        tag("if b.bullet"),
        tag("if b.level > 1"),
        para("List Bullet 2", "{{r b.rich }}"),
        tag("else"),
        para("List Bullet", "{{r b.rich }}"),
        tag("endif"),
        tag("elif b.numbered"),
        para("Numbered Paragraph", "{{ b.label }}", TAB, "{{r b.rich }}"),
        tag("else"),
        para("Body Text", "{{r b.rich }}"),
        tag("endif"),
    )


def heading(*parts: Inline, level: int = 1) -> Para:
    return Para(f"Heading {level}", parts)


def row_tag(code: str, columns: int) -> Row:
    """A `{%tr ... %}` row: the engine replaces the whole row with the tag."""
    rest = tuple((Para("Template Tag"),) for _ in range(columns - 1))
    return Row(((Para("Template Tag", ("{%tr " + code + " %}",)),), *rest))


def label_row(label: str, *content: Element | Iterable[Element]) -> Row:
    return Row(((para("Field Label", label),), paras(*content)))


def fact_row(label: str, text: str) -> Row:
    return label_row(label, para("Field Text", text))


def rows_when(condition: str, *rows: Row) -> tuple[Row, ...]:
    return (row_tag(f"if {condition}", 2), *rows, row_tag("endif", 2))


def place_rows() -> tuple[Row, ...]:
    """Paikka and Etäyhteys, each only when the meeting has one."""
    return (
        *rows_when("meeting.place", fact_row("Paikka", "{{ meeting.place }}")),
        *rows_when("meeting.remote", fact_row("Etäyhteys", "{{ meeting.remote }}")),
    )


def layout_table(*rows: Row, pad: tuple[float, float] = (0.06, 0.06)) -> Table:
    return Table((LABEL_W, TEXT_W - LABEL_W), rows, pad=pad)


def data_table(
    widths: tuple[float, ...],
    headers: tuple[str, ...],
    loop: str,
    cells: tuple[str, ...],
) -> Table:
    """A ruled table with a header row repeated on every page and one row per loop entry."""
    head = line(*(para("Table Heading", h) for h in headers), header=True)
    body = line(*(para("Table Text", c) for c in cells))
    n = len(widths)
    return Table(widths, (head, row_tag(f"for {loop}", n), body, row_tag("endfor", n)), grid=True)


def line(*paragraphs: Para, header: bool = False) -> Row:
    """A table row of one paragraph a cell."""
    return Row(tuple((paragraph,) for paragraph in paragraphs), header=header)


def header_table() -> Table:
    """Sender top left; document name, number, date and `1 (3)` top right (SFS 2487)."""
    empty = Para("Header")
    name = para(  # the draft's name is its draft marking, one word: PÖYTÄKIRJALUONNOS
        "Header",
        Styled("{% if not doc.draft_mark %}{{ doc.name }}{% endif %}"),
        Styled("{{ doc.draft_mark }}", "Draft"),
    )
    page = para("Header Page", PageField("page"), " (", PageField("count"), ")")
    rows = (
        line(para("Header", "{{ org.municipality }}"), name, page),
        line(
            para("Header", Styled("{{ org.body }}")), para("Header", "{{ meeting.number }}"), empty
        ),
        line(empty, para("Header", "{{ doc.date }}"), empty),
    )
    return Table((8.2, 5.6, TEXT_W - 13.8), rows, pad=(0, 0))


def letterhead() -> tuple[Element, ...]:
    """The municipality's logo, when the roster names one, above the sender (top left)."""
    return flat(when("org.logo", para("Header Logo", "{{ org.logo }}")), header_table())


def footer(note: str) -> tuple[Element, ...]:
    return flat(
        para("Footer", note),
        when("doc.draft_mark", para("Footer Mark", "{{ doc.draft_mark }}")),
    )


def confidentiality() -> tuple[Element, ...]:
    return when("doc.confidential", para("Notice", Styled("{{ texts.confidentiality }}")))


def item_heading() -> tuple[Element, ...]:
    return flat(
        heading("{{ item.number }}.", TAB, "{{ item.title }}"),
        when("item.confidential", para("Marking", "{{ texts.confidential_label }}")),
        when("item.presenter", para("Item Field", "Alustaja", TAB, "{{ item.presenter }}")),
    )


def item_attachments(style: str = "Field") -> tuple[Element, ...]:
    """Liite / Liitteet beside the first; a paper without a file says it comes separately."""
    label = "{% if loop.first %}{{ item.attachments_label }}{% endif %}"
    return each("a in item.attachments", para(style, label, TAB, "{{ a.shown }}"))


def listed_rows(label: str, items: str, text: str) -> tuple[Row, ...]:
    """A labelled row listing every entry of `items`, left out when there is none."""
    return rows_when(items, label_row(label, each(f"a in {items}", para("Field Text", text))))


def signature_row() -> Row:
    """The secretary's name and title; a table row, so the block is never split over pages."""
    return Row(
        (
            (Para("Field Label"),),
            paras(
                para("Signature", "{{ org.secretary.name }}"),
                when("org.secretary.title", para("Signature", "{{ org.secretary.title }}")),
                para("Signature", "neuvotteluryhmän sihteeri"),
                when("org.secretary.email", para("Signature", "{{ org.secretary.email }}")),
                when("org.secretary.phone", para("Signature", "puh. {{ org.secretary.phone }}")),
            ),
        )
    )


def closing_table(*rows: Row) -> Table:
    """The end of a document: the signature, Liitteet and Jakelu, a little apart."""
    return layout_table(*rows, pad=(0.4, 0))


def invitation() -> Outline:
    previous = (  # one sentence, from the approval state when the invitation is rendered
        "{{ previous.review }}{% if open_followups %} Lisäksi käydään läpi avoimet "
        "jatkovalmistelun kohdat, jotka luetellaan esityslistan lopussa.{% endif %}"
    )
    body = flat(
        para("Title", "{{ doc.title }}"),
        layout_table(
            fact_row("Asettaja", "{{ org.appointed_by }}"),
            fact_row("Kokous", "{{ meeting.number }}"),
            fact_row("Aika", "{{ meeting.when }}"),
            *place_rows(),
        ),
        confidentiality(),
        para(
            "Lead",
            "Neuvotteluryhmän jäsenet kutsutaan kokoukseen. Mahdollisesta esteestä "
            "pyydetään ilmoittamaan sihteerille.",
        ),
        para("Body Text", "{{ texts.body_note }}"),
        heading("Esityslista"),
        each(
            "item in items",
            item_heading(),
            when("item.review and has_previous", para("Body Text", previous)),
            blocks("item.background"),
            item_attachments(),
        ),
        when(
            "open_followups",
            heading("Avoimet jatkovalmistelun kohdat"),
            para(
                "Body Text",
                "Aiemmissa kokouksissa sovitut jatkovalmistelun kohdat, jotka ovat vielä kesken.",
            ),
            data_table(
                (2.6, 8.2, 3.4, 2.3),
                ("Tunnus", "Tehtävä", "Vastuu", "Määräaika"),
                "f in open_followups",
                (
                    "{{ f.id }}",
                    "{{ f.task }}",
                    "{{ f.owner }}",
                    "{{ f.due }}{% if f.overdue %} (myöhässä){% endif %}",
                ),
            ),
        ),
        para("Closing", "Puheenjohtajan puolesta"),
        closing_table(
            signature_row(),
            *listed_rows("{{ attachments_label }}", "attachments", "{{ a.shown }}"),
            *listed_rows("Jakelu", "distribution", "{{ a }}"),
        ),
    )
    return Outline("invitation", "Kokouskutsu ja esityslista", body, "{{ texts.body_note }}")


def attendance() -> tuple[Row, ...]:
    first = "{% if loop.first %}"
    return (
        row_tag("for g in attendance.groups", 2),
        Row(
            (
                (para("Field Label", first + "Läsnä{% endif %}"),),
                paras(
                    para("Field Group", "{{ g.name }}"),
                    each(
                        "p in g.present",
                        para("Field Text", "{{ p.name }}{% if p.note %} ({{ p.note }}){% endif %}"),
                    ),
                    when(
                        "g.absent",
                        para(
                            "Field Text",
                            "Poissa: {% for n in g.absent %}{{ n }}"
                            "{% if not loop.last %}, {% endif %}{% endfor %}",
                        ),
                    ),
                    when("g.nobody", para("Field Text", "(ei edustajaa paikalla)")),
                ),
            )
        ),
        row_tag("endfor", 2),
        *listed_rows(
            "Muut läsnä",
            "attendance.others",
            "{{ a.name }}{% if a.role %}, {{ a.role }}{% endif %}",
        ),
        *listed_rows(
            "Asiantuntijat ja muut kutsutut",
            "attendance.guests",
            "{{ a.name }}{% if a.title %}, {{ a.title }}{% endif %}{% if a.agenda_items %} "
            "({% if ',' in a.agenda_items %}kohdat{% else %}kohta{% endif %} "
            "{{ a.agenda_items }}){% endif %}",
        ),
    )


def minutes_item() -> tuple[Element, ...]:
    follow_up = (
        "{{ f.task }} (vastuu: {{ f.owner }}{% if f.due %}, määräaika {{ f.due }}{% endif %})"
    )
    return flat(
        item_heading(),
        when("item.guests", para("Item Field", "Kuultu", TAB, "{{ item.guests }}")),
        item_attachments("Item Field"),
        when("item.standard", para("Body Text", "{{ item.standard }}")),
        tag("if item.recorded"),
        when("item.discussion", heading("Keskustelu", level=2), blocks("item.discussion")),
        when(
            "item.agreed",
            heading("Yhdessä linjatut näkemykset", level=2),
            each("a in item.agreed", para("List Bullet", "{{ a }}")),
        ),
        when(
            "item.dissent",
            heading("Eriävät kannat", level=2),
            each(
                "d in item.dissent",
                para("Body Text", Styled("{{ d.groups }}:"), " {{ d.position }}"),
            ),
        ),
        when(
            "item.follow_up",
            heading("Jatkovalmistelu", level=2),
            each(
                "f in item.follow_up", para("List Bullet", Styled("{{ f.id }}"), " – ", follow_up)
            ),
        ),
        when(
            "item.has_statement",
            heading("Yhteinen kannanotto", level=2),
            para("Statement", "{{ item.statement.text }}"),
            when("item.statement.publicity", para("Body Text", "{{ item.statement.publicity }}")),
        ),
        tag("elif not item.standard"),
        para("Body Text", "Ei kirjattavaa."),
        tag("endif"),
    )


def minutes() -> Outline:
    held = (  # the times noted at the meeting, else the planned time
        "{{ meeting.date_long }} {% if meeting.opened %}klo {{ meeting.opened }}"
        "{% if meeting.closed %}–{{ meeting.closed }}{% endif %}{% else %}{{ meeting.time }}"
        "{% endif %}"
    )
    body = flat(
        para("Title", "{{ doc.title }}"),
        when("doc.draft", para("Draft Mark", "{{ doc.draft_mark }}")),
        para("Notice", "{{ texts.disclaimer }}"),
        confidentiality(),
        layout_table(
            fact_row("Aika", held),
            *place_rows(),
            *attendance(),
        ),
        each("item in items", minutes_item()),
        when(
            "followups_done",
            heading("Aiemmista kokouksista valmistuneet jatkovalmistelun kohdat"),
            each("f in followups_done", para("List Bullet", Styled("{{ f.id }}"), " {{ f.task }}")),
        ),
        when(
            "followups",
            heading("Jatkovalmistelun kohdat"),
            data_table(
                (2.6, 1.2, 7.2, 3.2, 2.3),
                ("Tunnus", "Asia", "Tehtävä", "Vastuu", "Määräaika"),
                "f in followups",
                ("{{ f.id }}", "{{ f.item }}", "{{ f.task }}", "{{ f.owner }}", "{{ f.due }}"),
            ),
        ),
        heading("{{ record.genitive_title }} hyväksyminen"),
        tag("if approval.approved"),
        para(
            "Body Text",
            "{{ record.genitive_title }} on hyväksynyt {{ approval.title }} {{ approval.by }} "
            "{{ approval.date }}.",
        ),
        tag("else"),
        para(
            "Body Text",
            "{{ record.title }} on luonnos: puheenjohtaja ei ole vielä hyväksynyt "
            "{{ record.partitive }}.",
        ),
        para("Signature Line", "Hyväksytty", TAB, "_" * 40),
        para("Signature Line", "Päiväys", TAB, "_" * 40),
        tag("endif"),
        para(
            "Signature Line",
            "Sihteeri",
            TAB,
            "{{ org.secretary.name }}"
            "{% if org.secretary.title %}, {{ org.secretary.title }}{% endif %}",
        ),
        when("distribution", closing_table(*listed_rows("Jakelu", "distribution", "{{ a }}"))),
    )
    return Outline("minutes", "Pöytäkirja", body, "{{ texts.disclaimer }}")


def cover_letter() -> Outline:
    body = flat(
        para("Recipient", Styled("{{ group.name }}")),
        para("Subject", "Neuvotteluryhmän kokouksen {{ meeting.number }} {{ record.nominative }}"),
        when("doc.confidential", para("Marking", "{{ texts.confidential_label }}")),
        para(
            "Body Text",
            "Liitteenä on ryhmänne tiedoksi poliittisten ryhmien neuvotteluryhmän kokouksen "
            "{{ meeting.number }} ({{ meeting.date }}) {{ record.nominative }}, jonka "
            "{{ approval.title }} on hyväksynyt {{ approval.date }}.",
        ),
        para("Notice", "{{ texts.disclaimer }}"),
        para(  # the confidentiality rule, once (rule 4), and the members' task (rule 5)
            "Body Text",
            "Neuvotteluryhmän keskustelut ovat luottamuksellisia, eikä niitä jaeta julkisuuteen "
            "ilman yhteistä sopimusta. Neuvotteluryhmän jäsenet viestivät yhdessä sovituista "
            "linjoista omalle ryhmälleen. {{ record.title }} käydään läpi neuvotteluryhmän "
            "seuraavassa kokouksessa.",
        ),
        when(
            "cover.dissents",
            heading("Ryhmänne eriävät kannat", level=2),
            each(
                "d in cover.dissents",
                para("Body Text", Styled("{{ d.item }}. {{ d.title }}:"), " {{ d.position }}"),
            ),
        ),
        when(
            "cover.followups",
            heading("Ryhmänne vastuulla olevat jatkovalmistelun kohdat", level=2),
            each(
                "f in cover.followups",
                para(
                    "List Bullet",
                    Styled("{{ f.id }}"),
                    " {{ f.task }}{% if f.due %} (määräaika {{ f.due }}){% endif %}",
                ),
            ),
        ),
        para("Closing", "Ystävällisin terveisin"),
        closing_table(
            signature_row(),
            *listed_rows("{{ cover.attachments_label }}", "cover.attachments", "{{ a }}"),
        ),
    )
    return Outline("cover_letter", "Saate", body, "{{ texts.body_note }}")


def table_or(condition: str, table: Table, otherwise: str) -> tuple[Element, ...]:
    """A table when there are rows for it, else a sentence that says there are none."""
    return flat(
        tag(f"if {condition}"), table, tag("else"), para("Body Text", otherwise), tag("endif")
    )


def report() -> Outline:
    """The annual evaluation (rule 6), for the group's evaluation discussion."""
    per_meeting = each(
        "m in per_meeting",
        heading("Kokous {{ m.number }} ({{ m.date }})", level=2),
        when(
            "m.matters",
            heading("Käsitellyt asiat", level=3),
            each("a in m.matters", para("List Bullet", "{{ a }}")),
        ),
        when(
            "m.agreed",
            heading("Yhdessä linjatut näkemykset", level=3),
            each("a in m.agreed", para("List Bullet", "{{ a }}")),
        ),
        when(
            "m.dissent",
            heading("Eriävät kannat", level=3),
            each(
                "d in m.dissent",
                para("Body Text", Styled("{{ d.item }}. {{ d.groups }}:"), " {{ d.position }}"),
            ),
        ),
    )
    body = flat(
        para("Title", "{{ doc.title }} {{ year }}"),
        layout_table(
            fact_row("Neuvotteluryhmä", "{{ org.body }}"),
            fact_row("Asettaja", "{{ org.appointed_by }}"),
            fact_row("Arviointikausi", "1.1.–31.12.{{ year }} (tilanne {{ as_of }})"),
        ),
        para("Body Text", "Pelisääntöjen kohta 6: {{ texts.rule }}"),
        each("s in summary", para("Body Text", "{{ s }}")),
        when(
            "pending",
            para("Body Text", Styled("Kesken olevat asiat (tilanne {{ doc.date }}):")),
            each("p in pending", para("List Bullet", "{{ p }}")),
        ),
        heading("1.", TAB, "Kokoukset"),
        data_table(
            (1.9, 2.3, 7.3, 2.5, 2.5),
            ("Kokous", "Päivämäärä", "Tila", "Hyväksytty", "Jaettu"),
            "m in meetings",
            (
                "{{ m.number }}",
                "{{ m.date }}",
                "{{ m.state }}",
                "{{ m.approved }}",
                "{{ m.distributed }}",
            ),
        ),
        heading("2.", TAB, "Osallistuminen"),
        tag("if has_held"),
        para(
            "Lead In",
            "Kaavio ja taulukot kertovat, kuinka monessa pidetyssä kokouksessa kullakin ryhmällä "
            "oli edustaja paikalla.",
        ),
        when("chart", para("Figure", "{{ chart }}")),
        heading("Ryhmittäin", level=2),
        data_table(
            (8.5, 4.0, 4.0),
            ("Ryhmä", "Kokouksia, joissa edustettuna", "Läsnä olleita yhteensä"),
            "g in groups",
            ("{{ g.name }}", "{{ g.meetings }}", "{{ g.people }}"),
        ),
        heading("Kokouksittain", level=2),
        data_table(
            (1.9, 2.3, 5.3, 5.0, 2.0),
            ("Kokous", "Päivämäärä", "Edustettuina", "Ei edustajaa", "Läsnä"),
            "a in attendance",
            (
                "{{ a.number }}",
                "{{ a.date }}",
                "{{ a.present }}",
                "{{ a.absent }}",
                "{{ a.people }}",
            ),
        ),
        tag("else"),
        para("Body Text", "Vuoden aikana ei ole pidetty kokouksia, joista olisi muistiinpanot."),
        tag("endif"),
        heading("3.", TAB, "Käsitellyt asiat, linjaukset ja eriävät kannat"),
        table_or(
            "per_meeting",
            data_table(
                (2.5, 3.0, 3.5, 3.5, 4.0),
                ("Kokous", "Päivämäärä", "Käsiteltyjä asioita", "Linjauksia", "Eriäviä kantoja"),
                "m in per_meeting",
                (
                    "{{ m.number }}",
                    "{{ m.date }}",
                    "{{ m.matters | length }}",
                    "{{ m.agreed_count }}",
                    "{{ m.dissent_count }}",
                ),
            ),
            "Ei kirjattuja asioita.",
        ),
        per_meeting,
        when(
            "has_held",
            heading("Eriävät kannat ryhmittäin", level=2),
            table_or(  # a table of noughts tells nothing the sentence does not
                "groups | sum(attribute='dissents')",
                data_table(
                    (8.0, 2.5, 6.0),
                    ("Ryhmä", "Eriäviä kantoja", "Kokous ja kohta"),
                    "g in groups",
                    ("{{ g.name }}", "{{ g.dissents }}", "{{ g.dissent_items }}"),
                ),
                "Vuoden pidetyissä kokouksissa ei kirjattu eriäviä kantoja.",
            ),
        ),
        heading("4.", TAB, "Jatkovalmistelu"),
        para(
            "Body Text",
            "{% if followup_counts.opened %}Vuoden pidetyissä kokouksissa kirjattiin "
            "{{ followup_counts.opened }} jatkovalmistelun "
            "{% if followup_counts.opened == 1 %}kohta{% else %}kohtaa{% endif %}: "
            "valmiina {{ followup_counts.done }}, kesken {{ followup_counts.open }} ja myöhässä "
            "{{ followup_counts.overdue }} (tilanne {{ as_of }}).{% else %}Vuoden pidetyissä "
            "kokouksissa ei kirjattu jatkovalmistelun kohtia.{% endif %}",
        ),
        when(
            "followups",
            data_table(
                (2.6, 6.4, 3.0, 2.2, 2.3),
                ("Tunnus", "Tehtävä", "Vastuu", "Määräaika", "Tila"),
                "f in followups",
                ("{{ f.id }}", "{{ f.task }}", "{{ f.owner }}", "{{ f.due }}", "{{ f.status }}"),
            ),
        ),
        heading("5.", TAB, "Yhteiset kannanotot"),
        tag("if statements"),
        each(
            "s in statements",
            para(
                "Body Text",
                Styled("Kokous {{ s.meeting }}, asia {{ s.item }}"),
                " ({{ s.publicity }})",
            ),
            para("Statement", "{{ s.text }}"),
        ),
        tag("else"),
        para("Body Text", "Vuoden aikana ei annettu yhteisiä kannanottoja."),
        tag("endif"),
        heading("6.", TAB, "{{ record.genitive_title }} hyväksyminen ja jakelu"),
        para(
            "Body Text",
            "Päivät lasketaan kokouspäivästä puheenjohtajan hyväksyntään ja {{ record.genitive }} "
            "lähettämiseen ryhmille. Tiedot ovat kokousten tapahtumalokeista.",
        ),
        table_or(
            "has_held",
            data_table(
                (2.0, 2.8, 3.3, 1.8, 4.8, 1.8),
                ("Kokous", "Päivämäärä", "Hyväksytty", "Päiviä", "Jaettu ryhmille", "Päiviä"),
                "m in meetings if m.held",
                (
                    "{{ m.number }}",
                    "{{ m.date }}",
                    "{{ m.approved }}",
                    "{{ m.approved_days }}",
                    "{{ m.distributed }}",
                    "{{ m.distributed_days }}",
                ),
            ),
            "Vuoden aikana ei ole pidetty kokouksia.",
        ),
        heading("7.", TAB, "Arviointikeskustelu"),
        para(
            "Lead In",
            "Neuvotteluryhmä arvioi toimintaansa vähintään kerran vuodessa "
            "(pelisääntöjen kohta 6). Keskustelun pohjaksi:",
        ),
        each("q in questions", para("List Bullet", "{{ q }}")),
        para(
            "Lead In",
            "Keskustelun havainnot ja mahdolliset ehdotukset pelisääntöjen päivittämisestä "
            "kirjataan sen kokouksen {{ record.genitive }} asiakohtaan, jossa arviointi "
            "käsitellään.",
        ),
        para("Closing", "Koonnut"),  # the secretary compiles the material (rule 6)
        closing_table(signature_row()),
    )
    return Outline("report", "Toiminnan arviointi", body, "{{ texts.body_note }}")


OUTLINES = (invitation, minutes, cover_letter, report)


# ---------------------------------------------------------------------------------------------
# DOCX through python-docx, with raw WordprocessingML where python-docx has no API

W = nsdecls("w")
DOC_DEFAULTS = (
    f"<w:docDefaults {W}><w:rPrDefault><w:rPr>"
    f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'
    '<w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="fi-FI" w:eastAsia="en-US" '
    'w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
    '<w:widowControl/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "</w:pPrDefault></w:docDefaults>"
)
# The styles Word itself always has: the defaults for characters, tables and lists.
BASE_STYLES = (
    f'<w:style {W} w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
    "<w:unhideWhenUsed/></w:style>",
    f'<w:style {W} w:type="table" w:default="1" w:styleId="TableNormal">'
    '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
    '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
    f'<w:style {W} w:type="numbering" w:default="1" w:styleId="NoList">'
    '<w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    "</w:style>",
)
WORD_BUILT_INS = {
    "Normal",
    "Title",
    "Heading 1",
    "Heading 2",
    "Heading 3",
    "Body Text",
    "List Bullet",
    "List Bullet 2",
    "Closing",
    "Signature",
    "Header",
    "Footer",
    "Strong",
}
BULLETS = {1: "•", 2: "–"}


def twips(cm: float) -> int:
    return round(cm * 1440 / 2.54)


def _border(side: str, value: str = "single") -> str:
    if value == "none":
        return f'<w:{side} w:val="none" w:sz="0" w:space="0" w:color="auto"/>'
    return f'<w:{side} w:val="single" w:sz="4" w:space="4" w:color="{RULE}"/>'


def _docx_paragraph_style(document, spec: ParaStyle) -> None:
    styles = document.styles
    style = styles.add_style(
        spec.name, WD_STYLE_TYPE.PARAGRAPH, builtin=spec.name in WORD_BUILT_INS
    )
    if spec.name == "Normal":
        style.element.set(qn("w:default"), "1")
    else:
        style.base_style = styles["Normal"]
    style.quick_style = spec.name in WORD_BUILT_INS
    font = style.font
    if spec.size != 11:
        font.size = Pt(spec.size)
    font.bold = spec.bold or None
    font.italic = spec.italic or None
    if spec.color:
        font.color.rgb = RGBColor.from_string(spec.color)
    # What python-docx has no API for goes in first, in the schema's order; python-docx then
    # puts spacing, indents and tabs where the schema wants them.
    ppr = style.element.get_or_add_pPr()
    if spec.bullet:
        ppr.append(
            parse_xml(
                f'<w:numPr {W}><w:ilvl w:val="{spec.bullet - 1}"/><w:numId w:val="1"/></w:numPr>'
            )
        )
    sides = ("top", "left", "bottom", "right") if spec.box else ("top",) if spec.rule_above else ()
    if sides:
        ppr.append(parse_xml(f"<w:pBdr {W}>{''.join(_border(side) for side in sides)}</w:pBdr>"))
    if spec.box:
        ppr.append(parse_xml(f'<w:shd {W} w:val="clear" w:color="auto" w:fill="{SHADE}"/>'))
    if spec.outline:
        ppr.append(parse_xml(f'<w:outlineLvl {W} w:val="{spec.outline - 1}"/>'))
    fmt = style.paragraph_format
    fmt.space_before, fmt.space_after = Pt(spec.before), Pt(spec.after)
    if spec.line:
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(spec.line)
    if spec.left or spec.box:
        fmt.left_indent = Cm(spec.left or 0.15)
    if spec.box:
        fmt.right_indent = Cm(0.15)
    if spec.hanging:
        fmt.first_line_indent = Cm(-spec.hanging)
    fmt.keep_with_next = spec.keep_next or None
    if spec.align == "right":
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for position in spec.tabs:
        fmt.tab_stops.add_tab_stop(Cm(position))


def _docx_styles(document) -> None:
    root = document.styles.element
    for child in list(root):
        root.remove(child)
    root.append(parse_xml(DOC_DEFAULTS))
    for xml in BASE_STYLES:
        root.append(parse_xml(xml))
    for spec in STYLES:
        _docx_paragraph_style(document, spec)
    for spec in STYLES:
        if spec.heading:
            document.styles[spec.name].next_paragraph_style = document.styles["Body Text"]
    for char in CHAR_STYLES:
        style = document.styles.add_style(
            char.name, WD_STYLE_TYPE.CHARACTER, builtin=char.name in WORD_BUILT_INS
        )
        style.base_style = document.styles["Default Paragraph Font"]
        style.font.bold = char.bold or None
        if char.color:
            style.font.color.rgb = RGBColor.from_string(char.color)


def _docx_numbering(document) -> None:
    """One bulleted list definition: level 1 for "List Bullet", level 2 for "List Bullet 2"."""
    levels = "".join(
        f'<w:lvl w:ilvl="{level - 1}"><w:start w:val="1"/><w:numFmt w:val="bullet"/>'
        f'<w:pStyle w:val="ListBullet{"" if level == 1 else level}"/>'
        f'<w:lvlText w:val="{char}"/><w:lvlJc w:val="left"/><w:pPr>'
        f'<w:ind w:left="{twips(BODY + level * BULLET_STEP)}" w:hanging="{twips(BULLET_STEP)}"/>'
        "</w:pPr></w:lvl>"
        for level, char in BULLETS.items()
    )
    root = document.part.numbering_part.element
    for child in list(root):
        root.remove(child)
    root.append(
        parse_xml(
            f'<w:abstractNum {W} w:abstractNumId="0"><w:multiLevelType '
            f'w:val="hybridMultilevel"/>{levels}</w:abstractNum>'
        )
    )
    root.append(parse_xml(f'<w:num {W} w:numId="1"><w:abstractNumId w:val="0"/></w:num>'))


def _docx_settings(document) -> None:
    root = document.settings.element
    for child in list(root):
        root.remove(child)
    for xml in (
        f'<w:zoom {W} w:percent="100"/>',
        f'<w:defaultTabStop {W} w:val="1304"/>',
        f'<w:characterSpacingControl {W} w:val="doNotCompress"/>',
        f'<w:compat {W}><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>',
        f'<w:themeFontLang {W} w:val="fi-FI"/>',
        f'<w:decimalSymbol {W} w:val=","/>',
        f'<w:listSeparator {W} w:val=";"/>',
    ):
        root.append(parse_xml(xml))


def _field_runs(code: str) -> list[str]:
    return [
        f'<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {W}><w:instrText xml:space="preserve"> {code} </w:instrText></w:r>',
        f'<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {W}><w:t>1</w:t></w:r>",
        f'<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>',
    ]


def _docx_fill(paragraph, spec: Para) -> None:
    paragraph.style = spec.style
    for part in spec.parts:
        if isinstance(part, str):
            if part:
                paragraph.add_run(part)
        elif isinstance(part, Tab):
            paragraph.add_run().add_tab()
        elif isinstance(part, Styled):
            paragraph.add_run(part.text, style=part.style)
        else:
            for xml in _field_runs("PAGE" if part.kind == "page" else "NUMPAGES"):
                paragraph._p.append(parse_xml(xml))


def _docx_table(container, spec: Table, add_table) -> None:
    table = add_table(len(spec.widths))
    tbl = table._tbl
    for col, width in zip(tbl.tblGrid.gridCol_lst, spec.widths, strict=True):
        col.w = Cm(width)
    sides = ("top", "left", "bottom", "right", "insideH", "insideV")
    borders = "".join(_border(s, "single" if spec.grid else "none") for s in sides)
    (top, bottom), side_pad = map(twips, spec.pad), twips(0.15) if spec.grid else 0
    tbl.remove(tbl.tblPr)
    tbl.insert(
        0,
        parse_xml(
            f'<w:tblPr {W}><w:tblW w:w="{twips(sum(spec.widths))}" w:type="dxa"/>'
            f'<w:tblInd w:w="0" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders>'
            '<w:tblLayout w:type="fixed"/><w:tblCellMar>'
            f'<w:top w:w="{top}" w:type="dxa"/><w:left w:w="{side_pad}" w:type="dxa"/>'
            f'<w:bottom w:w="{bottom}" w:type="dxa"/>'
            f'<w:right w:w="{side_pad or twips(0.2)}" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="04A0"/></w:tblPr>'
        ),
    )
    for row in spec.rows:
        docx_row = table.add_row()
        trpr = docx_row._tr.get_or_add_trPr()
        trpr.append(parse_xml(f"<w:cantSplit {W}/>"))
        if row.header:
            trpr.append(parse_xml(f"<w:tblHeader {W}/>"))
        for cell, paragraphs, width in zip(docx_row.cells, row.cells, spec.widths, strict=True):
            cell.width = Cm(width)
            if row.header:
                cell._tc.get_or_add_tcPr().append(
                    parse_xml(f'<w:shd {W} w:val="clear" w:color="auto" w:fill="{SHADE}"/>')
                )
            _docx_fill(cell.paragraphs[0], paragraphs[0])
            for paragraph in paragraphs[1:]:
                _docx_fill(cell.add_paragraph(), paragraph)


def _docx_emit(container, elements: Iterable[Element], add_table) -> None:
    for element in spaced(elements):
        if isinstance(element, Para):
            _docx_fill(container.add_paragraph(), element)
        else:
            _docx_table(container, element, add_table)


def _drop_parts(document) -> None:
    """Leave out what python-docx's starting file carries but a template does not need."""
    unwanted = ("thumbnail", "customXml", "stylesWithEffects", "webSettings")
    for rels in (document.part.package.rels, document.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(unwanted):
                del rels[rid]


APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Template>Normal.dotm</Template><Application>minutes</Application>"
    "<DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
    "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
)
FONT_TABLE_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<w:fonts {W}><w:font w:name="{FONT}"><w:panose1 w:val="020B0604020202020204"/>'
    '<w:charset w:val="00"/><w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
    "</w:fonts>"
)


def build_docx(outline: Outline) -> bytes:
    document = Document()
    _drop_parts(document)
    _docx_styles(document)
    _docx_numbering(document)
    _docx_settings(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_W), Cm(PAGE_H)
    section.left_margin, section.right_margin = Cm(MARGIN_LEFT), Cm(MARGIN_RIGHT)
    section.top_margin, section.bottom_margin = Cm(MARGIN_TOP), Cm(MARGIN_BOTTOM)
    section.header_distance, section.footer_distance = Cm(HEADER_FROM_EDGE), Cm(FOOTER_FROM_EDGE)
    for part, elements in (
        (section.header, (*letterhead(), Para("Header"))),
        (section.footer, footer(outline.footer_note)),
    ):
        part.is_linked_to_previous = False
        for paragraph in part.paragraphs:
            paragraph._p.getparent().remove(paragraph._p)
        _docx_emit(part, elements, lambda n, part=part: part.add_table(0, n, Cm(TEXT_W)))
    for paragraph in document.paragraphs:
        paragraph._p.getparent().remove(paragraph._p)
    _docx_emit(document, outline.body, lambda n: document.add_table(0, n))
    props = document.core_properties
    props.title, props.author, props.last_modified_by = outline.title, "", ""
    props.comments, props.subject, props.keywords, props.category = "", "", "", ""
    props.language, props.revision = "fi-FI", 1
    props.created = props.modified = CREATED
    buffer = io.BytesIO()
    document.save(buffer)
    replaced = {"docProps/app.xml": APP_XML.encode(), "word/fontTable.xml": FONT_TABLE_XML.encode()}
    with zipfile.ZipFile(buffer) as archive:
        entries = [
            (i.filename, replaced.get(i.filename) or archive.read(i)) for i in archive.infolist()
        ]
    return write_zip(entries)


# ---------------------------------------------------------------------------------------------
# ODT through odfpy


def odt_name(name: str) -> str:
    spec = STYLE_BY_NAME.get(name)
    return (spec.odt if spec and spec.odt else name).replace(" ", "_20_")


def _odt_text_props(
    size: float = 11, bold: bool = False, italic: bool = False, color: str = ""
) -> ost.TextProperties:
    props: dict[str, str] = {}
    if size != 11:
        props |= {
            "fontsize": f"{size}pt",
            "fontsizeasian": f"{size}pt",
            "fontsizecomplex": f"{size}pt",
        }
    if bold:
        props |= {"fontweight": "bold", "fontweightasian": "bold", "fontweightcomplex": "bold"}
    if italic:
        props |= {"fontstyle": "italic", "fontstyleasian": "italic", "fontstylecomplex": "italic"}
    if color:
        props["color"] = f"#{color.lower()}"
    return ost.TextProperties(**props)


def _odt_paragraph_style(spec: ParaStyle) -> ost.Style:
    name = odt_name(spec.name)
    style = ost.Style(name=name, displayname=name.replace("_20_", " "), family="paragraph")
    if spec.name != "Normal":
        style.setAttribute("parentstylename", "Standard")
    if spec.outline:
        style.setAttribute("defaultoutlinelevel", str(spec.outline))
    if spec.heading:
        style.setAttribute("nextstylename", odt_name("Body Text"))
    props = {
        "margintop": f"{spec.before}pt",
        "marginbottom": f"{spec.after}pt",
        "marginleft": f"{spec.left}cm",
        "textindent": f"{-spec.hanging}cm",
    }
    if spec.keep_next:
        props["keepwithnext"] = "always"
    if spec.line:
        props["lineheight"] = f"{spec.line}pt"
    if spec.align == "right":
        props["textalign"] = "end"
    line = f"0.5pt solid #{RULE.lower()}"
    if spec.box:
        props |= {"border": line, "padding": "0.15cm", "backgroundcolor": f"#{SHADE.lower()}"}
    if spec.rule_above:
        props |= {"bordertop": line, "paddingtop": "0.1cm"}
    paragraph = ost.ParagraphProperties(**props)
    if spec.tabs:
        stops = ost.TabStops()
        for position in spec.tabs:  # LibreOffice counts tab stops from the paragraph's indent
            stops.addElement(ost.TabStop(position=f"{position - spec.left}cm"))
        paragraph.addElement(stops)
    style.addElement(paragraph)
    style.addElement(_odt_text_props(spec.size, spec.bold, spec.italic, spec.color))
    return style


def _odt_list_style() -> otx.ListStyle:
    style = otx.ListStyle(name="List_20_Bullet", displayname="List Bullet")
    for level, char in BULLETS.items():
        position = f"{BODY + level * BULLET_STEP}cm"
        bullet = otx.ListLevelStyleBullet(level=level, bulletchar=char)
        props = ost.ListLevelProperties(listlevelpositionandspacemode="label-alignment")
        props.addElement(
            ost.ListLevelLabelAlignment(
                labelfollowedby="listtab",
                listtabstopposition=position,
                textindent=f"{-BULLET_STEP}cm",
                marginleft=position,
            )
        )
        bullet.addElement(props)
        style.addElement(bullet)
    return style


def _odt_styles(document: OpenDocumentText) -> None:
    document.fontfacedecls.addElement(
        ost.FontFace(name=FONT, fontfamily=FONT, fontfamilygeneric="swiss", fontpitch="variable")
    )
    default = ost.DefaultStyle(family="paragraph")
    # No paragraph leaves a lone line at a page foot or head (Word's widow control does it).
    default.addElement(ost.ParagraphProperties(orphans="2", widows="2"))
    default.addElement(
        ost.TextProperties(
            fontname=FONT,
            fontsize="11pt",
            language="fi",
            country="FI",
            fontnameasian=FONT,
            fontsizeasian="11pt",
            fontnamecomplex=FONT,
            fontsizecomplex="11pt",
        )
    )
    document.styles.addElement(default)
    for spec in STYLES:
        document.styles.addElement(_odt_paragraph_style(spec))
    for char in CHAR_STYLES:
        style = ost.Style(name=char.name, displayname=char.name, family="text")
        style.addElement(_odt_text_props(bold=char.bold, color=char.color))
        document.styles.addElement(style)
    document.styles.addElement(_odt_list_style())


class _OdtAutomatic:
    """The automatic styles of tables (widths, borders, padding), each added once."""

    def __init__(self, document: OpenDocumentText) -> None:
        self.document = document
        self.names: set[str] = set()
        self.count = 0

    def style(self, name: str, family: str, props: OdfElement) -> str:
        if name not in self.names:
            style = ost.Style(name=name, family=family)
            style.addElement(props)
            self.document.automaticstyles.addElement(style)
            self.names.add(name)
        return name

    def table(self, spec: Table) -> otb.Table:
        self.count += 1
        kind = "Grid" if spec.grid else "Layout"
        width = sum(spec.widths)
        table = otb.Table(
            name=f"{kind}{self.count}",
            stylename=self.style(
                f"{kind}{round(width * 100)}",
                "table",
                ost.TableProperties(width=f"{width}cm", align="left", bordermodel="collapsing"),
            ),
        )
        for column in spec.widths:
            table.addElement(
                otb.TableColumn(
                    stylename=self.style(
                        f"Column{round(column * 100)}",
                        "table-column",
                        ost.TableColumnProperties(columnwidth=f"{column}cm"),
                    )
                )
            )
        return table

    def row(self) -> str:
        return self.style("Row", "table-row", ost.TableRowProperties(keeptogether="always"))

    def cell(self, spec: Table, header: bool) -> str:
        top, bottom = (f"{pad}cm" for pad in spec.pad)
        if not spec.grid:
            name = "Cell{}_{}".format(*(round(pad * 100) for pad in spec.pad))
            return self.style(
                name,
                "table-cell",
                ost.TableCellProperties(
                    paddingtop=top,
                    paddingbottom=bottom,
                    paddingleft="0cm",
                    paddingright="0.2cm",
                    border="none",
                ),
            )
        props = {
            "paddingtop": top,
            "paddingbottom": bottom,
            "paddingleft": "0.15cm",
            "paddingright": "0.15cm",
            "border": f"0.5pt solid #{RULE.lower()}",
        }
        if header:
            props["backgroundcolor"] = f"#{SHADE.lower()}"
        return self.style(
            "HeadCell" if header else "GridCell", "table-cell", ost.TableCellProperties(**props)
        )


def _odt_paragraph(spec: Para):
    name = odt_name(spec.style)
    if spec.style in HEADINGS:
        element = otx.H(stylename=name, outlinelevel=HEADINGS[spec.style])
    else:
        element = otx.P(stylename=name)
    for part in spec.parts:
        if isinstance(part, str):
            addTextToElement(element, part)
        elif isinstance(part, Tab):
            element.addElement(otx.Tab())
        elif isinstance(part, Styled):
            span = otx.Span(stylename=odt_name(part.style))
            addTextToElement(span, part.text)
            element.addElement(span)
        elif part.kind == "page":
            element.addElement(otx.PageNumber(selectpage="current", text="1"))
        else:
            element.addElement(otx.PageCount(text="1"))
    level = STYLE_BY_NAME[spec.style].bullet
    for _ in range(level):  # a bulleted item: a list (inside a list for level 2) of one item
        item = otx.ListItem()
        item.addElement(element)
        element = otx.List(stylename="List_20_Bullet")
        element.addElement(item)
    return element


def _odt_elements(automatic: _OdtAutomatic, elements: Iterable[Element]) -> Iterator:
    for element in spaced(elements):
        if isinstance(element, Para):
            yield _odt_paragraph(element)
            continue
        table = automatic.table(element)
        headers = otb.TableHeaderRows()
        if any(row.header for row in element.rows):
            table.addElement(headers)
        for row in element.rows:
            odt_row = otb.TableRow(stylename=automatic.row())
            for paragraphs in row.cells:
                cell = otb.TableCell(stylename=automatic.cell(element, row.header))
                for paragraph in _odt_elements(automatic, paragraphs):
                    cell.addElement(paragraph)
                odt_row.addElement(cell)
            (headers if row.header else table).addElement(odt_row)
        yield table


def _odt_page(document: OpenDocumentText, automatic: _OdtAutomatic, outline: Outline) -> None:
    layout = ost.PageLayout(name="Page")
    layout.addElement(
        ost.PageLayoutProperties(
            pagewidth=f"{PAGE_W}cm",
            pageheight=f"{PAGE_H}cm",
            printorientation="portrait",
            margintop=f"{HEADER_FROM_EDGE}cm",
            marginbottom=f"{FOOTER_FROM_EDGE}cm",
            marginleft=f"{MARGIN_LEFT}cm",
            marginright=f"{MARGIN_RIGHT}cm",
        )
    )
    header_gap, footer_gap = 0.4, 0.4
    for area, props in (
        (
            ost.HeaderStyle(),
            {
                "minheight": f"{MARGIN_TOP - HEADER_FROM_EDGE - header_gap}cm",
                "marginbottom": f"{header_gap}cm",
            },
        ),
        (
            ost.FooterStyle(),
            {
                "minheight": f"{MARGIN_BOTTOM - FOOTER_FROM_EDGE - footer_gap}cm",
                "margintop": f"{footer_gap}cm",
            },
        ),
    ):
        area.addElement(ost.HeaderFooterProperties(**props))
        layout.addElement(area)
    document.automaticstyles.addElement(layout)
    master = ost.MasterPage(name="Standard", pagelayoutname=layout)
    for area, elements in (
        (ost.Header(), letterhead()),
        (ost.Footer(), footer(outline.footer_note)),
    ):
        for element in _odt_elements(automatic, elements):
            area.addElement(element)
        master.addElement(area)
    document.masterstyles.addElement(master)


def build_odt(outline: Outline) -> bytes:
    document = OpenDocumentText()
    _odt_styles(document)
    automatic = _OdtAutomatic(document)
    _odt_page(document, automatic, outline)
    for element in _odt_elements(automatic, outline.body):
        document.text.addElement(element)
    buffer = io.BytesIO()
    document.write(buffer)
    with zipfile.ZipFile(buffer) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()}
    entries["meta.xml"] = _odt_meta(outline.title)
    entries["META-INF/manifest.xml"] = _odt_manifest(entries)
    order = ["mimetype", *(name for name in entries if name != "mimetype")]
    return write_zip(((name, entries[name]) for name in order), stored=["mimetype"])


def _odt_manifest(entries: dict[str, bytes]) -> bytes:
    files = "".join(
        f'<manifest:file-entry manifest:full-path="{name}" manifest:media-type="text/xml"/>'
        for name in entries
        if name.endswith(".xml") and not name.startswith("META-INF/")
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        f"{files}</manifest:manifest>"
    ).encode()


def _odt_meta(title: str) -> bytes:
    when = CREATED.isoformat()
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.2"><office:meta>'
        f"<meta:generator>minutes</meta:generator><dc:title>{title}</dc:title>"
        f"<dc:language>fi-FI</dc:language><meta:creation-date>{when}</meta:creation-date>"
        f"<dc:date>{when}</dc:date></office:meta></office:document-meta>"
    ).encode()


def templates() -> dict[str, bytes]:
    """Every default template this script makes: {file name: bytes}."""
    made = {}
    for make in OUTLINES:
        outline = make()
        made[f"{outline.stem}.docx"] = build_docx(outline)
        made[f"{outline.stem}.odt"] = build_odt(outline)
    return made


def written_by_us(data: bytes, name: str) -> bool:
    """Whether a template file is still as this script wrote it: its generator is `minutes`."""
    part, pattern = (
        ("docProps/app.xml", b"<Application>minutes</Application>")
        if name.endswith(".docx")
        else ("meta.xml", b"<meta:generator>minutes</meta:generator>")
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return pattern in archive.read(part)
    except (zipfile.BadZipFile, KeyError):
        return False


def write(folder: Path, made: dict[str, bytes], *, force: bool) -> tuple[list[str], list[str]]:
    """Write the templates into folder; (the names written, the edited names left alone)."""
    folder.mkdir(parents=True, exist_ok=True)
    written, kept = [], []
    for name, data in made.items():
        path = folder / name
        if path.exists():
            old = path.read_bytes()
            if old == data:
                continue
            if not force and not written_by_us(old, name):
                kept.append(name)
                continue
        path.write_bytes(data)
        written.append(name)
    return written, kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=TEMPLATES, help="default: templates/")
    parser.add_argument(
        "--force", action="store_true", help="overwrite templates edited in Word or LibreOffice"
    )
    args = parser.parse_args(argv)
    written, kept = write(args.out, templates(), force=args.force)
    for name in written:
        print(f"wrote {args.out / name}")
    if kept:
        print(
            f"left alone, edited since this script wrote them: {', '.join(kept)}; "
            "pass --force to overwrite them (their edits are lost)",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

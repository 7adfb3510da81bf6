"""The render context's shape: what a template can name, with what each value means.

`pipeline.context` builds these; `placeholder_list` writes templates/README.md's list of
placeholders from them (`python -m pipeline.context_types` prints it). A field's meaning is the
string in its `Annotated[...]`.
"""

from __future__ import annotations

import sys
import types
import typing
from pathlib import Path
from typing import Annotated, TypedDict, Union

from pipeline.markup import Block
from pipeline.render.picture import Picture

# --- the roster (every document's letterhead and signature) -----------------------------------


class PersonContext(TypedDict):
    name: Annotated[str, "the name (empty when there is nobody)"]
    title: Annotated[str, "the title, as the roster has it"]
    email: Annotated[str, "the address"]
    phone: Annotated[str, "the phone number (may be empty)"]


class MemberContext(TypedDict):
    name: Annotated[str, "the name"]
    email: Annotated[str, "the address"]
    substitute: Annotated[bool, "true for a substitute member"]


class GroupContext(TypedDict):
    id: Annotated[str, "the id the roster and the inputs use (kesk)"]
    name: Annotated[str, "the full name (Keskustan valtuustoryhmä)"]
    short: Annotated[str, "the short name (KESK)"]
    members: Annotated[list[MemberContext], "the members, in roster order"]
    distribution: Annotated[list[str], "the addresses the minutes go to"]


class OrgContext(TypedDict):
    municipality: Annotated[str, "Äänekosken kaupunki"]
    logo: Annotated[
        Picture | str, "the letterhead's logo, a picture alone in its paragraph (empty without)"
    ]
    body: Annotated[str, "Poliittisten ryhmien neuvotteluryhmä"]
    appointed_by: Annotated[str, "Kaupunginhallitus"]
    chair: Annotated[PersonContext, "the chair"]
    vice_chair: Annotated[PersonContext, "the vice-chair; every field empty when there is none"]
    secretary: Annotated[PersonContext, "the secretary"]
    groups: Annotated[list[GroupContext], "every group, in roster order"]


# --- every document ------------------------------------------------------------------------------


class MeetingContext(TypedDict):
    number: Annotated[str, "5/2026"]
    date: Annotated[str, "7.12.2026"]
    weekday: Annotated[str, "maanantai"]
    date_long: Annotated[str, "maanantai 7.12.2026 (a field: nominative)"]
    date_essive: Annotated[str, "maanantaina 7.12.2026 (running text)"]
    time: Annotated[str, "klo 17.00–19.00 (or klo 17.00 without a planned end)"]
    when: Annotated[str, "maanantai 7.12.2026 klo 17.00–19.00 (a field: nominative)"]
    when_essive: Annotated[
        str, "maanantaina 7.12.2026 klo 17.00 (running text: “kokoukseen 5/2026 maanantaina …”)"
    ]
    place: Annotated[str, "the place (may be empty)"]
    remote: Annotated[str, "the remote link (may be empty)"]
    year: Annotated[int, "2026"]
    opened: Annotated[
        str, "the minutes: 17.03 (empty when the notes do not say; fall back to `meeting.time`)"
    ]
    closed: Annotated[str, "the minutes: 18.52 (empty when the notes do not say)"]


class DocContext(TypedDict):
    name: Annotated[str, "the header's document name: KOKOUSKUTSU, PÖYTÄKIRJA (MUISTIO), SAATE"]
    title: Annotated[str, "Kokouskutsu ja esityslista, Pöytäkirja (Muistio), Saate"]
    date: Annotated[str, "the document's date, 30.11.2026"]
    draft: Annotated[bool, "true for a draft"]
    draft_mark: Annotated[
        str, "PÖYTÄKIRJALUONNOS (MUISTIOLUONNOS) on a draft, one word; empty otherwise"
    ]
    confidential: Annotated[bool, "true when any item is confidential"]


class RecordContext(TypedDict):
    """The record's name as `wording.record` sets it, in the form the sentence needs."""

    nominative: Annotated[str, "pöytäkirja / muistio"]
    genitive: Annotated[str, "pöytäkirjan / muistion"]
    partitive: Annotated[str, "pöytäkirjaa / muistiota"]
    inessive: Annotated[str, "pöytäkirjassa / muistiossa"]
    elative: Annotated[str, "pöytäkirjasta / muistiosta"]
    draft: Annotated[str, "pöytäkirjaluonnos / muistioluonnos"]
    draft_genitive: Annotated[str, "pöytäkirjaluonnoksen / muistioluonnoksen"]
    title: Annotated[str, "Pöytäkirja / Muistio"]
    genitive_title: Annotated[str, "Pöytäkirjan / Muistion"]
    name: Annotated[str, "PÖYTÄKIRJA / MUISTIO"]
    draft_mark: Annotated[str, "PÖYTÄKIRJALUONNOS / MUISTIOLUONNOS"]


class TextsContext(TypedDict):
    body_note: Annotated[str, "the note that the group is not a decision-making body (rule 1)"]
    disclaimer: Annotated[
        str,
        "the minutes' disclaimer: not official minutes, no decisions (rules 3, 4); "
        "`wording.disclaimer` replaces it",
    ]
    confidentiality: Annotated[
        str, "the confidentiality marking (rule 2); `wording.confidentiality` replaces it"
    ]
    confidential_label: Annotated[str, "Luottamuksellinen (the mark of a confidential item)"]
    separately: Annotated[str, "toimitetaan erikseen"]


class AttachmentContext(TypedDict):
    title: Annotated[str, "the paper's title"]
    file: Annotated[str, "its file (empty when it is delivered separately)"]
    attached: Annotated[bool, "true with a file"]
    shown: Annotated[str, "the title, with “(toimitetaan erikseen)” when there is no file"]


class ItemContext(TypedDict):
    number: Annotated[int, "1, 2, …"]
    title: Annotated[str, "the item's title"]
    presenter: Annotated[str, "who presents it"]
    background: Annotated[list[Block], "blocks"]
    attachments: Annotated[list[AttachmentContext], "the item's papers"]
    attachments_label: Annotated[str, "Liite / Liitteet"]
    confidential: Annotated[bool, "true for a confidential item"]
    review: Annotated[bool, "true for the review of the previous meeting's record (rule 3)"]
    opening: Annotated[bool, "true for the standard item *Kokouksen avaus*"]
    closing: Annotated[bool, "true for the standard item *Kokouksen päättäminen*"]


class _Common(TypedDict):
    org: Annotated[OrgContext, "the roster"]
    meeting: Annotated[MeetingContext, "the meeting"]
    doc: Annotated[DocContext, "the document"]
    record: Annotated[RecordContext, "the record's name"]
    texts: Annotated[TextsContext, "the fixed texts"]
    attachments: Annotated[list[AttachmentContext], "every paper of the agenda"]
    attachments_label: Annotated[str, "Liite for one paper, Liitteet for several"]
    distribution: Annotated[list[str], "the names of the groups the document goes to (*Jakelu*)"]


class BaseContext(_Common):
    """The placeholders every document has."""

    items: Annotated[list[ItemContext], "the agenda items in order"]


# --- the invitation ------------------------------------------------------------------------------


class PreviousContext(TypedDict):
    number: Annotated[str, "the previous meeting, whose record is reviewed (empty without)"]
    date: Annotated[str, "its date"]
    approved: Annotated[bool, "true when its record's approval holds"]
    review: Annotated[
        str,
        "the review item's one sentence, from the approval state when rendered: “Käydään läpi "
        "kokouksen 4/2026 (9.11.2026) pöytäkirja, jonka puheenjohtaja on hyväksynyt 12.11.2026.” "
        "or “…pöytäkirja; se on vielä luonnos.”",
    ]


class FollowUpContext(TypedDict):
    id: Annotated[str, "5/2026-3.1"]
    item: Annotated[int, "the item's number"]
    task: Annotated[str, "the task"]
    owner: Annotated[str, "who does it"]
    due: Annotated[str, "15.1.2027 or empty"]
    meeting: Annotated[str, "the meeting's number"]
    overdue: Annotated[bool, "true when the due date has passed"]


class InvitationContext(BaseContext):
    has_previous: Annotated[bool, "false when there is no previous meeting"]
    previous: Annotated[PreviousContext, "the previous meeting"]
    open_followups: Annotated[
        list[FollowUpContext], "follow-up items from earlier meetings still open"
    ]


# --- the minutes ---------------------------------------------------------------------------------


class PresentContext(TypedDict):
    name: Annotated[str, "the name"]
    note: Annotated[str, "“varajäsen, Sanna Sijaisen tilalla”"]


class GroupAttendanceContext(TypedDict):
    name: Annotated[str, "the group's full name"]
    short: Annotated[str, "its short name"]
    present: Annotated[list[PresentContext], "its people present"]
    absent: Annotated[list[str], "names; a member whose substitute came is not listed"]
    nobody: Annotated[bool, "true when nobody of the group was present"]


class OtherContext(TypedDict):
    name: Annotated[str, "the name"]
    role: Annotated[str, "puheenjohtaja, sihteeri…"]


class GuestContext(TypedDict):
    name: Annotated[str, "the name"]
    title: Annotated[str, "the title"]
    agenda_items: Annotated[
        str, "“3, 4” (not `items`, which is a name Jinja reserves for dictionaries)"
    ]


class AttendanceContext(TypedDict):
    groups: Annotated[list[GroupAttendanceContext], "every group, also one with nobody present"]
    others: Annotated[
        list[OtherContext], "people present outside the groups (the chair or secretary)"
    ]
    guests: Annotated[list[GuestContext], "guests and experts"]


class DissentContext(TypedDict):
    groups: Annotated[
        str,
        "the groups' full names joined: “Perussuomalaisten valtuustoryhmä ja Vihreä "
        "valtuustoryhmä”",
    ]
    position: Annotated[str, "the position"]


class ItemFollowUpContext(TypedDict):
    id: Annotated[str, "5/2026-3.1"]
    task: Annotated[str, "the task"]
    owner: Annotated[str, "who does it"]
    due: Annotated[str, "15.1.2027 or empty"]


class StatementContext(TypedDict):
    text: Annotated[str, "plain text, not blocks"]
    public: Annotated[bool, "true when it may be published"]
    publicity: Annotated[str, "the printed line, always set when `has_statement`"]


class MinutesItemContext(ItemContext):
    standard: Annotated[
        str,
        "the opening or closing item's sentence from the notes' times: “Puheenjohtaja avasi "
        "kokouksen klo 17.03.” (empty for other items)",
    ]
    recorded: Annotated[bool, "true when the notes say anything about the item"]
    guests: Annotated[
        str,
        "the guests heard for this item, joined (“Hanna Hallinto, talousjohtaja”); "
        "the item's presenter is not repeated here",
    ]
    discussion: Annotated[list[Block], "blocks"]
    agreed: Annotated[list[str], "the views aligned together"]
    dissent: Annotated[list[DissentContext], "dissenting positions"]
    follow_up: Annotated[list[ItemFollowUpContext], "the item's follow-up items"]
    has_statement: Annotated[bool, "true when the item has a joint statement"]
    statement: Annotated[StatementContext, "a joint statement"]


class FollowUpDoneContext(TypedDict):
    id: Annotated[str, "5/2026-3.1"]
    task: Annotated[str, "the task (empty when no meeting read has it)"]


class ApprovalContext(TypedDict):
    approved: Annotated[bool, "true on the final minutes"]
    by: Annotated[str, "who approved; empty on a draft"]
    title: Annotated[
        str, "puheenjohtaja, or varapuheenjohtaja when the chair was absent; empty on a draft"
    ]
    date: Annotated[str, "when; empty on a draft"]


class MinutesContext(_Common):
    items: Annotated[list[MinutesItemContext], "the agenda items in order, with the notes"]
    attendance: Annotated[AttendanceContext, "who was there"]
    followups: Annotated[list[FollowUpContext], "every follow-up item of this meeting"]
    followups_done: Annotated[
        list[FollowUpDoneContext], "earlier follow-ups reported done at this meeting"
    ]
    approval: Annotated[ApprovalContext, "the approval"]


# --- the cover letter ----------------------------------------------------------------------------


class CoverDissentContext(TypedDict):
    item: Annotated[int, "the item's number"]
    title: Annotated[str, "the item's title"]
    position: Annotated[str, "the position"]


class CoverFollowUpContext(TypedDict):
    id: Annotated[str, "5/2026-3.1"]
    task: Annotated[str, "the task"]
    due: Annotated[str, "15.1.2027 or empty"]


class CoverContext(TypedDict):
    attachments: Annotated[list[str], "the attached documents, by name"]
    attachments_label: Annotated[str, "Liite or Liitteet"]
    dissents: Annotated[list[CoverDissentContext], "the group's own dissenting positions"]
    followups: Annotated[list[CoverFollowUpContext], "the follow-ups the group owns"]


class CoverLetterContext(BaseContext):
    group: Annotated[GroupContext, "the group the letter is addressed to"]
    approval: Annotated[ApprovalContext, "who approved the record and when"]
    cover: Annotated[CoverContext, "what the letter lists"]


# --- the emails (templates/mail/*.txt) ------------------------------------------------------------


class PaperContext(TypedDict):
    title: Annotated[str, "the paper's title"]
    file: Annotated[str, "its file's name (empty when it is delivered separately)"]
    attached: Annotated[bool, "true when the file comes with the message"]


class PapersContext(TypedDict):
    attached: Annotated[list[PaperContext], "the agenda's papers that come with the message"]
    separately: Annotated[list[PaperContext], "the papers delivered separately"]


class MailContext(BaseContext):
    """What every email's template has: every document's placeholders (`doc.name` and
    `doc.title` empty) and the secretary's signature."""

    signature: Annotated[PersonContext, "the secretary, who signs the message"]


class InvitationMailContext(MailContext):
    group: Annotated[GroupContext, "the group whose members the message goes to"]
    papers: Annotated[PapersContext, "the agenda's papers"]


class ReviewMailContext(MailContext):
    code: Annotated[str, "the review code the chair quotes to approve the draft"]


class MinutesMailContext(MailContext):
    group: Annotated[GroupContext, "the group whose distribution list the message goes to"]


# --- the annual evaluation (report.*) ------------------------------------------------------------


class YearContext(TypedDict):
    number: Annotated[str, "the year (what the header shows as the meeting's number)"]


class ReportDocContext(TypedDict):
    name: Annotated[str, "ARVIOINTI"]
    title: Annotated[str, "Neuvotteluryhmän toiminnan arviointi"]
    date: Annotated[str, "the report's date, 15.1.2027"]
    draft: Annotated[bool, "always false"]
    draft_mark: Annotated[str, "always empty"]


class ReportTextsContext(TypedDict):
    body_note: Annotated[str, "the note that the group is not a decision-making body (rule 1)"]
    rule: Annotated[str, "rule 6 of the group's rules, as written"]


class YearMeetingContext(TypedDict):
    number: Annotated[str, "5/2026"]
    date: Annotated[str, "7.12.2026"]
    state: Annotated[str, "the meeting's state in words"]
    approved: Annotated[str, "the approval's date, “ei hyväksytty”, or – when not yet held"]
    approved_days: Annotated[str, "days from the meeting to the approval, or –"]
    distributed: Annotated[str, "the distribution's date, “ei jaettu”, or – when not yet held"]
    distributed_days: Annotated[str, "days from the meeting to the distribution, or –"]
    held: Annotated[bool, "true when its date has come (by `as_of`) and its notes are written"]


class YearAttendanceContext(TypedDict):
    number: Annotated[str, "5/2026"]
    date: Annotated[str, "7.12.2026"]
    present: Annotated[str, "the short names of the groups with someone present, or –"]
    absent: Annotated[str, "the short names of the groups with nobody present, or –"]
    people: Annotated[int, "the groups' people present"]


class YearGroupContext(TypedDict):
    name: Annotated[str, "the group's full name"]
    short: Annotated[str, "its short name"]
    meetings: Annotated[int, "the held meetings where someone of the group was present"]
    people: Annotated[int, "its people present, over all held meetings"]
    dissents: Annotated[int, "how many dissenting positions it recorded"]
    dissent_items: Annotated[str, "where: “5/2026 kohta 3, …”, or –"]


class YearDissentContext(DissentContext):
    item: Annotated[str, "the agenda item's number, 3"]


class YearMattersContext(TypedDict):
    number: Annotated[str, "5/2026"]
    date: Annotated[str, "7.12.2026"]
    matters: Annotated[list[str], "the items the notes record: “3. Talousarvio …”"]
    agreed: Annotated[list[str], "the views aligned together, with the item's number"]
    dissent: Annotated[list[YearDissentContext], "dissenting positions, with the item's number"]
    agreed_count: Annotated[int, "how many views were aligned"]
    dissent_count: Annotated[int, "how many positions dissented"]


class YearFollowUpContext(TypedDict):
    id: Annotated[str, "5/2026-3.1"]
    task: Annotated[str, "the task"]
    owner: Annotated[str, "who does it, or –"]
    due: Annotated[str, "15.1.2027 or –"]
    status: Annotated[str, "valmis (6/2026), kesken or myöhässä"]


class FollowUpCountsContext(TypedDict):
    opened: Annotated[int, "the year's follow-ups"]
    done: Annotated[int, "done"]
    open: Annotated[int, "still open, not late"]
    overdue: Annotated[int, "late"]


class YearStatementContext(TypedDict):
    meeting: Annotated[str, "5/2026"]
    item: Annotated[str, "“3. Talousarvio …”"]
    text: Annotated[str, "the statement as one line"]
    publicity: Annotated[str, "“voidaan julkaista: …” or “ei julkinen”"]


class ReportContext(TypedDict):
    """The annual evaluation's placeholders (rule 6)."""

    org: Annotated[OrgContext, "the roster"]
    meeting: Annotated[YearContext, "the year, where the header shows a meeting's number"]
    doc: Annotated[ReportDocContext, "the document"]
    texts: Annotated[ReportTextsContext, "the fixed texts"]
    record: Annotated[RecordContext, "the record's name"]
    year: Annotated[int, "2026"]
    as_of: Annotated[str, "the date the state is told at (the report's date, at most 31.12.)"]
    summary: Annotated[list[str], "sentences: meetings, how many held (what is counted), completed"]
    pending: Annotated[
        list[str],
        "what is unfinished, a sentence each: meetings to come, minutes not approved or not "
        "distributed (at the report's date), follow-ups open or late (at `as_of`); empty when "
        "nothing is",
    ]
    meetings: Annotated[list[YearMeetingContext], "every meeting of the year"]
    has_held: Annotated[bool, "true when any meeting of the year is held (see `meetings[].held`)"]
    attendance: Annotated[list[YearAttendanceContext], "per held meeting"]
    groups: Annotated[list[YearGroupContext], "per group, in roster order"]
    chart: Annotated[
        Picture | str, "the attendance chart, alone in its paragraph (empty without held meetings)"
    ]
    per_meeting: Annotated[list[YearMattersContext], "per held meeting: matters and views"]
    followups: Annotated[list[YearFollowUpContext], "the follow-ups of the year's meetings"]
    followup_counts: Annotated[FollowUpCountsContext, "the follow-ups counted"]
    statements: Annotated[list[YearStatementContext], "joint statements"]
    questions: Annotated[list[str], "the questions of the evaluation discussion (rule 6)"]


# --- the list in templates/README.md -------------------------------------------------------------

Sections = tuple[tuple[str, object, object | None], ...]
SECTIONS: Sections = (
    ("In every document", BaseContext, None),
    ("Also in the invitation (`invitation.*`)", InvitationContext, BaseContext),
    ("Also in the minutes (`minutes.*`)", MinutesContext, BaseContext),
    ("Also in the cover letter (`cover_letter.*`)", CoverLetterContext, BaseContext),
)
MAIL_SECTIONS: Sections = (
    ("In every email", MailContext, BaseContext),
    ("Also in `invitation.txt`", InvitationMailContext, MailContext),
    ("Also in `review.txt`", ReviewMailContext, MailContext),
    ("Also in `minutes.txt`", MinutesMailContext, MailContext),
)
# The evaluation's own placeholders: `org.*` and `record.*` are every document's.
REPORT_SECTIONS: Sections = (("In the evaluation (`report.*`)", ReportContext, BaseContext),)
INTRO = (
    "`x[].y` is `y` of each element of the list `x`: inside `{% for item in items %}`,",
    "`items[].title` is `item.title`. A list of blocks is written as shown above; a picture",
    "is written alone in its paragraph (see Pictures below).",
)
# templates/README.md holds the lists in this order, each between BEGIN and END.
LISTS: tuple[tuple[Sections, tuple[str, ...]], ...] = (
    (SECTIONS, INTRO),
    (MAIL_SECTIONS, ()),
    (REPORT_SECTIONS, ()),
)
BEGIN = "<!-- made by `python -m pipeline.context_types templates/README.md`; do not edit -->"
END = "<!-- end of placeholders -->"


def _fields(td: object) -> dict[str, tuple[object, str]]:
    """{name: (type, meaning)} of a TypedDict, in the order the class declares them."""
    hints = typing.get_type_hints(td, include_extras=True)
    found: dict[str, tuple[object, str]] = {}
    for name, hint in hints.items():
        assert typing.get_origin(hint) is Annotated, f"{td!r}.{name} has no meaning"
        inner, meaning = typing.get_args(hint)[:2]
        found[name] = (inner, str(meaning))
    return found


def _kind(hint: object) -> str:
    origin = typing.get_origin(hint)
    if origin is list:
        (element,) = typing.get_args(hint)
        return "blocks" if element is Block else "list"
    if origin in (Union, types.UnionType):
        return "picture"
    if hint is bool:
        return "true/false"
    if hint is int:
        return "number"
    return "text" if hint is str else ""


def _rows(td: object, prefix: str, skip: dict[str, tuple[object, str]]) -> list[str]:
    rows = []
    for name, (hint, meaning) in _fields(td).items():
        if skip.get(name) == (hint, meaning):
            continue
        path = f"{prefix}{name}"
        element = typing.get_args(hint)[0] if typing.get_origin(hint) is list else hint
        nested = typing.is_typeddict(element)
        kind = "list" if nested and element is not hint else _kind(hint)
        if not nested or kind == "list":
            rows.append(f"| `{path}` | {kind} | {meaning} |")
        if nested:
            inner_prefix = f"{path}[]." if element is not hint else f"{path}."
            inner_skip = (
                _fields(typing.get_args(skip[name][0])[0])
                if name in skip and typing.get_origin(skip[name][0]) is list
                else {}
            )
            rows += _rows(element, inner_prefix, inner_skip)
    return rows


def placeholder_list(sections: Sections = SECTIONS, intro: tuple[str, ...] = INTRO) -> str:
    """One of templates/README.md's placeholder lists, between its markers."""
    out = [BEGIN, *([""] if intro else []), *intro]
    for title, td, base in sections:
        out += ["", f"### {title}", ""]
        out += ["| placeholder | value | meaning |", "| --- | --- | --- |"]
        out += _rows(td, "", _fields(base) if base is not None else {})
    out += ["", END]
    return "\n".join(out) + "\n"


def with_placeholders(readme: str) -> str:
    """templates/README.md's text with its placeholder lists made anew."""
    head, *parts = readme.split(BEGIN)
    assert len(parts) == len(LISTS), f"templates/README.md needs {len(LISTS)} lists {BEGIN}"
    out = [head]
    for part, (sections, intro) in zip(parts, LISTS, strict=True):
        _, end, tail = part.partition(END)
        assert end, f"templates/README.md has a {BEGIN} without {END}"
        out.append(placeholder_list(sections, intro).removesuffix("\n") + tail)
    return "".join(out)


def main(argv: list[str]) -> None:
    """Print the lists, or with a file's path write them into that file between the markers."""
    if not argv:
        sys.stdout.write("\n".join(placeholder_list(*spec) for spec in LISTS))
        return
    path = Path(argv[0])
    path.write_text(with_placeholders(path.read_text(encoding="utf-8")), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])

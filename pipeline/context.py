"""Model → the plain render context every format shares: Finnish dates, numbering, texts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipeline.markup import parse_blocks
from pipeline.model import Group, Meeting, Organisation, Person
from pipeline.terms import RECORDS, Record, genitive, record

if TYPE_CHECKING:  # the context's shape, for the type checker; `check` imports none of it
    from pipeline.context_types import (
        ApprovalContext,
        AttachmentContext,
        AttendanceContext,
        BaseContext,
        CoverLetterContext,
        FollowUpContext,
        GroupAttendanceContext,
        GroupContext,
        GuestContext,
        InvitationContext,
        ItemContext,
        MinutesContext,
        MinutesItemContext,
        OrgContext,
        OtherContext,
        PersonContext,
        PresentContext,
        RecordContext,
        TextsContext,
    )

LOCALE = "fi_FI"

BODY_NOTE = (
    "Neuvotteluryhmä ei ole päättävä elin. Se ei tee päätöksiä kaupungin puolesta, "
    "eikä sen linjauksilla ole oikeudellista tai hallinnollista sitovuutta."
)
DISCLAIMER = (  # rule 3's own sentence, with the record's name as its subject
    "Tämä {record} ei ole virallinen pöytäkirja eikä sisällä päätöksiä, vaan yhdessä sovittuja "
    "asioita. Neuvotteluryhmä ei ole päättävä elin: se ei tee päätöksiä kaupungin puolesta, eikä "
    "sen linjauksilla ole oikeudellista tai hallinnollista sitovuutta."
)
DEFAULT_TEXTS: TextsContext = {
    "body_note": BODY_NOTE,
    "disclaimer": DISCLAIMER.format(record="pöytäkirja"),
    "confidentiality": "Luottamuksellinen: neuvotteluryhmän keskustelut käydään "
    "luottamuksellisesti, eikä niitä jaeta julkisuuteen ilman yhteistä sopimusta.",
    "confidential_label": "Luottamuksellinen",
    "separately": "toimitetaan erikseen",
}
OPENING_TITLES = ("kokouksen avaus", "kokouksen avaaminen")
CLOSING_TITLES = ("kokouksen päättäminen", "kokouksen lopettaminen")


@dataclass(frozen=True)
class Approval:
    """What the final minutes print in their approval block."""

    by: str
    title: str
    date: dt.date


@dataclass(frozen=True)
class FollowUpEntry:
    """A follow-up item with its id, across meetings."""

    id: str
    meeting: str
    meeting_date: dt.date
    item: int
    task: str
    owner: str
    due: dt.date | None


def _format_date(day: dt.date, pattern: str) -> str:
    from babel.dates import format_date  # Babel's calendar data: imported where a date is written

    return format_date(day, pattern, locale=LOCALE)


def fi_date(day: dt.date) -> str:
    return _format_date(day, "d.M.yyyy")


def fi_date_long(day: dt.date) -> str:
    """In a field: *maanantai 7.12.2026*."""
    return _format_date(day, "cccc d.M.yyyy")


def fi_date_essive(day: dt.date) -> str:
    """In running text: *maanantaina 7.12.2026* (CLDR's Finnish format form is the essive)."""
    return _format_date(day, "EEEE d.M.yyyy")


def record_of(org: Organisation) -> Record:
    """The forms of the record's name this organisation uses (`wording.record`)."""
    return record(org.wording.record)


def fi_time(time: dt.time) -> str:
    from babel.dates import format_time

    return format_time(time, "H.mm", locale=LOCALE)


def one_line(text: str) -> str:
    """A short text typed over several lines (a YAML block) as the one paragraph it is."""
    return " ".join(line.strip() for line in text.strip().splitlines() if line.strip())


def join_fi(names: Sequence[str]) -> str:
    """'A', 'A ja B', 'A, B ja C'."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} ja {names[-1]}"


def followups(meeting: Meeting) -> list[FollowUpEntry]:
    """The follow-up items recorded at a meeting, numbered `<number>-<item>.<n>`."""
    if meeting.notes is None:
        return []
    return [
        FollowUpEntry(
            meeting.followup_id(number, n),
            meeting.agenda.number,
            meeting.agenda.date,
            number,
            f.task,
            f.owner,
            f.due,
        )
        for number, item in sorted(meeting.notes.items.items())
        for n, f in enumerate(item.follow_up, start=1)
    ]


def open_followups(history: Iterable[Meeting], before: dt.date) -> list[FollowUpEntry]:
    """Follow-ups of meetings before `before` that no meeting before it reported done."""
    earlier = [m for m in history if m.agenda.date < before]
    done = {d for m in earlier if m.notes for d in m.notes.follow_up_done}
    return [f for m in earlier for f in followups(m) if f.id not in done]


def person_context(person: Person | None) -> PersonContext:
    if person is None:
        return {"name": "", "title": "", "email": "", "phone": ""}
    return {
        "name": person.name,
        "title": person.title,
        "email": person.email,
        "phone": person.phone,
    }


def group_context(group: Group) -> GroupContext:
    return {
        "id": group.id,
        "name": group.name,
        "short": group.short,
        "members": [
            {"name": m.name, "email": m.email, "substitute": m.substitute} for m in group.members
        ],
        "distribution": list(group.distribution),
    }


def _texts(org: Organisation) -> TextsContext:
    texts = DEFAULT_TEXTS.copy()
    texts["disclaimer"] = DISCLAIMER.format(record=record_of(org).nominative)
    if org.wording.disclaimer:
        texts["disclaimer"] = org.wording.disclaimer.strip()
    if org.wording.confidentiality:
        texts["confidentiality"] = org.wording.confidentiality.strip()
    return texts


def _followup(f: FollowUpEntry, today: dt.date) -> FollowUpContext:
    return {
        "id": f.id,
        "item": f.item,
        "task": f.task,
        "owner": f.owner,
        "due": fi_date(f.due) if f.due else "",
        "meeting": f.meeting,
        "overdue": bool(f.due and f.due < today),
    }


def is_review_item(title: str) -> bool:
    """The agenda item that reviews the previous meeting's record (rule 3), by either name."""
    lowered = title.casefold()
    return "edellisen kokouksen" in lowered and any(
        word.genitive in lowered or word.nominative in lowered for word in RECORDS.values()
    )


def review_title(org: Organisation) -> str:
    """The standard title of that item: *Edellisen kokouksen muistion läpikäynti*."""
    return f"Edellisen kokouksen {record_of(org).genitive} läpikäynti"


def _is_title(title: str, titles: Sequence[str]) -> bool:
    return " ".join(title.split()).casefold() in titles


def record_context(word: Record) -> RecordContext:
    return {
        "nominative": word.nominative,
        "genitive": word.genitive,
        "partitive": word.partitive,
        "inessive": word.inessive,
        "elative": word.elative,
        "draft": word.draft,
        "draft_genitive": word.draft_genitive,
        "title": word.title,
        "genitive_title": word.genitive[:1].upper() + word.genitive[1:],
        "name": word.name,
        "draft_mark": word.draft_mark,
    }


def attachments_label(count: int) -> str:
    """*Liite* for one paper, *Liitteet* for several."""
    return "Liite" if count == 1 else "Liitteet"


def _attachment(title: str, file: str) -> AttachmentContext:
    shown = title if file else f"{title} ({DEFAULT_TEXTS['separately']})"
    return {"title": title, "file": file, "attached": bool(file), "shown": shown}


def previous_meeting(meeting: Meeting, history: Sequence[Meeting]) -> Meeting | None:
    """The meeting named by `previous`, else the latest earlier one."""
    if meeting.agenda.previous:
        return next((m for m in history if m.id == meeting.agenda.previous), None)
    earlier = [m for m in history if m.agenda.date < meeting.agenda.date]
    return earlier[-1] if earlier else None


def org_context(org: Organisation) -> OrgContext:
    """The roster as every document's letterhead and signature show it."""
    return {
        "municipality": org.municipality,
        "logo": org.logo_picture or "",
        "body": org.body,
        "appointed_by": org.appointed_by,
        "chair": person_context(org.chair),
        "vice_chair": person_context(org.vice_chair),
        "secretary": person_context(org.secretary),
        "groups": [group_context(g) for g in org.groups],
    }


def base_context(
    meeting: Meeting, *, name: str, title: str, date: dt.date, draft: bool = False
) -> BaseContext:
    """The placeholders every document has (templates/README.md)."""
    org, agenda = meeting.organisation, meeting.agenda
    word = record_of(org)
    time = f"klo {fi_time(agenda.start)}"
    if agenda.end:
        time += f"–{fi_time(agenda.end)}"
    items: list[ItemContext] = [
        {
            "number": number,
            "title": item.title,
            "presenter": item.presenter,
            "background": parse_blocks(item.background),
            "attachments": [_attachment(a.title, a.file) for a in item.attachments],
            "attachments_label": attachments_label(len(item.attachments)),
            "confidential": item.confidential,
            "review": is_review_item(item.title),
            "opening": _is_title(item.title, OPENING_TITLES),
            "closing": _is_title(item.title, CLOSING_TITLES),
        }
        for number, item in enumerate(agenda.items, start=1)
    ]
    papers = [_attachment(a.title, a.file) for item in agenda.items for a in item.attachments]
    return {
        "org": org_context(org),
        "meeting": {
            "number": agenda.number,
            "date": fi_date(agenda.date),
            "weekday": _format_date(agenda.date, "cccc"),
            "date_long": fi_date_long(agenda.date),
            "date_essive": fi_date_essive(agenda.date),
            "time": time,
            "when": f"{fi_date_long(agenda.date)} {time}",
            "when_essive": f"{fi_date_essive(agenda.date)} klo {fi_time(agenda.start)}",
            "place": agenda.place,
            "remote": agenda.remote,
            "year": agenda.date.year,
            "opened": "",
            "closed": "",
        },
        "doc": {
            "name": name,
            "title": title,
            "date": fi_date(date),
            "draft": draft,
            "draft_mark": word.draft_mark if draft else "",
            "confidential": any(item.confidential for item in agenda.items),
        },
        "record": record_context(word),
        "texts": _texts(org),
        "items": items,
        "attachments": papers,
        "attachments_label": attachments_label(len(papers)),
        "distribution": [g.name for g in org.groups],
    }


def review_sentence(meeting: Meeting, previous: Meeting, approval: Approval | None) -> str:
    """The review of the previous record (rule 3), one sentence from the approval state as it
    is when the document is rendered: never frozen into agenda.yaml."""
    word = record_of(meeting.organisation)
    what = (
        f"Käydään läpi kokouksen {previous.agenda.number} ({fi_date(previous.agenda.date)}) "
        f"{word.nominative}"
    )
    if approval is None:
        return f"{what}; se on vielä luonnos."
    return f"{what}, jonka {approval.title} on hyväksynyt {fi_date(approval.date)}."


def invitation_context(
    meeting: Meeting,
    history: Sequence[Meeting],
    today: dt.date,
    approved: Mapping[str, Approval] | None = None,
) -> InvitationContext:
    """The invitation; `approved` maps the earlier meetings whose approval holds to it."""
    agenda = meeting.agenda
    base = base_context(
        meeting,
        name="KOKOUSKUTSU",
        title="Kokouskutsu ja esityslista",
        date=agenda.invited_on or today,
    )
    previous = previous_meeting(meeting, history)
    context: InvitationContext = {
        **base,
        "has_previous": previous is not None,
        "previous": {
            "number": previous.agenda.number if previous else "",
            "date": fi_date(previous.agenda.date) if previous else "",
            "approved": previous is not None and previous.id in (approved or {}),
            "review": (
                review_sentence(meeting, previous, (approved or {}).get(previous.id))
                if previous
                else ""
            ),
        },
        "open_followups": [_followup(f, agenda.date) for f in open_followups(history, agenda.date)],
    }
    return context


def _attendance(meeting: Meeting) -> AttendanceContext:
    """Attendance by group, every group listed (rule 2: every group has an equal right to be
    heard), then the others present and the guests."""
    org, notes = meeting.organisation, meeting.notes
    assert notes is not None
    present = {p.name: p for p in notes.attendance.present}
    absent = set(notes.attendance.absent)
    stood_in_for = {p.substitute_for for p in notes.attendance.present if p.substitute_for}
    roles = {org.chair.name: "puheenjohtaja", org.secretary.name: "sihteeri"}
    if org.vice_chair:
        roles.setdefault(org.vice_chair.name, "varapuheenjohtaja")
    members = {m.name for g in org.groups for m in g.members}
    groups: list[GroupAttendanceContext] = []
    for group in org.groups:
        rows: list[PresentContext] = []
        for member in group.members:
            entry = present.get(member.name)
            if entry is None:
                continue
            note = [roles[member.name]] if member.name in roles else []
            if member.substitute or entry.substitute_for:
                note.append("varajäsen")
            if entry.substitute_for:
                note.append(f"{genitive(entry.substitute_for)} tilalla")
            rows.append({"name": member.name, "note": ", ".join(note)})
        away = [  # a member whose substitute is present is not listed again as absent
            m.name
            for m in group.members
            if m.name not in stood_in_for
            and (m.name in absent or (not m.substitute and m.name not in present))
        ]
        groups.append(
            {
                "name": group.name,
                "short": group.short,
                "present": rows,
                "absent": away,
                "nobody": not rows,
            }
        )
    others: list[OtherContext] = [
        {"name": p.name, "role": roles.get(p.name, "")}
        for p in notes.attendance.present
        if p.name not in members
    ]
    guests: list[GuestContext] = [
        {"name": g.name, "title": g.title, "agenda_items": ", ".join(str(i) for i in g.items)}
        for g in notes.attendance.guests
    ]
    return {"groups": groups, "others": others, "guests": guests}


def represented_groups(meeting: Meeting) -> list[Group]:
    """The groups with at least one of their people present."""
    notes = meeting.notes
    present = {p.name for p in notes.attendance.present} if notes else set()
    return [g for g in meeting.organisation.groups if any(m.name in present for m in g.members)]


def _opened_by(meeting: Meeting) -> str:
    """Who chaired: the chair, or the vice-chair when the chair was not there."""
    org, notes = meeting.organisation, meeting.notes
    present = {p.name for p in notes.attendance.present} if notes else set()
    if org.chair.name not in present and org.vice_chair and org.vice_chair.name in present:
        return "Varapuheenjohtaja"
    return "Puheenjohtaja"


def _group_names(org: Organisation, ids: Sequence[str]) -> str:
    names = {g.id: g.name for g in org.groups}
    return join_fi([names.get(i, i) for i in ids])


def minutes_context(
    meeting: Meeting, history: Sequence[Meeting], approval: Approval | None
) -> MinutesContext:
    """The minutes: a draft without `approval`, the final minutes with it."""
    notes, org = meeting.notes, meeting.organisation
    assert notes is not None
    word = record_of(org)
    base = base_context(
        meeting, name=word.name, title=word.title, date=meeting.agenda.date, draft=approval is None
    )
    chaired = _opened_by(meeting)
    standard = {
        "opening": f"{chaired} avasi kokouksen klo {fi_time(notes.opened)}."
        if notes.opened
        else "",
        "closing": f"{chaired} päätti kokouksen klo {fi_time(notes.closed)}."
        if notes.closed
        else "",
    }
    represented = ", ".join(g.short for g in represented_groups(meeting))
    base["meeting"]["opened"] = fi_time(notes.opened) if notes.opened else ""
    base["meeting"]["closed"] = fi_time(notes.closed) if notes.closed else ""
    attendance = _attendance(meeting)
    guests_by_item: dict[int, list[str]] = {}
    presenters = {n: item.presenter.casefold() for n, item in enumerate(meeting.agenda.items, 1)}
    for guest in notes.attendance.guests:
        for number in guest.items:
            if guest.name.casefold() in presenters.get(number, ""):
                continue  # the presenter is named as such: one person, one role
            label = f"{guest.name}, {guest.title}" if guest.title else guest.name
            guests_by_item.setdefault(number, []).append(label)
    items = [
        _minutes_item(
            meeting,
            item,
            standard["opening"]
            if item["opening"]
            else standard["closing"]
            if item["closing"]
            else "",
            "; ".join(guests_by_item.get(item["number"], [])),
            represented,
        )
        for item in base["items"]
    ]
    known = {f.id: f for m in history for f in followups(m)}
    return {
        **base,
        "items": items,
        "attendance": attendance,
        "followups": [_followup(f, meeting.agenda.date) for f in followups(meeting)],
        "followups_done": [
            {"id": done, "task": known[done].task if done in known else ""}
            for done in notes.follow_up_done
        ],
        "approval": _approval_context(approval),
    }


def _minutes_item(
    meeting: Meeting, item: ItemContext, standard: str, guests: str, represented: str
) -> MinutesItemContext:
    """An agenda item with what the notes say of it."""
    assert meeting.notes is not None
    number = item["number"]
    entry = meeting.notes.items.get(number)
    statement = entry.statement if entry else None
    return {
        **item,
        "standard": standard,
        "recorded": entry is not None
        and bool(
            entry.discussion or entry.agreed or entry.dissent or entry.follow_up or entry.statement
        ),
        "guests": guests,
        "discussion": parse_blocks(entry.discussion) if entry else [],
        "agreed": [one_line(a) for a in entry.agreed] if entry else [],
        "dissent": [
            {
                "groups": _group_names(meeting.organisation, d.groups),
                "position": one_line(d.position),
            }
            for d in (entry.dissent if entry else ())
        ],
        "follow_up": [
            {
                "id": meeting.followup_id(number, n),
                "task": f.task,
                "owner": f.owner,
                "due": fi_date(f.due) if f.due else "",
            }
            for n, f in enumerate(entry.follow_up if entry else (), start=1)
        ],
        "has_statement": statement is not None,
        "statement": {
            "text": one_line(statement.text) if statement else "",
            "public": bool(statement and statement.public),
            "publicity": (
                "Kannanotto voidaan julkaista: sen julkaisemisesta sopivat yhdessä kaikki "
                f"kokouksessa edustettuina olleet ryhmät ({represented})."
                if statement and statement.public
                else "Kannanotto ei ole julkinen, eikä sitä julkaista ilman yhteistä sopimusta."
            ),
        },
    }


def _approval_context(approval: Approval | None) -> ApprovalContext:
    return {
        "approved": approval is not None,
        "by": approval.by if approval else "",
        "title": approval.title if approval else "",
        "date": fi_date(approval.date) if approval else "",
    }


def owns(group: Group, owner: str) -> bool:
    """Whether a follow-up's owner is this group (by id, short name or full name)."""
    wanted = owner.strip().casefold()
    return wanted in (group.id.casefold(), group.short.casefold(), group.name.casefold())


def cover_context(
    meeting: Meeting, group: Group, approval: Approval, attachments: Sequence[str]
) -> CoverLetterContext:
    """A cover letter to one group: what is attached, and the group's own record."""
    notes = meeting.notes
    assert notes is not None
    base = base_context(meeting, name="SAATE", title="Saate", date=approval.date)
    titles = {n: item.title for n, item in enumerate(meeting.agenda.items, start=1)}
    context: CoverLetterContext = {
        **base,
        "group": group_context(group),
        "approval": _approval_context(approval),
        "distribution": [group.name],
        "cover": {
            "attachments": list(attachments),
            "attachments_label": attachments_label(len(attachments)),
            "dissents": [
                {"item": number, "title": titles[number], "position": one_line(d.position)}
                for number, entry in sorted(notes.items.items())
                for d in entry.dissent
                if group.id in d.groups
            ],
            "followups": [
                {"id": f.id, "task": f.task, "due": fi_date(f.due) if f.due else ""}
                for f in followups(meeting)
                if owns(group, f.owner)
            ],
        },
    }
    return context

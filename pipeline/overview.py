"""Across meetings: a new meeting's scaffold, every follow-up's status, the annual evaluation."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline import context as ctx
from pipeline.errors import InputError, Problem
from pipeline.i18n import _
from pipeline.loading import AGENDA, ORGANISATION, check_meeting_id, load_history, load_organisation
from pipeline.model import Meeting, Organisation
from pipeline.schema import modeline, write_schemas
from pipeline.storage import atomic_write

SCHEMA_FOLDER = "schemas"  # inputs/schemas/: the JSON Schemas the files written by `new` name
STANDARD_ITEMS = ("Kokouksen avaus", "Muut asiat", "Seuraava kokous", "Kokouksen päättäminen")


def _meetings(inputs: Path, organisation: Path | None) -> list[Meeting]:
    org = load_organisation(organisation or inputs / ORGANISATION)
    return load_history(inputs, org)


def new_meeting(inputs: Path, day: str, organisation: Path | None) -> Path:
    """Scaffold inputs/<day>/agenda.yaml: the next number, the standard items and the review of
    the previous record (whose sentence, like the open follow-ups, the invitation computes when
    it is rendered). Never overwrites."""
    date = _meeting_date(day)
    folder = inputs / day
    if folder.exists():
        raise InputError(
            [
                Problem(
                    str(folder),
                    0,
                    _(
                        "this meeting folder already exists and is not overwritten: edit its "
                        "agenda.yaml, or give another date"
                    ),
                )
            ]
        )
    org = load_organisation(organisation or inputs / ORGANISATION)
    text = _agenda_text(org, load_history(inputs, org), day, date)
    write_schemas(inputs / SCHEMA_FOLDER)
    atomic_write(folder / AGENDA, text.encode("utf-8"))
    return folder / AGENDA


def _meeting_date(day: str) -> dt.date:
    """The date a new meeting's folder name gives, refused unless it is YYYY-MM-DD and real."""
    check_meeting_id(day)
    try:
        return dt.date.fromisoformat(day)
    except ValueError:
        raise InputError(
            [
                Problem(
                    day,
                    0,
                    _(
                        "the meeting's date should be YYYY-MM-DD, for example 2027-01-18,"
                        " and exist in the calendar"
                    ),
                )
            ]
        ) from None


def _agenda_text(org: Organisation, meetings: list[Meeting], day: str, date: dt.date) -> str:
    """The new agenda.yaml: the year's next number, the previous meeting's time and place, the
    standard items, with the hints a secretary fills it in by."""
    same_year = [
        int(m.agenda.number.split("/")[0]) for m in meetings if m.agenda.date.year == date.year
    ]
    earlier = [m for m in meetings if m.agenda.date < date]
    previous = earlier[-1] if earlier else None
    items: list[dict[str, object]] = [{"title": title} for title in STANDARD_ITEMS]
    if previous:  # rule 3; what it says is computed from the approval when it is rendered
        items.insert(1, {"title": ctx.review_title(org)})
    agenda: dict[str, object] = {
        "number": f"{max(same_year, default=0) + 1}/{date.year}",
        "date": day,
        "start": previous.agenda.start.strftime("%H:%M") if previous else "17:00",
        "place": previous.agenda.place if previous else "",
    }
    if previous and previous.agenda.end:
        agenda["end"] = previous.agenda.end.strftime("%H:%M")
    if previous:
        agenda["previous"] = previous.id
    agenda["items"] = items
    text = yaml.safe_dump(agenda, allow_unicode=True, sort_keys=False, width=88)
    if previous and previous.agenda.remote:  # a meeting link is not reused by accident
        text = text.replace(
            "\nprevious:",
            "\n# remote: tämän kokouksen etäyhteyslinkki (edellisessä kokouksessa oli "
            "etäyhteys; sen linkkiä ei kopioitu)\nprevious:",
            1,
        )
    return modeline(AGENDA, f"../{SCHEMA_FOLDER}") + (
        "# Esityslista. Täydennä paikka, asiat ja niiden taustat; tarkista: minutes check "
        f"{day}\n" + text
    )


@dataclass(frozen=True)
class FollowUpStatus:
    entry: ctx.FollowUpEntry
    status: str  # "open", "overdue" or "done"
    done_at: str  # the number of the meeting that reported it done


def followup_statuses(
    inputs: Path, organisation: Path | None, today: dt.date
) -> list[FollowUpStatus]:
    # a meeting whose day has not come counts for nothing yet, though its notes be written
    meetings = [m for m in _meetings(inputs, organisation) if m.held_by(today)]
    done = {d: m.agenda.number for m in meetings if m.notes for d in m.notes.follow_up_done}
    result = []
    for meeting in meetings:
        for entry in ctx.followups(meeting):
            if entry.id in done:
                result.append(FollowUpStatus(entry, "done", done[entry.id]))
            elif entry.due and entry.due < today:
                result.append(FollowUpStatus(entry, "overdue", ""))
            else:
                result.append(FollowUpStatus(entry, "open", ""))
    return result


def format_followups(statuses: list[FollowUpStatus]) -> str:
    if not statuses:
        return _("No follow-up items recorded yet.")
    head = (_("id"), _("status"), _("due"), _("owner"), _("task"))
    lines = [f"{head[0]:<14} {head[1]:<16} {head[2]:<10} {head[3]:<20} {head[4]}"]
    for s in statuses:
        e = s.entry
        status = (
            _("done ({meeting})").format(meeting=s.done_at)
            if s.status == "done"
            else _("overdue")
            if s.status == "overdue"
            else _("open")
        )
        lines.append(
            f"{e.id:<14} {status:<16} {ctx.fi_date(e.due) if e.due else '':<10} "
            f"{e.owner:<20} {e.task}"
        )
    counts = Counter(s.status for s in statuses)
    lines.append(
        _("{value} open, {value2} overdue, {value3} done.").format(
            value=counts["open"], value2=counts["overdue"], value3=counts["done"]
        )
    )
    waiting = [s.entry.id for s in statuses if s.status != "done"]
    if waiting:
        lines.append(
            _(
                "When a meeting finds an item done, list it in that meeting's notes.yaml: "
                "follow_up_done: [{id}]"
            ).format(id=waiting[0])
        )
    return "\n".join(lines)

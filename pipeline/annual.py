"""The annual evaluation (rule 6) as a document: the year's meetings, attendance with a chart,
matters, agreed views and dissents, follow-ups, joint statements and how soon the minutes were
approved and distributed, ending with the rules' questions for the evaluation discussion."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import approval as ap
from pipeline import clock
from pipeline import context as ctx
from pipeline import documents as docs
from pipeline.errors import InputError, Problem
from pipeline.i18n import _
from pipeline.loading import ORGANISATION, load_history, load_organisation
from pipeline.model import Meeting, Organisation
from pipeline.render.picture import Picture
from pipeline.terms import Record

if TYPE_CHECKING:  # the contexts' shape, for the type checker only
    from pipeline.context_types import (
        FollowUpCountsContext,
        ReportContext,
        YearAttendanceContext,
        YearDissentContext,
        YearFollowUpContext,
        YearGroupContext,
        YearMattersContext,
        YearMeetingContext,
        YearStatementContext,
    )

REPORT = docs.Kind("report", "arviointi")
CHART_WIDTH_CM = 16.0
RULE_6 = (
    "Neuvotteluryhmän toimivuutta arvioidaan säännöllisesti, vähintään kerran vuodessa. "
    "Pelisääntöjä voidaan päivittää yhdessä, jos toiminta tai tilanne sitä edellyttää."
)
QUESTIONS = (
    "Toimiiko neuvotteluryhmä tarkoituksensa mukaisesti: edistääkö se avoimuutta, "
    "vuoropuhelua ja yhteisymmärrystä poliittisten ryhmien välillä?",
    "Onko kaupungin merkittävistä asioista voitu keskustella ennakoivasti, riittävän ajoissa "
    "ennen päätöksentekoa virallisissa toimielimissä?",
    "Onko jokaisella ryhmällä ollut yhtäläinen mahdollisuus osallistua keskusteluun ja tulla "
    "kuulluksi? Mitä osallistuminen kertoo?",
    "Onko kunkin kokouksen {record} valmistunut, hyväksytty ja toimitettu ryhmille riittävän "
    "nopeasti, ja ovatko jäsenet vieneet yhdessä linjatut näkemykset omille ryhmilleen?",
    "Ovatko keskustelut pysyneet luottamuksellisina, ja onko viestintä antanut oikean kuvan "
    "siitä, että neuvotteluryhmä ei tee päätöksiä?",
    "Onko jatkovalmistelun kohdat saatu valmiiksi sovitussa ajassa?",
    "Onko pelisääntöjä tarpeen päivittää? Jos on, mitä kohtia ja miten?",
)


@dataclass(frozen=True)
class Progress:
    """How far a meeting's record got: approved and distributed, and when."""

    approved: dt.date | None
    distributed: dt.date | None
    stale: bool  # approved once, but the approval no longer holds (content or files changed)


def file_name(year: int, fmt: str) -> str:
    return f"{REPORT.stem}_{year}.{fmt}"


def default_out(year: int, outputs: Path = Path("outputs")) -> Path:
    return outputs / f"{REPORT.stem}_{year}"


def progress(meeting: Meeting, outputs: Path) -> Progress:
    """The meeting's approval and distribution, from its approval record and audit log (the
    same answer as `minutes status`: an approval that no longer holds is none)."""
    if meeting.notes is None:
        return Progress(None, None, False)
    out = outputs / meeting.id
    log = ap.read_audit(out)
    approval = ap.approval_state(out, meeting, log)
    record = approval.record
    if not approval.holds or record is None:
        return Progress(None, None, approval.status != "none")
    sent = next(
        (
            e
            for e in log.entries
            if e.get("event") == "distributed" and e.get("fingerprint") == record.fingerprint
        ),
        None,
    )
    # the log's UTC time, on the day the secretary's calendar (and `status`) gives it
    when = clock.logged(sent["time"]) if sent else None
    distributed = when.date() if when else None
    return Progress(dt.date.fromisoformat(record.approved_on), distributed, False)


def _state(meeting: Meeting, done: Progress, as_of: dt.date, word: Record) -> tuple[str, bool]:
    """The meeting's state in words, and whether it counts as completed (minutes approved)."""
    if meeting.agenda.date > as_of:
        return "ei vielä pidetty; ei mukana luvuissa", False
    if meeting.notes is None:
        return "muistiinpanoja ei ole kirjattu; ei mukana luvuissa", False
    if done.stale:
        return (
            f"pidetty; hyväksyntä ei ole enää voimassa, {word.nominative} odottaa uutta "
            "hyväksymistä; ei lasketa valmiiksi",
            False,
        )
    if done.approved is None:
        return (
            f"pidetty; {word.partitive} ei ole hyväksytty, joten kokousta ei lasketa valmiiksi",
            False,
        )
    # Whether and when the groups got it is the next column's (*Jaettu*): not said twice.
    return f"pidetty, {word.nominative} hyväksytty", True


def _count(number: int, one: str, other: str) -> str:
    """A number with its noun as Finnish counts: *1 kokous*, *2 kokousta* (and *0 kokousta*)."""
    return f"{number} {one if number == 1 else other}"


def _days(start: dt.date, end: dt.date | None) -> str:
    return str((end - start).days) if end else "–"


def _present_people(meeting: Meeting, names: set[str]) -> int:
    assert meeting.notes is not None
    return sum(1 for p in meeting.notes.attendance.present if p.name in names)


def attendance_chart(org: Organisation, held: Sequence[Meeting], year: int) -> Picture:
    """A bar chart of the meetings each group took part in; a deterministic PNG."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import MaxNLocator

    shorts = [g.short for g in org.groups]
    counts = [
        sum(1 for m in held if _present_people(m, {p.name for p in g.members})) for g in org.groups
    ]
    height_cm = 2.2 + 0.68 * len(shorts)
    plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 9, "svg.hashsalt": "minutes"})
    figure, axes = plt.subplots(figsize=(CHART_WIDTH_CM / 2.54, height_cm / 2.54), dpi=200)
    bars = axes.barh(list(reversed(shorts)), list(reversed(counts)), color="#1f4e79", height=0.6)
    axes.bar_label(bars, labels=[f"{c}/{len(held)}" for c in reversed(counts)], padding=3)
    axes.set_xlim(0, max(len(held), 1) * 1.12)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Kokouksia, joissa ryhmällä oli edustaja paikalla")
    meetings = _count(len(held), "pidetty kokous", "pidettyä kokousta")
    axes.set_title(f"Ryhmien osallistuminen kokouksiin {year} ({meetings})")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(figure)
    summary = ", ".join(f"{s} {c}/{len(held)}" for s, c in zip(shorts, counts, strict=True))
    alt = (
        f"Pylväskaavio: ryhmien osallistuminen neuvotteluryhmän kokouksiin vuonna {year}, "
        f"kokouksia, joissa ryhmällä oli edustaja paikalla: {summary}."
    )
    return Picture(buffer.getvalue(), "png", CHART_WIDTH_CM, height_cm, alt)


def report_context(
    org: Organisation,
    meetings: Sequence[Meeting],
    outputs: Path,
    year: int,
    today: dt.date,
    *,
    chart: bool = True,
) -> ReportContext:
    """The evaluation's placeholders (templates/README.md), for the meetings of one year."""
    as_of = min(today, dt.date(year, 12, 31))
    word = ctx.record_of(org)
    of_year = [m for m in meetings if m.agenda.date.year == year]
    held_by_then = [m for m in meetings if m.held_by(as_of)]
    held_of_year = [m for m in held_by_then if m.agenda.date.year == year]
    progresses = [progress(m, outputs) for m in of_year]
    rows, complete = _year_meetings(of_year, progresses, as_of, word)
    per_meeting, statements = _matters(org, held_of_year)
    followups = _year_followups(held_of_year, held_by_then, as_of)
    counts = _followup_counts(followups)
    return {
        "org": ctx.org_context(org),
        "meeting": {"number": str(year)},
        "doc": {
            "name": "ARVIOINTI",
            "title": "Neuvotteluryhmän toiminnan arviointi",
            "date": ctx.fi_date(today),
            "draft": False,
            "draft_mark": "",
        },
        "texts": {"body_note": ctx.DEFAULT_TEXTS["body_note"], "rule": RULE_6},
        "year": year,
        "as_of": ctx.fi_date(as_of),
        "summary": _summary_sentences(year, of_year, complete, as_of, word),
        "pending": _pending(of_year, progresses, counts, as_of, today, word),
        "meetings": rows,
        "has_held": bool(held_of_year),
        "attendance": _attendance_rows(org, held_of_year),
        "groups": _group_rows(org, held_of_year),
        "chart": attendance_chart(org, held_of_year, year) if held_of_year and chart else "",
        "per_meeting": per_meeting,
        "followups": followups,
        "followup_counts": counts,
        "statements": statements,
        "questions": [q.format(record=word.nominative) for q in QUESTIONS],
        "record": ctx.record_context(word),
    }


def _year_meetings(
    of_year: Sequence[Meeting], progresses: Sequence[Progress], as_of: dt.date, word: Record
) -> tuple[list[YearMeetingContext], list[bool]]:
    """Each meeting of the year with its state, approval and distribution; and whether each
    counts as completed."""
    rows: list[YearMeetingContext] = []
    complete: list[bool] = []
    for m, done in zip(of_year, progresses, strict=True):
        state, completed = _state(m, done, as_of, word)
        complete.append(completed)
        was_held = m.held_by(as_of)
        rows.append(
            {
                "number": m.agenda.number,
                "date": ctx.fi_date(m.agenda.date),
                "state": state,
                "approved": ctx.fi_date(done.approved)
                if done.approved
                else ("ei hyväksytty" if was_held else "–"),
                "approved_days": _days(m.agenda.date, done.approved),
                "distributed": ctx.fi_date(done.distributed)
                if done.distributed
                else ("ei jaettu" if was_held else "–"),
                "distributed_days": _days(m.agenda.date, done.distributed),
                "held": was_held,
            }
        )
    return rows, complete


def _summary_sentences(
    year: int,
    of_year: Sequence[Meeting],
    complete: Sequence[bool],
    as_of: dt.date,
    word: Record,
) -> list[str]:
    """How many meetings, how many of them held by `as_of` (what the figures count), and how
    many completed."""
    held_count = sum(1 for m in of_year if m.held_by(as_of))
    recorded = _count(len(of_year), "kokous", "kokousta")
    how_many = f"joista {held_count} on pidetty" if held_count else "joista yhtään ei ole pidetty"
    return [
        f"Vuonna {year} neuvotteluryhmälle on kirjattu {recorded}, {how_many} "
        f"{ctx.fi_date(as_of)} mennessä. Arvioinnin luvut (osallistuminen, käsitellyt asiat, "
        "linjaukset, eriävät kannat, jatkovalmistelu ja kannanotot) koskevat vain pidettyjä "
        "kokouksia.",
        f"Valmiiksi lasketaan kokous, jonka {word.genitive} puheenjohtaja on hyväksynyt: "
        f"valmiita kokouksia on {sum(complete)}.",
    ]


def _pending(
    of_year: Sequence[Meeting],
    progresses: Sequence[Progress],
    counts: FollowUpCountsContext,
    as_of: dt.date,
    today: dt.date,
    word: Record,
) -> list[str]:
    """What is still unfinished, one sentence a thing: meetings to come, notes not written,
    minutes not approved or not distributed (all as the logs tell it today), and follow-ups
    open or late at `as_of` (the year's end, for a past year)."""
    pending: list[str] = []
    for m, done in zip(of_year, progresses, strict=True):
        number, date = m.agenda.number, ctx.fi_date(m.agenda.date)
        if m.agenda.date > as_of:
            pending.append(
                f"Kokous {number} pidetään {date}; se ei ole mukana arvioinnin luvuissa."
            )
        elif m.notes is None:
            pending.append(
                f"Kokouksen {number} ({date}) muistiinpanoja ei ole kirjattu; kokous ei ole "
                "mukana arvioinnin luvuissa."
            )
        elif done.stale:
            pending.append(
                f"Kokouksen {number} ({date}) {word.genitive} hyväksyntä ei ole enää voimassa; "
                f"{word.nominative} odottaa puheenjohtajan uutta hyväksymistä."
            )
        elif done.approved is None:
            pending.append(
                f"Kokouksen {number} ({date}) {word.partitive} puheenjohtaja ei ole vielä "
                "hyväksynyt."
            )
        elif done.distributed is None:
            pending.append(
                f"Kokouksen {number} ({date}) {word.nominative} on hyväksytty, mutta sitä ei "
                "ole vielä jaettu ryhmille."
            )
    unfinished = counts["open"] + counts["overdue"]
    if unfinished:
        when = "on" if as_of == today else f"oli {ctx.fi_date(as_of)}"
        pending.append(
            f"Jatkovalmistelun kohdista {when} kesken {counts['open']} ja myöhässä "
            f"{counts['overdue']} (luku 4)."
        )
    return pending


def _attendance_rows(org: Organisation, held: Sequence[Meeting]) -> list[YearAttendanceContext]:
    """Per held meeting: the groups with someone present and without, and the people."""
    rows: list[YearAttendanceContext] = []
    for m in held:
        assert m.notes is not None
        present = {p.name for p in m.notes.attendance.present}
        there = [g.short for g in org.groups if any(p.name in present for p in g.members)]
        away = [g.short for g in org.groups if g.short not in there]
        rows.append(
            {
                "number": m.agenda.number,
                "date": ctx.fi_date(m.agenda.date),
                "present": ", ".join(there) or "–",
                "absent": ", ".join(away) or "–",
                "people": sum(_present_people(m, {p.name for p in g.members}) for g in org.groups),
            }
        )
    return rows


def _group_rows(org: Organisation, held: Sequence[Meeting]) -> list[YearGroupContext]:
    """Per group: the meetings and people it was present with, and its dissents."""
    groups: list[YearGroupContext] = []
    for g in org.groups:
        members = {p.name for p in g.members}
        dissents = [
            f"{m.agenda.number} kohta {number}"
            for m in held
            if m.notes
            for number, item in sorted(m.notes.items.items())
            for d in item.dissent
            if g.id in d.groups
        ]
        groups.append(
            {
                "name": g.name,
                "short": g.short,
                "meetings": sum(1 for m in held if _present_people(m, members)),
                "people": sum(_present_people(m, members) for m in held),
                "dissents": len(dissents),
                "dissent_items": ", ".join(dissents) or "–",
            }
        )
    return groups


def _matters(
    org: Organisation, held: Sequence[Meeting]
) -> tuple[list[YearMattersContext], list[YearStatementContext]]:
    """Per held meeting, the matters recorded, the views aligned and the dissents; and every
    joint statement of the year."""
    names = {g.id: g.name for g in org.groups}
    per_meeting: list[YearMattersContext] = []
    statements: list[YearStatementContext] = []
    for m in held:
        assert m.notes is not None
        titles = {n: item.title for n, item in enumerate(m.agenda.items, start=1)}
        matters: list[str] = []
        agreed: list[str] = []
        dissent: list[YearDissentContext] = []
        for number, item in sorted(m.notes.items.items()):
            recorded = item.discussion or item.agreed or item.dissent or item.follow_up
            if recorded or item.statement:
                matters.append(f"{number}. {titles.get(number, item.title)}")
            agreed += [f"{number}. {ctx.one_line(a)}" for a in item.agreed]
            dissent += [
                {
                    "item": str(number),
                    "groups": ctx.join_fi([names.get(i, i) for i in d.groups]),
                    "position": ctx.one_line(d.position),
                }
                for d in item.dissent
            ]
            if item.statement:
                statements.append(
                    {
                        "meeting": m.agenda.number,
                        "item": f"{number}. {titles.get(number, item.title)}",
                        "text": ctx.one_line(item.statement.text),
                        "publicity": "voidaan julkaista: kaikki ryhmät sopivat julkaisemisesta"
                        if item.statement.public
                        else "ei julkinen",
                    }
                )
        per_meeting.append(
            {
                "number": m.agenda.number,
                "date": ctx.fi_date(m.agenda.date),
                "matters": matters,
                "agreed": agreed,
                "dissent": dissent,
                "agreed_count": len(agreed),
                "dissent_count": len(dissent),
            }
        )
    return per_meeting, statements


def _year_followups(
    held_of_year: Sequence[Meeting], held_by_then: Sequence[Meeting], as_of: dt.date
) -> list[YearFollowUpContext]:
    """The follow-ups of the year's held meetings, each done (reported so at a meeting held
    by `as_of`), late or open."""
    done_at = {d: m.agenda.number for m in held_by_then if m.notes for d in m.notes.follow_up_done}
    followups: list[YearFollowUpContext] = []
    for m in held_of_year:
        for f in ctx.followups(m):
            if f.id in done_at:
                status = f"valmis ({done_at[f.id]})"
            elif f.due and f.due < as_of:
                status = "myöhässä"
            else:
                status = "kesken"
            followups.append(
                {
                    "id": f.id,
                    "task": f.task,
                    "owner": f.owner or "–",
                    "due": ctx.fi_date(f.due) if f.due else "–",
                    "status": status,
                }
            )
    return followups


def _followup_counts(followups: Sequence[YearFollowUpContext]) -> FollowUpCountsContext:
    finished = sum(f["status"].startswith("valmis") for f in followups)
    overdue = sum(f["status"] == "myöhässä" for f in followups)
    return {
        "opened": len(followups),
        "done": finished,
        "open": len(followups) - finished - overdue,
        "overdue": overdue,
    }


def render_report(
    context: ReportContext, fmt: str, templates: docs.Templates, today: dt.date
) -> bytes:
    """The evaluation in one format; refused when the template leaves out the group's name or
    the year."""
    required = {"org.body": context["org"]["body"], "meeting.number": context["meeting"]["number"]}
    return docs.render(
        REPORT, fmt, context, templates, created=docs.stamp(today), required=required
    )


def write_report(
    inputs: Path,
    organisation: Path | None,
    outputs: Path,
    year: int,
    out: Path,
    formats: Sequence[str],
    templates: docs.Templates,
    today: dt.date,
) -> list[Path]:
    """Render the year's evaluation into `out` in the formats asked for; the paths written."""
    org = load_organisation(organisation or inputs / ORGANISATION)
    meetings = load_history(inputs, org)
    if not any(m.agenda.date.year == year for m in meetings):
        years = sorted({m.agenda.date.year for m in meetings})
        raise InputError(
            [
                Problem(
                    str(inputs),
                    0,
                    _(
                        "there are no meetings in {year}; give a year that has meetings: {years}"
                    ).format(year=year, years=", ".join(map(str, years)) or "-"),
                )
            ]
        )
    context = report_context(org, meetings, outputs, year, today)
    office = docs.office_formats(formats)
    written, pdf = [], {}
    for fmt in office:
        data = render_report(context, fmt, templates, today)
        name = file_name(year, fmt)
        if fmt in formats:
            written.append(docs.write(out / name, data, private=False))
        if fmt == "docx" and "pdf" in formats:
            pdf[name] = data
    if pdf:
        from pipeline.render.pdf import to_pdf

        for name, data in to_pdf(pdf).items():
            written.append(docs.write(out / name, data, private=False))
    return written


def summary(
    inputs: Path, organisation: Path | None, outputs: Path, year: int, today: dt.date
) -> str:
    """The evaluation's main figures as plain Finnish text, for a screen (the workbench)."""
    org = load_organisation(organisation or inputs / ORGANISATION)
    meetings = load_history(inputs, org)
    if not any(m.agenda.date.year == year for m in meetings):
        return f"Vuodelta {year} ei ole kokouksia."
    c = report_context(org, meetings, outputs, year, today, chart=False)
    held_count = sum(1 for m in c["meetings"] if m["held"])
    counts = c["followup_counts"]
    lines = [f"{c['doc']['title']} {year}", "", *c["summary"]]
    if c["pending"]:
        lines += [
            "",
            f"Kesken olevat asiat (tilanne {c['doc']['date']}):",
            *(f"  – {p}" for p in c["pending"]),
        ]
    lines += ["", "Kokoukset:"]
    lines += [f"  {m['number']:<8} {m['date']:<11} {m['state']}" for m in c["meetings"]]
    lines += ["", "Kokouksia, joissa ryhmällä oli edustaja paikalla:"]
    lines += [f"  {g['short']:<6} {g['meetings']}/{held_count}  {g['name']}" for g in c["groups"]]
    lines += [
        "",
        f"Jatkovalmistelun kohtia {counts['opened']}: valmiina {counts['done']}, kesken "
        f"{counts['open']}, myöhässä {counts['overdue']} (tilanne {c['as_of']}).",
        f"Arviointi asiakirjoina: minutes report {year}",
    ]
    return "\n".join(lines)


def missing_reports(meetings: Sequence[Meeting], outputs: Path, today: dt.date) -> list[int]:
    """Past years with meetings and no evaluation written in outputs/arviointi_YEAR/ (rule 6:
    at least once a year)."""
    years = {m.agenda.date.year for m in meetings}
    return sorted(
        y
        for y in years
        if y < today.year
        and not any(
            (default_out(y, outputs) / file_name(y, f)).exists() for f in docs.OFFICE_FORMATS
        )
    )

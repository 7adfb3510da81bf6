"""The invitation's calendar file (.ics): one event in Helsinki time, in deterministic bytes."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from pipeline.clock import local

DEFAULT_DURATION = timedelta(hours=2)


def meeting_event(
    *,
    uid: str,
    summary: str,
    start: datetime,
    end: datetime | None,
    location: str,
    url: str,
    description: str,
    organizer_name: str,
    organizer_email: str,
    stamp: datetime,
    confidential: bool = False,
) -> bytes:
    """One VEVENT in a METHOD:PUBLISH calendar; naive times are read as Helsinki local time."""
    begins = local(start)
    ends = local(end) if end is not None else begins + DEFAULT_DURATION
    if ends <= begins:
        raise ValueError(f"the meeting ends ({ends:%H:%M}) before it starts ({begins:%H:%M})")

    event = Event()
    event.add("uid", uid)
    # DTSTAMP is the invitation's date, not now: the same meeting gives the same bytes.
    event.add("dtstamp", _utc(stamp))
    event.add("dtstart", begins)
    event.add("dtend", ends)
    event.add("summary", summary)
    if description:
        event.add("description", description)
    if location:
        event.add("location", location)
    if url:
        event.add("url", url)
    organizer = vCalAddress(f"mailto:{organizer_email}")
    organizer.params["cn"] = vText(organizer_name)
    event.add("organizer", organizer)
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    if confidential:
        event.add("class", "CONFIDENTIAL")

    calendar = Calendar()
    calendar.add("prodid", "-//minutes//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    # PUBLISH, not REQUEST: a REQUEST needs ATTENDEEs (RFC 5546), and groups get it by list.
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    # Only the transitions around the meeting: the full 1970–2038 history is kilobytes of noise.
    calendar.add_missing_timezones(
        first_date=date(begins.year - 1, 1, 1), last_date=date(ends.year + 2, 1, 1)
    )
    for zone in calendar.walk("VTIMEZONE"):  # its English note on the years it covers
        zone.pop("COMMENT", None)
    return calendar.to_ical()


def _utc(moment: datetime) -> datetime:
    """DTSTAMP must be UTC (RFC 5545 3.8.7.2); a naive stamp is Helsinki time."""
    return local(moment).astimezone(ZoneInfo("UTC"))

"""The invitation's calendar file, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from pipeline.calendar import meeting_event

HELSINKI = ZoneInfo("Europe/Helsinki")
SUMMARY = "Poliittisten ryhmien neuvotteluryhmän kokous 5/2026 – Äänekoski, Öljymäki 🗳️"


def event_bytes(**changes: Any) -> bytes:
    arguments: dict[str, Any] = {
        "uid": "2026-12-07@minutes.example.fi",
        "summary": SUMMARY,
        "start": dt.datetime(2026, 12, 7, 17, 0),
        "end": None,
        "location": "Kaupungintalo, kokoushuone 2; Hallintokatu 4, Äänekoski",
        "url": "https://example.fi/meet/abc",
        "description": "Esityslista liitteenä.\n\nTervetuloa!",
        "organizer_name": "Teppo Testaaja",
        "organizer_email": "teppo.testaaja@example.fi",
        "stamp": dt.datetime(2026, 11, 30, 9, 0),
    }
    return meeting_event(**{**arguments, **changes})


def the_event(data: bytes) -> Any:
    calendar = Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return event


def test_event_in_helsinki_time() -> None:
    """Verify that the event starts at the given Helsinki wall-clock time, with a VTIMEZONE."""
    data = event_bytes()
    calendar = Calendar.from_ical(data)
    event = the_event(data)
    start = event.decoded("dtstart")
    assert str(start.tzinfo) == "Europe/Helsinki"
    assert start.replace(tzinfo=None) == dt.datetime(2026, 12, 7, 17, 0)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Helsinki"]
    assert calendar["prodid"] == "-//minutes//EN"
    assert calendar["method"] == "PUBLISH"
    assert b"DTSTART;TZID=Europe/Helsinki:20261207T170000\r\n" in data


def test_summer_time_and_aware_input() -> None:
    """Verify that an aware start is shown in Helsinki summer time (EEST, UTC+3)."""
    start = dt.datetime(2026, 6, 1, 14, 0, tzinfo=dt.UTC)
    event = the_event(event_bytes(start=start))
    begins = event.decoded("dtstart")
    assert begins.replace(tzinfo=None) == dt.datetime(2026, 6, 1, 17, 0)
    assert begins.utcoffset() == dt.timedelta(hours=3)


def test_texts_round_trip() -> None:
    """Verify that summary, place, link and description come back exactly as typed."""
    event = the_event(event_bytes())
    assert str(event["summary"]) == SUMMARY
    assert str(event["location"]) == "Kaupungintalo, kokoushuone 2; Hallintokatu 4, Äänekoski"
    assert str(event["url"]) == "https://example.fi/meet/abc"
    assert str(event["description"]) == "Esityslista liitteenä.\n\nTervetuloa!"
    assert str(event["organizer"]) == "mailto:teppo.testaaja@example.fi"
    assert event["organizer"].params["cn"] == "Teppo Testaaja"
    assert str(event["uid"]) == "2026-12-07@minutes.example.fi"


def test_default_and_given_end() -> None:
    """Verify a two-hour default length, and that a given end is kept."""
    assert the_event(event_bytes()).decoded("dtend").replace(tzinfo=None) == dt.datetime(
        2026, 12, 7, 19, 0
    )
    given = the_event(event_bytes(end=dt.datetime(2026, 12, 7, 18, 30)))
    assert given.decoded("dtend").replace(tzinfo=None) == dt.datetime(2026, 12, 7, 18, 30)
    with pytest.raises(ValueError, match="ends"):
        event_bytes(end=dt.datetime(2026, 12, 7, 16, 0))


def test_optional_fields_left_out() -> None:
    """Verify that an empty place, link or description is left out, not written empty."""
    event = the_event(event_bytes(location="", url="", description=""))
    assert "location" not in event and "url" not in event and "description" not in event


def test_deterministic() -> None:
    """Verify that the same meeting gives the same bytes, stamped with the given date."""
    assert event_bytes() == event_bytes()
    stamp = the_event(event_bytes()).decoded("dtstamp")
    assert stamp == dt.datetime(2026, 11, 30, 9, 0, tzinfo=HELSINKI)
    assert b"DTSTAMP:20261130T070000Z\r\n" in event_bytes()
    assert all(len(line) <= 75 for line in event_bytes().split(b"\r\n"))

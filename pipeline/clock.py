"""The municipality's clock: dates and times as they are in Äänekoski (Europe/Helsinki).

A document, an approval, a reminder or a sent message is dated by the Finnish day, whatever
time zone the machine that runs the program is set to (a server often runs in UTC, where the
first hours of a Finnish day are still the day before).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")


def today() -> dt.date:
    """Today's date in Helsinki."""
    return dt.datetime.now(HELSINKI).date()


def local(moment: dt.datetime) -> dt.datetime:
    """`moment` in Helsinki time; a naive datetime is already Helsinki wall-clock time."""
    return moment.astimezone(HELSINKI) if moment.tzinfo else moment.replace(tzinfo=HELSINKI)


def logged(stamp: str) -> dt.datetime:
    """A time the logs keep (ISO, in UTC) as a Helsinki time."""
    return dt.datetime.fromisoformat(stamp).astimezone(HELSINKI)

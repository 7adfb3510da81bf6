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

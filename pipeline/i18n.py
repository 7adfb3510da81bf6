"""The command's messages in the user's language (Finnish by default; English when asked).

Every message a user reads goes through `_()`, written in English in the code (the msgid); the
Finnish catalog in `pipeline/locale/` (gettext, extracted and compiled with Babel: see its
README) turns it into Finnish. A message not yet in the catalog is shown as written.
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "minutes"
_NEUTRAL = {"", "C", "POSIX"}


def language() -> str:
    """`fi`, unless MINUTES_LANG or the user's locale (LANGUAGE, LC_ALL, LC_MESSAGES, LANG,
    as gettext reads them) asks for English."""
    for variable in ("MINUTES_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        if value.split(".")[0] not in _NEUTRAL:
            return "en" if value.lower().startswith("en") else "fi"
    return "fi"


@cache
def _catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str) -> str:
    """The message in the user's language."""
    return _catalog(language()).gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalog where it is defined; `_()` translates it where shown."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or the plural message in the user's language (Finnish counts like English)."""
    return _(singular if count == 1 else plural)

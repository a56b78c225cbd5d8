"""The member's language: words from gettext catalogs (bot/locale), dates and times formatted by Babel.

The language is a context variable, set for each update (bot.handlers.language) and around a message to
someone else (`speaking`), so every text function speaks it without being told. English is the source
language: its words are the catalogs' message ids, so it needs no catalog of its own.

Catalogs: `make catalogs` extracts the messages (pybabel extract), updates each language's .po and
compiles the .mo files, which are shipped in the repository so that an install needs no build step.
"""

from __future__ import annotations

import functools
import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, time
from pathlib import Path

from babel import Locale
from babel import dates as babel_dates

from booking.models import Member

DOMAIN = "courtbot"
LOCALE_DIR = Path(__file__).parent / "locale"
#: the languages courtbot speaks, each named in its own words (/language's buttons)
LANGUAGES: dict[str, str] = {"en": "English", "de": "Deutsch"}
DEFAULT = "en"

_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


def supported(code: str | None) -> str | None:
    """The language we speak for a Telegram language code ("de", "de-AT", "en-GB"), if we speak it."""
    if not code:
        return None
    primary = code.replace("_", "-").split("-")[0].lower()
    return primary if primary in LANGUAGES else None


def pick(*codes: str | None) -> str:
    """The first of `codes` we speak (the member's choice, then Telegram's), else English."""
    return next((found for code in codes if (found := supported(code))), DEFAULT)


def of_member(member: Member | None) -> str:
    """The language to speak to a member in a message that answers nothing of theirs (a notice)."""
    return pick(member.language, member.telegram_language) if member is not None else DEFAULT


def current() -> str:
    return _current.get()


def use(language: str) -> None:
    """Speak `language` for the rest of this task (one update is one task)."""
    _current.set(pick(language))


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Speak `language` inside the block (a message to someone other than whoever wrote)."""
    token = _current.set(pick(language))
    try:
        yield
    finally:
        _current.reset(token)


@functools.cache
def _catalog(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)


def _(message: str) -> str:
    """`message` (English, the catalogs' id) in the current language."""
    return _catalog(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalog(current()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalogs (pybabel extract looks for this name) where it is defined; it is
    translated where it is shown."""
    return message


def locale() -> Locale:
    return Locale.parse(current())


def format_date(value: date, pattern: str) -> str:
    """`pattern` in Babel's (CLDR) notation, itself translatable: "EEE dd MMM" is "Tue 01 Dec"."""
    return babel_dates.format_date(value, pattern, locale=locale())


def format_time(value: time, pattern: str = "HH:mm") -> str:
    return babel_dates.format_time(value, pattern, locale=locale())


def weekday_name(weekday: int, width: str = "wide") -> str:
    """Monday is 0, as in Python: "Tuesday", or with width "abbreviated" "Tue"."""
    return str(babel_dates.get_day_names(width, locale=locale())[weekday])

"""How values are written for a member, in their language: days, times, instants, durations, courts, and
whatever comes from outside (a club's names, a member's words) cut short.

Times are the club's: an instant is shown in the club's time zone. Dates and times are formatted by Babel
from CLDR patterns that are themselves in the catalogs, so each language writes them its own way.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking import walltime
from booking.reasons import CourtTime
from booking.release import to_utc
from bot import i18n
from bot.i18n import _
from bot.limits import fit

#: a name from the club (a court, a booking's reference) or a person's, as shown
MAX_NAME = 48
#: a word a member typed, quoted back
MAX_QUOTE = 40
#: what the club or the engine said, passed on
MAX_SAID = 300


def name(value: str) -> str:
    return fit(value, MAX_NAME)


def quoted(value: str) -> str:
    return _("“{word}”").format(word=fit(value, MAX_QUOTE))


def said(value: str) -> str:
    return fit(value, MAX_SAID)


def capital(text: str) -> str:
    """The first letter upper case, the rest as it is (str.capitalize would lower "Court 2")."""
    return text[:1].upper() + text[1:]


def day(value: date, today: date | None = None) -> str:
    """ "Tue 01 Dec"; given `today`, a day in another year says which: "Fri 01 Jan 2027"."""
    if today is not None and value.year != today.year:
        return i18n.format_date(value, _("EEE dd MMM yyyy"))
    return i18n.format_date(value, _("EEE dd MMM"))


def short_day(value: date) -> str:
    """ "Tue 01": a day on a button, next to a time."""
    return i18n.format_date(value, _("EEE dd"))


def weekday(number: int) -> str:
    """Monday is 0: "Tuesday"."""
    return i18n.weekday_name(number)


def short_weekday(number: int) -> str:
    return i18n.weekday_name(number, "abbreviated")


def hm(value: time) -> str:
    return i18n.format_time(value, "HH:mm")


def instant(value: datetime, tz: ZoneInfo) -> str:
    """A release instant to the second, in club time: "Tue 01 Dec 07:00:00"."""
    local = value.astimezone(tz)
    return _("{day} {time}").format(day=day(local.date()), time=i18n.format_time(local.time(), "HH:mm:ss"))


def clock(value: datetime, tz: ZoneInfo) -> str:
    """An instant to the minute, in club time: "Tue 16:00"."""
    local = value.astimezone(tz)
    return _("{day} {time}").format(day=short_weekday(local.weekday()), time=hm(local.time()))


def opens(value: datetime, today: date, tz: ZoneInfo) -> str:
    """When a day opens for booking: "today 07:00", "tomorrow 07:00", "Mon 07 Dec 07:00"."""
    local = value.astimezone(tz)
    when = local.date()
    if when == today:
        return _("today {time}").format(time=hm(local.time()))
    if when == today + timedelta(days=1):
        return _("tomorrow {time}").format(time=hm(local.time()))
    return _("{day} {time}").format(day=day(when, today), time=hm(local.time()))


def minutes(value: int) -> str:
    """ "90 min"."""
    return _("{minutes} min").format(minutes=value)


def duration(value: int) -> str:
    """ "1 h", "1 h 30", "45 min"."""
    hours, rest = divmod(value, 60)
    if not hours:
        return minutes(value)
    if not rest:
        return _("{hours} h").format(hours=hours)
    return _("{hours} h {minutes:02d}").format(hours=hours, minutes=rest)


def preference(items: Sequence[str]) -> str:
    """Choices in order of preference: "18:00, then 19:00"."""
    return _(", then ").join(items)


def times(values: Sequence[time]) -> str:
    return preference([hm(t) for t in values]) or _("no time yet")


def slot_time(value: date, start: time, tz: ZoneInfo) -> str:
    """A start on a day; one the clocks read twice (autumn) with the offset of its first occurrence, the
    one courtbot books: "01:30 +01:00"."""
    return _wall_clock(datetime.combine(value, start, tzinfo=tz))


def slot_span(value: date, start: time, minutes: int, tz: ZoneInfo) -> str:
    """ "18:00–19:00", counted in real minutes across a change of the clocks."""
    begins = to_utc(datetime.combine(value, start), tz)
    ends = begins + timedelta(minutes=minutes)
    return f"{_wall_clock(begins.astimezone(tz))}–{_wall_clock(ends.astimezone(tz))}"


def _wall_clock(moment: datetime) -> str:
    local = moment.replace(tzinfo=None)
    assert isinstance(moment.tzinfo, ZoneInfo)
    if walltime.ambiguous(local.date(), local.time(), moment.tzinfo):
        return f"{hm(local.time())} {walltime.utc_offset(moment)}"
    return hm(local.time())


def slot_times(value: date, values: Sequence[time], tz: ZoneInfo) -> str:
    return preference([slot_time(value, t, tz) for t in values]) or _("no time yet")


def courts(values: Sequence[int]) -> str:
    if not values:
        return _("any court")
    return _("court {numbers}").format(numbers=preference([str(c) for c in values]))


def court_time(value: CourtTime) -> str:
    """ "court 2 at 18:00"."""
    return _("court {court} at {time}").format(court=value.court, time=hm(value.start))


def court_times(values: Sequence[CourtTime]) -> str:
    return _(", ").join(court_time(v) for v in values)


def ordinal(n: int) -> str:
    """ "2nd" (a choice in order of preference)."""
    if i18n.current() != "en":
        return _("{n}.").format(n=n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"

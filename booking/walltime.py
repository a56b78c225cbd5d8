"""The club's wall-clock times on the nights its clocks change.

In spring a stretch of times never happens (Europe/London: 01:00-01:59 on the last Sunday of March), so
a slot there cannot be offered or booked; two wall times would otherwise name one instant ("01:30" read
as 02:30). In autumn a stretch happens twice; courtbot means the first occurrence, as `to_utc` does, and
says so by showing its offset.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.release import first_reading, to_utc


def exists(day: date, start: time, tz: ZoneInfo) -> bool:
    """Whether the club's clocks ever read `start` on `day`."""
    local = datetime.combine(day, start)
    return to_utc(local, tz).astimezone(tz).replace(tzinfo=None) == local


def ambiguous(day: date, start: time, tz: ZoneInfo) -> bool:
    """Whether the clocks read `start` twice on `day` (the hour they go back)."""
    local = datetime.combine(day, start)
    first, second = (local.replace(tzinfo=tz, fold=fold).utcoffset() for fold in (0, 1))
    return first != second and exists(day, start, tz)


def utc_offset(moment: datetime) -> str:
    """An aware instant's UTC offset, as "+01:00"."""
    shift = moment.utcoffset() or timedelta()
    sign = "-" if shift < timedelta() else "+"
    hours, rest = divmod(abs(int(shift.total_seconds())) // 60, 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def skipped_span(day: date, start: time, tz: ZoneInfo) -> tuple[time, time]:
    """For a time that never happens: the wall times the clocks jump from and to ("01:00", "02:00")."""
    local = datetime.combine(day, start)
    jump = first_reading(local, tz)
    before = local.replace(tzinfo=tz, fold=0).utcoffset() or timedelta()
    return (jump + before).time(), jump.astimezone(tz).time()

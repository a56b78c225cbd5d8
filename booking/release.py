"""Release rules: when a slot becomes bookable, as real clubs define it.

All arithmetic happens on wall-clock times in the club's zone, then converts to UTC, so "7 days
before at 07:00" stays 07:00 on both sides of a DST change. A rolling window follows MRBS's arithmetic
(docs/platforms/mrbs.md): the window is taken off the wall-clock reading of the slot's edge instant, and
the slot opens at the first instant the club's clocks reach that reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class WindowKind(StrEnum):
    #: opens at a fixed time of day, N days before the slot's day (democlub: 07:00, 7 days)
    TIME_OF_DAY = "time-of-day"
    #: rolling window of N days measured to the slot's start
    ROLLING_START = "rolling-start"
    #: rolling window of N days measured to the slot's end (MRBS's default)
    ROLLING_END = "rolling-end"


@dataclass(frozen=True)
class ReleaseRule:
    kind: WindowKind
    days: int
    opens_at: time | None = None  # only for TIME_OF_DAY

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("window days must not be negative")
        if self.kind is WindowKind.TIME_OF_DAY and self.opens_at is None:
            raise ValueError("a time-of-day window needs its opening time")

    def release_instant(self, day: date, start: time, duration_min: int, tz: ZoneInfo) -> datetime:
        """The UTC instant at which a booking of `day` `start` for `duration_min` minutes opens."""
        if self.kind is WindowKind.TIME_OF_DAY:
            assert self.opens_at is not None
            return to_utc(datetime.combine(day - timedelta(days=self.days), self.opens_at), tz)
        anchor = datetime.combine(day, start)
        if self.kind is WindowKind.ROLLING_END:
            anchor += timedelta(minutes=duration_min)
        # An edge in the skipped hour is the instant the clocks jump, which they read as an hour later.
        edge = to_utc(anchor, tz).astimezone(tz).replace(tzinfo=None)
        return first_reading(edge - timedelta(days=self.days), tz)


def to_utc(local: datetime, tz: ZoneInfo) -> datetime:
    """A naive club wall-clock time as a UTC instant.

    PEP 495's fold=0 moves a time skipped by a spring-forward gap forward by the gap (as clocks do) and
    gives an ambiguous autumn time its first occurrence, the earlier instant, so we are never late.
    """
    return local.replace(tzinfo=tz, fold=0).astimezone(UTC)


def first_reading(local: datetime, tz: ZoneInfo) -> datetime:
    """The first UTC instant at which the club's clocks read `local` or later.

    That is `to_utc` for a time that exists; for one skipped by a spring-forward gap it is the instant
    the clocks jump over it, not the gap's length later.
    """
    after = to_utc(local, tz)  # a skipped time: read with the offset before the jump, so past it
    if after.astimezone(tz).replace(tzinfo=None) == local:
        return after
    before = local.replace(tzinfo=tz, fold=1).astimezone(UTC)  # the offset after the jump: before it
    low, high = int(before.timestamp()), int(after.timestamp())
    jumped = after.astimezone(tz).utcoffset()
    while high - low > 1:  # the jump lies in (low, high]: find its second
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == jumped:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)

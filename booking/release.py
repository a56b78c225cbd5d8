"""Release rules: when a slot becomes bookable, as real clubs define it.

All arithmetic happens on wall-clock times in the club's zone, then converts to UTC, so "7 days
before at 07:00" stays 07:00 on both sides of a DST change. A rolling window follows MRBS's arithmetic
(docs/platforms/mrbs.md): the window is taken off the wall-clock reading of the slot's edge instant, and
the slot opens at the first instant the club's clocks reach that reading. LibreBooking instead counts its
notice in elapsed seconds back from the slot's end (docs/platforms/librebooking.md): in the week that
spans a clock change its opening moves an hour on the wall clock.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    #: rolling window of N days (and `seconds`) of elapsed time before the slot's end (LibreBooking's
    #: maximum notice): 7 days are 604 800 s even across a clock change
    ROLLING_END_ELAPSED = "rolling-end-elapsed"


@dataclass(frozen=True)
class ReleaseRule:
    kind: WindowKind
    days: int
    opens_at: time | None = None  # only for TIME_OF_DAY
    #: only for ROLLING_END_ELAPSED: the window's part beyond whole days (a notice of "7d12h0m")
    seconds: int = 0

    def __post_init__(self) -> None:
        if self.days < 0:
            raise ValueError("window days must not be negative")
        if self.kind is WindowKind.TIME_OF_DAY and self.opens_at is None:
            raise ValueError("a time-of-day window needs its opening time")
        if not 0 <= self.seconds < 86400:
            raise ValueError("a window's seconds beyond its days must be under a day")
        if self.seconds and self.kind is not WindowKind.ROLLING_END_ELAPSED:
            raise ValueError("only an elapsed-time window has seconds beyond its days")

    def release_instant(self, day: date, start: time, duration_min: int, tz: ZoneInfo) -> datetime:
        """The UTC instant at which a booking of `day` `start` for `duration_min` minutes opens."""
        if self.kind is WindowKind.TIME_OF_DAY:
            assert self.opens_at is not None
            return to_utc(datetime.combine(day - timedelta(days=self.days), self.opens_at), tz)
        anchor = datetime.combine(day, start)
        if self.kind in (WindowKind.ROLLING_END, WindowKind.ROLLING_END_ELAPSED):
            anchor += timedelta(minutes=duration_min)
        if self.kind is WindowKind.ROLLING_END_ELAPSED:
            return to_utc(anchor, tz) - timedelta(days=self.days, seconds=self.seconds)
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


@dataclass(frozen=True)
class ReleaseChoice:
    """How the release rule is decided, once: what the club's site publishes, or else the platform's
    `fallback` (MRBS and LibreBooking's web pages publish nothing), with the host's settings over either
    (BOOKING_WINDOW_DAYS, BOOKING_OPENS_AT, BOOKING_WINDOW_MEASURE)."""

    fallback: ReleaseRule | None = None
    window_days: int | None = None
    opens_at: time | None = None
    measure: str | None = None  # "end" | "start"

    def decide(self, published: ReleaseRule | None) -> ReleaseRule:
        base = published or self.fallback
        days = self.window_days if self.window_days is not None else (base.days if base else None)
        if days is None or (base is None and self.opens_at is None and self.measure is None):
            raise ValueError(
                "the club's site publishes no release rule: set BOOKING_WINDOW_DAYS (and BOOKING_OPENS_AT "
                "or BOOKING_WINDOW_MEASURE)"
            )
        if self.opens_at is not None:
            return ReleaseRule(WindowKind.TIME_OF_DAY, days, self.opens_at)
        if self.measure is not None:
            return ReleaseRule(
                WindowKind.ROLLING_END if self.measure == "end" else WindowKind.ROLLING_START, days
            )
        assert base is not None
        if self.window_days is not None:
            return replace(base, days=days, seconds=0)
        return base

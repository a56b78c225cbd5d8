"""Checks a booking request against the club's rules before anything is stored or scheduled.

Each refusal is a `RequestInvalid` whose reason names what *is* allowed, for the bot to word.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking import walltime
from booking.models import BookingRequest
from booking.reasons import Code, Refusal
from booking.release import to_utc
from booking.sites.base import ClubRules

#: how far ahead of its release a request may be scheduled
DEFAULT_HORIZON_DAYS = 60


class RequestInvalid(Refusal, ValueError):
    """The request cannot be booked as asked; its reason says why, and what is allowed."""


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def _close_minutes(rules: ClubRules) -> int:
    return _minutes(rules.closes) or 24 * 60  # a club closing at 00:00 closes at midnight


def latest_start(rules: ClubRules, duration_min: int) -> time:
    minute = _close_minutes(rules) - duration_min
    return time(minute // 60, minute % 60)


def slot_starts(rules: ClubRules, duration_min: int | None = None) -> list[time]:
    """Every slot start of a club day on the club's grid (that fits `duration_min` before closing)."""
    length = duration_min or rules.slot_minutes
    starts, minute = [], _minutes(rules.opens)
    while minute + length <= _close_minutes(rules):
        starts.append(time(minute // 60, minute % 60))
        minute += rules.slot_minutes
    return starts


def starts_on(rules: ClubRules, day: date) -> list[time]:
    """The slot starts the club's clocks read on `day` (none in the hour skipped in spring)."""
    return [start for start in slot_starts(rules) if walltime.exists(day, start, rules.timezone)]


def release_of(request: BookingRequest, rules: ClubRules) -> datetime:
    """When the request's first preference opens: the instant the engine fires at."""
    return rules.release.release_instant(request.day, request.times[0], request.duration_min, rules.timezone)


def validate(
    request: BookingRequest,
    rules: ClubRules,
    courts: list[int],
    now: datetime,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
) -> None:
    if not request.times:
        raise RequestInvalid(Code.NO_TIMES)
    if len(set(request.times)) != len(request.times):
        raise RequestInvalid(Code.TIME_TWICE)
    if len(set(request.courts)) != len(request.courts):
        raise RequestInvalid(Code.COURT_TWICE)
    if request.duration_min not in rules.durations:
        raise RequestInvalid(Code.DURATION_NOT_ALLOWED, minutes=request.duration_min, allowed=rules.durations)
    unknown = [c for c in request.courts if c not in courts]
    if unknown:
        raise RequestInvalid(Code.NO_SUCH_COURT, court=unknown[0], courts=tuple(courts))
    grid = slot_starts(rules)
    for start in request.times:
        last = latest_start(rules, request.duration_min)
        if start not in grid:
            raise RequestInvalid(
                Code.NOT_A_SLOT_START, start=start, every=rules.slot_minutes, first=rules.opens, last=last
            )
        if start > last:
            raise RequestInvalid(
                Code.PAST_CLOSING, minutes=request.duration_min, start=start, closes=rules.closes, last=last
            )
        if not walltime.exists(request.day, start, rules.timezone):
            jumps_from, jumps_to = walltime.skipped_span(request.day, start, rules.timezone)
            raise RequestInvalid(
                Code.CLOCKS_SKIP, start=start, day=request.day, jumps_from=jumps_from, jumps_to=jumps_to
            )
    earliest = min(request.times)
    if to_utc(datetime.combine(request.day, earliest), rules.timezone) <= now:
        today = now.astimezone(rules.timezone).date()
        raise RequestInvalid(Code.ALREADY_PASSED, day=request.day, start=earliest, today=today)
    opens = release_of(request, rules)
    if opens - now > timedelta(days=horizon_days):
        latest = (now + timedelta(days=horizon_days)).astimezone(rules.timezone).date()
        raise RequestInvalid(
            Code.TOO_FAR_AHEAD,
            day=request.day,
            opens=opens.astimezone(rules.timezone).date(),
            horizon=horizon_days,
            latest=latest,
        )

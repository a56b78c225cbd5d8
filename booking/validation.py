"""Checks a booking request against the club's rules before anything is stored or scheduled.

Each refusal is a `RequestInvalid` whose text tells the member what *is* allowed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from booking import walltime
from booking.models import BookingRequest
from booking.release import to_utc
from booking.sites.base import ClubRules

#: how far ahead of its release a request may be scheduled
DEFAULT_HORIZON_DAYS = 60


class RequestInvalid(ValueError):
    """The request cannot be booked as asked; the text is for the member."""


def _hm(value: time) -> str:
    return value.strftime("%H:%M")


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
        raise RequestInvalid("Pick at least one start time.")
    if len(set(request.times)) != len(request.times):
        raise RequestInvalid("Each start time may be listed once.")
    if len(set(request.courts)) != len(request.courts):
        raise RequestInvalid("Each court may be listed once.")
    if request.duration_min not in rules.durations:
        allowed = " or ".join(f"{d} min" for d in rules.durations)
        raise RequestInvalid(f"The club books {allowed}, not {request.duration_min} min.")
    unknown = [c for c in request.courts if c not in courts]
    if unknown:
        names = ", ".join(str(c) for c in courts)
        raise RequestInvalid(f"There is no court {unknown[0]}; the club's courts are {names}.")
    grid = slot_starts(rules)
    for start in request.times:
        last = latest_start(rules, request.duration_min)
        if start not in grid:
            raise RequestInvalid(
                f"{_hm(start)} is not a slot start: the club books every {rules.slot_minutes} minutes "
                f"from {_hm(rules.opens)} to {_hm(last)}."
            )
        if start > last:
            raise RequestInvalid(
                f"A {request.duration_min}-minute booking at {_hm(start)} would run past closing at "
                f"{_hm(rules.closes)}; the latest start for it is {_hm(last)}."
            )
        if not walltime.exists(request.day, start, rules.timezone):
            jumps_from, jumps_to = walltime.skipped_span(request.day, start, rules.timezone)
            raise RequestInvalid(
                f"{_hm(start)} doesn't happen on {request.day:%a %d %b}: the clocks go forward from "
                f"{_hm(jumps_from)} to {_hm(jumps_to)}."
            )
    earliest = min(request.times)
    if to_utc(datetime.combine(request.day, earliest), rules.timezone) <= now:
        today = now.astimezone(rules.timezone).date()
        raise RequestInvalid(
            f"{request.day:%a %d %b} {_hm(earliest)} has already passed; pick a slot from {today:%a %d %b} on."
        )
    opens = release_of(request, rules)
    if opens - now > timedelta(days=horizon_days):
        latest = (now + timedelta(days=horizon_days)).astimezone(rules.timezone)
        raise RequestInvalid(
            f"{request.day:%a %d %b} opens for booking on {opens.astimezone(rules.timezone):%a %d %b}, "
            f"more than {horizon_days} days from now; courtbot schedules releases up to {latest:%a %d %b}."
        )

"""The nights the clocks change: a start that never happens is neither offered nor accepted, and one that
happens twice means its first occurrence."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from booking import walltime
from booking.models import BookingRequest
from booking.reasons import Code, Reason
from booking.release import ReleaseRule, WindowKind, to_utc
from booking.sites.base import ClubRules
from booking.validation import RequestInvalid, starts_on, validate

LONDON = ZoneInfo("Europe/London")

SPRING = date(2027, 3, 28)  # London: 01:00 GMT jumps to 02:00 BST
AUTUMN = date(2027, 10, 31)  # London: 02:00 BST goes back to 01:00 GMT
NIGHT = ClubRules(  # a club open all night, in half hours
    release=ReleaseRule(WindowKind.TIME_OF_DAY, 7, time(7)),
    timezone=LONDON,
    slot_minutes=30,
    opens=time(0),
    closes=time(23, 30),
    max_slots=2,
    max_per_day=1,
    max_future=4,
    partner_required=False,
    hold_before_open=False,
)


def test_the_hour_skipped_in_spring_is_not_a_slot_that_day() -> None:
    assert [t for t in starts_on(NIGHT, SPRING) if t < time(3)] == [
        time(0),
        time(0, 30),
        time(2),
        time(2, 30),
    ]
    assert time(1, 30) in starts_on(NIGHT, SPRING.replace(day=27))
    assert not walltime.exists(SPRING, time(1, 30), LONDON)
    assert walltime.skipped_span(SPRING, time(1, 30), LONDON) == (time(1), time(2))


def test_a_skipped_start_is_refused_in_one_line_and_its_twin_is_not() -> None:
    now = datetime(2027, 3, 21, 12, tzinfo=UTC)
    skipped = BookingRequest(1, SPRING, (time(2, 30), time(1, 30)), 30, ())
    with pytest.raises(RequestInvalid) as refused:
        validate(skipped, NIGHT, [1, 2], now)
    assert refused.value.reason == Reason(
        Code.CLOCKS_SKIP, {"start": time(1, 30), "day": SPRING, "jumps_from": time(1), "jumps_to": time(2)}
    )
    validate(replace(skipped, times=(time(2, 30),)), NIGHT, [1, 2], now)


def test_a_start_the_clocks_read_twice_is_its_first_occurrence() -> None:
    assert walltime.ambiguous(AUTUMN, time(1, 30), LONDON)
    assert not walltime.ambiguous(AUTUMN, time(2), LONDON) and not walltime.ambiguous(SPRING, time(1), LONDON)
    first = to_utc(datetime.combine(AUTUMN, time(1, 30)), LONDON)
    assert first == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    assert walltime.utc_offset(first.astimezone(LONDON)) == "+01:00"
    # Between the two 01:30s the slot has begun: it is no longer bookable.
    with pytest.raises(RequestInvalid, match=Code.ALREADY_PASSED):
        validate(
            BookingRequest(1, AUTUMN, (time(1, 30),), 30, ()),
            NIGHT,
            [1],
            datetime(2027, 10, 31, 1, tzinfo=UTC),
        )

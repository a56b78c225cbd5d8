from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from booking.models import BookingRequest
from booking.reasons import Code
from booking.release import ReleaseRule, WindowKind, to_utc
from booking.sites.base import ClubRules
from booking.validation import RequestInvalid, slot_starts, validate

LONDON = ZoneInfo("Europe/London")
DEMOCLUB = ReleaseRule(WindowKind.TIME_OF_DAY, 7, time(7))


def _rules(release: ReleaseRule = DEMOCLUB) -> ClubRules:
    return ClubRules(
        release=release,
        timezone=LONDON,
        slot_minutes=60,
        opens=time(7),
        closes=time(22),
        max_slots=2,
        max_per_day=1,
        max_future=4,
        partner_required=False,
        hold_before_open=False,
    )


@pytest.mark.parametrize(
    ("day", "expected_utc"),
    [
        (date(2026, 12, 8), datetime(2026, 12, 1, 7, 0, tzinfo=UTC)),  # winter: GMT
        (date(2026, 7, 8), datetime(2026, 7, 1, 6, 0, tzinfo=UTC)),  # summer: BST
        # release day and slot day on different sides of the spring change (29 March 2026)
        (date(2026, 4, 2), datetime(2026, 3, 26, 7, 0, tzinfo=UTC)),
        (date(2026, 4, 5), datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),
        # and of the autumn change (25 October 2026)
        (date(2026, 10, 28), datetime(2026, 10, 21, 6, 0, tzinfo=UTC)),
        (date(2026, 11, 1), datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),
    ],
)
def test_time_of_day_release_is_0700_club_time_across_dst(day: date, expected_utc: datetime) -> None:
    assert DEMOCLUB.release_instant(day, time(18), 60, LONDON) == expected_utc


def test_rolling_windows_measure_to_start_or_end() -> None:
    to_end = ReleaseRule(WindowKind.ROLLING_END, 7)
    to_start = ReleaseRule(WindowKind.ROLLING_START, 7)
    day = date(2026, 12, 8)
    assert to_end.release_instant(day, time(18), 60, LONDON) == datetime(2026, 12, 1, 19, tzinfo=UTC)
    assert to_start.release_instant(day, time(18), 90, LONDON) == datetime(2026, 12, 1, 18, tzinfo=UTC)


def test_rolling_window_across_dst_keeps_wall_clock() -> None:
    rule = ReleaseRule(WindowKind.ROLLING_END, 7)
    # slot on Wed 1 April (BST) 18:00-19:00 opens Wed 25 March 19:00 GMT
    assert rule.release_instant(date(2026, 4, 1), time(18), 60, LONDON) == datetime(
        2026, 3, 25, 19, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("day", "start", "minutes", "expected_utc"),
    [
        # ends at 01:00 on the spring-forward night, which clocks skip: MRBS takes that end as the
        # instant the clocks jump (02:00 BST), so the booking opens a week earlier at 02:00 GMT
        (date(2027, 3, 28), time(0, 55), 5, datetime(2027, 3, 21, 2, 0, tzinfo=UTC)),
        # ends 01:05 BST; a week before, 01:05 is skipped: it opens when the clocks jump (02:00 BST)
        (date(2027, 4, 4), time(1, 0), 5, datetime(2027, 3, 28, 1, 0, tzinfo=UTC)),
        # a week after the autumn change: the first of the two 01:30s
        (date(2026, 11, 1), time(0, 30), 60, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
    ],
)
def test_rolling_window_next_to_the_skipped_hour_opens_as_mrbs_computes_it(
    day: date, start: time, minutes: int, expected_utc: datetime
) -> None:
    assert ReleaseRule(WindowKind.ROLLING_END, 7).release_instant(day, start, minutes, LONDON) == expected_utc


#: the days London's clocks change, and the weeks either side (where a 7-day window crosses them)
_CHANGES = [date(2026, 3, 29), date(2026, 10, 25), date(2027, 3, 28), date(2027, 10, 31)]
_NEAR_CHANGES = [d + timedelta(days=k) for d in _CHANGES for k in (-7, 0, 7)]


@given(
    st.sampled_from(_NEAR_CHANGES),
    st.integers(0, 4 * 60 - 1).map(lambda m: time(m // 60, m % 60)),
    st.sampled_from([5, 30, 60, 90]),
    st.sampled_from([0, 1, 7, 14]),
)
@example(date(2027, 3, 28), time(0, 55), 5, 7)
@example(date(2027, 4, 4), time(1, 0), 5, 7)
def test_a_rolling_window_opens_at_the_first_second_mrbs_allows(
    day: date, start: time, minutes: int, days: int
) -> None:
    """MRBS refuses while edge - now > window + (offset(now) - offset(edge)) (mrbsCheckPolicy, cross_dst)."""
    edge = int(to_utc(datetime.combine(day, start) + timedelta(minutes=minutes), LONDON).timestamp())

    def allowed(now: int) -> bool:
        offset = lambda t: int(datetime.fromtimestamp(t, LONDON).utcoffset().total_seconds())  # noqa: E731
        return edge - now <= days * 86400 + offset(now) - offset(edge)

    rule = ReleaseRule(WindowKind.ROLLING_END, days)
    opens = int(rule.release_instant(day, start, minutes, LONDON).timestamp())
    assert allowed(opens)
    assert not any(allowed(opens - k) for k in (1, 60, 1800, 3599, 3600, 3601, 7200))


@pytest.mark.parametrize(
    ("day", "expected_utc", "wall_clock"),
    [
        # winter, no change in the week: 18:00-19:00 GMT on 8 Dec opens 19:00 GMT on 1 Dec
        (date(2026, 12, 8), datetime(2026, 12, 1, 19, tzinfo=UTC), time(19)),
        # spring: the slot ends 19:00 BST (18:00 UTC); 604 800 s earlier is 18:00 GMT on 25 March
        (date(2027, 4, 1), datetime(2027, 3, 25, 18, tzinfo=UTC), time(18)),
        # autumn: the slot ends 19:00 GMT (19:00 UTC); 604 800 s earlier is 20:00 BST on 26 October
        (date(2027, 11, 2), datetime(2027, 10, 26, 19, tzinfo=UTC), time(20)),
    ],
)
def test_an_elapsed_notice_moves_an_hour_on_the_wall_clock_across_a_change(
    day: date, expected_utc: datetime, wall_clock: time
) -> None:
    rule = ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 7)
    opens = rule.release_instant(day, time(18), 60, LONDON)
    assert opens == expected_utc
    assert opens.astimezone(LONDON).time() == wall_clock
    end = to_utc(datetime.combine(day, time(19)), LONDON)
    assert (end - opens).total_seconds() == 7 * 86400, "a week of elapsed seconds"


def test_an_elapsed_notice_has_seconds_beyond_its_days() -> None:
    rule = ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 0, seconds=600)  # LibreBooking's "0d0h10m"
    assert rule.release_instant(date(2026, 12, 8), time(6, 15), 5, LONDON) == datetime(
        2026, 12, 8, 6, 10, tzinfo=UTC
    )
    with pytest.raises(ValueError, match="only an elapsed-time window"):
        ReleaseRule(WindowKind.ROLLING_END, 7, seconds=60)
    with pytest.raises(ValueError, match="under a day"):
        ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 7, seconds=86400)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(_NEAR_CHANGES),
    st.integers(0, 24 * 12 - 1).map(lambda m: time(m * 5 // 60, m * 5 % 60)),
    st.sampled_from([5, 30, 60, 120]),
    st.integers(0, 14 * 86400 - 1),
)
def test_an_elapsed_notice_opens_at_the_first_second_librebooking_allows(
    day: date, start: time, minutes: int, notice_s: int
) -> None:
    """LibreBooking refuses while end > now + notice, in whole seconds (ResourceMaximumNoticeRule)."""
    end = int(to_utc(datetime.combine(day, start) + timedelta(minutes=minutes), LONDON).timestamp())
    rule = ReleaseRule(WindowKind.ROLLING_END_ELAPSED, notice_s // 86400, seconds=notice_s % 86400)
    opens = rule.release_instant(day, start, minutes, LONDON).timestamp()
    assert opens == int(opens) and end <= opens + notice_s
    assert end > opens - 1 + notice_s


def test_gap_and_fold_times() -> None:
    assert to_utc(datetime(2026, 3, 29, 1, 30), LONDON) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    # the first of the two 01:30s in autumn: the earlier instant, never late
    assert to_utc(datetime(2026, 10, 25, 1, 30), LONDON) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)), st.integers(7, 21))
def test_release_is_always_0700_local_seven_days_before(day: date, hour: int) -> None:
    instant = DEMOCLUB.release_instant(day, time(hour), 60, LONDON)
    local = instant.astimezone(LONDON)
    assert local.date() == day - timedelta(days=7)
    assert local.time() == time(7)


NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def _request(**changes: object) -> BookingRequest:
    base = BookingRequest(member_id=1, day=date(2026, 12, 1), times=(time(18),), duration_min=60, courts=(2,))
    return base.with_(**changes)


def test_a_good_request_passes() -> None:
    validate(_request(), _rules(), [1, 2, 3, 4], NOW)
    validate(_request(times=(time(20),), duration_min=120, courts=()), _rules(), [1, 2, 3, 4], NOW)


@pytest.mark.parametrize(
    ("changes", "code", "values"),
    [
        ({"day": date(2026, 11, 23)}, Code.ALREADY_PASSED, {"today": date(2026, 11, 24)}),
        ({"day": date(2026, 11, 24), "times": (time(9),)}, Code.ALREADY_PASSED, {"start": time(9)}),
        ({"times": (time(6),)}, Code.NOT_A_SLOT_START, {"first": time(7), "every": 60}),
        ({"times": (time(18, 30),)}, Code.NOT_A_SLOT_START, {"start": time(18, 30)}),
        ({"times": (time(22),)}, Code.NOT_A_SLOT_START, {"last": time(21)}),
        ({"times": (time(21),), "duration_min": 120}, Code.PAST_CLOSING, {"last": time(20)}),
        ({"courts": (7,)}, Code.NO_SUCH_COURT, {"court": 7, "courts": (1, 2, 3, 4)}),
        ({"duration_min": 90}, Code.DURATION_NOT_ALLOWED, {"allowed": (60, 120), "minutes": 90}),
        ({"day": date(2027, 3, 1)}, Code.TOO_FAR_AHEAD, {"horizon": 60}),
        ({"times": ()}, Code.NO_TIMES, {}),
        ({"times": (time(18), time(18))}, Code.TIME_TWICE, {}),
    ],
)
def test_each_bad_request_says_what_is_allowed(changes: dict, code: Code, values: dict) -> None:
    """The refusal's reason names what is allowed (the bot words it: tests/bot/test_i18n.py)."""
    with pytest.raises(RequestInvalid) as refused:
        validate(_request(**changes), _rules(), [1, 2, 3, 4], NOW)
    said = refused.value.reason
    assert said.code is code and values.items() <= dict(said.values).items()


def test_slot_grid() -> None:
    starts = slot_starts(_rules())
    assert starts[0] == time(7) and starts[-1] == time(21) and len(starts) == 15

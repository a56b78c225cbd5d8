"""The weekly planner never loses or doubles a week: whatever the member pauses, resumes, skips and
takes back, and however each week ends, the series waits for the first week that is neither booked,
failed, cancelled by the member nor skipped, and no week is ever planned twice.

Each example drives the real planner and booking service on a fresh database; the club only has to
publish its rules (every week opens at 00:00 on its own day, so nothing fires while the test runs).
"""

from __future__ import annotations

import asyncio
import tempfile
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NoReturn

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import Access, Credentials, Member, RequestStatus, SeriesStatus
from booking.release import ReleaseRule, WindowKind
from booking.service import OPEN_STATUSES, BookingService, ServiceLimits
from booking.sites.base import Booking, ClubRules, Court, SiteAdapter, Slot
from booking.timebase import SystemClock
from booking.weekly import SET_ASIDE, WeeklyPlanner
from storage import Storage
from storage.crypto import new_key
from tests.engine.harness import LONDON

NOW = datetime(2026, 12, 7, 12, tzinfo=UTC)  # a Monday
FIRST_SUNDAY = date(2026, 12, 13)
MEMBER = 1
WEEKS = 6  # the weeks ops may name: 13 Dec onwards
KEY = new_key()

RULES = ClubRules(
    release=ReleaseRule(WindowKind.TIME_OF_DAY, 0, time(0)),
    timezone=LONDON,
    slot_minutes=60,
    opens=time(7),
    closes=time(22),
    max_slots=2,
    max_per_day=None,
    max_future=None,
    partner_required=False,
    hold_before_open=False,
)


class _RulesOnly(SiteAdapter):
    """A club that only tells its rules and courts: the planner asks nothing else."""

    async def rules(self) -> ClubRules:
        return RULES

    async def courts(self) -> list[Court]:
        return [Court(1, "5", "Court 1")]

    async def close(self) -> None:
        """Nothing to close."""

    async def login(self, *_: object) -> NoReturn:
        raise AssertionError("the planner never logs in")

    server_clock = availability = prepare = commit = my_bookings = cancel = login  # type: ignore[assignment]


def week(index: int) -> date:
    return FIRST_SUNDAY + timedelta(days=7 * index)


@dataclass
class Model:
    """What the member did and how weeks ended: enough to know the week the series must wait for."""

    paused: bool = False
    skipped: set[date] = field(default_factory=set)
    settled: set[date] = field(default_factory=set)

    def expected(self) -> date:
        day = FIRST_SUNDAY
        while day in self.skipped or day in self.settled:
            day += timedelta(days=7)
        return day


ops = st.lists(
    st.one_of(
        st.just(("pause",)),
        st.just(("resume",)),
        st.tuples(st.just("skip"), st.integers(0, WEEKS - 1)),
        st.tuples(st.just("unskip"), st.integers(0, WEEKS - 1)),
        st.tuples(st.just("end"), st.sampled_from([RequestStatus.BOOKED, RequestStatus.FAILED, "member"])),
    ),
    max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops)
def test_no_sequence_of_pause_resume_skip_unskip_and_outcomes_loses_or_doubles_a_week(
    steps: list[tuple[object, ...]],
) -> None:
    asyncio.run(_scenario(steps))


@asynccontextmanager
async def _planning(
    now: datetime, club: type[SiteAdapter] = _RulesOnly
) -> AsyncIterator[tuple[WeeklyPlanner, BookingService]]:
    """A planner on a fresh database, at `now`, for a member with a club login."""
    with tempfile.TemporaryDirectory() as folder:
        storage = await Storage.open(Path(folder), (KEY,))
        clock = SystemClock(now.timestamp() - datetime.now(UTC).timestamp())
        booking = BookingService(
            storage, club, clock, limits=ServiceLimits(horizon_days=400), check_hours_before=None
        )
        planner = WeeklyPlanner(booking)
        await booking.start()
        try:
            await storage.members.upsert(Member(MEMBER, "Alice", access=Access.ALLOWED))
            await storage.credentials.save(MEMBER, Credentials("alice", "alice-pass"))
            yield planner, booking
        finally:
            await planner.stop()
            await booking.stop()
            await storage.close()


async def _scenario(steps: list[tuple[object, ...]]) -> None:
    async with _planning(NOW) as (planner, booking):
        series, first = await planner.create(MEMBER, FIRST_SUNDAY.weekday(), (time(10),), 60)
        assert series.id is not None and first is not None and first.day == FIRST_SUNDAY
        model = Model()
        for step in steps:
            await _apply(step, series.id, planner, booking, model)
            await planner.wait_for_planning()
            await _check(booking.storage, series.id, model)


async def _apply(
    step: tuple[object, ...], series_id: int, planner: WeeklyPlanner, booking: BookingService, model: Model
) -> None:
    kind = step[0]
    if kind == "pause":
        await planner.pause(MEMBER, series_id)
        model.paused = True
    elif kind == "resume":
        await planner.resume(MEMBER, series_id)
        model.paused = False
    elif kind == "skip":
        await planner.skip(MEMBER, series_id, week(int(step[1])))  # type: ignore[call-overload]
        model.skipped.add(week(int(step[1])))  # type: ignore[call-overload]
    elif kind == "unskip":
        await planner.unskip(MEMBER, series_id, week(int(step[1])))  # type: ignore[call-overload]
        model.skipped.discard(week(int(step[1])))  # type: ignore[call-overload]
    else:
        waiting = await booking.storage.requests.for_series(series_id, OPEN_STATUSES)
        if not waiting:
            return
        [request] = waiting
        outcome = step[1]
        if outcome == "member":
            await booking.cancel(MEMBER, request.id or 0)
        elif outcome is RequestStatus.BOOKED:
            slot = Slot(1, request.day, request.times[0], request.duration_min)
            await booking.outcomes.end(request, RequestStatus.BOOKED, "Booked", booking=Booking("R1", slot))
        else:
            await booking.outcomes.end(request, RequestStatus.FAILED, "Taken", reason="Taken")
        model.settled.add(request.day)


async def _check(storage: Storage, series_id: int, model: Model) -> None:
    requests = await storage.requests.for_series(series_id)
    waiting = [r.day for r in requests if r.status in OPEN_STATUSES]
    series = await storage.series.get(series_id)
    assert series is not None
    assert series.status is (SeriesStatus.PAUSED if model.paused else SeriesStatus.ACTIVE)
    assert set(series.skip_dates) == model.skipped
    assert waiting == ([] if model.paused else [model.expected()]), "the first free week waits, alone"
    settling = Counter(
        r.day for r in requests if r.status is not RequestStatus.CANCELLED or r.reason != SET_ASIDE
    )
    assert max(settling.values(), default=0) <= 1, "no week is planned twice"
    assert {d for d in settling if d not in waiting} == model.settled


class _NightClub(_RulesOnly):
    async def rules(self) -> ClubRules:
        return replace(RULES, opens=time(0), closes=time(23))


async def test_a_week_whose_starts_the_clocks_skip_is_left_out() -> None:
    async with _planning(datetime(2027, 3, 22, 12, tzinfo=UTC), _NightClub) as (planner, _):  # London: 28 Mar
        _, only_skipped = await planner.create(MEMBER, 6, (time(1),), 60)
        _, partly = await planner.create(MEMBER, 6, (time(1), time(3)), 60)
    assert only_skipped is not None and only_skipped.day == date(2027, 4, 4)
    assert partly is not None and (partly.day, partly.times) == (date(2027, 3, 28), (time(3),))


async def test_skipped_weeks_are_offered_back_until_they_begin() -> None:
    async with _planning(NOW) as (planner, booking):
        series, _ = await planner.create(MEMBER, 6, (time(10),), 60)
        assert series.id is not None
        await planner.pause(MEMBER, series.id)
        for day in (FIRST_SUNDAY, week(1)):
            await planner.skip(MEMBER, series.id, day)
        [series] = await planner.series(MEMBER)
        assert isinstance(booking.clock, SystemClock)
        for now, offered in (
            (datetime(2026, 12, 13, 9, 59, tzinfo=UTC), [FIRST_SUNDAY, week(1)]),
            (datetime(2026, 12, 13, 10, 1, tzinfo=UTC), [week(1)]),  # the first has begun
        ):
            booking.clock.shift_s = now.timestamp() - datetime.now(UTC).timestamp()
            assert await planner.skipped_ahead(series) == offered

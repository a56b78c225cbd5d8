"""Weekly series against the simulated club: one request per week, at its release, whatever happens."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.models import Access, Member, RequestStatus, SeriesStatus
from booking.weekly import WeeklyPlanner
from sim.club.config import Rival
from tests.engine.harness import SITE_ID, World, next_release, world


@asynccontextmanager
async def planning(w: World) -> AsyncIterator[WeeklyPlanner]:
    planner = WeeklyPlanner(w.service)
    try:
        yield planner
    finally:
        await planner.stop()


async def next_occurrence(w: World, series_id: int, after: int = 0) -> int:
    """Wait until the planner has scheduled (or started) a request of the series newer than `after`."""

    async def planned() -> int:
        while True:
            for request in await w.storage.requests.for_series(series_id):
                if (request.id or 0) > after and request.status.is_open:
                    return request.id or 0
            await asyncio.sleep(0.01)

    async with asyncio.timeout(5):
        return await planned()


async def test_one_correctly_timed_request_per_week_across_the_spring_dst_change(
    tmp_path: Path, key: str
) -> None:
    monday = datetime(2027, 3, 15, 12, 0, tzinfo=UTC)  # Europe/London changes to BST on Sun 28 March
    async with world(tmp_path, key, release=monday, lead_s=0) as w:
        member = await w.member(1)
        async with planning(w) as planner:
            series, first = await planner.create(
                member, weekday=1, times=(time(18),), duration_min=60, courts=(2,)
            )
            assert first is not None and first.day == date(2027, 3, 16)  # already open: booked now
            assert (await w.finished(first.id)).status is RequestStatus.BOOKED

            releases = {}
            previous = first.id
            for _ in range(3):
                current = await next_occurrence(w, series.id, after=previous)
                request = await w.storage.requests.get(current)
                assert request.status is RequestStatus.SCHEDULED
                releases[request.day] = request.release_at
                await w.service.cancel(member, current)  # the member skips this week; the series goes on
                previous = current
            assert releases == {
                date(2027, 3, 23): datetime(2027, 3, 16, 7, tzinfo=UTC),  # 07:00 GMT
                date(2027, 3, 30): datetime(2027, 3, 23, 7, tzinfo=UTC),  # 07:00 GMT
                date(2027, 4, 6): datetime(2027, 3, 30, 6, tzinfo=UTC),  # 07:00 BST
            }
            fourth = await w.storage.requests.get(await next_occurrence(w, series.id, after=previous))
            assert fourth.day == date(2027, 4, 13)
            assert len(await w.storage.requests.for_series(series.id, (RequestStatus.SCHEDULED,))) == 1


async def test_a_failed_week_does_not_stop_the_series(tmp_path: Path, key: str) -> None:
    release = next_release()
    slot_day = (release + timedelta(days=7)).date()
    rival = Rival(court_id=SITE_ID[2], date=slot_day, time=time(18), delay_ms=0)
    async with world(tmp_path, key, release=release, rivals=[rival]) as w:
        member = await w.member(1)
        async with planning(w) as planner:
            series, today = await planner.create(member, slot_day.weekday(), (time(18),), 60, (2,))
            assert today.day == slot_day - timedelta(days=7)  # this week's is open already
            await w.finished(today.id)
            released = await next_occurrence(w, series.id, after=today.id)
            failed = await w.finished(released, within=15)
            assert failed.day == slot_day and failed.status is RequestStatus.FAILED
            following = await w.storage.requests.get(await next_occurrence(w, series.id, after=released))
            assert following.day == slot_day + timedelta(days=7)
            assert following.status is RequestStatus.SCHEDULED


async def test_pausing_stops_the_next_one_and_resuming_plans_it_again(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        async with planning(w) as planner:
            far = (datetime.now(UTC) + timedelta(days=3)).weekday()
            series, first = await planner.create(member, far, (time(20),), 60, ())
            await w.finished(first.id)
            waiting = await next_occurrence(w, series.id, after=first.id)
            paused = await planner.pause(member, series.id)
            assert paused.status is SeriesStatus.PAUSED
            assert (await w.storage.requests.get(waiting)).status is RequestStatus.CANCELLED
            await asyncio.sleep(0.2)  # give the planner its chance to (wrongly) plan another
            assert await w.storage.requests.for_series(series.id, (RequestStatus.SCHEDULED,)) == []
            assert w.service.scheduled_count == 0

            resumed, planned = await planner.resume(member, series.id)
            assert resumed.status is SeriesStatus.ACTIVE and planned is not None
            assert planned.day == (await w.storage.requests.get(waiting)).day  # the same week, not lost
            assert w.kinds(planned.id)[0] is EventKind.SCHEDULED


async def test_skipping_a_holiday_plans_the_week_after(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        async with planning(w) as planner:
            weekday = (datetime.now(UTC) + timedelta(days=3)).weekday()
            series, first = await planner.create(member, weekday, (time(19),), 60, (1,))
            await w.finished(first.id)
            waiting = await w.storage.requests.get(await next_occurrence(w, series.id, after=first.id))
            replanned = await planner.skip(member, series.id, waiting.day)
            assert replanned is not None and replanned.day == waiting.day + timedelta(days=7)
            assert (await w.storage.requests.get(waiting.id)).status is RequestStatus.CANCELLED
            await planner.stop()  # let the listener's reaction to the cancellation finish
            waiting_now = await w.storage.requests.for_series(series.id, (RequestStatus.SCHEDULED,))
            assert [r.id for r in waiting_now] == [replanned.id]


async def test_a_series_whose_first_week_is_refused_is_not_kept(tmp_path: Path, key: str) -> None:
    from booking.service import NotLoggedIn

    async with world(tmp_path, key) as w, planning(w) as planner:
        await w.storage.members.upsert(Member(5, "Eve", access=Access.ALLOWED))  # no club login stored
        with pytest.raises(NotLoggedIn):
            await planner.create(5, 2, (time(18),), 60, (2,))
        assert await planner.series(5) == []

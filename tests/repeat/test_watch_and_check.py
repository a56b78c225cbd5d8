"""Watching for a cancellation, and the night-before check, against the simulated club."""

from __future__ import annotations

import asyncio
import time as systime
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import time, timedelta
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.models import RequestStatus
from booking.reasons import Code, Reason
from booking.run import ALL_TAKEN
from booking.validation import RequestInvalid
from booking.watch import CancellationWatch, WatchPolicy
from bot.reasons import say
from tests.engine.harness import LONDON, SITE_ID, World, club_day, world

INTERVAL = 0.2


@asynccontextmanager
async def watching(w: World, interval: float = INTERVAL) -> AsyncIterator[CancellationWatch]:
    watch = CancellationWatch(w.service, WatchPolicy(interval_s=interval, jitter=0.1))
    try:
        yield watch
    finally:
        await watch.stop()


async def all_taken_request(w: World, member: int, day) -> int:  # type: ignore[no-untyped-def]
    request = await w.service.submit(member, day, (time(18),), 60, (2,))
    failed = await w.finished(request.id)
    assert failed.status is RequestStatus.FAILED
    assert next(e for e in w.events if e.request_id == request.id and e.kind.is_final).outcome == ALL_TAKEN
    return request.id


async def test_a_freed_slot_is_booked_within_one_poll_interval(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w, watching(w) as watch:
        member = await w.member(1)
        day = club_day(w, 2)
        rival = w.club.state.book("bob", SITE_ID[2], day, time(18))
        request_id = await all_taken_request(w, member, day)
        watched = await watch.watch(member, request_id)
        assert watched.status is RequestStatus.WATCHING and watched.watch_until is not None
        w.final_events.pop(request_id)  # the failure is behind us; wait for the next ending
        await asyncio.sleep(INTERVAL)  # let it poll while the court is still taken
        freed_at = systime.monotonic()
        w.club.state.cancel(rival.reference)
        done = await w.finished(request_id, within=5)
        assert done.status is RequestStatus.BOOKED and done.booked_court == 2
        assert systime.monotonic() - freed_at < INTERVAL * 1.1 + 0.5
        assert [b.member for b in w.bookings() if b.slot.date == day] == ["alice"]


async def test_ten_members_watching_one_day_share_one_poll(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w, watching(w) as watch:
        day = club_day(w, 2)
        w.club.state.book("bob", SITE_ID[2], day, time(18))
        members = {f"w{n}": f"pw{n}" for n in range(10)}
        w.club.state.add_members(members)
        for n, (username, password) in enumerate(members.items()):
            member = await w.member(10 + n, username, password)
            await watch.watch(member, await all_taken_request(w, member, day))
        polls_before = w.club.state.hits["/courts"]
        started = systime.monotonic()
        await asyncio.sleep(INTERVAL * 5)
        polls = w.club.state.hits["/courts"] - polls_before
        elapsed = systime.monotonic() - started
        assert 3 <= polls <= elapsed / (INTERVAL * 0.9) + 1, polls


async def test_429_slows_the_polling_down(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w, watching(w) as watch:
        member = await w.member(1)
        day = club_day(w, 2)
        w.club.state.book("bob", SITE_ID[2], day, time(18))
        await watch.watch(member, await all_taken_request(w, member, day))
        assert watch.interval(day) == INTERVAL
        w.club.config.rate_limit_rate = 1.0
        w.club.config.retry_after_s = 0
        await asyncio.sleep(INTERVAL * 4)
        assert watch.interval(day) >= INTERVAL * 4


async def test_a_watch_ends_at_its_deadline_and_can_be_stopped(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w, watching(w) as watch:
        member = await w.member(1)
        day = club_day(w, 2)
        w.club.state.book("bob", SITE_ID[2], day, time(18))
        first = await all_taken_request(w, member, day)
        with pytest.raises(RequestInvalid, match=Code.WATCH_DEADLINE):
            await watch.watch(member, first, until=w.clock.now_dt() - timedelta(minutes=1))
        await watch.watch(member, first, until=w.clock.now_dt() + timedelta(seconds=INTERVAL))
        w.final_events.pop(first)
        ended = await w.finished(first, within=3)
        assert ended.status is RequestStatus.FAILED and ended.reason == Code.WATCH_ENDED


async def test_night_before_check_warns_when_the_password_stopped_working(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        request = await w.service.submit(member, club_day(w, 20), (time(18),), 60, (2,))
        assert w.service.pending_checks == 1
        assert await w.service.night_before_check(request) == []
        assert EventKind.WARNING not in w.kinds(request.id)

        w.club.config.members["alice"] = "a-new-password"
        [problem] = await w.service.night_before_check(request)
        assert problem == Reason(Code.NIGHT_LOGIN_REFUSED, {"day": request.day})
        assert "/login" in say(problem, LONDON) and "password" in say(problem, LONDON)
        warning = next(e for e in w.events if e.kind is EventKind.WARNING)
        assert warning.request_id == request.id and warning.reason == problem


async def test_night_before_check_warns_about_the_clubs_limits(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 20)
        w.club.state.book("alice", SITE_ID[4], day, time(9))
        request = await w.service.submit(member, day, (time(18),), 60, (2,))
        [problem] = await w.service.night_before_check(request)
        assert problem == Reason(Code.DAY_LIMIT, {"day": day, "count": 1})
        assert "already have 1 booking on" in say(problem, LONDON) and "/bookings" in say(problem, LONDON)


async def test_watching_resumes_after_a_restart(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        rival = w.club.state.book("bob", SITE_ID[2], day, time(18))
        request_id = await all_taken_request(w, member, day)
        async with watching(w) as before_the_crash:
            await before_the_crash.watch(member, request_id)
        # courtbot stopped; the request is still watching in the database
        assert (await w.storage.requests.get(request_id)).status is RequestStatus.WATCHING
        w.final_events.pop(request_id)
        w.club.state.cancel(rival.reference)
        async with watching(w) as after_restart:
            await after_restart.start()
            assert (await w.finished(request_id, within=5)).status is RequestStatus.BOOKED

"""Crash and restart: nothing lost, nothing booked twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from booking.models import Attempt, AttemptOutcome, BookingRequest, RequestStatus
from bot.reasons import say
from tests.engine.harness import LONDON, SITE_ID, club_day, next_release, world

ROOT = Path(__file__).resolve().parents[2]


async def _until(predicate: Callable[[], bool], within: float) -> None:
    """Poll the simulated club's state, which has no event to wait on."""
    async with asyncio.timeout(within):
        while not predicate():  # noqa: ASYNC110 - nothing to await but the club's own bookkeeping
            await asyncio.sleep(0.01)


async def test_sigkill_between_attempt_and_answer_books_exactly_once(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key, commit_latency_ms=10_000) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        missed = datetime.now(UTC) - timedelta(hours=1)
        request = await w.storage.requests.create(
            BookingRequest(
                member_id=member,
                day=day,
                times=(time(18),),
                duration_min=60,
                courts=(2,),
                status=RequestStatus.SCHEDULED,
                release_at=missed,
            )
        )
        child = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tests.engine.crash_child",
            str(tmp_path),
            key,
            w.club.url,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        try:
            # The club has stored the booking and is holding its answer back: the child wrote its attempt
            # and is waiting for a reply it will never read.
            await _until(lambda: len(w.bookings("alice")) == 1, within=8)
            attempts = await w.storage.attempts.for_request(request.id)
            assert [a.outcome for a in attempts] == [AttemptOutcome.SENT]
        finally:
            child.send_signal(signal.SIGKILL)
            await child.wait()
        assert (await w.storage.requests.get(request.id)).status is RequestStatus.RUNNING

        w.club.config.commit_latency_ms = 0
        await w.service.restore()
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED
        [booking] = w.bookings("alice")
        assert done.reference == booking.reference
        outcomes = [a.outcome for a in await w.storage.attempts.for_request(request.id)]
        assert outcomes == [AttemptOutcome.FOUND]
        assert len([a for a in w.arrivals("alice") if a.step == "commit"]) == 1


async def test_restart_restores_every_scheduled_request(tmp_path: Path, key: str) -> None:
    async with world(tmp_path, key) as w:
        far = club_day(w, 30)
        release = next_release(days_ahead=23)
        for member in range(1, 11):
            await w.member(member)
            for hour in range(8, 18):
                await w.storage.requests.create(
                    BookingRequest(
                        member_id=member,
                        day=far,
                        times=(time(hour),),
                        duration_min=60,
                        courts=(1,),
                        status=RequestStatus.SCHEDULED,
                        release_at=release,
                    )
                )
        assert await w.service.restore() == 100
        assert w.service.scheduled_count == 100


async def test_a_release_missed_while_down_runs_at_once_and_a_passed_slot_fails(
    tmp_path: Path, key: str
) -> None:
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        past = datetime.now(UTC) - timedelta(days=1)
        missed = await w.storage.requests.create(
            BookingRequest(
                member_id=member,
                day=club_day(w, 2),
                times=(time(18),),
                duration_min=60,
                courts=(3,),
                status=RequestStatus.SCHEDULED,
                release_at=past,
            )
        )
        gone = await w.storage.requests.create(
            BookingRequest(
                member_id=member,
                day=club_day(w, -1),
                times=(time(18),),
                duration_min=60,
                courts=(3,),
                status=RequestStatus.SCHEDULED,
                release_at=past - timedelta(days=7),
            )
        )
        await w.service.restore()
        assert (await w.finished(missed.id)).status is RequestStatus.BOOKED
        failed = await w.finished(gone.id)
        assert failed.status is RequestStatus.FAILED and "passed" in (failed.reason or "")
        assert [b.slot.court_id for b in w.bookings("alice")] == [SITE_ID[3]]


async def test_fifty_members_sharing_a_release_all_fire_and_book(tmp_path: Path, key: str) -> None:
    release = next_release()
    slot_day = (release + timedelta(days=7)).date()
    members = {f"m{n:02d}": f"pw{n:02d}" for n in range(50)}
    async with world(tmp_path, key, release=release, lead_s=4.0) as w:
        w.club.state.add_members(members)
        requests = []
        for n, (username, password) in enumerate(members.items()):
            member = await w.member(100 + n, username, password)
            court, hour = n % 4 + 1, 7 + n // 4
            requests.append(await w.service.submit(member, slot_day, (time(hour),), 60, (court,)))
        done = [await w.finished(r.id, within=15) for r in requests]
        assert [r.status for r in done] == [RequestStatus.BOOKED] * 50
        firsts = {}
        for arrival in w.arrivals():
            firsts.setdefault(arrival.member, arrival.arrived_at)
        lateness = sorted((t - release.timestamp()) * 1000 for t in firsts.values())
        assert len(lateness) == 50
        assert lateness[0] >= 0 and lateness[-1] < 500, lateness


async def test_start_up_settles_an_ended_request_whose_attempt_was_left_unknown(
    tmp_path: Path, key: str
) -> None:
    """A request told 'failed' while its booking request's answer was never recorded: the club decides."""
    async with world(tmp_path, key) as w:
        member = await w.member(1)
        day = club_day(w, 2)
        failed = await w.storage.requests.create(
            BookingRequest(member, day, (time(18),), 60, (2,), status=RequestStatus.FAILED, reason="a lie")
        )
        await w.storage.attempts.record(Attempt(failed.id or 0, 2, time(18), sent_at=w.clock.now()))
        held = w.club.state.book("alice", SITE_ID[2], day, time(18))
        await w.service.restore()
        done = await w.finished(failed.id or 0)
        assert (done.status, done.reference) == (RequestStatus.BOOKED, held.reference)
        [event] = [e for e in w.events if e.request_id == failed.id]
        assert event.reason is not None and say(event.reason, LONDON).startswith("Booked after all")
        assert [a.outcome for a in await w.storage.attempts.for_request(failed.id or 0)] == [
            AttemptOutcome.FOUND
        ]
        assert len(w.bookings("alice")) == 1

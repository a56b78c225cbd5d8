"""The booking engine on MRBS over real HTTP: release instants from the rolling window, to the second,
across DST changes, and exactly one booking when MRBS takes a booking but its answer is lost.

Both clocks (the service's and the stand-in's) are real time plus the same shift, chosen so the release
instant is a couple of seconds away, as in tests/engine/harness.py.
"""

from __future__ import annotations

import asyncio
from contextlib import AbstractAsyncContextManager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.models import AttemptOutcome, BookingRequest, RequestStatus
from booking.reasons import Code
from booking.release import to_utc
from booking.run import DOUBLE_BOOKED, STILL_UNCLEAR
from bot.reasons import say
from sim.mrbs import MrbsConfig, RunningMrbs, start_mrbs
from tests.engine.harness import ON_TIME_MS, when
from tests.engine.standin_world import StandinWorld, standin_world
from tests.mrbs.helpers import LONDON, ROOM, Browser

MrbsWorld = StandinWorld[RunningMrbs]


def mrbs_world(
    tmp_path: Path, key: str, release: datetime | None = None, **settings: object
) -> AbstractAsyncContextManager[MrbsWorld]:
    """With `release`, both clocks read LEAD_S seconds before it; `settings` are the stand-in's."""

    async def start(shift: float) -> RunningMrbs:
        return await start_mrbs(MrbsConfig(clock_offset_s=shift, **settings))  # type: ignore[arg-type]

    return standin_world(tmp_path, key, "mrbs", start, release)


def release_of(day: date, start: clock_time, minutes: int = 60) -> datetime:
    """MRBS's default window, worked out by hand: the slot's end, seven days earlier on the wall clock."""
    end = datetime.combine(day, start) + timedelta(minutes=minutes)
    return to_utc(end - timedelta(days=7), LONDON)


async def fires_and_books_at_the_release(world: MrbsWorld, day: date, release: datetime) -> None:
    member = await world.member(1)
    request = await world.service.submit(member, day, (clock_time(18),), 60, (2,))
    assert request.release_at == release
    done = await world.finished(request.id)
    assert done.status is RequestStatus.BOOKED, done.reason
    [arrival] = world.server.state.arrivals()  # prepare sends nothing: the booking is the one request
    lateness_ms = (arrival.arrived_at - release.timestamp()) * 1000
    assert 0 <= lateness_ms < ON_TIME_MS, lateness_ms
    assert (arrival.outcome, arrival.room_id, arrival.username) == ("booked", ROOM[2], "alice")
    [entry] = world.server.state.bookings()
    assert done.reference == str(entry.id)
    assert datetime.fromtimestamp(entry.start, LONDON).replace(tzinfo=None) == datetime.combine(
        day, clock_time(18)
    )


async def test_a_scheduled_request_fires_at_the_slot_s_end_minus_the_window(tmp_path: Path, key: str) -> None:
    day = date(2027, 1, 20)  # 18:00-19:00 GMT: open from 19:00 GMT on 13 January
    release = release_of(day, clock_time(18))
    assert release == datetime(2027, 1, 13, 19, tzinfo=UTC)
    async with mrbs_world(tmp_path, key, release) as world:
        await fires_and_books_at_the_release(world, day, release)
        kinds = [e.kind for e in world.events]
        assert kinds[-1] is EventKind.BOOKED
        assert (
            kinds.index(EventKind.CLOCK_SYNCED)
            < kinds.index(EventKind.FIRING)
            < kinds.index(EventKind.BOOKED)
        )
        booked = world.events[-1]
        assert booked.after_release_ms is not None and -20 < booked.after_release_ms < ON_TIME_MS


@pytest.mark.parametrize(
    ("day", "release"),
    [
        # spring: a BST slot (18:00-19:00 on 1 April) opens at 19:00 GMT on 25 March, 19:00 UTC
        (date(2027, 4, 1), datetime(2027, 3, 25, 19, tzinfo=UTC)),
        # autumn: a GMT slot (18:00-19:00 on 2 November) opens at 19:00 BST on 26 October, 18:00 UTC
        (date(2027, 11, 2), datetime(2027, 10, 26, 18, tzinfo=UTC)),
    ],
)
async def test_the_release_keeps_the_wall_clock_across_a_dst_change(
    tmp_path: Path, key: str, day: date, release: datetime
) -> None:
    slot_end = to_utc(datetime.combine(day, clock_time(19)), LONDON)
    assert abs((slot_end - timedelta(days=7)) - release) == timedelta(hours=1), (
        "seven days are not 168 hours here"
    )
    assert release_of(day, clock_time(18)) == release
    async with mrbs_world(tmp_path, key, release) as world:
        await fires_and_books_at_the_release(world, day, release)


async def test_a_booking_whose_answer_was_lost_is_found_and_not_made_twice(tmp_path: Path, key: str) -> None:
    async with mrbs_world(tmp_path, key, commit_store_then_fail=1) as world:
        member = await world.member(1)
        today = world.today()
        request = await world.service.submit(member, today + timedelta(days=2), (clock_time(18),), 60, (2, 3))
        done = await world.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        [entry] = world.server.state.bookings()
        assert (done.reference, done.booked_court, entry.room_id) == (str(entry.id), 2, ROOM[2])
        outcomes = [a.outcome for a in await world.storage.attempts.for_request(request.id)]
        assert outcomes[0] is AttemptOutcome.FOUND, "the lost answer, settled as found"
        assert [a.outcome for a in world.server.state.arrivals()] == ["booked"], "exactly one booking request"


async def test_a_private_site_is_read_and_booked_as_a_member(tmp_path: Path, key: str) -> None:
    async with mrbs_world(tmp_path, key, deny_public_access=True) as world:
        member = await world.member(1)
        today = world.today()
        request = await world.service.submit(member, today + timedelta(days=2), (clock_time(18),), 60, (2,))
        done = await world.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        [entry] = world.server.state.bookings()
        assert (done.reference, entry.create_by, entry.tentative) == (str(entry.id), "alice", False)


async def _race_bob_for_court_2(world: MrbsWorld) -> BookingRequest:
    """Alice (ours, court 2 then 3, 18:00 in two days) books while bob, at a browser, books court 2: MRBS
    does not lock, and with its race window both pass its check."""
    member = await world.member(1)
    day = world.today() + timedelta(days=2)
    rival = Browser(world.server)
    try:
        await rival.login("bob")
        racing = asyncio.create_task(rival.book(ROOM[2], day, clock_time(18)))
        await asyncio.sleep(0.05)  # bob's booking has passed MRBS's check and not yet been stored
        request = await world.service.submit(member, day, (clock_time(18),), 60, (2, 3))
        await racing
    finally:
        await rival.close()
    return request


async def test_a_raced_booking_the_club_cannot_show_is_not_followed_by_a_second(
    tmp_path: Path, key: str
) -> None:
    """MRBS does not lock: alice (ours) and bob (a browser) both book court 2; alice's search cannot show
    her booking. Her next choice must not be booked: one booking, 'unclear', the admins told, and booked
    once the club's records show it."""
    async with mrbs_world(tmp_path, key, race_window_ms=1000, search_hides={"alice"}) as world:
        request = await _race_bob_for_court_2(world)
        checking = await world.event(request.id, EventKind.CHECKING)
        assert checking.reason is not None and "unclear" in say(checking.reason, LONDON)
        alert = await world.event(request.id, EventKind.CHECKING, outcome=STILL_UNCLEAR)
        assert alert.outcome == STILL_UNCLEAR
        ours = [e for e in world.server.state.bookings() if e.create_by == "alice"]
        assert [e.room_id for e in ours] == [ROOM[2]], "one booking, not two"
        held = sorted(e.create_by for e in world.server.state.bookings() if e.room_id == ROOM[2])
        assert held == ["alice", "bob"], "the race double-booked court 2, as MRBS does"
        assert (await world.storage.requests.get(request.id)).status is RequestStatus.CHECKING
        world.server.config.search_hides.clear()  # the club's records show it now
        done = await world.finished(request.id)
        assert done.status is RequestStatus.BOOKED and done.reference == str(ours[0].id)
        assert [a.username for a in world.server.state.arrivals()].count("alice") == 1


async def test_a_session_lost_at_the_commit_costs_exactly_one_login(tmp_path: Path, key: str) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, clock_time(18))
    async with mrbs_world(tmp_path, key, release) as world:
        member = await world.member(1)
        at_warm_up: list[str] = []

        def lose_the_session() -> None:  # the booking POST at the release finds the session gone
            at_warm_up.extend(world.server.state.logins)
            world.server.state.expire_sessions()

        # the warm-up's last step: nothing more is sent before the release
        when(world.service.bus, EventKind.LOGGED_IN, lose_the_session)
        request = await world.service.submit(member, day, (clock_time(18),), 60, (2,))
        done = await world.finished(request.id)
        assert at_warm_up == ["alice"]
        assert done.status is RequestStatus.BOOKED, done.reason
        assert [a.outcome for a in world.server.state.arrivals()] == ["session-expired", "booked"]
        assert world.server.state.logins == ["alice", "alice"], "the warm-up's, and one for the lost session"


async def test_two_members_wanting_one_court_on_an_mrbs_that_does_not_lock_never_double_book(
    tmp_path: Path, key: str
) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, clock_time(18))
    async with mrbs_world(tmp_path, key, release, race_window_ms=300, max_per_day=None) as world:
        alice, bob = await world.member(1, "alice"), await world.member(2, "bob")
        first = await world.service.submit(alice, day, (clock_time(18),), 60, (2, 3))
        second = await world.service.submit(bob, day, (clock_time(18),), 60, (2, 3))
        done_a, done_b = await world.finished(first.id), await world.finished(second.id)
        assert (done_a.status, done_a.booked_court) == (RequestStatus.BOOKED, 2), done_a.reason
        assert (done_b.status, done_b.booked_court) == (RequestStatus.BOOKED, 3), done_b.reason
        held = sorted((e.room_id, e.create_by) for e in world.server.state.bookings())
        assert held == [(ROOM[2], "alice"), (ROOM[3], "bob")], "one booking of each court"
        assert all(a.outcome == "booked" for a in world.server.state.arrivals()), "no request was wasted"
        [booked] = [e for e in world.events if e.request_id == second.id and e.kind is EventKind.BOOKED]
        assert booked.reason is not None
        words = say(booked.reason, LONDON)
        assert "2 members wanted court 2 at 18:00; you got court 3 at 18:00, your 2nd choice" in words


async def test_a_member_whose_only_choice_went_to_a_club_mate_is_told_why(tmp_path: Path, key: str) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, clock_time(18))
    async with mrbs_world(tmp_path, key, release, race_window_ms=300) as world:
        alice, bob = await world.member(1, "alice"), await world.member(2, "bob")
        await world.storage.contests.record_win(alice, world.clock.now() - 86400)  # alice won one lately
        first = await world.service.submit(alice, day, (clock_time(18),), 60, (2,))
        second = await world.service.submit(bob, day, (clock_time(18),), 60, (2,))
        done_a, done_b = await world.finished(first.id), await world.finished(second.id)
        assert (done_b.status, done_b.booked_court) == (RequestStatus.BOOKED, 2), "bob has won fewer lately"
        assert done_a.status is RequestStatus.FAILED and done_a.reason == Code.ALL_TAKEN
        [failed] = [e for e in world.events if e.request_id == first.id and e.kind is EventKind.FAILED]
        assert failed.reason is not None
        assert "court 2 at 18:00 went to other members of this bot" in say(failed.reason, LONDON)
        assert [(e.room_id, e.create_by) for e in world.server.state.bookings()] == [(ROOM[2], "bob")]
        assert [a.username for a in world.server.state.arrivals()] == ["bob"], "alice sent nothing"
        assert await world.storage.contests.wins_since([alice, bob], 0) == {alice: 1, bob: 1}


async def test_a_slot_read_back_held_twice_is_reported_not_called_a_success(tmp_path: Path, key: str) -> None:
    async with mrbs_world(tmp_path, key, race_window_ms=1000) as world:
        request = await _race_bob_for_court_2(world)
        done = await world.finished(request.id)
        assert (done.status, done.booked_court) == (RequestStatus.BOOKED, 2)
        [event] = [e for e in world.events if e.request_id == request.id and e.kind is EventKind.BOOKED]
        assert event.outcome == DOUBLE_BOOKED and event.reason is not None
        assert "booked twice" in say(event.reason, LONDON)
        assert sorted(e.create_by for e in world.server.state.bookings()) == ["alice", "bob"]


async def test_one_member_s_two_requests_at_one_release_never_overlap(tmp_path: Path, key: str) -> None:
    """The booking POST is armed for the release; a second request of the same member's must not be fired
    with it (MRBS would store both, past its own one-a-day limit): it waits for the first's answer."""
    day = date(2027, 1, 20)
    release = release_of(day, clock_time(18))
    async with mrbs_world(tmp_path, key, release, race_window_ms=300) as world:
        member = await world.member(1)
        first = await world.service.submit(member, day, (clock_time(18),), 60, (2,))
        second = await world.service.submit(member, day, (clock_time(18),), 60, (3,))
        done = [await world.finished(first.id), await world.finished(second.id)]
        assert sorted(d.status for d in done) == [RequestStatus.BOOKED, RequestStatus.FAILED]
        arrivals = world.server.state.arrivals()
        assert [a.outcome for a in arrivals] == ["booked", "policy"], "the second met MRBS's per-day limit"
        assert arrivals[1].arrived_at - arrivals[0].arrived_at >= 0.3, (
            "the second left after the first's answer"
        )
        assert len(world.server.state.bookings()) == 1

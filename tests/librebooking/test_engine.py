"""The booking engine on LibreBooking over real HTTP, through its API and through its web pages: release
instants from each court's maximum notice (elapsed seconds to the slot's end), to the second, across clock
changes; exactly one booking when LibreBooking stores a booking but its answer is lost; members racing one
slot on a site that does not lock; and an API switched off between the warm-up and the release.

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
from booking.models import AttemptOutcome, RequestStatus
from booking.reasons import Code
from booking.release import to_utc
from booking.run import DOUBLE_BOOKED
from bot.reasons import say
from sim.librebooking import LibreBookingConfig, RunningLibreBooking, start_librebooking
from tests.engine.harness import ON_TIME_MS, when
from tests.engine.standin_world import StandinWorld, standin_world
from tests.librebooking.helpers import LONDON, RESOURCE, USER, Api

PATHS = pytest.mark.parametrize("path", ["on", "off"])
T18 = clock_time(18)
LibreBookingWorld = StandinWorld[RunningLibreBooking]


def librebooking_world(
    tmp_path: Path, key: str, path: str, release: datetime | None = None, **settings: object
) -> AbstractAsyncContextManager[LibreBookingWorld]:
    """With `release`, both clocks read LEAD_S seconds before it; `path` is the adapter's `api` setting,
    `settings` are the stand-in's."""

    async def start(shift: float) -> RunningLibreBooking:
        return await start_librebooking(LibreBookingConfig(clock_offset_s=shift, **settings))  # type: ignore[arg-type]

    return standin_world(tmp_path, key, "librebooking", start, release, {"api": path})


def release_of(day: date, start: clock_time, minutes: int = 60) -> datetime:
    """A 7-day maximum notice, worked out by hand: the slot's end instant less 604 800 seconds."""
    end = to_utc(datetime.combine(day, start) + timedelta(minutes=minutes), LONDON)
    return end - timedelta(seconds=604_800)


@PATHS
@pytest.mark.parametrize(
    ("day", "release", "wall_clock"),
    [
        # spring: the slot ends 19:00 BST (18:00 UTC) on 1 April; a week of seconds earlier is 18:00 GMT
        (date(2027, 4, 1), datetime(2027, 3, 25, 18, tzinfo=UTC), clock_time(18)),
        # autumn: the slot ends 19:00 GMT on 2 November; a week of seconds earlier is 20:00 BST
        (date(2027, 11, 2), datetime(2027, 10, 26, 19, tzinfo=UTC), clock_time(20)),
    ],
)
async def test_a_scheduled_request_fires_at_the_slot_s_end_minus_the_notice_to_the_second(
    tmp_path: Path, key: str, path: str, day: date, release: datetime, wall_clock: clock_time
) -> None:
    assert release_of(day, T18) == release
    assert release.astimezone(LONDON).time() == wall_clock
    async with librebooking_world(tmp_path, key, path, release) as world:
        member = await world.member(1)
        request = await world.service.submit(member, day, (T18,), 60, (2,))
        assert request.release_at == release
        done = await world.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        [arrival] = (
            world.server.state.arrivals()
        )  # the booking is the one request: armed, fired at the instant
        lateness_ms = (arrival.arrived_at - release.timestamp()) * 1000
        assert 0 <= lateness_ms < ON_TIME_MS, lateness_ms
        assert (arrival.outcome, arrival.resource_id, arrival.username) == ("booked", RESOURCE[2], "alice")
        assert arrival.via == ("api" if path == "on" else "web")
        assert arrival.release_at == release.timestamp()
        [stored] = world.server.state.bookings()
        assert done.reference == stored.reference
        kinds = [e.kind for e in world.events]
        assert (
            kinds.index(EventKind.CLOCK_SYNCED)
            < kinds.index(EventKind.FIRING)
            < kinds.index(EventKind.BOOKED)
        )


@PATHS
async def test_a_booking_whose_answer_was_lost_is_found_and_not_made_twice(
    tmp_path: Path, key: str, path: str
) -> None:
    async with librebooking_world(tmp_path, key, path, commit_store_then_fail=1) as world:
        member = await world.member(1)
        request = await world.service.submit(member, world.today() + timedelta(days=2), (T18,), 60, (2, 3))
        done = await world.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        [stored] = world.server.state.bookings()
        assert (done.reference, done.booked_court, stored.resource_id) == (stored.reference, 2, RESOURCE[2])
        outcomes = [a.outcome for a in await world.storage.attempts.for_request(request.id)]
        assert outcomes[0] is AttemptOutcome.FOUND, "the lost answer, settled as found"
        assert [a.outcome for a in world.server.state.arrivals()] == ["booked"], "exactly one booking request"


@pytest.mark.parametrize("path", ["off"])  # the way in matters to the adapter, tested there both ways
async def test_two_of_our_members_wanting_one_court_never_race_each_other(
    tmp_path: Path, key: str, path: str
) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, T18)
    async with librebooking_world(tmp_path, key, path, release, race_window_ms=300) as world:
        alice, bob = await world.member(1, "alice"), await world.member(2, "bob")
        first = await world.service.submit(alice, day, (T18,), 60, (2, 3))
        second = await world.service.submit(bob, day, (T18,), 60, (2, 3))
        done_a, done_b = await world.finished(first.id), await world.finished(second.id)
        assert (done_a.status, done_a.booked_court) == (RequestStatus.BOOKED, 2), done_a.reason
        assert (done_b.status, done_b.booked_court) == (RequestStatus.BOOKED, 3), done_b.reason
        held = sorted((r.resource_id, r.user_id) for r in world.server.state.bookings())
        assert held == [(RESOURCE[2], USER["alice"]), (RESOURCE[3], USER["bob"])], "one booking of each court"


@pytest.mark.parametrize("path", ["on"])  # the way in matters to the adapter, tested there both ways
async def test_one_member_s_requests_never_overlap_on_a_site_that_does_not_lock(
    tmp_path: Path, key: str, path: str
) -> None:
    """Two requests of alice's for one release: LibreBooking would store both despite its one-a-day quota if
    they overlapped. The second waits for the first's answer, and the quota then refuses it."""
    day = date(2027, 1, 20)
    release = release_of(day, T18)
    async with librebooking_world(tmp_path, key, path, release, race_window_ms=300) as world:
        alice = await world.member(1, "alice")
        first = await world.service.submit(alice, day, (T18,), 60, (2,))
        second = await world.service.submit(alice, day, (T18,), 60, (3,))
        done = [await world.finished(first.id), await world.finished(second.id)]
        assert sorted(d.status for d in done) == [RequestStatus.BOOKED, RequestStatus.FAILED]
        [refused] = [d for d in done if d.status is RequestStatus.FAILED]
        assert refused.reason == Code.LIMIT_REACHED
        [failed] = [e for e in world.events if e.request_id == refused.id and e.kind is EventKind.FAILED]
        assert failed.reason is not None and failed.reason.values["which"] == "per-day"
        assert "limited to 1.00 reservations per day" in str(failed.reason.values["detail"])
        assert "limit of bookings for that day" in say(failed.reason, LONDON)
        arrivals = world.server.state.arrivals()
        assert [a.outcome for a in arrivals] == ["booked", "quota"]
        assert arrivals[1].arrived_at - arrivals[0].arrived_at >= 0.3, (
            "the second left after the first's answer"
        )
        assert len(world.server.state.bookings()) == 1


@PATHS
async def test_a_rival_racing_our_member_for_one_slot_is_reported_as_booked_twice(
    tmp_path: Path, key: str, path: str
) -> None:
    """bob books outside courtbot while alice's request is in flight: LibreBooking stores both; the adapter
    reads the slot back held twice and the member is told so, not just "booked"."""
    async with librebooking_world(tmp_path, key, path, race_window_ms=1000) as world:
        member = await world.member(1)
        day = world.today() + timedelta(days=2)
        rival = Api(world.server)
        try:
            await rival.login("bob")
            racing = asyncio.create_task(rival.book(RESOURCE[2], day, T18))
            await asyncio.sleep(0.05)  # bob's booking has passed LibreBooking's checks and is not yet stored
            request = await world.service.submit(member, day, (T18,), 60, (2, 3))
            assert (await racing)[0] == 201
        finally:
            await rival.close()
        done = await world.finished(request.id)
        assert (done.status, done.booked_court) == (RequestStatus.BOOKED, 2)
        [event] = [e for e in world.events if e.request_id == request.id and e.kind is EventKind.BOOKED]
        assert event.outcome == DOUBLE_BOOKED and event.reason is not None
        assert "booked twice" in say(event.reason, LONDON)
        assert sorted(r.user_id for r in world.server.state.bookings()) == [USER["alice"], USER["bob"]]


async def test_an_api_switched_off_before_the_release_is_booked_through_the_web_pages(
    tmp_path: Path, key: str
) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, T18)
    async with librebooking_world(tmp_path, key, "auto", release) as world:
        member = await world.member(1)
        at_warm_up: list[int] = []

        def switch_the_api_off() -> None:  # the armed API request will meet the switched-off API
            at_warm_up.append(len(world.server.state.logins))  # the rules read logged in, the warm-up's
            world.server.config.api_enabled = False

        when(world.service.bus, EventKind.LOGGED_IN, switch_the_api_off)
        request = await world.service.submit(member, day, (T18,), 60, (2,))
        done = await world.finished(request.id)
        [logins] = at_warm_up
        assert done.status is RequestStatus.BOOKED, done.reason
        arrivals = world.server.state.arrivals()
        assert [(a.via, a.outcome) for a in arrivals] == [("api", "disabled"), ("web", "booked")]
        attempts = [a.outcome for a in await world.storage.attempts.for_request(request.id)]
        assert attempts == [AttemptOutcome.SESSION_EXPIRED, AttemptOutcome.BOOKED]
        assert len(world.server.state.logins) == logins + 1, "then one login, on the web pages"


@pytest.mark.parametrize("path", ["on"])  # the way in matters to the adapter, tested there both ways
async def test_a_session_lost_at_the_commit_costs_exactly_one_login(
    tmp_path: Path, key: str, path: str
) -> None:
    day = date(2027, 1, 20)
    release = release_of(day, T18)
    async with librebooking_world(tmp_path, key, path, release) as world:
        member = await world.member(1)
        at_warm_up: list[int] = []

        def lose_the_session() -> None:  # the booking request at the release finds the session gone
            at_warm_up.append(len(world.server.state.logins))  # the rules read logged in, the warm-up's
            world.server.state.expire_sessions()

        # the warm-up's last step: nothing more is sent before the release
        when(world.service.bus, EventKind.LOGGED_IN, lose_the_session)
        request = await world.service.submit(member, day, (T18,), 60, (2,))
        done = await world.finished(request.id)
        [logins] = at_warm_up
        assert done.status is RequestStatus.BOOKED, done.reason
        assert [a.outcome for a in world.server.state.arrivals()] == ["session-expired", "booked"]
        assert len(world.server.state.logins) == logins + 1, "one login for the lost session"

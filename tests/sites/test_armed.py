"""Armed requests: a platform's first request at the release pre-built on its own connection and fired by
one write - democlub's booking form (a GET), MRBS's booking (a form POST), LibreBooking's reservation (a
JSON POST, or its web form)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from datetime import time as clock_time

import pytest

from booking.gate import FireGates
from booking.sites.base import SiteConfig, Slot
from booking.sites.democlub.adapter import DemoClubAdapter
from booking.sites.errors import (
    NotOpenYet,
    RateLimited,
    SessionExpired,
    SlotTaken,
    TemporarilyUnavailable,
)
from booking.sites.mrbs.adapter import MrbsAdapter
from booking.timebase import SystemClock
from sim.club.config import ClubConfig
from sim.club.runner import RunningClub, run_club
from sim.librebooking import LibreBookingConfig, run_librebooking
from sim.mrbs import MrbsConfig, RunningMrbs, run_mrbs
from tests.librebooking.helpers import DAY as LB_DAY
from tests.librebooking.helpers import adapter as lb_adapter
from tests.librebooking.helpers import pin as lb_pin
from tests.mrbs.helpers import ROOM as MRBS_ROOM
from tests.mrbs.helpers import TODAY, pin
from tests.mrbs.helpers import adapter as mrbs_adapter


@pytest.fixture
async def club() -> AsyncIterator[RunningClub]:
    async with run_club(ClubConfig()) as running:
        yield running


@pytest.fixture
async def alice(club: RunningClub) -> AsyncIterator[DemoClubAdapter]:
    adapter = DemoClubAdapter(SiteConfig(club.url))
    await adapter.login("alice", "alice-pass")
    yield adapter
    await adapter.close()


def _slot(club: RunningClub, days: int = 2, court: int = 2) -> Slot:
    today = datetime.fromtimestamp(club.state.now(), club.config.zone).date()
    return Slot(court, today + timedelta(days=days), clock_time(18), 60)


async def test_an_armed_booking_form_holds_and_commits(club: RunningClub, alice: DemoClubAdapter) -> None:
    slot = _slot(club)
    armed = await alice.arm(slot)
    assert armed is not None
    assert club.state.holds() == []  # nothing is sent until it is fired
    armed.fire()
    prepared = await armed.prepared()
    [hold] = club.state.holds()
    assert (hold.member, hold.slot.court_id) == ("alice", "7")  # the session cookie went with it
    booking = await alice.commit(prepared)
    assert booking.slot == slot
    assert [b.member for b in club.state.bookings()] == ["alice"]


async def test_an_armed_hold_s_commit_leaves_on_the_line_armed_with_it(
    club: RunningClub, alice: DemoClubAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the form is left to write once the hold's answer is in: nothing goes through aiohttp."""
    armed = await alice.arm(_slot(club))
    armed.fire()
    prepared = await armed.prepared()

    async def through_aiohttp(*args: object, **kwargs: object) -> None:
        raise AssertionError("the commit went the ordinary way")

    monkeypatch.setattr(alice, "_post", through_aiohttp)
    booking = await alice.commit(prepared)
    [booked] = club.state.bookings()
    assert (booked.reference, booked.member) == (booking.reference, "alice")


async def test_a_commit_sent_again_goes_the_ordinary_way(club: RunningClub, alice: DemoClubAdapter) -> None:
    """The armed line carries one request: after a 429 the same hold is committed through aiohttp."""
    armed = await alice.arm(_slot(club))
    armed.fire()
    prepared = await armed.prepared()
    club.config.rate_limit_rate = 1.0
    with pytest.raises(RateLimited):
        await alice.commit(prepared)
    club.config.rate_limit_rate = 0.0
    await alice.commit(prepared)
    assert [(a.step, a.outcome) for a in club.state.arrivals()] == [
        ("prepare", "ok"),
        ("commit", "http-429"),
        ("commit", "ok"),
    ]


async def test_a_session_lost_at_the_armed_commit_is_reported_and_renewed(
    club: RunningClub, alice: DemoClubAdapter
) -> None:
    armed = await alice.arm(_slot(club))
    armed.fire()
    prepared = await armed.prepared()
    club.state.expire_sessions()
    with pytest.raises(SessionExpired, match="logged in again"):
        await alice.commit(prepared)
    assert club.state.bookings() == []
    await alice.commit(await alice.prepare(_slot(club)))  # the new session books
    assert [b.member for b in club.state.bookings()] == ["alice"]


async def test_armed_refusals_are_the_same_typed_errors(club: RunningClub, alice: DemoClubAdapter) -> None:
    club.state.book("bob", "7", _slot(club).day, "18:00")
    taken = await alice.arm(_slot(club))
    taken.fire()
    with pytest.raises(SlotTaken):
        await taken.prepared()

    early = await alice.arm(_slot(club, days=9))
    early.fire()
    with pytest.raises(NotOpenYet) as not_open:
        await early.prepared()
    assert not_open.value.opens_at is not None


async def test_an_expired_session_is_reported_not_followed(club: RunningClub, alice: DemoClubAdapter) -> None:
    armed = await alice.arm(_slot(club))
    club.state.expire_sessions()
    armed.fire()
    with pytest.raises(SessionExpired):
        await armed.prepared()
    assert club.state.holds() == []


@pytest.mark.parametrize(
    ("setting", "error"), [("rate_limit_rate", RateLimited), ("error_rate", TemporarilyUnavailable)]
)
async def test_429_and_5xx(club: RunningClub, alice: DemoClubAdapter, setting: str, error: type) -> None:
    armed = await alice.arm(_slot(club))
    setattr(club.config, setting, 1.0)
    armed.fire()
    with pytest.raises(error):
        await armed.prepared()


async def test_a_club_that_cannot_be_reached_cannot_be_armed(
    club: RunningClub, alice: DemoClubAdapter
) -> None:
    slot = _slot(club)
    await alice.courts()
    await club.stop()
    with pytest.raises(TemporarilyUnavailable, match="could not be reached"):
        await alice.arm(slot)


# MRBS: booking is one POST, so the armed request is the booking itself


@pytest.fixture
async def mrbs() -> AsyncIterator[RunningMrbs]:
    async with run_mrbs(MrbsConfig()) as running:
        yield running


@pytest.fixture
async def mrbs_alice(mrbs: RunningMrbs) -> AsyncIterator[MrbsAdapter]:
    adapter = mrbs_adapter(mrbs, pin(mrbs))
    await adapter.login("alice", "alice-pass")
    yield adapter
    await adapter.close()


def _mrbs_slot(days: int = 2) -> Slot:
    return Slot(2, TODAY + timedelta(days=days), clock_time(18), 60)


async def test_mrbs_s_booking_post_is_armed_and_its_answer_committed(
    mrbs: RunningMrbs, mrbs_alice: MrbsAdapter
) -> None:
    armed = await mrbs_alice.arm(_mrbs_slot())
    assert mrbs.state.arrivals() == [], "nothing is sent until it is fired"
    armed.fire()
    prepared = await armed.prepared()
    assert [(a.username, a.outcome) for a in mrbs.state.arrivals()] == [("alice", "booked")]
    booking = await mrbs_alice.commit(prepared)  # reads the answer: sends no second booking
    [entry] = mrbs.state.bookings()
    assert (booking.reference, booking.slot, entry.create_by) == (str(entry.id), _mrbs_slot(), "alice")
    assert len(mrbs.state.arrivals()) == 1


async def test_an_armed_mrbs_refusal_is_the_commit_s_typed_error(
    mrbs: RunningMrbs, mrbs_alice: MrbsAdapter
) -> None:
    mrbs.state.book("bob", MRBS_ROOM[2], _mrbs_slot().day, "18:00")
    taken = await mrbs_alice.arm(_mrbs_slot())
    taken.fire()
    with pytest.raises(SlotTaken):
        await mrbs_alice.commit(await taken.prepared())
    early = await mrbs_alice.arm(_mrbs_slot(days=9))
    early.fire()
    with pytest.raises(NotOpenYet):
        await mrbs_alice.commit(await early.prepared())


async def test_an_armed_mrbs_post_that_finds_the_session_gone_logs_in_once(
    mrbs: RunningMrbs, mrbs_alice: MrbsAdapter
) -> None:
    armed = await mrbs_alice.arm(_mrbs_slot())
    mrbs.state.expire_sessions()
    armed.fire()
    prepared = await armed.prepared()
    with pytest.raises(SessionExpired):
        await mrbs_alice.commit(prepared)
    assert mrbs.state.logins == ["alice", "alice"] and mrbs.state.bookings() == []
    booking = await mrbs_alice.commit(await mrbs_alice.prepare(_mrbs_slot()))
    assert booking.slot == _mrbs_slot()


# All three platforms' first requests leave in one fire


async def test_the_armed_requests_of_all_three_platforms_leave_in_one_fire(
    club: RunningClub, alice: DemoClubAdapter, mrbs: RunningMrbs, mrbs_alice: MrbsAdapter
) -> None:
    """democlub's hold (a GET), MRBS's booking (a form POST) and LibreBooking's reservation (a JSON POST
    on its API, a form POST on its web pages) armed together, fired by one gate: each club records its
    request within a few milliseconds of the instant, and each answer completes its booking."""
    async with run_librebooking(LibreBookingConfig()) as libre:
        clock = lb_pin(libre)
        on_api, on_web = lb_adapter(libre, clock, api="on"), lb_adapter(libre, clock, api="off")
        try:
            await on_api.login("alice", "alice-pass")
            await on_web.login("bob", "bob-pass")
            slots = {
                "democlub": _slot(club),
                "mrbs": _mrbs_slot(),
                "api": Slot(2, LB_DAY, clock_time(18), 60),
                "web": Slot(3, LB_DAY, clock_time(18), 60),
            }
            sites = {"democlub": alice, "mrbs": mrbs_alice, "api": on_api, "web": on_web}
            armed = {name: await site.arm(slots[name]) for name, site in sites.items()}
            gates = FireGates(SystemClock())
            instant = time.time() + 0.3
            await asyncio.gather(*(gates.wait(instant, a.fire) for a in armed.values()))
            prepared = {name: await a.prepared() for name, a in armed.items()}
            booked = {name: await sites[name].commit(p) for name, p in prepared.items()}
        finally:
            await on_api.close()
            await on_web.close()
        real = [  # each club's arrival on real time (their clocks are set apart)
            club.state.arrivals()[0].arrived_at - club.config.clock_offset_s,
            mrbs.state.arrivals()[0].arrived_at - mrbs.config.clock_offset_s,
            *(a.arrived_at - libre.config.clock_offset_s for a in libre.state.arrivals()),
        ]
        assert len(real) == 4 and all(t >= instant - 0.002 for t in real)
        assert max(real) - min(real) < 0.05, real
        assert sorted(a.via for a in libre.state.arrivals()) == ["api", "web"]
        assert {name: b.slot for name, b in booked.items()} == slots
        assert len(club.state.bookings()) == len(mrbs.state.bookings()) == 1
        assert len(libre.state.bookings()) == 2

"""The democlub adapter against the running simulated club, over real HTTP on loopback."""

from __future__ import annotations

import asyncio
import time as systime
from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

import pytest

from booking.grid import bookable_now
from booking.sites.base import CellState, SiteConfig, Slot
from booking.sites.democlub.adapter import DemoClubAdapter
from booking.sites.errors import (
    HoldExpired,
    InvalidRequest,
    LimitReached,
    LoginFailed,
    NotOpenYet,
    RateLimited,
    SessionExpired,
    SlotTaken,
    TemporarilyUnavailable,
)
from sim.club.config import ClubConfig
from sim.club.runner import RunningClub, run_club

SIX_PM = clock_time(18, 0)


@pytest.fixture
async def club() -> AsyncIterator[RunningClub]:
    async with run_club(ClubConfig()) as running:
        yield running


@pytest.fixture
async def member(club: RunningClub) -> AsyncIterator[Callable[..., DemoClubAdapter]]:
    """Adapters for the club's members, closed after the test."""
    made: list[DemoClubAdapter] = []

    def make(**config: object) -> DemoClubAdapter:
        adapter = DemoClubAdapter(SiteConfig(club.url, **config))  # type: ignore[arg-type]
        made.append(adapter)
        return adapter

    yield make
    for adapter in made:
        await adapter.close()


async def logged_in(
    make: Callable[..., DemoClubAdapter], name: str = "alice", **config: object
) -> DemoClubAdapter:
    adapter = make(**config)
    await adapter.login(name, f"{name}-pass")
    return adapter


def club_today(club: RunningClub) -> date:
    """Today in the club's zone on the club's (possibly shifted) clock."""
    return datetime.fromtimestamp(club.state.now(), club.config.zone).date()


def open_slot(club: RunningClub, court: int = 1, days: int = 2) -> Slot:
    return Slot(court, club_today(club) + timedelta(days=days), SIX_PM, 60)


def shift_club_to(club: RunningClub, instant: datetime, by_s: float) -> None:
    """Set the club's clock so that it reads `instant` + `by_s` now."""
    club.config.clock_offset_s = instant.timestamp() + by_s - systime.time()


async def test_login_good_and_bad_password(member: Callable[..., DemoClubAdapter]) -> None:
    await logged_in(member)
    with pytest.raises(LoginFailed):
        await member().login("bob", "not-bobs-password")


async def test_book_see_and_cancel(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member)
    slot = open_slot(club)
    assert (await alice.availability(slot.day)).state(1, SIX_PM) is CellState.FREE
    booking = await alice.commit(await alice.prepare(slot))
    assert booking.slot == slot and booking.reference.startswith("DC-")
    assert (await alice.availability(slot.day)).state(1, SIX_PM) is CellState.MINE
    assert await alice.my_bookings() == [booking]
    assert [b.slot.court_id for b in club.state.bookings()] == ["5"]
    await alice.cancel(booking.reference)
    assert await alice.my_bookings() == []
    assert club.state.bookings() == []


async def test_court_map_is_honoured(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member, court_map={1: "9"})
    booking = await alice.commit(await alice.prepare(open_slot(club)))
    assert [b.slot.court_id for b in club.state.bookings()] == ["9"]
    assert (await alice.my_bookings())[0] == booking
    with pytest.raises(InvalidRequest):
        await alice.prepare(open_slot(club, court=2))


async def test_not_open_yet_says_when(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member)
    slot = open_slot(club, days=9)
    with pytest.raises(NotOpenYet) as caught:
        await alice.prepare(slot)
    assert caught.value.opens_at == club.release_instant(slot.day, SIX_PM)
    grid = await alice.availability(slot.day)
    assert grid.state(1, SIX_PM) is CellState.FREE, "free; whether it is released is the domain's to say"
    rules = await alice.rules()
    assert bookable_now(grid, rules, club.state.now()).state(1, SIX_PM) is CellState.CLOSED


async def test_just_before_and_just_after_the_release(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    alice = await logged_in(member)
    slot = Slot(1, date.today() + timedelta(days=30), SIX_PM, 60)
    release = club.release_instant(slot.day, SIX_PM)
    shift_club_to(club, release, -0.5)
    with pytest.raises(NotOpenYet):
        await alice.prepare(slot)
    shift_club_to(club, release, 0.2)
    assert (await alice.commit(await alice.prepare(slot))).slot == slot


async def test_hold_before_open_commits_only_after_the_release(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    club.config.hold_before_open = True
    alice = await logged_in(member)
    assert (await alice.rules()).hold_before_open
    slot = Slot(2, date.today() + timedelta(days=30), SIX_PM, 120)
    release = club.release_instant(slot.day, SIX_PM, 120)
    shift_club_to(club, release, -1.0)
    prepared = await alice.prepare(slot)
    with pytest.raises(NotOpenYet):
        await alice.commit(prepared)
    shift_club_to(club, release, 0.1)
    assert (await alice.commit(prepared)).slot == slot


async def test_taken(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    slot = open_slot(club)
    club.state.book("bob", "5", slot.day, "18:00")
    alice = await logged_in(member)
    assert (await alice.availability(slot.day)).state(1, SIX_PM) is CellState.BOOKED
    with pytest.raises(SlotTaken):
        await alice.prepare(slot)


async def test_per_day_limit(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member)
    slot = open_slot(club)
    await alice.commit(await alice.prepare(slot))
    with pytest.raises(LimitReached) as caught:
        await alice.prepare(Slot(2, slot.day, clock_time(20, 0), 60))
    assert caught.value.which == "per-day"


async def test_hold_expired(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    club.config.hold_minutes = 0.001  # 60 ms
    alice = await logged_in(member)
    prepared = await alice.prepare(open_slot(club))
    await asyncio.sleep(0.1)
    with pytest.raises(HoldExpired):
        await alice.commit(prepared)


async def test_invalid_requests(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member)
    with pytest.raises(InvalidRequest, match="duration"):
        await alice.prepare(Slot(1, club_today(club) + timedelta(days=2), SIX_PM, 45))
    with pytest.raises(InvalidRequest, match="reference"):
        await alice.cancel("DC-NOPE")


async def test_partner_required(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    club.config.partner_required = True
    alice = await logged_in(member)
    with pytest.raises(InvalidRequest, match="partner"):
        await alice.prepare(open_slot(club))
    await alice.commit(await alice.prepare(open_slot(club), partner="Bob"))
    assert [b.partner for b in club.state.bookings()] == ["Bob"]


async def test_rate_limited_with_retry_after(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    alice = await logged_in(member)
    club.config.update({"rate_limit_rate": 1.0, "retry_after_s": 7})
    with pytest.raises(RateLimited) as caught:
        await alice.availability(club_today(club))
    assert caught.value.retry_after_s == 7


async def test_server_errors(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member)
    club.config.error_rate = 1.0
    with pytest.raises(TemporarilyUnavailable):
        await alice.prepare(open_slot(club))


async def test_timeout(club: RunningClub, member: Callable[..., DemoClubAdapter]) -> None:
    alice = await logged_in(member, timeout_s=0.2)
    club.config.latency_ms = 600
    with pytest.raises(TemporarilyUnavailable):
        await alice.my_bookings()


async def test_lost_answer_after_a_stored_booking_shows_in_my_bookings(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    alice = await logged_in(member)
    slot = open_slot(club)
    prepared = await alice.prepare(slot)
    club.config.commit_store_then_fail = 1
    with pytest.raises(TemporarilyUnavailable):
        await alice.commit(prepared)
    assert [b.slot for b in await alice.my_bookings()] == [slot]


async def test_expired_session_is_recovered(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    alice = await logged_in(member)
    club.state.expire_sessions()
    assert (await alice.availability(club_today(club) + timedelta(days=1))).cells
    prepared = await alice.prepare(open_slot(club))
    club.state.expire_sessions()
    with pytest.raises(SessionExpired):
        await alice.commit(prepared)  # never repeated: the engine decides
    assert club.state.bookings() == []
    assert (await alice.commit(await alice.prepare(open_slot(club)))).slot == open_slot(club)


async def test_two_members_one_slot_exactly_one_wins(
    club: RunningClub, member: Callable[..., DemoClubAdapter]
) -> None:
    alice, bob = await logged_in(member, "alice"), await logged_in(member, "bob")
    slot = open_slot(club)

    async def book(adapter: DemoClubAdapter) -> object:
        try:
            return await adapter.commit(await adapter.prepare(slot))
        except SlotTaken as exc:
            return exc

    results = await asyncio.gather(book(alice), book(bob))
    assert sorted(type(r).__name__ for r in results) == ["Booking", "SlotTaken"]
    assert len(club.state.bookings()) == 1


@pytest.mark.parametrize("offset_ms", [-1500, 0, 730, 2400])
async def test_clock_offset_estimate(
    club: RunningClub, member: Callable[..., DemoClubAdapter], offset_ms: int
) -> None:
    club.config.clock_offset_s = offset_ms / 1000
    started = systime.perf_counter()
    sample = await member(clock_budget_s=3.0).server_clock()
    assert systime.perf_counter() - started < 3.5  # the budget, and the burst it ends in
    assert abs(sample.offset_s - offset_ms / 1000) < 0.010
    assert sample.error_s < 0.010
    assert datetime.now(UTC).timestamp() + sample.offset_s == pytest.approx(club.state.now(), abs=0.02)

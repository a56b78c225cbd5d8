"""Armed requests: democlub's booking form pre-built on its own connection and fired by one write."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from datetime import time as clock_time

import pytest

from booking.sites.base import SiteConfig, Slot
from booking.sites.democlub import DemoClubAdapter
from booking.sites.errors import (
    NotOpenYet,
    RateLimited,
    SessionExpired,
    SlotTaken,
    TemporarilyUnavailable,
)
from sim.club.config import ClubConfig
from sim.club.runner import RunningClub, run_club


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

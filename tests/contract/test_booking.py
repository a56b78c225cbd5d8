"""Booking, the member's bookings and cancelling (SiteAdapter.prepare/commit, my_bookings, cancel)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.sites.base import Booking
from booking.sites.errors import InvalidRequest
from tests.contract.conftest import Member
from tests.contract.driver import TODAY, Driver, Held
from tests.contract.steps import DAY, book, slot


async def test_a_booking_is_the_slot_asked_for_and_the_club_holds_it(driver: Driver, member: Member) -> None:
    alice = await member()
    wanted = slot(3, 18)
    booking = await book(alice, wanted)
    assert (booking.slot, booking.double) == (wanted, False)
    assert driver.held() == [Held(booking.reference, "alice", wanted)]


async def test_my_bookings_are_the_member_s_own_upcoming_ones_in_time_order(
    driver: Driver, member: Member
) -> None:
    seeded = [
        ("alice", slot(2, 10, DAY + timedelta(days=1), minutes=120)),
        ("alice", slot(1, 18)),
        ("alice", slot(3, 9, TODAY)),  # played already
        ("alice", slot(4, 13, TODAY)),  # later today
        ("alice", slot(2, 12, TODAY)),  # begun at noon, now
        ("alice", slot(3, 18, TODAY + timedelta(days=365))),  # a lesson the club booked for her a year ahead
        ("bob", slot(2, 18)),
        ("bob", slot(1, 19)),
    ]
    for name, booked in seeded:
        driver.seed(name, booked)
    alice = await member()
    mine = await alice.my_bookings()
    assert [b.slot for b in mine] == [
        slot(4, 13, TODAY),
        slot(1, 18),
        slot(2, 10, DAY + timedelta(days=1), minutes=120),
        slot(3, 18, TODAY + timedelta(days=365)),
    ]
    held = {h.slot: h for h in driver.held()}
    assert all(held[b.slot] == Held(b.reference, "alice", b.slot) for b in mine), "the club's references"


async def test_a_cancelled_booking_is_gone_and_cannot_be_cancelled_again(
    driver: Driver, member: Member
) -> None:
    alice = await member()
    booking = await book(alice, slot(2, 18))
    assert await alice.my_bookings() == [Booking(booking.reference, slot(2, 18))]
    await alice.cancel(booking.reference)
    assert await alice.my_bookings() == []
    assert driver.held() == []
    with pytest.raises(InvalidRequest):
        await alice.cancel(booking.reference)


async def test_someone_else_s_booking_cannot_be_cancelled(driver: Driver, member: Member) -> None:
    driver.seed("bob", slot(2, 18))
    [theirs] = driver.held()
    alice = await member()
    with pytest.raises(InvalidRequest):
        await alice.cancel(theirs.reference)
    assert driver.held() == [theirs]

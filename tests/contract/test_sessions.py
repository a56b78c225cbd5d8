"""A lost session (SiteAdapter.prepare/commit and every member call): the adapter logs in again by itself,
once per lost session, as the club counts logins; a commit that finds its session lost booked nothing."""

from __future__ import annotations

import pytest

from booking.sites.errors import SessionExpired
from tests.contract.conftest import Member
from tests.contract.driver import Driver, Held
from tests.contract.steps import DAY, book, slot


async def test_a_read_after_a_lost_session_costs_one_login(driver: Driver, member: Member) -> None:
    alice = await member()
    await alice.courts()
    driver.expire_sessions()
    assert await alice.my_bookings() == []
    driver.expire_sessions()
    assert len((await alice.availability(DAY)).cells) == 4 * 15
    assert driver.logins() == 3


async def test_a_session_lost_before_prepare_costs_one_login(driver: Driver, member: Member) -> None:
    alice = await member()
    await alice.courts()
    driver.expire_sessions()
    prepared = await alice.prepare(slot(1, 18))  # a prepare that asks the club logs in again by itself
    try:
        booking = await alice.commit(prepared)
    except SessionExpired:  # where preparing sends nothing, the commit is what finds the session lost
        assert driver.held() == []
        booking = await book(alice, slot(1, 18))  # and the engine prepares and commits once more
    assert driver.held() == [Held(booking.reference, "alice", slot(1, 18))]
    assert driver.logins() == 2


async def test_a_session_lost_at_the_commit_booked_nothing_and_costs_one_login(
    driver: Driver, member: Member
) -> None:
    alice = await member()
    prepared = await alice.prepare(slot(1, 18))
    driver.expire_sessions()
    with pytest.raises(SessionExpired):
        await alice.commit(prepared)
    assert driver.held() == [], "SessionExpired promises nothing was booked"
    assert driver.logins() == 2, "the adapter has logged in again"
    booking = await book(alice, slot(1, 18))  # what the engine does next
    assert driver.held() == [Held(booking.reference, "alice", slot(1, 18))]
    assert driver.logins() == 2

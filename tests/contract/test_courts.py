"""The courts (SiteAdapter.courts): ours are numbered from 1 in the club's order, or as COURT_MAP says."""

from __future__ import annotations

from booking.sites.base import Court
from tests.contract.conftest import Member
from tests.contract.driver import Driver
from tests.contract.steps import book, slot


async def test_the_courts_are_numbered_in_the_club_s_order(driver: Driver, member: Member) -> None:
    alice = await member()
    listed = driver.courts()
    assert len(listed) == 4
    assert await alice.courts() == [Court(n, sid, name) for n, (sid, name) in enumerate(listed, start=1)]


async def test_court_map_numbers_the_courts_and_books_the_court_it_names(
    driver: Driver, member: Member
) -> None:
    (first, first_name), _, (third, third_name), _ = driver.courts()
    alice = await member(court_map={1: third, 2: first})
    assert await alice.courts() == [Court(1, third, third_name), Court(2, first, first_name)]
    booking = await book(alice, slot(1, 18))
    assert booking.slot == slot(1, 18), "in our numbers"
    [held] = driver.held()
    assert held.slot == slot(3, 18), "the club's third court"

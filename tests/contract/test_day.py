"""A day (SiteAdapter.availability): every court's slots, free, someone else's, the member's, or closed."""

from __future__ import annotations

from datetime import time, timedelta

from booking.sites.base import CellState
from booking.validation import slot_starts
from tests.contract.conftest import Member
from tests.contract.driver import TODAY, Driver
from tests.contract.steps import DAY, book, slot


async def test_a_day_shows_free_booked_mine_and_closed(driver: Driver, member: Member) -> None:
    driver.seed("bob", slot(2, 18))
    driver.seed("carol", slot(3, 19, minutes=120))
    alice = await member()
    grid = await alice.availability(DAY)
    starts = slot_starts(await alice.rules())
    assert set(grid.cells) == {(court, at) for court in (1, 2, 3, 4) for at in starts}, "every court's slots"
    assert starts[0] == time(7) and starts[-1] == time(21)
    assert grid.state(2, time(18)) is CellState.BOOKED, "bob's"
    assert grid.state(1, time(18)) is CellState.FREE
    assert [grid.state(3, time(h)) for h in (18, 19, 20, 21)] == [
        CellState.FREE, CellState.BOOKED, CellState.BOOKED, CellState.FREE,
    ], "carol's two hours"  # fmt: skip
    await book(alice, slot(1, 18))
    after = await alice.availability(DAY)
    assert after.state(1, time(18)) is CellState.MINE
    assert after.state(2, time(18)) is CellState.BOOKED


async def test_a_slot_that_has_begun_is_closed(driver: Driver, member: Member) -> None:
    driver.seed("bob", slot(2, 9, TODAY))
    grid = await (await member()).availability(TODAY)
    assert grid.state(1, time(9)) is CellState.CLOSED, "played already"
    assert grid.state(2, time(9)) is CellState.CLOSED, "booked, and played already"
    assert grid.state(1, time(12)) is CellState.CLOSED, "begun at noon, now"
    assert grid.state(1, time(13)) is CellState.FREE


async def test_a_free_slot_not_released_yet_is_free(driver: Driver, member: Member) -> None:
    """Whether a free slot is released yet is the domain's to say (booking.grid), by the rule it decided."""
    beyond = TODAY + timedelta(days=9)
    driver.seed("bob", slot(2, 18, beyond))
    grid = await (await member()).availability(beyond)
    assert grid.state(1, time(18)) is CellState.FREE
    assert grid.state(2, time(18)) is CellState.BOOKED

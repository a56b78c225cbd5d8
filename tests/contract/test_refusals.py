"""Each refusal is typed (booking.sites.errors), whichever step the club refuses at, and books nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from booking.sites.errors import InvalidRequest, LimitReached, NotOpenYet, SlotTaken
from tests.contract.conftest import Member
from tests.contract.driver import TODAY, Driver
from tests.contract.steps import book, slot


async def test_a_slot_someone_else_holds_is_slot_taken(driver: Driver, member: Member) -> None:
    driver.seed("bob", slot(2, 18))
    before = driver.held()
    with pytest.raises(SlotTaken):
        await book(await member(), slot(2, 18))
    assert driver.held() == before


async def test_the_member_s_daily_limit_is_limit_reached(driver: Driver, member: Member) -> None:
    driver.limit_per_day(1)
    driver.seed("alice", slot(1, 9))
    before = driver.held()
    with pytest.raises(LimitReached) as refused:
        await book(await member(), slot(2, 18))
    assert refused.value.which == "per-day"
    assert driver.held() == before


async def test_beyond_the_window_is_not_open_yet(driver: Driver, member: Member) -> None:
    far = slot(1, 18, TODAY + timedelta(days=9))
    with pytest.raises(NotOpenYet) as refused:
        await book(await member(), far)
    # A club that says when it opens must say it right; one that does not leaves it to the release rule.
    assert refused.value.opens_at in (None, driver.release_instant(far))
    assert driver.held() == []


async def test_a_slot_that_has_begun_is_an_invalid_request(driver: Driver, member: Member) -> None:
    with pytest.raises(InvalidRequest):
        await book(await member(), slot(1, 9, TODAY))
    assert driver.held() == []

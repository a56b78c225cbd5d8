"""The club's clock (SiteAdapter.server_clock): its offset from ours, truly within the error the sample
states, measured logged out or in without costing the member's session."""

from __future__ import annotations

from tests.contract.conftest import Member
from tests.contract.driver import Driver

#: on loopback the estimate is good to a few milliseconds; the bound keeps a wide error from hiding a wrong
#: estimate
MAX_ERROR_S = 0.02
#: where the stand-in's clock is set, against the adapters'
AHEAD_S, BEHIND_S = 0.73, -1.27


async def test_the_club_s_clock_is_found_within_the_stated_error(driver: Driver) -> None:
    driver.shift_clock(AHEAD_S)
    sample = await driver.adapter().server_clock()
    assert sample.error_s <= MAX_ERROR_S, sample
    assert abs(sample.offset_s - AHEAD_S) <= sample.error_s, sample
    assert driver.logins() == 0, "measured logged out"


async def test_measuring_the_clock_leaves_the_member_s_session_alone(driver: Driver, member: Member) -> None:
    alice = await member()
    driver.shift_clock(BEHIND_S)
    sample = await alice.server_clock()
    assert sample.error_s <= MAX_ERROR_S, sample
    assert abs(sample.offset_s - BEHIND_S) <= sample.error_s, sample
    assert await alice.my_bookings() == []
    assert driver.logins() == 1, "the member's session still holds: no new login"

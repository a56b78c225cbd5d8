"""Logging in (SiteAdapter.login): the member's login works, a refused one is ours to word and is not kept."""

from __future__ import annotations

import pytest

from booking.sites.errors import LoginFailed, LoginRequired, SessionExpired
from tests.contract.conftest import Member
from tests.contract.driver import Driver
from tests.contract.steps import slot

#: typed by mistake; it must never come back in what courtbot shows or logs
WRONG = "Wr0ng-Pa55word"


async def test_a_member_logs_in(driver: Driver, member: Member) -> None:
    alice = await member("alice")
    assert await alice.my_bookings() == []
    assert driver.logins() == 1


async def test_a_wrong_password_is_login_failed_in_our_words_and_is_not_kept(
    driver: Driver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    alice = driver.adapter()
    with pytest.raises(LoginFailed) as refused:
        await alice.login("alice", WRONG)
    assert str(refused.value) == str(LoginFailed()), "worded by us, never the club"
    assert WRONG not in repr(alice) and WRONG not in caplog.text
    # The refused login is not replayed: member calls need a login (and are not a LoginFailed).
    with pytest.raises(SessionExpired):
        await alice.prepare(slot(1, 18))
    # LoginRequired where the club shows even its courts only to members (LibreBooking): log in first too.
    with pytest.raises((SessionExpired, LoginRequired)):
        await alice.my_bookings()
    assert driver.logins() == 0

"""An unclear outcome: the club stores the booking and its answer is lost. The commit says it cannot tell
(never a success, never a refusal, never sent twice), and settling it (booking.settle) finds the booking."""

from __future__ import annotations

import pytest

from booking.models import BookingRequest
from booking.settle import settle
from booking.sites.errors import PageNotUnderstood, TemporarilyUnavailable
from tests.contract.conftest import Member
from tests.contract.driver import Driver, Held
from tests.contract.steps import DAY, slot


async def test_a_booking_whose_answer_was_lost_is_found_by_settling(driver: Driver, member: Member) -> None:
    alice = await member()
    wanted = slot(2, 18)
    prepared = await alice.prepare(wanted)
    driver.lose_next_answer()
    with pytest.raises((TemporarilyUnavailable, PageNotUnderstood)):
        await alice.commit(prepared)
    [held] = driver.held()
    assert held.member == "alice" and held.slot == wanted, "stored once: the commit is never repeated"
    request = BookingRequest(member_id=1, day=DAY, times=(wanted.start,), duration_min=60, courts=(2,))
    settled = await settle(alice, request, [wanted])
    assert settled.booking is not None and not settled.unclear
    assert (settled.booking.reference, settled.booking.slot) == (held.reference, wanted)
    assert driver.held() == [Held(held.reference, "alice", wanted)], "and not booked again"

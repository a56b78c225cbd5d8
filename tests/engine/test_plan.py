"""The release plan on its own: distinct first slots in each member's order of preference, the fairness
order, members who want nothing alike untouched, and claims that keep club-mates off each other's slots."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from booking.models import BookingRequest
from booking.plan import ReleasePlans, SlotClaims, overlaps
from booking.sites.base import Slot

DAY = date(2026, 12, 8)
RELEASE = 1_796_000_000.0


def slot(court: int, hour: int = 18, minutes: int = 60) -> Slot:
    return Slot(court, DAY, time(hour), minutes)


def request(request_id: int, member_id: int | None = None) -> BookingRequest:
    return BookingRequest(member_id or request_id, DAY, (time(18),), 60, (), id=request_id)


def plans(wins: dict[int, int] | None = None) -> ReleasePlans:
    async def recent(members: Sequence[int]) -> dict[int, int]:
        return {m: n for m, n in (wins or {}).items() if m in members}

    return ReleasePlans(recent)


async def test_members_wanting_one_court_get_distinct_first_slots_in_their_own_order() -> None:
    plan = plans()
    for request_id in (1, 2, 3):
        plan.join(RELEASE, request(request_id), [slot(1), slot(2), slot(3)])
    one, two, three = [await plan.assignment(RELEASE, r) for r in (1, 2, 3)]
    assert [a.slots[0] for a in (one, two, three)] == [slot(1), slot(2), slot(3)]
    assert [a.choice for a in (one, two, three)] == [0, 1, 2]
    assert two.slots == (slot(2), slot(1), slot(3)), "the rest of the list follows, in the member's order"
    assert {one.wanting_first, two.wanting_first} == {3} and two.contested


async def test_whoever_won_fewest_contested_slots_lately_goes_first_then_who_asked_first() -> None:
    plan = plans(wins={1: 2, 2: 0, 3: 0})
    for request_id in (1, 2, 3):
        plan.join(RELEASE, request(request_id), [slot(1)])
    firsts = {r: (await plan.assignment(RELEASE, r)).choice for r in (1, 2, 3)}
    assert firsts == {2: 0, 3: None, 1: None}, "member 2 and 3 have no wins; 2 asked first"


async def test_members_whose_wishes_do_not_overlap_are_untouched() -> None:
    plan = plans()
    plan.join(RELEASE, request(1), [slot(1), slot(2)])
    plan.join(RELEASE, request(2), [slot(3, hour=19)])
    plan.join(RELEASE, request(3), [slot(4)])
    for request_id, first in ((1, slot(1)), (2, slot(3, hour=19)), (3, slot(4))):
        planned = await plan.assignment(RELEASE, request_id)
        assert (planned.slots[0], planned.choice, planned.contested) == (first, 0, False)


async def test_a_longer_booking_overlapping_a_claimed_slot_is_not_planned_on_top_of_it() -> None:
    plan = plans()
    plan.join(RELEASE, request(1), [slot(1, hour=18)])
    plan.join(RELEASE, request(2), [slot(1, hour=17, minutes=120), slot(2, hour=17, minutes=120)])
    assert (await plan.assignment(RELEASE, 2)).slots[0] == slot(2, hour=17, minutes=120)


def test_claims_keep_club_mates_off_each_others_slots_until_the_run_ends() -> None:
    claims = SlotClaims()
    assert claims.claim(1, slot(2)) is None and claims.claim(1, slot(2)) is None
    assert claims.claim(2, slot(2, minutes=120)) == 1
    assert claims.claim(2, slot(3)) is None
    claims.release(1)
    assert claims.claim(2, slot(2)) is None


CHOICES = st.lists(st.integers(1, 6), min_size=1, max_size=4, unique=True)


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], max_examples=60)
@given(st.lists(CHOICES, min_size=1, max_size=12), st.dictionaries(st.integers(1, 12), st.integers(0, 5)))
async def test_first_slots_never_collide_and_never_leave_a_members_list(
    wishes: list[list[int]], wins: dict[int, int]
) -> None:
    plan = plans(wins)
    for request_id, courts in enumerate(wishes, start=1):
        plan.join(RELEASE, request(request_id), [slot(c) for c in courts])
    assigned = [await plan.assignment(RELEASE, r) for r in range(1, len(wishes) + 1)]
    firsts = [a.slots[0] for a in assigned if a.choice is not None]
    assert not any(overlaps(a, b) for i, a in enumerate(firsts) for b in firsts[i + 1 :])
    for courts, planned in zip(wishes, assigned, strict=True):
        assert sorted(s.court for s in planned.slots) == sorted(courts)
    free_courts = {c for courts in wishes for c in courts}
    assert len(firsts) == min(len(wishes), len(free_courts)) or any(a.choice is None for a in assigned), (
        "a member left without a slot had every choice taken before them"
    )

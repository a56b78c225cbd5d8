"""Settling an unclear booking against the club's own records, before anything else is sent.

An answer that leaves the outcome unknown (5xx, timeout, a page we cannot read, a confirmation we cannot
find) may hide a booking that landed. Two readings settle it: the member's bookings as the club lists
them, and the slot itself. A booking found among the member's settles it as booked; a slot that is free,
or held by someone else as far as the site can tell, settles it as not booked. Anything else - the slot
booked but the site unable to say whose, or showing it as the member's while their list does not - stays
unclear, and nothing more may be sent for that slot window until it is settled: a booking the member's
list cannot see is still a booking.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from booking.models import BookingRequest
from booking.sites.base import Booking, CellState, SiteAdapter, Slot

#: states of the attempted slot that prove the attempt did not land
NOT_OURS = (CellState.FREE, CellState.BOOKED)


@dataclass(frozen=True)
class Settlement:
    booking: Booking | None = None  # found among the member's bookings
    unclear: bool = False  # neither found nor disproved
    #: attempted slots someone else holds (the rest are free)
    taken: frozenset[Slot] = field(default_factory=frozenset)


def matches(booking: Booking, request: BookingRequest) -> bool:
    """Whether a booking on the site fulfils the request."""
    slot = booking.slot
    return (
        slot.day == request.day
        and slot.start in request.times
        and slot.duration_min == request.duration_min
        and (not request.courts or slot.court in request.courts)
    )


async def settle(adapter: SiteAdapter, request: BookingRequest, slots: list[Slot]) -> Settlement:
    """What became of booking requests sent for `slots` (logged in as the member)."""
    for booking in await adapter.my_bookings():
        if matches(booking, request):
            return Settlement(booking=booking)
    if not slots:
        return Settlement()
    grid = await adapter.availability(request.day)
    states = {slot: grid.state(slot.court, slot.start) for slot in slots}
    if any(state not in NOT_OURS for state in states.values()):
        return Settlement(unclear=True)
    return Settlement(taken=frozenset(s for s, state in states.items() if state is CellState.BOOKED))

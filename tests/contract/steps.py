"""What the engine sends for one slot, and the slots the contract books, as the contract's tests share them."""

from __future__ import annotations

from datetime import date, time, timedelta

from booking.sites.base import Booking, SiteAdapter, Slot
from booking.sites.errors import SiteError
from tests.contract.driver import TODAY

#: two days ahead: released, and nobody's yet
DAY: date = TODAY + timedelta(days=2)


def slot(court: int, hour: int, day: date = DAY, minutes: int = 60) -> Slot:
    """A slot of the contract's club: an hour, unless it spans more."""
    return Slot(court, day, time(hour), minutes)


async def book(adapter: SiteAdapter, wanted: Slot) -> Booking:
    """One attempt as the engine makes it: prepare, then commit."""
    return await adapter.commit(await adapter.prepare(wanted))


async def outcome(adapter: SiteAdapter, wanted: Slot) -> Booking | SiteError:
    """An attempt's booking or its typed failure."""
    try:
        return await book(adapter, wanted)
    except SiteError as error:
        return error

"""The contract's driver for LibreBooking (sim/librebooking): one schedule of four courts, no lock between
check and insert. Run both ways clubs run it: with its API switched on, and off as LibreBooking ships (the
adapter's default, `auto`, finds out at login and uses the web pages)."""

from __future__ import annotations

from datetime import datetime

from booking.sites.base import Slot
from sim.librebooking import LibreBookingConfig, RunningLibreBooking
from tests.contract.driver import Driver, Held

#: long enough that two booking requests sent together both pass LibreBooking's checks before either is stored
RACE_WINDOW_MS = 300


class LibreBookingDriver(Driver[RunningLibreBooking]):
    platform = "librebooking"
    ways = ("api", "web")

    def club(self) -> LibreBookingConfig:
        return LibreBookingConfig(quota_per_day=None, api_enabled=self.way == "api")

    def courts(self) -> list[tuple[str, str]]:
        return [(str(rid), resource.name) for rid, resource in self.site.config.resources.items()]

    def seed(self, member: str, slot: Slot) -> None:
        self.site.state.book(member, int(self.site_id(slot.court)), slot.day, slot.start, slot.duration_min)

    def held(self) -> list[Held]:
        state = self.site.state
        held = []
        for reservation in state.bookings():
            start = state.local(reservation.start)
            minutes = (reservation.end - reservation.start) // 60
            slot = Slot(self.court(str(reservation.resource_id)), start.date(), start.time(), minutes)
            held.append(Held(reservation.reference, state.username(reservation.user_id) or "", slot))
        return held

    def release_instant(self, slot: Slot) -> datetime:
        site_id = int(self.site_id(slot.court))
        return self.site.release_instant(site_id, slot.day, slot.start, slot.duration_min)

    def limit_per_day(self, bookings: int) -> None:
        self.site.config.quota_per_day = bookings

    def race(self) -> bool:
        self.site.config.race_window_ms = RACE_WINDOW_MS
        return True

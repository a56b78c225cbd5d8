"""The contract's driver for democlub (sim/club): it locks, so there is no race to open."""

from __future__ import annotations

from datetime import datetime

from booking.sites.base import Slot
from sim.club import ClubConfig, RunningClub
from tests.contract.driver import Driver, Held

#: a per-member limit no contract test reaches: the contract's club has none until one is switched on
_UNLIMITED = 100


class DemoClubDriver(Driver[RunningClub]):
    platform = "democlub"

    def club(self) -> ClubConfig:
        return ClubConfig(max_per_day=_UNLIMITED, max_future=_UNLIMITED)

    def courts(self) -> list[tuple[str, str]]:
        return list(self.site.config.courts.items())

    def seed(self, member: str, slot: Slot) -> None:
        self.site.state.book(member, self.site_id(slot.court), slot.day, slot.start, slot.duration_min)

    def held(self) -> list[Held]:
        return [
            Held(
                b.reference,
                b.member,
                Slot(self.court(b.slot.court_id), b.slot.date, b.slot.time, b.slot.duration),
            )
            for b in self.site.state.bookings()
        ]

    def release_instant(self, slot: Slot) -> datetime:
        return self.site.release_instant(slot.day, slot.start, slot.duration_min)

    def limit_per_day(self, bookings: int) -> None:
        self.site.config.max_per_day = bookings

    def race(self) -> bool:
        return False  # a hold keeps everyone else off the slot from the first request on

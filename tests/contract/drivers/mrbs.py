"""The contract's driver for MRBS (sim/mrbs): one area of four rooms, no lock between check and insert."""

from __future__ import annotations

from datetime import datetime

from booking.sites.base import Slot
from sim.mrbs import MrbsConfig, RunningMrbs
from tests.contract.driver import Driver, Held

#: long enough that two booking requests sent together both pass MRBS's checks before either is stored
RACE_WINDOW_MS = 300


class MrbsDriver(Driver[RunningMrbs]):
    platform = "mrbs"

    def club(self) -> MrbsConfig:
        return MrbsConfig(max_per_day=None)

    def courts(self) -> list[tuple[str, str]]:
        [area] = self.site.config.areas.values()
        return [(str(room), name) for room, name in area.rooms.items()]

    def seed(self, member: str, slot: Slot) -> None:
        self.site.state.book(member, int(self.site_id(slot.court)), slot.day, slot.start, slot.duration_min)

    def held(self) -> list[Held]:
        state = self.site.state
        held = []
        for entry in state.bookings():
            start = state.local(entry.start)
            slot = Slot(
                self.court(str(entry.room_id)), start.date(), start.time(), (entry.end - entry.start) // 60
            )
            held.append(Held(str(entry.id), entry.create_by, slot))
        return held

    def release_instant(self, slot: Slot) -> datetime:
        return self.site.release_instant(slot.day, slot.start, slot.duration_min)

    def limit_per_day(self, bookings: int) -> None:
        self.site.config.max_per_day = bookings

    def race(self) -> bool:
        self.site.config.race_window_ms = RACE_WINDOW_MS
        return True

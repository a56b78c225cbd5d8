"""A day's grid as a member can book it now: the club's site shows what is free; whether a free slot is
released yet is the domain's to say, by the release rule it decided (booking.release.ReleaseChoice)."""

from __future__ import annotations

from datetime import datetime

from booking.release import to_utc
from booking.sites.base import CellState, ClubRules, DayGrid


def bookable_now(grid: DayGrid, rules: ClubRules, now: float) -> DayGrid:
    """`grid` with every slot that has begun, and every free one not released yet, closed."""
    assert rules.release is not None, "the club's rules, as the domain decided them"
    cells = {}
    for (court, start), state in grid.cells.items():
        begins = to_utc(datetime.combine(grid.day, start), rules.timezone).timestamp()
        opens = rules.release.release_instant(grid.day, start, rules.slot_minutes, rules.timezone)
        if begins <= now or (state is CellState.FREE and now < opens.timestamp()):
            state = CellState.CLOSED
        cells[(court, start)] = state
    return DayGrid(grid.day, cells)

"""What the club has free on a day, for a member choosing: the day's grid read once and shared for a short
while (so paging through the pickers, and club-mates choosing the same evening, cost the club one
request), and the free slots nearest a member's choices when those were all taken.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from booking import walltime
from booking.events import EventKind, ProgressEvent
from booking.models import BookingRequest
from booking.release import to_utc
from booking.sites.base import CellState, ClubRules, DayGrid, Slot
from booking.sites.errors import SiteError
from booking.timebase import Clock
from booking.validation import slot_starts

#: how long a day's grid is shown before it is read again (↻ reads it at once)
GRID_TTL_S = 30.0
#: free slots offered in place of taken ones
ALTERNATIVES = 4
#: how far from a wanted start an alternative may be
NEAR = timedelta(hours=1)


@dataclass(frozen=True)
class DayView:
    """A day's grid and when it was read (our clock, epoch seconds)."""

    grid: DayGrid
    read_at: float

    def free(self, court: int, start: time, duration_min: int, rules: ClubRules) -> bool:
        """Whether every cell the booking would cover is free."""
        minute = start.hour * 60 + start.minute
        covered = range(minute, minute + duration_min, rules.slot_minutes)
        return all(self.grid.state(court, time(m // 60, m % 60)) is CellState.FREE for m in covered)

    def full(self, starts: Sequence[time], courts: Sequence[int], rules: ClubRules) -> frozenset[time]:
        """Of `starts`, those at which no court is free for the club's shortest booking."""
        shortest = min(rules.durations)
        return frozenset(t for t in starts if not any(self.free(c, t, shortest, rules) for c in courts))

    def free_at(self, court: int, starts: Sequence[time], duration_min: int, rules: ClubRules) -> list[time]:
        """Of `starts`, those at which `court` is free for `duration_min`."""
        return [t for t in starts if self.free(court, t, duration_min, rules)]


class Availability:
    """Day grids shared by every member for GRID_TTL_S; a booking of ours (or a cancellation) forgets
    them, as it changes what is free. A read the club's site failed is not tried again within GRID_TTL_S
    either (the same error is raised at once), so a club that is down does not slow every press of a
    picker."""

    def __init__(self, clock: Clock, ttl_s: float = GRID_TTL_S) -> None:
        self._clock = clock
        self._ttl_s = ttl_s
        self._views: dict[date, DayView] = {}
        self._failures: dict[date, tuple[float, SiteError]] = {}
        self._locks: dict[date, asyncio.Lock] = {}

    async def view(
        self, day: date, read: Callable[[], Awaitable[DayGrid]], *, fresh: bool = False
    ) -> DayView:
        """The day's grid: the one read within GRID_TTL_S, or (`fresh`, or none) read now by `read`."""
        async with self._locks.setdefault(day, asyncio.Lock()):  # one read at a time per day
            now = self._clock.now()
            kept, failed = self._views.get(day), self._failures.get(day)
            if not fresh and kept is not None and now - kept.read_at < self._ttl_s:
                return kept
            if not fresh and failed is not None and now - failed[0] < self._ttl_s:
                raise failed[1]
            try:
                grid = await read()
            except SiteError as error:
                self._failures[day] = (now, error)
                raise
            self._failures.pop(day, None)
            view = self._views[day] = DayView(grid, self._clock.now())
            return view

    def on_event(self, event: ProgressEvent) -> None:
        if event.kind in (EventKind.BOOKED, EventKind.CANCELLED):
            self._views.clear()


def nearest_free(
    view: DayView, request: BookingRequest, rules: ClubRules, courts: Sequence[int], now: datetime
) -> list[Slot]:
    """Free slots to offer for a request whose choices were all taken: its times on the other courts,
    then an hour either side on any court; each one still ahead, at most ALTERNATIVES."""
    wanted = {(c, t) for t in request.times for c in (request.courts or courts)}
    grid = set(slot_starts(rules, request.duration_min))
    near = [_shifted(t, -NEAR) for t in request.times] + [_shifted(t, NEAR) for t in request.times]
    candidates = [(c, t) for t in request.times for c in courts]
    candidates += [(c, t) for t in near if t is not None and t in grid for c in courts]
    offered: list[Slot] = []
    for court, start in dict.fromkeys(candidates):
        if (court, start) in wanted or not walltime.exists(request.day, start, rules.timezone):
            continue
        if to_utc(datetime.combine(request.day, start), rules.timezone) <= now:
            continue
        if view.free(court, start, request.duration_min, rules):
            offered.append(Slot(court, request.day, start, request.duration_min))
        if len(offered) == ALTERNATIVES:
            break
    return offered


def _shifted(start: time, by: timedelta) -> time | None:
    """`start` moved by `by` on the same day (None past either end of it)."""
    minute = start.hour * 60 + start.minute + int(by.total_seconds() // 60)
    return time(minute // 60, minute % 60) if 0 <= minute < 24 * 60 else None

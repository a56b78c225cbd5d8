"""Club-mates never race each other.

Two of our members sent to one slot at one instant both lose on a site that locks (one wins, the other
falls back a round trip later, when outside players have taken the rest) and may both "win" on one that
does not (MRBS, LibreBooking: a double booking). So:

- `SlotClaims`: a slot one of our requests is trying (or has tried, in its run) is claimed by it; no other
  request of ours sends a booking request for a slot overlapping a claimed one.
- `ReleasePlans`: the requests that fire at one release instant are planned together before firing. In
  turn, by priority - whoever won fewest contested slots in the last 28 days, then whoever asked first -
  each takes the first slot of their list that nobody before them took: one round of first requests
  then covers as many courts as there are members and courts. A member's list is never left.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import time

from booking.models import BookingRequest
from booking.sites.base import Slot

#: how far back a contested win counts against a member
CONTEST_MEMORY_DAYS = 28


def _minutes(value: time) -> int:
    return value.hour * 60 + value.minute


def overlaps(a: Slot, b: Slot) -> bool:
    """Same court, same day, and the times intersect."""
    if (a.court, a.day) != (b.court, b.day):
        return False
    start_a, start_b = _minutes(a.start), _minutes(b.start)
    return start_a < start_b + b.duration_min and start_b < start_a + a.duration_min


class SlotClaims:
    """Which of our requests holds which slots, for as long as its run lasts."""

    def __init__(self) -> None:
        self._claims: dict[int, list[Slot]] = {}

    def claim(self, request_id: int, slot: Slot) -> int | None:
        """Claim `slot` for the request; the id of another request whose claim overlaps it, if any."""
        for other, slots in self._claims.items():
            if other != request_id and any(overlaps(slot, s) for s in slots):
                return other
        mine = self._claims.setdefault(request_id, [])
        if slot not in mine:
            mine.append(slot)
        return None

    def release(self, request_id: int) -> None:
        """The request's run is over: its slots are booked by it, or lost to someone else, or free."""
        self._claims.pop(request_id, None)


@dataclass(frozen=True)
class Assignment:
    """A member's place in a release's plan: their choices, the planned one first."""

    slots: tuple[Slot, ...]  # the member's own list, reordered: the planned first request leads
    #: the planned slot's place in the member's list (0: their first choice), None if every choice went
    #: to club-mates before them
    choice: int | None
    #: how many of our members wanted the member's first choice (1: only they did)
    wanting_first: int
    contested: bool  # whether the planned slot was wanted by another of our members too


@dataclass
class _Release:
    joined: dict[int, tuple[BookingRequest, tuple[Slot, ...]]] = field(default_factory=dict)
    assignments: dict[int, Assignment] | None = None
    wanted: Counter[Slot] = field(default_factory=Counter)  # how many of our members listed each slot
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


Wins = Callable[[Sequence[int]], Awaitable[dict[int, int]]]


class ReleasePlans:
    """One plan per release instant, made when the first of its runs asks (just before arming)."""

    def __init__(self, recent_wins: Wins) -> None:
        self._recent_wins = recent_wins
        self._releases: dict[float, _Release] = {}

    def join(self, release_s: float, request: BookingRequest, slots: Sequence[Slot]) -> None:
        assert request.id is not None
        self._releases.setdefault(release_s, _Release()).joined[request.id] = (request, tuple(slots))

    async def assignment(self, release_s: float, request_id: int) -> Assignment:
        release = self._releases[release_s]
        async with release.lock:
            if release.assignments is None:
                joined = list(release.joined.values())
                release.wanted = Counter(slot for _, slots in joined for slot in set(slots))
                release.assignments = await self._plan(joined, release.wanted)
        planned = release.assignments.get(request_id)
        if planned is None:  # joined after the plan was made: the claims sort it out as it goes
            _, slots = release.joined[request_id]
            return Assignment(slots, 0, 1, False)
        return planned

    def contested(self, release_s: float, slot: Slot) -> bool:
        """Whether another of our members wanted `slot` at this release (winning it counts against you)."""
        release = self._releases.get(release_s)
        return release is not None and release.wanted[slot] > 1

    def leave(self, release_s: float, request_id: int) -> None:
        release = self._releases.get(release_s)
        if release is None:
            return
        release.joined.pop(request_id, None)
        if not release.joined:
            del self._releases[release_s]

    async def _plan(
        self, joined: list[tuple[BookingRequest, tuple[Slot, ...]]], wanted: Counter[Slot]
    ) -> dict[int, Assignment]:
        wins = await self._recent_wins(sorted({request.member_id for request, _ in joined}))
        # Fewest recent contested wins first; then whoever asked first (request ids grow as they come).
        order = sorted(joined, key=lambda j: (wins.get(j[0].member_id, 0), j[0].id or 0))
        taken: list[Slot] = []
        plan: dict[int, Assignment] = {}
        for request, slots in order:
            assert request.id is not None
            choice = next(
                (i for i, slot in enumerate(slots) if not any(overlaps(slot, t) for t in taken)), None
            )
            first = slots[choice] if choice is not None else None
            if first is not None:
                taken.append(first)
            rest = tuple(s for s in slots if s != first)
            plan[request.id] = Assignment(
                slots=((first,) if first is not None else ()) + rest,
                choice=choice,
                wanting_first=wanted[slots[0]] if slots else 0,
                contested=first is not None and wanted[first] > 1,
            )
        return plan

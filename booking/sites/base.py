"""The one interface every booking platform's adapter implements.

Adapters speak in *our* court numbers (1, 2, ...) and translate to the site's ids themselves (COURT_MAP),
and in club-local dates and times; instants are UTC.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from booking.release import ReleaseRule


@dataclass(frozen=True)
class Court:
    number: int  # ours, as members say it
    site_id: str  # the site's own id
    name: str


@dataclass(frozen=True)
class Slot:
    court: int  # our court number
    day: date
    start: time
    duration_min: int


@dataclass(frozen=True)
class ClubRules:
    release: ReleaseRule
    timezone: ZoneInfo
    slot_minutes: int
    opens: time  # first slot start of a day
    closes: time  # last slot end of a day
    max_slots: int  # consecutive slots one booking may span
    max_per_day: int | None
    max_future: int | None
    partner_required: bool
    hold_before_open: bool  # whether prepare() works before the release instant

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(self.slot_minutes * n for n in range(1, self.max_slots + 1))


class CellState(StrEnum):
    FREE = "free"
    BOOKED = "booked"
    MINE = "mine"
    #: booked, but whose the site does not let us tell: perhaps the member's own (settling an unclear
    #: booking can only say "not ours" of FREE and BOOKED)
    UNSURE = "unsure"
    CLOSED = "closed"  # outside hours, in the past, or not released yet


@dataclass(frozen=True)
class DayGrid:
    day: date
    #: (our court number, slot start) -> state
    cells: dict[tuple[int, time], CellState]

    def state(self, court: int, start: time) -> CellState:
        return self.cells.get((court, start), CellState.CLOSED)


@dataclass(frozen=True)
class ClockSample:
    """The site's clock relative to ours: site_time = our_time + offset_s, known to within error_s.

    `rtt_s` is the median round trip; `min_rtt_s` the floor the bounds assume (each way takes at least
    half of it), which also says how soon a request can arrive.
    """

    offset_s: float
    error_s: float
    rtt_s: float
    probes: int
    min_rtt_s: float = 0.0


@dataclass(frozen=True)
class Prepared:
    """What commit() needs: the slot plus the site's token/hold/intent (opaque to the engine)."""

    slot: Slot
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Booking:
    reference: str
    slot: Slot


class ArmedPrepare(Protocol):
    """prepare()'s first request, built and connected in advance (see SiteAdapter.arm)."""

    def fire(self) -> None:
        """Send it now; synchronous, so one gate can fire hundreds back to back."""

    async def prepared(self) -> Prepared:
        """Its outcome, with exactly the errors prepare() would raise (never a re-login)."""

    def close(self) -> None: ...


class SiteAdapter(ABC):
    """One member's conversation with one club site (one HTTP session per member)."""

    @abstractmethod
    async def login(self, username: str, password: str) -> None:
        """Raises LoginFailed on bad credentials."""

    @abstractmethod
    async def rules(self) -> ClubRules: ...

    @abstractmethod
    async def server_clock(self) -> ClockSample: ...

    @abstractmethod
    async def courts(self) -> list[Court]: ...

    @abstractmethod
    async def availability(self, day: date) -> DayGrid: ...

    @abstractmethod
    async def prepare(self, slot: Slot, partner: str | None = None) -> Prepared:
        """Everything short of commitment: token, hold or payment intent."""

    async def arm(self, slot: Slot, partner: str | None = None) -> ArmedPrepare | None:
        """prepare(slot) made ready to fire at a release instant; None where a site cannot."""
        return None

    @abstractmethod
    async def commit(self, prepared: Prepared) -> Booking:
        """Book it, sending the booking request once (never retried here). SessionExpired promises the
        booking certainly did not happen and that the adapter has logged in again (it owns its session:
        one login per lost session), so the engine only prepares and commits again; when the outcome is
        unclear, raise TemporarilyUnavailable or PageNotUnderstood instead, and the engine settles it
        against the club's records before anything else."""

    @abstractmethod
    async def my_bookings(self) -> list[Booking]: ...

    @abstractmethod
    async def cancel(self, reference: str) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> SiteAdapter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def release_instant(rules: ClubRules, slot: Slot) -> datetime:
    return rules.release.release_instant(slot.day, slot.start, slot.duration_min, rules.timezone)


@dataclass(frozen=True)
class SiteConfig:
    """How to reach one club: what an adapter factory is given."""

    base_url: str
    #: our court number -> the site's court id (COURT_MAP); None: the adapter's own list
    court_map: dict[int, str] | None = None
    timeout_s: float = 10.0
    #: how long measuring the site's clock may take: a jittery path uses it all, a steady one ends sooner
    clock_budget_s: float = 6.0
    #: platform-specific settings (e.g. MRBS_AREA)
    extra: dict[str, str] = field(default_factory=dict)

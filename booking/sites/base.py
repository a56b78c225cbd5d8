"""The one interface every booking platform's adapter implements (its obligations are in the
docstrings below; tests/contract checks every registered platform against them).

Adapters speak in *our* court numbers (1, 2, ...) and translate to the site's ids themselves (COURT_MAP),
and in club-local dates and times; instants are UTC. Every failure is one of booking.sites.errors; a page
or answer the adapter cannot read is PageNotUnderstood, never a success.
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
    #: the release rule the club's site publishes (None: it publishes none); the domain decides the one
    #: it books by (booking.release.ReleaseChoice), and the Club it hands around carries that one
    release: ReleaseRule | None
    timezone: ZoneInfo
    slot_minutes: int
    opens: time  # first slot start of a day
    closes: time  # last slot end of a day
    max_slots: int  # consecutive slots one booking may span
    max_per_day: int | None
    max_future: int | None
    partner_required: bool
    #: whether prepare() may take its hold before the release instant (then the engine prepares early
    #: and sends only the commit at the instant); a site that books in one request has no hold: False
    hold_before_open: bool

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
    #: read back from a site that does not lock, the slot also shows someone else's booking
    double: bool = False


class ArmedPrepare(Protocol):
    """The first request at a release instant, built and connected in advance (see SiteAdapter.arm)."""

    def fire(self) -> None:
        """Send it now; synchronous, so one gate can fire hundreds back to back."""

    async def prepared(self) -> Prepared:
        """What commit() needs next, with exactly the errors prepare() would raise (never a re-login).

        Where booking is one request and the armed request is that booking, this is the prepared booking
        carrying the club's answer, which commit() then reads instead of sending (its errors included)."""

    def close(self) -> None: ...


class SiteAdapter(ABC):
    """One member's conversation with one club site (one HTTP session per member)."""

    @abstractmethod
    async def login(self, username: str, password: str) -> None:
        """Log in as the member, keeping the login (in memory only) for one later re-login. Raises
        LoginFailed, worded by us, never the club's words (some clubs echo the password)."""

    @abstractmethod
    async def rules(self) -> ClubRules:
        """The club's rules as its site shows them. Works logged out where the site is public; a private
        site raises LoginRequired until logged in. `release` is what the site publishes, or None."""

    @abstractmethod
    async def server_clock(self) -> ClockSample:
        """The site's clock against ours from its `Date` header; works logged out and starts no session
        the member needs."""

    @abstractmethod
    async def courts(self) -> list[Court]:
        """Our courts (COURT_MAP, else the site's in its order, numbered from 1); logged out as rules()."""

    @abstractmethod
    async def availability(self, day: date) -> DayGrid:
        """Each of our courts' slots of `day` as the site shows it: FREE, BOOKED (certainly someone
        else's), MINE (certainly the member's), UNSURE (booked, whose unknown) or CLOSED (outside the
        club's hours or already begun). Whether a free slot is released yet is not the adapter's to say
        (booking.grid). Logged out, nothing is MINE."""

    @abstractmethod
    async def prepare(self, slot: Slot, partner: str | None = None) -> Prepared:
        """Everything short of commitment: token, hold or payment intent. Requires a login (SessionExpired
        before one); logs in again by itself, once, if the session lapsed."""

    async def arm(self, slot: Slot, partner: str | None = None) -> ArmedPrepare | None:
        """The slot's first request made ready to fire at a release instant: prepare()'s (a hold), or,
        where booking is one request, commit()'s (see ArmedPrepare.prepared); None where a site cannot."""
        return None

    @abstractmethod
    async def commit(self, prepared: Prepared) -> Booking:
        """Book it, sending the booking request once (never retried here). SessionExpired promises the
        booking certainly did not happen and that the adapter has logged in again (it owns its session:
        one login per lost session), so the engine only prepares and commits again; when the outcome is
        unclear, raise TemporarilyUnavailable or PageNotUnderstood instead, and the engine settles it
        against the club's records before anything else."""

    @abstractmethod
    async def my_bookings(self) -> list[Booking]:
        """Only the member's own bookings (judged by who made them, never by what the member may edit),
        only upcoming ones, in time order. What settles an unclear booking: it must see every one the
        site holds for the member."""

    @abstractmethod
    async def cancel(self, reference: str) -> None:
        """Cancel one of the member's bookings; InvalidRequest for one that is not theirs or is gone."""

    @abstractmethod
    async def close(self) -> None:
        """Release the HTTP session; the adapter is not used again."""

    async def __aenter__(self) -> SiteAdapter:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


def release_instant(rules: ClubRules, slot: Slot) -> datetime:
    """When `slot` opens, by the rule the domain decided (rules from a booking.club.Club)."""
    assert rules.release is not None, "the club's rules, as the domain decided them"
    return rules.release.release_instant(slot.day, slot.start, slot.duration_min, rules.timezone)


@dataclass(frozen=True)
class SiteConfig:
    """How to reach one club: what an adapter factory is given."""

    base_url: str
    #: our court number -> the site's court id (COURT_MAP); None: the adapter's own list
    court_map: dict[int, str] | None = None
    timeout_s: float = 10.0
    #: how long measuring the site's clock may take: a jittery path uses it all, a steady one ends sooner
    clock_budget_s: float = 16.0
    #: the club's time zone (CLUB_TIMEZONE), for sites that show times without one
    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/London"))
    #: the platform's own settings by their keys (each platform's `Platform.settings`), already checked
    extra: dict[str, str] = field(default_factory=dict)

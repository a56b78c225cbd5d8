"""What the contract needs of a platform's stand-in: a driver, one per platform (tests/contract/drivers).

Every driver sets up the same club, so one contract can speak of it: four courts (the site's own ids and
names), 60-minute slots from 07:00 to 22:00 Europe/London, a release window of a week, members `alice`
and `bob` (passwords `alice-pass`, `bob-pass`), no per-member limit until `limit_per_day`, and no fault
until one is switched on. The stand-in's clock and the adapters' both read NOON when it starts, and run
on in real time.

The driver starts the stand-in its platform's record names (`Platform.standin`), builds adapters with
the platform's own adapter class, and reaches into the stand-in's Python control API for the rest:
seeding another member's booking, reading what the club holds, switching a rule or a fault on.
"""

from __future__ import annotations

import importlib
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, ClassVar, Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from booking.sites.base import SiteAdapter, SiteConfig, Slot
from booking.sites.platform import RunningStandin
from booking.sites.registry import platform
from booking.timebase import SystemClock

LONDON = ZoneInfo("Europe/London")
#: what the stand-in's clock and the adapters' read when it starts: Wednesday 10 June 2026, 12:00 (BST)
NOON = datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)
TODAY: date = NOON.date()


class ContractStandin(RunningStandin, Protocol):
    """A stand-in as the contract drives it: its settings and, beside them, its state."""

    @property
    def state(self) -> Any: ...


S = TypeVar("S", bound=ContractStandin)


@dataclass(frozen=True)
class Held:
    """A booking as the club's own records hold it, in our court numbers."""

    reference: str
    member: str
    slot: Slot


class Driver(ABC, Generic[S]):
    """One platform's stand-in, running as the contract's club, and adapters for its members."""

    #: the platform's name in booking.sites.registry.PLATFORMS
    platform: ClassVar[str]
    #: the ways clubs run the platform that differ to its adapter, the contract run over each ("": one way)
    ways: ClassVar[tuple[str, ...]] = ("",)

    def __init__(self, way: str = "") -> None:
        self.way = way
        self._shift = 0.0  # what both clocks add to real time to read NOON at the start
        self._adapters: list[SiteAdapter] = []
        self._site: S | None = None

    @property
    def site(self) -> S:
        assert self._site is not None, "the stand-in is started first"
        return self._site

    async def start(self) -> None:
        """Serve the stand-in on loopback as the contract's club, its clock and the adapters' at NOON."""
        module, _, function = platform(self.platform).standin.partition(":")
        self._site = await getattr(importlib.import_module(module), function)(self.club())
        self._shift = NOON.timestamp() - time.time()
        self.shift_clock(0.0)

    async def stop(self) -> None:
        for adapter in self._adapters:
            await adapter.close()
        await self.site.stop()

    def adapter(self, court_map: dict[int, str] | None = None) -> SiteAdapter:
        """A new adapter (one member's session) on the stand-in, with the platform's adapter class."""
        config = SiteConfig(
            self.site.url,
            court_map=court_map,
            timeout_s=5.0,
            clock_budget_s=2.0,
            timezone=LONDON,
        )
        adapter = platform(self.platform).adapter(config, SystemClock(self._shift))
        self._adapters.append(adapter)
        return adapter

    def shift_clock(self, ahead_s: float) -> None:
        """Set the stand-in's clock `ahead_s` seconds ahead of the adapters' (every stand-in keeps its
        clock as real time plus `config.clock_offset_s`)."""
        self.site.config.clock_offset_s = self._shift + ahead_s

    def site_id(self, court: int) -> str:
        """The site's id of our court number (the club's courts numbered from 1 in its order)."""
        return self.courts()[court - 1][0]

    def court(self, site_id: str) -> int:
        """Our number of the site's court."""
        return [sid for sid, _ in self.courts()].index(site_id) + 1

    @abstractmethod
    def club(self) -> Any:
        """The stand-in's settings for the contract's club run this driver's way (what its `standin`
        function is started with)."""

    @abstractmethod
    def courts(self) -> list[tuple[str, str]]:
        """The club's courts as its site lists them, (site id, name), in the site's order."""

    @abstractmethod
    def seed(self, member: str, slot: Slot) -> None:
        """Book `slot` for `member` straight into the club's records, bypassing every rule."""

    @abstractmethod
    def held(self) -> list[Held]:
        """Every booking the club holds, whoever made it."""

    @abstractmethod
    def release_instant(self, slot: Slot) -> datetime:
        """When the club starts taking a booking of `slot` (UTC)."""

    @abstractmethod
    def limit_per_day(self, bookings: int) -> None:
        """Switch the club's limit on: a member holds at most `bookings` bookings on one day."""

    # Every stand-in has these three switches and counts alike (`commit_store_then_fail`, sim.control's
    # expire_sessions, the accepted logins); a driver whose stand-in differs overrides them.

    def lose_next_answer(self) -> None:
        """The club stores the next booking it takes, then answers it with a server error."""
        self.site.config.commit_store_then_fail = 1

    def expire_sessions(self) -> None:
        """End every member's session at the club, as an idle timeout does."""
        self.site.state.expire_sessions()

    def logins(self) -> int:
        """How many logins the club has accepted since it started."""
        return len(self.site.state.logins)

    @abstractmethod
    def race(self) -> bool:
        """Open the club's window between checking a booking and storing it, as the real platform's is
        under a multi-worker server; False where the platform locks (it has no such window)."""

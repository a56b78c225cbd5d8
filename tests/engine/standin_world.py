"""The booking engine over real HTTP against a platform's stand-in in this process (MRBS, LibreBooking):
one world for every platform but democlub's (tests/engine/harness.py has that one, with its delay paths).

Both clocks (the service's and the stand-in's) are real time plus the same shift, chosen so the release
instant is LEAD_S seconds away, as in tests/engine/harness.py.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Generic, Protocol, TypeVar
from zoneinfo import ZoneInfo

from booking.events import EventKind, ProgressEvent
from booking.models import Access, BookingRequest, Credentials, Member
from booking.release import ReleaseChoice
from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.registry import create_adapter, platform
from booking.timebase import SystemClock
from storage import Storage
from tests.engine.harness import FAST_POLICY, QUICK_CLOCK_S

#: how long before the release instant the world starts: enough for the clock estimate and a login
LEAD_S = 2.6


class Standin(Protocol):
    url: str

    async def stop(self) -> None: ...


S = TypeVar("S", bound=Standin)


@dataclass
class StandinWorld(Generic[S]):
    server: S
    storage: Storage
    service: BookingService
    clock: SystemClock
    zone: ZoneInfo
    events: list[ProgressEvent] = field(default_factory=list)
    finals: dict[int, asyncio.Event] = field(default_factory=dict)

    async def member(self, telegram_id: int, username: str = "alice") -> int:
        await self.storage.members.upsert(Member(telegram_id, username.title(), access=Access.ALLOWED))
        await self.storage.credentials.save(telegram_id, Credentials(username, f"{username}-pass"))
        return telegram_id

    def record(self, event: ProgressEvent) -> None:
        self.events.append(event)
        if event.kind.is_final:
            self.finals.setdefault(event.request_id, asyncio.Event()).set()

    async def event(
        self, request_id: int, kind: EventKind, outcome: str | None = None, within: float = 8.0
    ) -> ProgressEvent:
        """The first event of `kind` (and `outcome`, if given) for the request, waiting for it."""
        async with asyncio.timeout(within):
            while True:
                for event in self.events:
                    if (event.request_id, event.kind) == (request_id, kind) and outcome in (
                        None,
                        event.outcome,
                    ):
                        return event
                await asyncio.sleep(0.02)

    async def finished(self, request_id: int, within: float = 8.0) -> BookingRequest:
        async with asyncio.timeout(within):
            await self.finals.setdefault(request_id, asyncio.Event()).wait()
        request = await self.storage.requests.get(request_id)
        assert request is not None
        return request

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock.now(), self.zone).date()


@asynccontextmanager
async def standin_world(
    tmp_path: Path,
    key: str,
    name: str,
    start: Callable[[float], Awaitable[S]],
    release: datetime | None = None,
    extra: dict[str, str] | None = None,
) -> AsyncIterator[StandinWorld[S]]:
    """The platform `name` with its stand-in from `start(clock_offset_s)`; with `release`, both clocks read
    LEAD_S seconds before it. `extra`: the platform's own settings."""
    shift = release.timestamp() - LEAD_S - time.time() if release else 0.0
    clock = SystemClock(shift)
    server = await start(shift)
    storage = await Storage.open(tmp_path, (key,))
    config = SiteConfig(base_url=server.url, timeout_s=5.0, clock_budget_s=QUICK_CLOCK_S, extra=extra or {})
    service = BookingService(
        storage,
        lambda: create_adapter(name, config, clock),
        clock,
        policy=FAST_POLICY,
        release=ReleaseChoice(fallback=platform(name).fallback_release),
    )
    world = StandinWorld(server, storage, service, clock, config.timezone)
    service.bus.listen(world.record)
    await service.start()
    try:
        yield world
    finally:
        await service.stop()
        await storage.close()
        await server.stop()

"""One release at a stand-in, run by courtbot's engine or by the baseline member, on shifted clocks.

Our clock and the stand-in's are shifted so that the release is seconds away, the stand-in's 730 ms ahead
of ours (courtbot must measure it); the stand-in starts each run afresh (its bookings and arrivals
forgotten) with its garbage collector quiet from just before the release to a few seconds after it.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bench.sites import MINUTES, START, members
from bench.standin import Standin
from booking.events import EventKind
from booking.models import Access, Credentials, Member
from booking.release import ReleaseChoice
from booking.run import Policy
from booking.service import BookingService
from booking.sites.base import SiteConfig, Slot
from booking.sites.registry import create_adapter, platform
from booking.timebase import SystemClock
from storage import Storage
from storage.crypto import new_key

CLUB_OFFSET_S = 0.730
#: garbage collection is off at the stand-in from this long before the release until this long after
QUIET_BEFORE_S, QUIET_AFTER_S = 2.0, 5.0


@dataclass(frozen=True)
class Release:
    clock: SystemClock  # ours, shifted; the stand-in's reads 730 ms more
    at: datetime  # the release instant (UTC, the stand-in's clock)
    day: date  # the day of the slots it releases

    @property
    def at_s(self) -> float:
        return self.at.timestamp()


class Releases:
    """A fresh day for every run, so that no run's bookings or limits meet another's."""

    def __init__(self) -> None:
        self._days_ahead = 7

    async def next(self, standin: Standin, lead_s: float) -> Release:
        """Reset the stand-in and shift both clocks so that its next release of START is `lead_s` away."""
        self._days_ahead += 1
        day = datetime.now(UTC).date() + timedelta(days=self._days_ahead)
        at = standin.site.release(standin.courts, day, START)
        shift = at.timestamp() - lead_s - time.time()
        await standin.call("POST", "/_sim/reset")
        await standin.call("POST", "/_sim/clock", {"offset_s": shift + CLUB_OFFSET_S})
        window = {"from": at.timestamp() - QUIET_BEFORE_S, "until": at.timestamp() + QUIET_AFTER_S}
        await standin.call("POST", "/_sim/gc-quiet", window)
        return Release(SystemClock(shift), at, day)


def lead_s(policy: Policy) -> float:
    """How long before the release a run starts: the warm-up (clock, logins) and two seconds more."""
    return policy.warmup_s + 2.0


async def engine_run(
    standin: Standin, site_url: str, wants: Sequence[tuple[int, ...]], policy: Policy, release: Release
) -> int:
    """Member i (from 0) asks courtbot for START on `wants[i]`'s courts in that order (empty: any), all
    before the warm-up begins; how many were booked once every request has ended."""
    n = len(wants)
    with tempfile.TemporaryDirectory() as data:
        storage = await Storage.open(Path(data), (new_key(),))
        config = SiteConfig(base_url=site_url, timeout_s=30)
        service = BookingService(
            storage,
            lambda: create_adapter(standin.site.name, config, release.clock),
            release.clock,
            policy=policy,
            # as the bot decides it: what the site publishes, else the platform's own rule
            release=ReleaseChoice(fallback=platform(standin.site.name).fallback_release),
        )
        done = asyncio.Event()
        finished: list[EventKind] = []

        def on_event(event: Any) -> None:
            if event.kind.is_final:
                finished.append(event.kind)
                if len(finished) == n:
                    done.set()

        service.bus.listen(on_event)
        await service.start()
        try:
            for i, ((username, password), courts) in enumerate(zip(members(n).items(), wants, strict=True)):
                await storage.members.upsert(Member(i + 1, username, access=Access.ALLOWED))
                await storage.credentials.save(i + 1, Credentials(username, password))
                await service.submit(i + 1, release.day, (START,), MINUTES, courts)
            await asyncio.wait_for(done.wait(), lead_s(policy) + 60)
        finally:
            await service.stop()
            await storage.close()
    return finished.count(EventKind.BOOKED)


async def baseline_run(standin: Standin, site_url: str, n: int, release: Release) -> int:
    """Member i, without courtbot, at the release by their own clock: log in, open the booking form and
    book court i + 1, once; how many were booked."""
    booked, ended = 0, 0
    all_ended = asyncio.Event()
    config = SiteConfig(base_url=site_url, timeout_s=30)

    async def book(i: int, username: str, password: str) -> None:
        nonlocal booked, ended
        adapter = create_adapter(standin.site.name, config, release.clock)
        try:
            await adapter.login(username, password)
            prepared = await adapter.prepare(Slot(i + 1, release.day, START, MINUTES))
            await adapter.commit(prepared)
            booked += 1
        except Exception as error:  # the baseline reports what it got, it does not retry
            print(f"  baseline {username}: {type(error).__name__}", file=sys.stderr)
        finally:
            await adapter.close()
            ended += 1
            if ended == n:
                all_ended.set()

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start()
    local_release = datetime.fromtimestamp(release.at_s - release.clock.shift_s, UTC)
    for i, (username, password) in enumerate(members(n).items()):
        scheduler.add_job(
            book, "date", run_date=local_release, args=[i, username, password], misfire_grace_time=None
        )
    await asyncio.wait_for(all_ended.wait(), 60)
    scheduler.shutdown(wait=False)
    return booked

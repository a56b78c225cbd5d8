"""Run the engine over an existing data dir until killed (the crash-safety test's victim)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.registry import create_adapter
from booking.timebase import SystemClock
from storage import Storage
from tests.engine.harness import FAST_POLICY, QUICK_CLOCK_S


async def main(data_dir: str, key: str, club_url: str) -> None:
    clock = SystemClock()
    storage = await Storage.open(Path(data_dir), (key,))
    service = BookingService(
        storage,
        lambda: create_adapter(
            "democlub", SiteConfig(base_url=club_url, clock_budget_s=QUICK_CLOCK_S), clock
        ),
        clock,
        policy=FAST_POLICY,
    )
    await service.start()
    print("started", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))

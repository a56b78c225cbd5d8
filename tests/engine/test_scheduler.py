"""Housekeeping jobs are awaited on the event loop, however they are given (a lambda returning a
coroutine, as bot.app gives the daily prune)."""

from __future__ import annotations

import asyncio

from booking.scheduler import ReleaseScheduler
from booking.timebase import SystemClock


async def test_every_and_once_await_their_jobs() -> None:
    clock = SystemClock()
    scheduler = ReleaseScheduler(clock)
    ran: list[str] = []
    twice, once = asyncio.Event(), asyncio.Event()

    async def chore(name: str, done: asyncio.Event) -> None:
        ran.append(name)
        if name == "once" or ran.count(name) == 2:
            done.set()

    scheduler.start()
    try:
        scheduler.every(0.05, lambda: chore("every", twice), "tick")
        scheduler.once(clock.now() + 0.05, lambda: chore("once", once), "later")
        async with asyncio.timeout(3):
            await twice.wait()
            await once.wait()
    finally:
        scheduler.shutdown()
    assert ran.count("once") == 1 and ran.count("every") >= 2

"""Where "now" comes from.

Everything time-critical asks a `Clock` rather than `time.time()`, so tests can shift the whole world
(engine and simulated club alike) to a few seconds before a release instant and still run in real time.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch (UTC) on this clock."""

    async def sleep_until(self, instant: float) -> None:
        """Return at `instant` on this clock, as precisely as the event loop allows."""


class SystemClock:
    """The host clock, optionally shifted by a fixed number of seconds."""

    def __init__(self, shift_s: float = 0.0) -> None:
        self.shift_s = shift_s

    def now(self) -> float:
        return time.time() + self.shift_s

    def now_dt(self) -> datetime:
        return datetime.fromtimestamp(self.now(), UTC)

    async def sleep_until(self, instant: float) -> None:
        # Coarse sleep to ~20 ms before, then short sleeps: asyncio's timer is good to ~1 ms, and
        # the final approach absorbs any drift of a long wait.
        while True:
            remaining = instant - self.now()
            if remaining <= 0:
                return
            if remaining > 0.05:
                await asyncio.sleep(remaining - 0.02)
            elif remaining > 0.002:
                await asyncio.sleep(remaining / 2)
            else:
                # The last ~2 ms: yield to the loop without handing the timer more slack.
                await asyncio.sleep(0)

"""One clock estimate per club site, shared by every member's warm-up.

The site's clock is the same for all members, and a few hundred concurrent estimates would only disturb
each other's timing; so the first warm-up measures and the rest reuse it while it is fresh.
"""

from __future__ import annotations

import asyncio

from booking.sites.base import ClockSample, SiteAdapter
from booking.timebase import Clock


class SharedClockEstimate:
    def __init__(self, clock: Clock, max_age_s: float = 60.0) -> None:
        self._clock = clock
        self._max_age_s = max_age_s
        self._lock = asyncio.Lock()
        self._sample: ClockSample | None = None
        self._taken_at = 0.0

    async def get(self, adapter: SiteAdapter) -> ClockSample:
        async with self._lock:
            if self._sample is None or self._clock.now() - self._taken_at > self._max_age_s:
                self._sample = await adapter.server_clock()
                self._taken_at = self._clock.now()
            return self._sample

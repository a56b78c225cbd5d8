"""Fire gates: one precise timer per fire instant, shared by every run due then.

Two hundred members firing at 07:00:00 must not each spin their own final approach on a 2-core machine;
one timer opens an `asyncio.Event` and all waiting runs go at once, in the order they queued.
"""

from __future__ import annotations

import asyncio

from booking.timebase import Clock


class FireGates:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._gates: dict[float, asyncio.Event] = {}
        self._timers: set[asyncio.Task[None]] = set()

    async def wait(self, instant: float) -> None:
        """Return at `instant` (on the clock), together with every other run waiting for it."""
        key = round(instant, 3)
        gate = self._gates.get(key)
        if gate is None:
            gate = self._gates[key] = asyncio.Event()
            timer = asyncio.create_task(self._open_at(key, gate))
            self._timers.add(timer)
            timer.add_done_callback(self._timers.discard)
        await gate.wait()

    async def _open_at(self, key: float, gate: asyncio.Event) -> None:
        try:
            await self._clock.sleep_until(key)
        finally:
            self._gates.pop(key, None)
            gate.set()

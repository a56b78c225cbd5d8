"""Fire gates: one precise timer per fire instant, shared by every run due then.

Two hundred members firing at 07:00:00 must not each spin their own final approach on a 2-core machine;
one timer wakes, sends every armed request in one tight loop, then opens an `asyncio.Event` so the
waiting runs carry on (reading their answers, or sending through the ordinary path) in queue order.

Python's garbage collector can stop the process for tens of milliseconds at any allocation; from the
moment a gate is set until its requests are out, it is kept off (and what exists is frozen, so the
collection that follows skips it).
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from booking.timebase import Clock

log = logging.getLogger(__name__)

Fire = Callable[[], None]


@dataclass
class _Gate:
    at: float  # the latest instant of the runs sharing it
    opened: asyncio.Event = field(default_factory=asyncio.Event)
    fires: list[Fire] = field(default_factory=list)


class FireGates:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._gates: dict[float, _Gate] = {}
        self._timers: set[asyncio.Task[None]] = set()

    async def wait(self, instant: float, fire: Fire | None = None) -> None:
        """Return at `instant` (on the clock) with every other run waiting for it; `fire` is called first.

        Runs due within the same millisecond share one gate, which opens at the latest of their instants:
        never before any of them.
        """
        key = round(instant, 3)
        gate = self._gates.get(key)
        if gate is None:
            if not self._gates:
                gc.freeze()
                gc.disable()
            gate = self._gates[key] = _Gate(instant)
            timer = asyncio.create_task(self._open_at(key, gate))
            self._timers.add(timer)
            timer.add_done_callback(self._timers.discard)
        gate.at = max(gate.at, instant)
        if fire is not None:
            gate.fires.append(fire)
        await gate.opened.wait()

    async def _open_at(self, key: float, gate: _Gate) -> None:
        try:
            while self._clock.now() < gate.at:  # a run joining later may have moved it on
                await self._clock.sleep_until(gate.at)
        finally:
            self._gates.pop(key, None)
            for fire in gate.fires:
                try:
                    fire()
                except Exception:  # one member's broken connection must not hold back the rest
                    log.exception("an armed request could not be sent")
            if not self._gates:
                gc.enable()
                gc.unfreeze()
            gate.opened.set()

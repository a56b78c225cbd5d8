"""Fire gates: one timer for all runs due at an instant, never opening before any of them."""

from __future__ import annotations

import asyncio
import math

from booking.gate import FireGates
from booking.timebase import SystemClock


async def test_runs_due_within_a_millisecond_fire_together_at_the_latest_of_their_instants() -> None:
    clock = SystemClock()
    gates = FireGates(clock)
    millisecond = math.floor((clock.now() + 0.05) * 1000) / 1000
    early, late = millisecond + 0.0001, millisecond + 0.0004
    fired: list[float] = []
    await asyncio.gather(
        gates.wait(early, lambda: fired.append(clock.now())),
        gates.wait(late, lambda: fired.append(clock.now())),
    )
    assert len(fired) == 2
    assert min(fired) >= late
    assert max(fired) - min(fired) < 0.001  # one loop of writes, not two timers

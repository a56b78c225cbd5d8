"""How far a site's clock is from ours, from the whole-second HTTP `Date` header.

A probe sent at t_send and answered at t_recv carrying the server's second S was stamped somewhere in
[t_send, t_recv], so offset = server - local lies in [S - t_recv, S + 1 - t_send]. Intersecting probes
narrows that interval; the useful probes are the ones the server handles right at its tick (when S
changes), because they cut the interval where it is still uncertain.

A tick comes once a second, and a probe after the tick says nothing about instants before it, so a pure
one-probe-per-tick bisection costs about a second per halving. Instead each tick is *swept*: n probes
spread evenly over the window where the tick can fall, sent one after another, stopping at the first
one that lands after the tick. That cuts the window n+1 ways per tick. The first pass, with no phase
known at all, sweeps one whole second. With the default 20 probes this gives a few milliseconds in two
ticks (about 1.5 s on average): sweep 1 s in ~100 ms steps, then the next tick in ~7 ms steps.
"""

from __future__ import annotations

import math
import statistics
from collections import deque
from collections.abc import Awaitable, Callable

from booking.sites.base import ClockSample
from booking.sites.errors import SiteError, TemporarilyUnavailable
from booking.timebase import Clock

#: One cheap request: (t_send, t_recv, server's whole second), t_* from the caller's clock.
Probe = Callable[[], Awaitable[tuple[float, float, int]]]

#: Lead time when planning a tick window, so the first planned probe is not already late.
_LEAD_S = 0.005


async def estimate_offset(
    probe: Probe,
    clock: Clock,
    *,
    max_probes: int = 20,
    time_budget_s: float = 2.0,
    min_width_s: float = 0.002,
    max_failures_in_a_row: int = 3,
) -> ClockSample:
    """Estimate server − local from `probe`s until the bounds are narrower than 2·RTT + `min_width_s`.

    Stops early at `max_probes` (failed probes count), after `max_failures_in_a_row` failed probes, or
    when no new tick window starts within `time_budget_s`; a window already begun is finished. Failed
    probes (any `SiteError`) are skipped; bounds that contradict each other (the server's clock jumped)
    restart from the latest probe. Raises the last probe error if no probe answered.
    """
    lo, hi = -math.inf, math.inf
    rtts: list[float] = []
    plan: deque[float] = deque()  # local instants at which the server should handle the next probes
    made = failures = 0
    last_error: SiteError | None = None
    deadline = clock.now() + time_budget_s
    sweep_probes = max(2, max_probes // 2)

    while made < max_probes:
        rtt = statistics.median(rtts) if rtts else 0.0
        if rtts and hi - lo <= 2 * rtt + min_width_s:
            break
        while plan and not _informative(plan[0], lo, hi):
            plan.popleft()
        if not plan:
            now = clock.now()
            if hi - lo >= 1.0:
                # No phase known: sweep one second from now.
                plan.extend(now + i / sweep_probes for i in range(sweep_probes))
            else:
                window = _next_window(lo, hi, now + rtt / 2 + _LEAD_S, rtt)
                if window[0] > deadline:
                    break
                plan.extend(_sweep(window, rtt, min_width_s, max_probes - made))
        target = plan.popleft()
        await clock.sleep_until(target - rtt / 2)
        made += 1
        try:
            t_send, t_recv, second = await probe()
        except SiteError as exc:
            last_error, failures = exc, failures + 1
            if failures >= max_failures_in_a_row:
                break
            continue
        failures = 0
        rtts.append(t_recv - t_send)
        p_lo, p_hi = second - t_recv, second + 1 - t_send
        if max(lo, p_lo) > min(hi, p_hi):
            lo, hi = p_lo, p_hi
            plan.clear()
        else:
            lo, hi = max(lo, p_lo), min(hi, p_hi)

    if not rtts:
        raise last_error or TemporarilyUnavailable("Could not read the club's clock.")
    return ClockSample(
        offset_s=(lo + hi) / 2, error_s=(hi - lo) / 2, rtt_s=statistics.median(rtts), probes=len(rtts)
    )


def _informative(instant: float, lo: float, hi: float) -> bool:
    """Whether the server could tick at `instant`: some whole second lies in (instant + lo, instant + hi)."""
    return hi - lo >= 1.0 or math.floor(instant + hi) > instant + lo


def _next_window(lo: float, hi: float, earliest: float, rtt: float) -> tuple[float, float]:
    """The local interval where the server's next tick k can fall, [k - hi, k - lo], clipped to start at
    `earliest`: the first one that still has more than a round trip left after `earliest`."""
    k = math.floor(earliest + lo + max(rtt, 0.001)) + 1
    return max(k - hi, earliest), k - lo


def _sweep(window: tuple[float, float], rtt: float, min_width_s: float, budget: int) -> list[float]:
    """Evenly spaced probe instants inside `window`: as many as reach the target width, within budget,
    and no closer together than one round trip (sequential probes cannot be denser)."""
    start, end = window
    width = end - start
    goal = max(rtt + min_width_s, 1e-4)  # each gap also widens by one RTT
    needed = math.ceil(width / goal) - 1
    densest = math.floor(width / max(rtt, 1e-4)) - 1
    n = max(1, min(needed, budget, densest))
    step = width / (n + 1)
    return [start + step * i for i in range(1, n + 1)]

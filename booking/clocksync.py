"""How far a site's clock is from ours, from the whole-second HTTP `Date` header, to within the path's jitter.

A probe sent at t_send and answered at t_recv carrying the server's second S was stamped somewhere in
[t_send, t_recv], so offset = server − local lies in [S − t_recv, S + 1 − t_send]: one probe knows the
offset only to its round trip. But no trip is faster than the path's floor, the fastest round trip
r_min; assuming, as NTP does, that the floor is the same both ways, a probe of round trip r was stamped
within (r − r_min)/2 of its midpoint. Over a jittery path some probes come close to the floor, so the
intersection narrows to about the jitter, not the round trip. (The floor is not simply the fastest trip
seen: see `_Readings.floor_rtt`.)

Only probes the server handles next to its tick (when S changes) say anything about the sub-second
phase, and a tick comes once a second. So the estimate runs in two steps:

- a sweep: probes spread over one second find the tick to within ~1/n s;
- bursts: at each following tick, probes sent *together* (concurrently, so a burst's width does not grow
  with the round trip), staggered over the window where their stamps can straddle the tick: the phase
  still unknown plus the outward jitter. One just before the tick with a fast way out bounds the offset
  from above; one just after it with a fast way back bounds it from below. Bursts repeat, tick after
  tick, until the bounds are narrow or the budget is spent. On a jittery path that is the whole budget
  (~300 probes in 16 s): narrow bounds there lean on a floor that more probes still refine. Over a
  40 ± 10 ms path, 300 probes put the lower bound ~1.5 ms under the true offset where 100 left ~3.5 ms.

`fire_instant` turns the estimate into the instant to send a request that must not arrive early.
"""

from __future__ import annotations

import asyncio
import math
import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from booking.sites.base import ClockSample
from booking.sites.errors import SiteError, TemporarilyUnavailable
from booking.timebase import Clock

#: One cheap request: (t_send, t_recv, server's whole second), t_* from the caller's clock.
Probe = Callable[[], Awaitable[tuple[float, float, int]]]

#: Lead time when planning probes, so the first planned one is not already late.
_LEAD_S = 0.005
#: Probes of a burst closer than this (or than a typical round trip, if shorter) would only queue behind
#: each other (and on a busy host, behind their own new connections).
_MIN_SPACING_S = 0.001
#: Fewest answered probes to extrapolate the floor round trip from.
_FLOOR_FIT_MIN = 4
#: Probes in flight at once at most: what one member's HTTP session keeps open to a site (sites/http.py).
MAX_IN_FLIGHT = 16
#: Added to the earliest instant a request may safely leave: a probe's trip includes work an armed
#: request does not have (aiohttp building it, the site's own before it dates its answer), which makes
#: the floor look a little slower than an armed request's way there.
SEND_MARGIN_S = 0.001


@dataclass(frozen=True)
class _Reading:
    t_send: float
    t_recv: float
    second: int

    @property
    def rtt(self) -> float:
        return self.t_recv - self.t_send

    @property
    def low(self) -> float:
        """The least offset this reading allows with no assumption about the path."""
        return self.second - self.t_recv

    @property
    def high(self) -> float:
        return self.second + 1 - self.t_send


class _Readings:
    """The answered probes and the offset interval they allow."""

    def __init__(self) -> None:
        self._all: list[_Reading] = []

    def __len__(self) -> int:
        return len(self._all)

    def add(self, reading: _Reading) -> None:
        """Keep `reading`; if no offset fits it and the earlier ones, the server's clock stepped between
        them, and only the side sent later is kept."""
        if self._all and (reading.low > self._high0() or reading.high < self._low0()):
            later = [r for r in self._all if r.t_send > reading.t_send]
            self._all = later or [reading]
        else:
            self._all.append(reading)

    def _low0(self) -> float:
        return max(r.low for r in self._all)

    def _high0(self) -> float:
        return min(r.high for r in self._all)

    def rtts(self) -> list[float]:
        return sorted(r.rtt for r in self._all)

    def floor_rtt(self) -> float:
        """The path's fastest possible round trip, extrapolated from the fastest third seen.

        A round trip is two one-way delays, each with its own floor, and rarely are both near theirs at
        once: near the floor the k-th fastest of n trips sits about √k above it. So the fastest seen
        still overshoots (by a millisecond or two on a path jittering by ±5 ms each way, enough to
        fire early); a line through the fastest third against √k reaches back to the floor instead.
        That line overshoots too, now and then, so the floor is taken one of its steps (the slope)
        lower: on a steady path a step is a few microseconds, on a jittery one about a millisecond.
        """
        rtts = self.rtts()
        if len(rtts) < _FLOOR_FIT_MIN:
            return 0.0  # too few to say: no assumption at all
        fastest = rtts[: max(_FLOOR_FIT_MIN, len(rtts) // 3)]
        ranks = [math.sqrt(k + 0.75) for k in range(len(fastest))]  # E[k-th fastest] ∝ √(k + ¾), from 0
        slope, floor = statistics.linear_regression(ranks, fastest)
        return max(0.0, min(floor, fastest[0]) - slope)

    def bounds(self) -> tuple[float, float, float]:
        """(low, high, half the floor round trip they assume for each way)."""
        low0, high0 = self._low0(), self._high0()
        half = min(self.floor_rtt(), high0 - low0) / 2  # never more than the readings allow together
        return low0 + half, high0 - half, half

    def width(self) -> float:
        if not self._all:
            return math.inf
        low, high, _ = self.bounds()
        return high - low

    def narrow(self, width: float) -> bool:
        """Bounds within `width`, on a path steady enough that the floor they lean on is known as well."""
        return self.width() <= width and self.jitter() <= width

    def jitter(self) -> float:
        """How far a typical round trip is above the floor: the spread of one way's delay."""
        return statistics.median(self.rtts()) - self.floor_rtt()

    def may_tick_near(self, instant: float) -> bool:
        """Whether a probe sent at `instant` can still be stamped where the server's tick may be."""
        if self.width() >= 1.0:
            return True
        low, high, half = self.bounds()
        earliest = instant + half + low  # the server's clock when the probe can arrive, at the soonest
        return math.floor(instant + half + self.jitter() + high) >= earliest


async def estimate_offset(
    probe: Probe,
    clock: Clock,
    *,
    max_probes: int = 300,
    time_budget_s: float = 6.0,
    min_width_s: float = 0.002,
    sweep_probes: int = 40,
    burst_probes: int = 16,
    max_failures_in_a_row: int = 5,
) -> ClockSample:
    """Estimate server − local from `probe`s until the bounds are at most `min_width_s` wide on a steady
    path (one whose typical round trip is within `min_width_s` of its floor).

    Stops early at `max_probes` (failed probes count), after `max_failures_in_a_row` failed probes, or
    when no new sweep or burst can start within `time_budget_s`; one already begun is finished. Failed
    probes (any `SiteError`) are skipped. Raises the last probe error if no probe answered.
    """
    readings = _Readings()
    made = failures = 0
    last_error: SiteError | None = None

    def spent() -> bool:
        return made >= max_probes or failures >= max_failures_in_a_row

    async def one() -> None:
        nonlocal failures, last_error
        try:
            t_send, t_recv, second = await probe()
        except SiteError as exc:
            last_error, failures = exc, failures + 1
            return
        failures = 0
        readings.add(_Reading(t_send, t_recv, second))

    async def send(instants: list[float]) -> None:
        """A probe at each instant that can still tell something, without waiting for earlier answers."""
        nonlocal made
        in_flight: list[asyncio.Task[None]] = []
        try:
            for instant in instants:
                if spent() or readings.narrow(min_width_s):
                    break
                if readings.may_tick_near(instant):
                    await clock.sleep_until(instant)
                    made += 1
                    in_flight.append(asyncio.create_task(one()))
            await asyncio.gather(*in_flight)
        finally:
            for task in in_flight:
                task.cancel()

    deadline = clock.now() + time_budget_s
    while not spent() and not readings.narrow(min_width_s):
        earliest = clock.now() + _LEAD_S
        if readings.width() >= 1.0:
            # No phase known: sweep one second; once a tick is caught the rest is skipped.
            plan = [earliest + i / sweep_probes for i in range(sweep_probes)]
        else:
            plan = _burst(readings, earliest, burst_probes, max_probes - made, min_width_s)
        if plan[0] > deadline and len(readings):
            break
        await send(plan)

    if not len(readings):
        raise last_error or TemporarilyUnavailable("Could not read the club's clock.")
    low, high, half = readings.bounds()
    return ClockSample(
        offset_s=(low + high) / 2,
        error_s=(high - low) / 2,
        rtt_s=statistics.median(readings.rtts()),
        probes=len(readings),
        min_rtt_s=2 * half,
    )


def fire_instant(sample: ClockSample, release_s: float) -> float:
    """Our instant to send a request that must reach the site at or after `release_s` (site clock).

    Never early: even with the offset at its lower bound and the fastest way out the estimate allows
    (half the floor round trip), it arrives at the release. Late by the way out's jitter over that
    floor, plus how far the true offset is above its lower bound (at most twice `error_s`).
    """
    lowest_offset = sample.offset_s - sample.error_s
    return release_s - lowest_offset - sample.min_rtt_s / 2 + SEND_MARGIN_S


def _burst(readings: _Readings, earliest: float, size: int, budget: int, min_width_s: float) -> list[float]:
    """Send instants around the next tick whose window starts after `earliest`, staggered evenly so that
    the stamps straddle every place the tick can still be, given the way out's floor and jitter.

    `size` of them, or up to four times as many if that spaces them by half of `min_width_s` (so one
    burst can finish on a quiet path); never more than the `budget`, than the connections carry at
    once, nor closer than the server can answer.
    """
    low, high, half = readings.bounds()
    jitter = readings.jitter()
    # Server second k starts at local k − offset, in [k − high, k − low]; a probe sent at t is stamped
    # at t + half + (0 … jitter).
    k = math.ceil(earliest + half + jitter + high)
    start, end = k - high - half - jitter, k - low - half
    window = end - start
    rtt = statistics.median(readings.rtts())
    carried = int(MAX_IN_FLIGHT * max(1.0, window / max(rtt, 1e-6)))
    apart = int(window / max(min(_MIN_SPACING_S, rtt), 1e-4)) + 1
    wanted = min(max(size, math.ceil(2 * window / min_width_s)), 4 * size)
    n = max(1, min(wanted, budget, carried, apart))
    if n == 1:
        return [(start + end) / 2]
    step = window / (n - 1)
    return [start + step * i for i in range(n)]

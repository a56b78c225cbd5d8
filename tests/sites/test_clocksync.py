"""Clock-offset estimation against a simulated server and a virtual clock (no real time passes)."""

from __future__ import annotations

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.clocksync import estimate_offset
from booking.sites.errors import PageNotUnderstood, TemporarilyUnavailable


class VirtualClock:
    """Time moves only when someone sleeps or a probe takes its round trip."""

    def __init__(self, start: float) -> None:
        self.t = start

    def now(self) -> float:
        return self.t

    async def sleep_until(self, instant: float) -> None:
        self.t = max(self.t, instant)


class Server:
    """Stamps whole seconds of (our time + offset) at a point inside each probe's round trip."""

    def __init__(self, clock: VirtualClock, offset: float, rtt: float, seed: int = 0) -> None:
        self.clock, self.offset, self.rtt = clock, offset, rtt
        self.rng = random.Random(seed)
        self.calls = 0
        self.failing: set[int] = set()

    async def probe(self) -> tuple[float, float, int]:
        self.calls += 1
        t_send = self.clock.t
        rtt = self.rtt * self.rng.uniform(0.8, 1.5)
        self.clock.t += rtt * self.rng.uniform(0.2, 0.8)
        if self.calls in self.failing:
            self.clock.t += rtt
            raise TemporarilyUnavailable("The club's booking site is having trouble (HTTP 503).")
        second = math.floor(self.clock.t + self.offset)
        self.clock.t = t_send + rtt
        return t_send, self.clock.t, second


async def run(offset: float, rtt: float, start: float = 1_800_000_000.25, seed: int = 0) -> tuple:
    clock = VirtualClock(start)
    server = Server(clock, offset, rtt, seed)
    sample = await estimate_offset(server.probe, clock)
    return sample, clock.t - start, server


@settings(max_examples=300, deadline=None)
@given(
    offset=st.floats(-5, 5),
    rtt=st.floats(0.0002, 0.004),
    start=st.floats(1_800_000_000, 1_800_000_001),
    seed=st.integers(0, 1000),
)
async def test_bounds_always_hold_the_true_offset_and_are_tight(
    offset: float, rtt: float, start: float, seed: int
) -> None:
    sample, elapsed, _ = await run(offset, rtt, start, seed)
    assert abs(sample.offset_s - offset) <= sample.error_s + 1e-6
    assert sample.error_s <= 0.0055 + 0.6 * rtt
    assert sample.probes <= 20
    assert elapsed <= 2.1  # the 2 s budget plus the last tick window


@pytest.mark.parametrize("offset", [-1.5, 0.0, 0.73, 2.4])
async def test_loopback_offsets_within_5_ms(offset: float) -> None:
    sample, elapsed, _ = await run(offset, 0.0008)
    assert abs(sample.offset_s - offset) <= 0.005
    assert sample.rtt_s == pytest.approx(0.0008, rel=0.6)
    assert elapsed < 2.1


async def test_failed_probes_are_skipped() -> None:
    clock = VirtualClock(1_800_000_000.4)
    server = Server(clock, 0.37, 0.001)
    server.failing = {2, 5, 9, 13}
    sample = await estimate_offset(server.probe, clock)
    assert abs(sample.offset_s - 0.37) <= sample.error_s
    assert sample.error_s < 0.01
    assert sample.probes == server.calls - len({n for n in server.failing if n <= server.calls})


async def test_a_site_that_never_answers_fails_fast_with_its_error() -> None:
    clock = VirtualClock(1_800_000_000.0)

    async def probe() -> tuple[float, float, int]:
        clock.t += 0.01
        raise PageNotUnderstood("clock", "no Date header")

    with pytest.raises(PageNotUnderstood):
        await estimate_offset(probe, clock)
    assert clock.t - 1_800_000_000.0 < 0.5


async def test_a_server_clock_jump_restarts_the_estimate() -> None:
    clock = VirtualClock(1_800_000_000.1)
    server = Server(clock, 0.2, 0.001)
    original = server.probe

    async def jumping() -> tuple[float, float, int]:
        if server.calls == 8:
            server.offset = 3.65  # e.g. the club's NTP stepped its clock
        return await original()

    sample = await estimate_offset(jumping, clock, max_probes=40, time_budget_s=4.0)
    assert abs(sample.offset_s - 3.65) <= sample.error_s
    assert sample.error_s < 0.01


async def test_slow_links_still_bound_the_truth() -> None:
    sample, _, _ = await run(-0.42, 0.08)
    assert abs(sample.offset_s + 0.42) <= sample.error_s
    assert sample.error_s < 0.1

"""The clock estimate over real TCP: probes through sim.netem (20 ± 5 ms each way, a 40 ms round trip
jittering by 20) to the simulated club, whose clock is set off ours."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from yarl import URL

from booking.clocksync import fire_instant
from booking.sites.base import SiteConfig
from booking.sites.democlub import DemoClubAdapter
from booking.timebase import SystemClock
from sim.club import ClubConfig, RunningClub, run_club
from sim.netem import Netem, Path, start_netem

OFFSET_S = 0.73
JITTER_S = 0.005
#: a booking request without a session: the club logs its arrival all the same
REQUEST = b"GET /book?court=5&date=2026-06-12&time=10:00 HTTP/1.1\r\nHost: club\r\n\r\n"


@pytest.fixture
async def club() -> AsyncIterator[RunningClub]:
    async with run_club(ClubConfig(clock_offset_s=OFFSET_S)) as running:
        yield running


@pytest.fixture
async def path(club: RunningClub) -> AsyncIterator[Netem]:
    netem = await start_netem(club.url, Path(0.020, JITTER_S, seed=13))
    yield netem
    await netem.stop()


async def test_the_bound_holds_the_true_offset_and_is_well_below_the_round_trip(
    club: RunningClub, path: Netem
) -> None:
    clock = SystemClock()
    adapter = DemoClubAdapter(SiteConfig(base_url=path.url, clock_budget_s=3.0), clock)
    try:
        sample = await adapter.server_clock()
    finally:
        await adapter.close()
    assert abs(sample.offset_s - OFFSET_S) <= sample.error_s
    assert sample.rtt_s > 0.035
    assert 2 * sample.error_s < sample.rtt_s / 2  # it was about one round trip
    # Requests fired at the fire instant, each on a connection opened beforehand (as courtbot arms them).
    target = club.state.now() + 0.5
    url = URL(path.url)
    connections = [await asyncio.open_connection(url.host, url.port) for _ in range(20)]
    await clock.sleep_until(fire_instant(sample, target))
    for _, writer in connections:
        writer.write(REQUEST)
    for reader, writer in connections:
        await reader.readuntil(b"\r\n\r\n")
        writer.close()
    wire = sorted(a.wire_at for a in club.state.arrivals() if a.wire_at is not None)
    assert len(wire) == 20
    assert wire[0] >= target, "never early"
    assert wire[-1] - target <= 2 * sample.error_s + 4 * JITTER_S, "late by the bound and the jitter"

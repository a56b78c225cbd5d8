"""Fixtures: the MRBS stand-in on a loopback port with its clock pinned to NOON, browsers and adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from booking.sites.mrbs.adapter import MrbsAdapter
from booking.timebase import SystemClock
from sim.mrbs import MrbsConfig, RunningMrbs, run_mrbs
from tests.mrbs.helpers import Browser, adapter, pin

OpenBrowser = Callable[..., Browser]
OpenAdapter = Callable[..., MrbsAdapter]


@pytest.fixture
def config() -> MrbsConfig:
    """The stand-in's settings; a test may override this fixture's result before the server starts."""
    return MrbsConfig()


@pytest.fixture
async def server(config: MrbsConfig) -> AsyncIterator[RunningMrbs]:
    async with run_mrbs(config) as running:
        yield running


@pytest.fixture
def clock(server: RunningMrbs) -> SystemClock:
    return pin(server)


@pytest.fixture
async def browser(server: RunningMrbs, clock: SystemClock) -> AsyncIterator[OpenBrowser]:
    opened: list[Browser] = []

    def open_browser(language: str | None = None) -> Browser:
        opened.append(Browser(server, language))
        return opened[-1]

    yield open_browser
    for item in opened:
        await item.close()


@pytest.fixture
async def open_adapter(server: RunningMrbs, clock: SystemClock) -> AsyncIterator[OpenAdapter]:
    opened: list[MrbsAdapter] = []

    def make(**extra: str) -> MrbsAdapter:
        opened.append(adapter(server, clock, **extra))
        return opened[-1]

    yield make
    for item in opened:
        await item.close()

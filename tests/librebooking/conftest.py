"""Fixtures: the LibreBooking stand-in on a loopback port with its clock pinned to NOON, clients and adapters."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from booking.sites.librebooking.adapter import LibreBookingAdapter
from booking.timebase import SystemClock
from sim.librebooking import LibreBookingConfig, RunningLibreBooking, run_librebooking
from tests.librebooking.helpers import Api, Browser, adapter, pin

OpenApi = Callable[..., Api]
OpenBrowser = Callable[..., Browser]
OpenAdapter = Callable[..., LibreBookingAdapter]


@pytest.fixture
def config() -> LibreBookingConfig:
    """The stand-in's settings; a test may override this fixture's result before the server starts."""
    return LibreBookingConfig()


@pytest.fixture
async def server(config: LibreBookingConfig) -> AsyncIterator[RunningLibreBooking]:
    async with run_librebooking(config) as running:
        yield running


@pytest.fixture
def clock(server: RunningLibreBooking) -> SystemClock:
    return pin(server)


@pytest.fixture
async def api(server: RunningLibreBooking, clock: SystemClock) -> AsyncIterator[OpenApi]:
    opened: list[Api] = []

    def open_api(language: str | None = None) -> Api:
        opened.append(Api(server, language))
        return opened[-1]

    yield open_api
    for item in opened:
        await item.close()


@pytest.fixture
async def browser(server: RunningLibreBooking, clock: SystemClock) -> AsyncIterator[OpenBrowser]:
    opened: list[Browser] = []

    def open_browser(language: str | None = None) -> Browser:
        opened.append(Browser(server, language))
        return opened[-1]

    yield open_browser
    for item in opened:
        await item.close()


@pytest.fixture
async def open_adapter(server: RunningLibreBooking, clock: SystemClock) -> AsyncIterator[OpenAdapter]:
    opened: list[LibreBookingAdapter] = []

    def make(court_map: dict[int, str] | None = None, **extra: str) -> LibreBookingAdapter:
        opened.append(adapter(server, clock, court_map, **extra))
        return opened[-1]

    yield make
    for item in opened:
        await item.close()

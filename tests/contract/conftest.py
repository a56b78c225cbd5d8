"""The contract runs once per registered platform, each on its own stand-in started by its driver."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest

from booking.sites.base import SiteAdapter
from booking.sites.registry import PLATFORMS
from tests.contract.driver import Driver
from tests.contract.drivers import DRIVERS

Member = Callable[..., Awaitable[SiteAdapter]]


def _runs() -> list[Any]:
    """Each registered platform, each way its driver runs it (a platform without a driver: one run)."""
    runs = []
    for name in PLATFORMS:
        ways = DRIVERS[name].ways if name in DRIVERS else ("",)
        runs += [pytest.param((name, way), id=f"{name}-{way}" if way else name) for way in ways]
    return runs


@pytest.fixture(params=_runs())
async def driver(request: pytest.FixtureRequest) -> AsyncIterator[Driver]:
    name, way = request.param
    made = DRIVERS.get(name)
    if made is None:
        pytest.fail(
            f"platform {name!r} has no contract driver: add one to tests/contract/drivers "
            "(the interface is tests/contract/driver.py)"
        )
    running = made(way)
    await running.start()
    yield running
    await running.stop()


@pytest.fixture
def member(driver: Driver) -> Member:
    """`await member("bob")`: a new adapter logged in as that member (alice by default)."""

    async def log_in(name: str = "alice", court_map: dict[int, str] | None = None) -> SiteAdapter:
        adapter = driver.adapter(court_map)
        await adapter.login(name, f"{name}-pass")
        return adapter

    return log_in

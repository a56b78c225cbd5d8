"""Start the LibreBooking stand-in on a loopback port, in-process, for tests and the playground."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from sim.librebooking.app import create_app
from sim.librebooking.common import PREFIX
from sim.librebooking.config import LibreBookingConfig
from sim.librebooking.state import LibreBookingState
from sim.serve import serve


class RunningLibreBooking:
    """A LibreBooking serving HTTP, with its settings and data in reach for the code that started it."""

    def __init__(self, runner: web.AppRunner, state: LibreBookingState, url: str) -> None:
        self._runner = runner
        self.state = state
        self.url = url  # the site's Web/ folder: what CLUB_URL names

    @property
    def config(self) -> LibreBookingConfig:
        """The live settings: a change takes effect with the next request."""
        return self.state.config

    @config.setter
    def config(self, config: LibreBookingConfig) -> None:
        self.state.config = config

    def release_instant(
        self, resource_id: int, day: dt.date, start: dt.time, minutes: int = 60
    ) -> dt.datetime:
        """The UTC instant LibreBooking starts accepting a reservation of the resource (maximum notice)."""
        rule = self.config.release_rule(resource_id)
        if rule is None:
            raise ValueError(f"resource {resource_id} has no maximum notice")
        return rule.release_instant(day, start, minutes, self.config.zone)

    async def stop(self) -> None:
        await self._runner.cleanup()


async def start_librebooking(
    config: LibreBookingConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> RunningLibreBooking:
    """Serve LibreBooking on host:port (port 0: any free port; the URL says which)."""
    state = LibreBookingState(config or LibreBookingConfig())
    runner, root = await serve(create_app(state), host, port, wire_clock=state.now)
    return RunningLibreBooking(runner, state, root + PREFIX)


@asynccontextmanager
async def run_librebooking(
    config: LibreBookingConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningLibreBooking]:
    server = await start_librebooking(config, host, port)
    try:
        yield server
    finally:
        await server.stop()

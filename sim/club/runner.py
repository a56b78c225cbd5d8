"""Start the simulated club on a loopback port, in-process, for tests, benchmarks and the playground."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from sim.club.app import create_app
from sim.club.config import ClubConfig
from sim.club.state import ClubState
from sim.serve import serve


class RunningClub:
    """A club serving HTTP, with its settings and data in reach for the code that started it."""

    def __init__(self, runner: web.AppRunner, state: ClubState, url: str) -> None:
        self._runner = runner
        self.state = state
        self.url = url

    @property
    def config(self) -> ClubConfig:
        """The live settings: a change takes effect with the next request."""
        return self.state.config

    @config.setter
    def config(self, config: ClubConfig) -> None:
        self.state.config = config

    def release_instant(self, date: dt.date | str, time: dt.time | str, duration: int = 60) -> dt.datetime:
        """The UTC instant the club opens a booking of `date` `time` under its current rules."""
        return self.state.release_instant(date, time, duration)

    async def stop(self) -> None:
        await self._runner.cleanup()


async def start_club(config: ClubConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningClub:
    """Serve a club on host:port (port 0: any free port; the URL says which)."""
    state = ClubState(config or ClubConfig())
    runner, url = await serve(create_app(state), host, port, wire_clock=state.now)
    return RunningClub(runner, state, url)


@asynccontextmanager
async def run_club(
    config: ClubConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningClub]:
    club = await start_club(config, host, port)
    try:
        yield club
    finally:
        await club.stop()

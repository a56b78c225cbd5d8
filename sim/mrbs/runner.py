"""Start the MRBS stand-in on a loopback port, in-process, for tests and the playground."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from sim.mrbs.app import create_app
from sim.mrbs.config import MrbsConfig
from sim.mrbs.state import MrbsState
from sim.serve import serve


class RunningMrbs:
    """An MRBS serving HTTP, with its settings and data in reach for the code that started it."""

    def __init__(self, runner: web.AppRunner, state: MrbsState, url: str) -> None:
        self._runner = runner
        self.state = state
        self.url = url

    @property
    def config(self) -> MrbsConfig:
        """The live settings: a change takes effect with the next request."""
        return self.state.config

    @config.setter
    def config(self, config: MrbsConfig) -> None:
        self.state.config = config

    def release_instant(self, day: dt.date, start: dt.time, minutes: int = 60) -> dt.datetime:
        """The UTC instant MRBS starts accepting a booking of `day` `start` for `minutes`."""
        return self.config.release_rule.release_instant(day, start, minutes, self.config.zone)

    async def stop(self) -> None:
        await self._runner.cleanup()


async def start_mrbs(config: MrbsConfig | None = None, host: str = "127.0.0.1", port: int = 0) -> RunningMrbs:
    """Serve MRBS on host:port (port 0: any free port; the URL says which)."""
    state = MrbsState(config or MrbsConfig())
    runner, url = await serve(create_app(state), host, port, wire_clock=state.now)
    return RunningMrbs(runner, state, url)


@asynccontextmanager
async def run_mrbs(
    config: MrbsConfig | None = None, host: str = "127.0.0.1", port: int = 0
) -> AsyncIterator[RunningMrbs]:
    server = await start_mrbs(config, host, port)
    try:
        yield server
    finally:
        await server.stop()

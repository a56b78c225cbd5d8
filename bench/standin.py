"""A platform's stand-in in its own process, as a club runs on its own machine: started through its
`Platform.standin` with the benchmark's courts and members (bench.sites), serving until SIGTERM. The
benchmark reaches it over HTTP only: its /_sim/ routes reset it, set its clock, keep its garbage
collector quiet and list what arrived. It runs on a CPU of its own (bench.cpus).

    python -m bench.standin SITE COURTS MEMBERS
"""

from __future__ import annotations

import asyncio
import importlib
import signal
import sys
from typing import Any

import aiohttp

from bench import cpus
from bench.sites import SITES
from bench.spawn import Spawned
from booking.sites.registry import platform


class Standin(Spawned):
    """The stand-in's process, seen from the benchmark."""

    def __init__(self, site: str, courts: int, members: int) -> None:
        super().__init__("-m", "bench.standin", site, str(courts), str(members))
        self.site = SITES[site]
        self.courts = courts

    async def __aenter__(self) -> Standin:
        await super().__aenter__()
        cpus.apart(self.pid)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await super().__aexit__(*exc)
        cpus.together()

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        """A /_sim/ route, e.g. `call("GET", "/_sim/arrivals")`."""
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.url + path, json=body) as response,
        ):
            response.raise_for_status()
            return await response.json()


async def _serve(site: str, courts: int, members: int) -> None:
    module, _, function = platform(site).standin.partition(":")
    start = getattr(importlib.import_module(module), function)
    server = await start(SITES[site].config(courts, members))
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    print(f"{site} stand-in serving at {server.url}", flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()


if __name__ == "__main__":
    asyncio.run(_serve(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))

"""The control routes every simulated site serves the same way (JSON, never faulted): what arrived, what is
booked, sessions expired at once, a reset, the collector kept quiet (sim.gcquiet) and the clock set from
outside (sim.siteclock). Tests and benchmarks drive each platform's stand-in through the same calls."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from aiohttp import web

from sim import gcquiet, siteclock


class ControlledSite(Protocol):
    def arrivals(self) -> Sequence[Any]: ...

    def bookings(self) -> Sequence[Any]: ...

    def expire_sessions(self) -> int: ...

    def reset(self) -> None: ...

    def now(self) -> float: ...


def install(
    app: web.Application,
    site: ControlledSite,
    clock: siteclock.SiteClock,
    record: Callable[[Any], dict[str, Any]] = vars,
    prefix: str = "",
) -> None:
    """The routes under `{prefix}/_sim/`; `clock` is the site's (its state, as `site` is); `record` turns an
    arrival or a booking into JSON."""
    routes = f"{prefix}/_sim/"

    async def arrivals(request: web.Request) -> web.StreamResponse:
        return web.json_response([record(a) for a in site.arrivals()])

    async def bookings(request: web.Request) -> web.StreamResponse:
        return web.json_response([record(b) for b in site.bookings()])

    async def expire_sessions(request: web.Request) -> web.StreamResponse:
        return web.json_response({"expired": site.expire_sessions()})

    async def reset(request: web.Request) -> web.StreamResponse:
        site.reset()
        return web.json_response({"reset": True})

    app.router.add_get(routes + "arrivals", arrivals)
    app.router.add_get(routes + "bookings", bookings)
    app.router.add_post(routes + "expire-sessions", expire_sessions)
    app.router.add_post(routes + "reset", reset)
    gcquiet.install(app, site.now, prefix)
    siteclock.install(app, clock, prefix)

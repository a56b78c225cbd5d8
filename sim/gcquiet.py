"""A simulated site's garbage collector kept quiet through a window a benchmark names.

A full collection of a club's heap stops its event loop for ~20 ms. One that falls just after a release
(the burst of requests allocates enough to trigger it) delays every request still queued, and the
delay would be measured as the sender's. So a benchmark can name its release window: one collection
just before it, then the heap is frozen and collection is off until the window ends.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

from aiohttp import web


class QuietGc:
    def __init__(self, now: Callable[[], float]) -> None:
        self._now = now
        self._timers: list[asyncio.TimerHandle] = []
        self._quiet = False

    def now(self) -> float:
        return self._now()

    def hold(self, start: float, end: float) -> None:
        """No garbage collection from `start` to `end` (on the `now` clock), replacing any earlier window."""
        self.cancel()
        loop = asyncio.get_running_loop()
        now = self._now()
        self._timers = [
            loop.call_later(max(0.0, start - now), self._silence),
            loop.call_later(max(0.0, end - now), self._restore),
        ]

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()
        self._timers = []
        self._restore()

    def _silence(self) -> None:
        if not self._quiet:
            gc.collect()
            gc.freeze()
            gc.disable()
            self._quiet = True

    def _restore(self) -> None:
        if self._quiet:
            gc.unfreeze()
            gc.enable()
            self._quiet = False


_QUIET = web.AppKey("quiet_gc", QuietGc)


def install(app: web.Application, now: Callable[[], float], prefix: str = "") -> None:
    """`POST {prefix}/_sim/gc-quiet` with `{"until": t}` or `{"from": t, "until": t}` (the site's clock,
    epoch seconds; from: now if left out) → the window as JSON. Collection is back on when the app stops.
    `prefix`: the folder a site is served under (LibreBooking's /Web), where its other /_sim/ routes are."""
    app[_QUIET] = QuietGc(now)
    app.router.add_post(prefix + "/_sim/gc-quiet", _post_gc_quiet)
    app.on_cleanup.append(_restore)


async def _post_gc_quiet(request: web.Request) -> web.StreamResponse:
    quiet = request.app[_QUIET]
    try:
        body = await request.json()
        start = float(body.get("from", quiet.now()))
        end = float(body["until"])
    except (ValueError, TypeError, KeyError, AttributeError):
        return web.json_response({"error": 'expected {"from"?: seconds, "until": seconds}'}, status=400)
    quiet.hold(start, end)
    return web.json_response({"from": start, "until": end})


async def _restore(app: web.Application) -> None:
    app[_QUIET].cancel()

"""The server clock and the fault dice that every simulated site keeps the same way, and the clock set
from outside its process (a benchmark moves it so that a release is seconds away)."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Protocol
from zoneinfo import ZoneInfo

from aiohttp import web


class _Settings(Protocol):
    clock_offset_s: float
    seed: int

    @property
    def zone(self) -> ZoneInfo: ...


class SiteClock:
    """Base of a simulated site's state: its clock (settably off real time) and reproducible dice."""

    def __init__(self, config: _Settings) -> None:
        self.config = config
        self.reseed()

    def now(self) -> float:
        """The server clock: what every decision and the Date header use."""
        return time.time() + self.config.clock_offset_s

    @property
    def rng(self) -> random.Random:
        """The fault dice, reseeded whenever `config.seed` changes so runs are reproducible."""
        if self._rng_seed != self.config.seed:
            self.reseed()
        return self._rng

    def reseed(self) -> None:
        self._rng = random.Random(self.config.seed)
        self._rng_seed = self.config.seed

    def today(self, now: float) -> dt.date:
        return dt.datetime.fromtimestamp(now, self.config.zone).date()


_CLOCK = web.AppKey("site_clock", SiteClock)


def install(app: web.Application, clock: SiteClock, prefix: str = "") -> None:
    """`POST {prefix}/_sim/clock` with `{"offset_s": s}`: the server clock reads real time + s from the next
    request on → `{"offset_s": s}`. `prefix`: the folder a site is served under, where its /_sim/ routes are."""
    app[_CLOCK] = clock
    app.router.add_post(prefix + "/_sim/clock", _post_clock)


async def _post_clock(request: web.Request) -> web.StreamResponse:
    try:
        body = await request.json()
        offset = float(body["offset_s"])
    except (ValueError, TypeError, KeyError):
        return web.json_response({"error": 'expected {"offset_s": seconds}'}, status=400)
    request.app[_CLOCK].config.clock_offset_s = offset
    return web.json_response({"offset_s": offset})

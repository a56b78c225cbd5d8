"""`/healthz` and `/metrics` for whoever hosts courtbot (Docker's HEALTHCHECK, Prometheus)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.metrics import Metrics

Check = Callable[[], Awaitable[bool]]


class ClubProbe:
    """Is the club's site answering at all? Any HTTP answer below 500 counts; cached for a few seconds."""

    def __init__(self, url: str, cache_s: float = 5.0, timeout_s: float = 3.0) -> None:
        self._url = url
        self._cache_s = cache_s
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._result = False
        self._checked_at = -cache_s

    async def __call__(self) -> bool:
        if time.monotonic() - self._checked_at >= self._cache_s:
            self._result = await self._probe()
            self._checked_at = time.monotonic()
        return self._result

    async def _probe(self) -> bool:
        try:
            async with (
                aiohttp.ClientSession(timeout=self._timeout) as session,
                session.head(self._url, allow_redirects=False) as response,
            ):
                return response.status < 500
        except (aiohttp.ClientError, TimeoutError, OSError):
            return False


@dataclass
class Ops:
    checks: dict[str, Check]
    metrics: Metrics
    scheduled_count: Callable[[], int]

    async def healthz(self, _: web.Request) -> web.Response:
        results = {name: await check() for name, check in self.checks.items()}
        healthy = all(results.values())
        body = {"status": "ok" if healthy else "unhealthy", "checks": results}
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics_page(self, _: web.Request) -> web.Response:
        body = self.metrics.exposition(self.scheduled_count())
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})

    async def start(self, host: str, port: int) -> web.AppRunner:
        app = web.Application()
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/metrics", self.metrics_page)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except BaseException:  # e.g. the port is in use: nothing of ours may stay behind
            await runner.cleanup()
            raise
        return runner

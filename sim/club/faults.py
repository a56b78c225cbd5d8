"""Transport-level misbehaviour of a real club site behind a proxy: slowness, 5xx and 429.

The dice are thrown at arrival, so a failed request has no effect on the club, and the slowness is
added after the club has decided, as a slow proxy or network would.
"""

from __future__ import annotations

import random

from aiohttp import web

from sim.club.config import ClubConfig

_PROXY_PAGES = {
    500: "500 Internal Server Error",
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
    429: "429 Too Many Requests",
}


def pick_failure(config: ClubConfig, rng: random.Random) -> int | None:
    """The HTTP status of an injected failure for this request, or None to let it through."""
    if config.error_rate > 0 and rng.random() < config.error_rate:
        return rng.choice((500, 502, 503))
    if config.rate_limit_rate > 0 and rng.random() < config.rate_limit_rate:
        return 429
    return None


def proxy_page(status: int, config: ClubConfig) -> web.Response:
    """What nginx says when the application behind it fails: no club markup at all."""
    title = _PROXY_PAGES[status]
    body = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )
    response = web.Response(status=status, text=body, content_type="text/html")
    if status == 429:
        response.headers["Retry-After"] = str(config.retry_after_s)
    return response


def latency_s(config: ClubConfig, rng: random.Random, since_release_s: float) -> float:
    """How long to hold the answer back: base latency ± jitter, plus the spike just after a release."""
    ms = config.latency_ms
    if config.jitter_ms > 0:
        ms += rng.uniform(-config.jitter_ms, config.jitter_ms)
    if config.spike_ms > 0 and since_release_s < config.spike_window_s:
        ms += config.spike_ms
    return max(ms, 0.0) / 1000

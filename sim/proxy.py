"""The proxy in front of a simulated PHP site (MRBS, LibreBooking): which requests it fails or slows, and the
5xx pages it answers with. A request it fails never reaches the site."""

from __future__ import annotations

import random

from aiohttp import web

PAGES = {500: "500 Internal Server Error", 502: "502 Bad Gateway", 503: "503 Service Unavailable"}


def decide(
    rng: random.Random, error_rate: float, latency_ms: float, jitter_ms: float
) -> tuple[int | None, float]:
    """The status the proxy fails this request with (None: it passes it on), and the delay it adds in
    seconds; the dice are thrown in that order, so a seeded run repeats."""
    failure = rng.choice(tuple(PAGES)) if error_rate and rng.random() < error_rate else None
    delay_ms = latency_ms + (rng.uniform(-jitter_ms, jitter_ms) if jitter_ms else 0.0)
    return failure, max(delay_ms, 0.0) / 1000


def page(status: int) -> web.Response:
    """The proxy's own error page."""
    title = PAGES[status]
    body = (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n</body>\r\n</html>\r\n"
    )
    return web.Response(status=status, text=body, content_type="text/html")

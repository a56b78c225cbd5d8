"""The stand-in's HTTP face: LibreBooking's Web/ folder (pages and API), the Date header and the faults.

Everything is served under /Web, as on a real install (its PHPSESSID cookie has path /Web), so the URL a
club gives its members - and CLUB_URL - ends in /Web. Simulator-only JSON lives under /Web/_sim/.
"""

from __future__ import annotations

import asyncio
import base64
import math
from email.utils import formatdate

from aiohttp import web
from aiohttp.typedefs import Handler

from sim import control, proxy
from sim.librebooking import api, common
from sim.librebooking import web as pages_web
from sim.librebooking.common import NOW, PREFIX, STATE, WIRE, state_of
from sim.librebooking.state import LibreBookingState
from sim.serve import wire_stamp

SIM_PREFIX = PREFIX + "/_sim/"
#: a 1x1 icon: Web/favicon.ico, a static file that starts no PHP session (a cheap clock probe)
_ICON = base64.b64decode(
    "AAABAAEAAQEAAAEAIAAwAAAAFgAAACgAAAABAAAAAgAAAAEAIAAAAAAABAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="
)


def create_app(state: LibreBookingState) -> web.Application:
    app = web.Application(middlewares=[_front])
    app[STATE] = state
    app.on_response_prepare.append(_finish_headers)
    pages_web.routes(app)
    app.router.add_route("*", api.PATH + "{tail:.*}", api.dispatch)
    app.router.add_get(PREFIX + "/favicon.ico", _icon)
    control.install(app, state, state, prefix=PREFIX)
    return app


@web.middleware
async def _front(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Take the arrival instant, then inject faults on all but /_sim/: a 5xx has no effect."""
    request[WIRE] = wire_stamp(request)
    state = state_of(request)
    request[NOW] = state.now()
    if request.path.startswith(SIM_PREFIX):
        return await handler(request)
    config = state.config
    failure, delay_s = proxy.decide(state.rng, config.error_rate, config.latency_ms, config.jitter_ms)
    try:
        if failure is None:
            return await handler(request)
        web_booking = request.method == "POST" and request.path == pages_web.SAVE_PATH
        if web_booking or api.is_booking(request):
            common.record(request, None, None, None, None, f"http-{failure}", "web" if web_booking else "api")
        return proxy.page(failure)
    finally:
        await asyncio.sleep(delay_s)


async def _finish_headers(request: web.Request, response: web.StreamResponse) -> None:
    """A whole-second Date of the server clock on every answer (the web server's); the session cookie."""
    response.headers["Date"] = formatdate(math.floor(state_of(request).now()), usegmt=True)
    cookie = pages_web.cookie_header(request)
    if cookie is not None:
        response.headers.add("Set-Cookie", cookie)


async def _icon(request: web.Request) -> web.StreamResponse:
    return web.Response(body=_ICON, content_type="image/x-icon")

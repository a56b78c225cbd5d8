"""What the stand-in's API and web pages share: request keys, the language, responses, and booking itself."""

from __future__ import annotations

import asyncio
import datetime as dt

from aiohttp import web

from sim.librebooking import texts
from sim.librebooking.state import LANGUAGE_COOKIE, Arrival, LibreBookingState, Refusal, Reservation

STATE = web.AppKey("state", LibreBookingState)
NOW = web.RequestKey("now", float)  # server-clock arrival instant
WIRE = web.RequestKey("wire", float | None)  # server clock when its bytes arrived (sim.serve)
#: where LibreBooking's Web/ folder is served: the URL a club gives its members ends here
PREFIX = "/Web"


def state_of(request: web.Request) -> LibreBookingState:
    return request.app[STATE]


def language(request: web.Request, *, login_page: bool = False) -> str:
    """The `language` cookie, else (on the login page only) Accept-Language, else the site's language."""
    accept = request.headers.get("Accept-Language") if login_page else None
    return texts.pick_language(
        request.cookies.get(LANGUAGE_COOKIE), accept, state_of(request).config.default_language
    )


def html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def local_instant(state: LibreBookingState, day: str | None, at: str | None) -> int | None:
    """A day (YYYY-MM-DD) and time of day (HH:MM[:SS]) in the schedule's zone as Unix seconds (PHP drops
    the seconds); None if either cannot be read."""
    try:
        moment = dt.datetime.combine(dt.date.fromisoformat(day or ""), dt.time.fromisoformat(at or ""))
    except ValueError:
        return None
    return state.instant(moment.date(), moment.time().replace(second=0, microsecond=0))


def record(
    request: web.Request,
    username: str | None,
    resource_id: int | None,
    start: int | None,
    end: int | None,
    outcome: str,
    via: str,
) -> None:
    state = state_of(request)
    release = state.release_at(resource_id, end)
    state.record_arrival(
        Arrival(username, resource_id, start, end, request[NOW], release, outcome, via, request[WIRE])
    )


async def reserve(
    request: web.Request, user_id: int, resource_id: int, start: int, end: int, title: str, via: str
) -> Reservation | Refusal:
    """LibreBooking's booking: the rules, then the insert, nothing locked in between (race_window_ms)."""
    state = state_of(request)
    username = state.username(user_id)
    refusal = state.check(user_id, resource_id, start, end, request[NOW])
    if refusal is not None:
        record(request, username, resource_id, start, end, refusal.code, via)
        return refusal
    if state.config.race_window_ms > 0:
        # A multi-worker server: another request may pass the same checks before this one is stored.
        await asyncio.sleep(state.config.race_window_ms / 1000)
    reservation = state.store(user_id, resource_id, start, end, title, request[NOW])
    record(request, username, resource_id, start, end, "booked", via)
    return reservation


def stored_then_fail(state: LibreBookingState) -> bool:
    """Whether this stored reservation's answer is lost (the commit_store_then_fail fault)."""
    if state.config.commit_store_then_fail <= 0:
        return False
    state.config.commit_store_then_fail -= 1
    return True

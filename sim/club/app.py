"""The club's HTTP face (README.md is the contract): routes, sessions, the Date header, the fault layer.

Handlers read the arrival instant the front middleware took and never await before their decision is
stored, so the club decides in arrival order however slow the answers are made to be.
"""

from __future__ import annotations

import asyncio
import hmac
import math
from email.utils import formatdate
from typing import Any
from urllib.parse import quote

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler
from multidict import MultiDictProxy

from sim import control
from sim.club import pages
from sim.club.faults import latency_s, pick_failure, proxy_page
from sim.club.model import Arrival, Refusal, Session, Slot
from sim.club.sessions import COOKIE, csrf_ok
from sim.club.state import ClubState
from sim.serve import wire_stamp

STATE = web.AppKey("state", ClubState)
NOW = web.RequestKey("now", float)  # server-clock arrival instant
WIRE = web.RequestKey("wire", float | None)  # server clock when its bytes arrived (sim.serve)
FORM = web.RequestKey("form", MultiDictProxy)
LOGGED = web.RequestKey("logged", int)  # the request's place in the arrival log
SIM_PREFIX = "/_sim/"


def create_app(state: ClubState) -> web.Application:
    app = web.Application(middlewares=[_front])
    app[STATE] = state
    app.on_response_prepare.append(_stamp_date)
    app.on_response_prepare.append(_stamp_answer)
    app.router.add_get("/", _index)
    app.router.add_get("/login", _get_login)
    app.router.add_post("/login", _post_login)
    app.router.add_post("/logout", _post_logout)
    app.router.add_get("/rules", _get_rules)
    app.router.add_get("/courts", _get_courts)
    app.router.add_get("/book", _get_book)
    app.router.add_post("/book", _post_book)
    app.router.add_get("/my-bookings", _get_my_bookings)
    app.router.add_post("/cancel", _post_cancel)
    app.router.add_get("/_sim/config", _sim_get_config)
    app.router.add_post("/_sim/config", _sim_post_config)
    app.router.add_post("/_sim/members", _sim_members)
    control.install(app, state, state, lambda record: record.to_json())
    return app


# The layers around every request


@web.middleware
async def _front(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Take the arrival instant (once the form is in), then inject faults on all but /_sim/."""
    request[WIRE] = wire_stamp(request)
    state = request.app[STATE]
    sim = request.path.startswith(SIM_PREFIX)
    if not sim:
        state.hits[request.path] += 1
    if request.method == "POST" and not sim:
        try:
            request[FORM] = await request.post()
        except (ValueError, LookupError, HttpProcessingError):  # bad encoding, charset or multipart
            raise web.HTTPBadRequest(text="The form could not be read.") from None
    now = request[NOW] = state.now()
    if sim:
        return await handler(request)
    config = state.config
    failure = pick_failure(config, state.rng)
    delay = latency_s(config, state.rng, state.since_daily_release(now))
    try:
        if failure is None:
            return await handler(request)
        if request.path == "/book":
            _record_fault(request, failure)
        return proxy_page(failure, config)
    finally:
        await asyncio.sleep(delay)


async def _stamp_date(request: web.Request, response: web.StreamResponse) -> None:
    """Every answer, redirects and errors included, dates itself in whole seconds of the server clock:
    when the club took the request, as its application would, however long a slow proxy or network
    then holds the answer back."""
    now = request.get(NOW)
    response.headers["Date"] = formatdate(
        math.floor(request.app[STATE].now() if now is None else now), usegmt=True
    )


async def _stamp_answer(request: web.Request, response: web.StreamResponse) -> None:
    """A logged booking request's answer is stamped as it is handed over, just before aiohttp writes it
    (headers and body in one write): the start of the member's next step."""
    index = request.get(LOGGED)
    if index is not None:
        state = request.app[STATE]
        state.answered(index, state.now())


# Helpers


def _state(request: web.Request) -> ClubState:
    return request.app[STATE]


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _field(request: web.Request, name: str) -> str | None:
    """A text field of the posted form (a file upload under that name counts as missing)."""
    value = request[FORM].get(name)
    return value if isinstance(value, str) else None


def _session(request: web.Request) -> Session | None:
    state = _state(request)
    return state.sessions.touch(request.cookies.get(COOKIE), request[NOW], state.config.session_idle_s)


def _set_cookie(response: web.StreamResponse, session: Session) -> None:
    response.set_cookie(COOKIE, session.sid, httponly=True, samesite="Lax", path="/")


def _to_login(request: web.Request) -> web.HTTPSeeOther:
    target = request.path_qs if request.method == "GET" else request.path
    return web.HTTPSeeOther(f"/login?next={quote(target, safe='')}")


def _member(request: web.Request) -> tuple[str, Session]:
    """The logged-in member, or the redirect to /login that a missing or expired session gets."""
    session = _session(request)
    if session is None or session.member is None:
        raise _to_login(request)
    return session.member, session


def _csrf_refusal(member: str, session: Session) -> web.Response:
    problem = Refusal("csrf", "Your form has expired. Please go back, reload the page and try again.")
    return _html(pages.refusal(problem, member, session.csrf), status=403)


def _record(
    request: web.Request, member: str | None, outcome: str, slot: Slot | None, raw: dict[str, str | None]
) -> None:
    """Log a booking request with the slot it named: parsed if it was valid, as sent otherwise."""
    state = _state(request)
    step = "prepare" if request.method == "GET" else "commit"
    if slot is not None:
        arrival = Arrival(
            member,
            step,
            slot.court_id,
            slot.date.isoformat(),
            slot.time.strftime("%H:%M"),
            slot.duration,
            request[NOW],
            state.release_at(slot),
            outcome,
            request[WIRE],
        )
    else:
        arrival = Arrival(
            member,
            step,
            raw.get("court"),
            raw.get("date"),
            raw.get("time"),
            None,
            request[NOW],
            None,
            outcome,
            request[WIRE],
        )
    request[LOGGED] = state.record_arrival(arrival)


def _record_fault(request: web.Request, status: int) -> None:
    """A booking request the proxy failed still arrived: log it without touching the session."""
    state = _state(request)
    session = state.sessions.peek(request.cookies.get(COOKIE), request[NOW], state.config.session_idle_s)
    member = session.member if session else None
    if request.method == "GET":
        _record(request, member, f"http-{status}", None, dict(request.query))
    else:
        hold = state.find_hold(_field(request, "hold_id"))
        _record(request, member, f"http-{status}", hold.slot if hold else None, {})


# Public pages


async def _index(request: web.Request) -> web.StreamResponse:
    raise web.HTTPFound("/courts")


async def _get_rules(request: web.Request) -> web.StreamResponse:
    return _html(pages.rules(_state(request).config))


async def _get_login(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    fresh = session is None
    if session is None:
        session = _state(request).sessions.create(request[NOW])
    response = _html(pages.login(session.csrf))
    if fresh:
        _set_cookie(response, session)
    return response


async def _post_login(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    if session is None or not csrf_ok(session, _field(request, "csrf_token")):
        fresh = session is None
        if session is None:
            session = state.sessions.create(request[NOW])
        message = "Your login form has expired. Please try again."
        response = _html(pages.login(session.csrf, ("csrf", message)), status=403)
        if fresh:
            _set_cookie(response, session)
        return response
    username, password = _field(request, "username") or "", _field(request, "password") or ""
    expected = state.config.members.get(username)
    if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
        if state.config.login_echo:
            words = f"The password {password} is not the password of {username}."
            return _html(pages.login(session.csrf, ("denied", words)))
        return _html(pages.login(session.csrf, ("login-failed", "Unknown username or wrong password.")))
    session.member = username
    state.logins.append(username)
    raise web.HTTPSeeOther("/courts")


async def _post_logout(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    if session is not None:
        _state(request).sessions.end(session.sid)
    raise web.HTTPSeeOther("/login")


# Member pages


async def _get_courts(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    member, session = _member(request)
    now = request[NOW]
    date = request.query.get("date")
    try:
        day = state.today(now) if date is None else state.request_day(date, now)
    except Refusal as problem:
        return _html(pages.refusal(problem, member, session.csrf), status=400)
    grid = state.grid(member, day, now)
    return _html(pages.courts(grid, state.config, member, session.csrf))


async def _get_book(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    query = request.query
    raw = {name: query.get(name) for name in ("court", "date", "time", "duration")}
    session = _session(request)
    if session is None or session.member is None:
        _record(request, None, "session-expired", None, raw)
        raise _to_login(request)
    member, now = session.member, request[NOW]
    slot = None
    try:
        slot = state.parse_slot(raw["court"], raw["date"], raw["time"], raw["duration"], now)
        hold = state.prepare(member, slot, now)
    except Refusal as problem:
        _record(request, member, problem.code, slot, raw)
        return _html(pages.refusal(problem, member, session.csrf))
    _record(request, member, "ok", slot, raw)
    return _html(pages.confirm(hold, state.config, member, session.csrf))


async def _post_book(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    config = state.config
    hold_id = _field(request, "hold_id")
    held = state.find_hold(hold_id)
    slot = held.slot if held else None
    session = _session(request)
    if session is None or session.member is None:
        _record(request, None, "session-expired", slot, {})
        raise _to_login(request)
    member = session.member
    if not csrf_ok(session, _field(request, "csrf_token")):
        _record(request, member, "csrf", slot, {})
        return _csrf_refusal(member, session)
    try:
        booking = state.commit(member, hold_id, _field(request, "partner"), request[NOW])
    except Refusal as problem:
        _record(request, member, problem.code, slot, {})
        return _html(pages.refusal(problem, member, session.csrf))
    _record(request, member, "ok", booking.slot, {})
    lose_answer = config.commit_store_then_fail > 0
    if lose_answer:
        config.commit_store_then_fail -= 1
    if config.commit_latency_ms > 0:
        await asyncio.sleep(config.commit_latency_ms / 1000)
    if lose_answer:
        return proxy_page(500, config)
    return _html(pages.booked(booking, config, member, session.csrf))


async def _get_my_bookings(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    member, session = _member(request)
    bookings = state.upcoming(member, request[NOW])
    cancelled = request.query.get("cancelled")
    return _html(pages.my_bookings(bookings, cancelled, state.config, member, session.csrf))


async def _post_cancel(request: web.Request) -> web.StreamResponse:
    member, session = _member(request)
    if not csrf_ok(session, _field(request, "csrf_token")):
        return _csrf_refusal(member, session)
    try:
        booking = _state(request).cancel_own(member, _field(request, "reference"), request[NOW])
    except Refusal as problem:
        return _html(pages.refusal(problem, member, session.csrf))
    raise web.HTTPSeeOther(f"/my-bookings?cancelled={quote(booking.reference)}")


# Simulator control of the club's own (JSON, no faults); the routes every site has are sim.control's


async def _json_body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise web.HTTPBadRequest(text="body must be JSON") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="body must be a JSON object")
    return body


async def _sim_get_config(request: web.Request) -> web.StreamResponse:
    return web.json_response(_state(request).config.to_json())


async def _sim_post_config(request: web.Request) -> web.StreamResponse:
    config = _state(request).config
    try:
        config.update(await _json_body(request))
    except ValueError as exc:
        return web.json_response({"error": str(exc)}, status=400)
    return web.json_response(config.to_json())


async def _sim_members(request: web.Request) -> web.StreamResponse:
    body = await _json_body(request)
    if not all(isinstance(v, str) for v in body.values()):
        return web.json_response({"error": "passwords must be strings"}, status=400)
    state = _state(request)
    state.add_members(body)
    return web.json_response({"members": sorted(state.config.members)})

"""The stand-in's HTTP face: MRBS 1.12's pages, its two session cookies, the Date header and the faults.

Behaviours worth knowing (all MRBS's own, see docs/platforms/mrbs.md): a bad CSRF token logs the
session off and answers "Your session has expired." with 200; a booking that MRBS accepts answers 302 to
the day view, one it refuses answers 200 with the "Scheduling Conflict" page; a booking form without a
readable date answers 302 too, having booked nothing.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import hmac
import math
import re
from email.utils import formatdate
from urllib.parse import parse_qs, urlencode, urlsplit

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError
from aiohttp.typedefs import Handler
from multidict import MultiDictProxy

from sim import control, proxy
from sim.mrbs import pages, texts
from sim.mrbs.state import COOKIE, KEY_COOKIE, Arrival, MrbsState, Session, csrf_ok
from sim.serve import wire_stamp

STATE = web.AppKey("state", MrbsState)
NOW = web.RequestKey("now", float)  # server-clock arrival instant
WIRE = web.RequestKey("wire", float | None)  # server clock when its bytes arrived (sim.serve)
FORM = web.RequestKey("form", MultiDictProxy)
SESSION = web.RequestKey("session", Session)
SET_COOKIES = web.RequestKey("set_cookies", bool)
SIM_PREFIX = "/_sim/"
BOOK_PATH = "/edit_entry_handler.php"
_DIGITS = re.compile(r"-?\d{1,9}", re.ASCII)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_YEARS = (1970, 2200)
#: pages a booking's returl may name (MRBS keeps only the basename of the page it came from)
_RETURN_PAGES = ("index.php", "day.php", "week.php", "month.php")
#: a 1x1 transparent PNG: images/check.png, the static file an adapter may probe cheaply
_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def create_app(state: MrbsState) -> web.Application:
    app = web.Application(middlewares=[_front])
    app[STATE] = state
    app.on_response_prepare.append(_finish_headers)
    app.router.add_get("/", _index)
    app.router.add_get("/index.php", _index)
    app.router.add_get("/admin.php", _get_admin)
    app.router.add_post("/admin.php", _post_admin)
    app.router.add_post(BOOK_PATH, _post_booking)
    app.router.add_get("/search.php", _search)
    app.router.add_post("/search.php", _search)
    app.router.add_post("/del_entry.php", _post_delete)
    app.router.add_get("/view_entry.php", _view_entry)
    app.router.add_get("/edit_entry.php", _edit_entry)
    app.router.add_get("/images/check.png", _image)
    control.install(app, state, state)
    return app


# The layers around every request


@web.middleware
async def _front(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read the form, take the arrival instant, then inject faults on all but /_sim/."""
    request[WIRE] = wire_stamp(request)
    state = request.app[STATE]
    sim = request.path.startswith(SIM_PREFIX)
    if request.method == "POST" and not sim:
        try:
            request[FORM] = await request.post()
        except (ValueError, LookupError, HttpProcessingError):
            raise web.HTTPBadRequest(text="The form could not be read.") from None
    request[NOW] = state.now()
    if sim:
        return await handler(request)
    config = state.config
    failure, delay_s = proxy.decide(state.rng, config.error_rate, config.latency_ms, config.jitter_ms)
    try:
        if failure is None:
            return await handler(request)
        if request.path == BOOK_PATH:
            _record(request, None, f"http-{failure}", _slot_of(request))
        return proxy.page(failure)
    finally:
        await asyncio.sleep(delay_s)


async def _finish_headers(request: web.Request, response: web.StreamResponse) -> None:
    """A whole-second Date of the server clock on every answer (when the request was taken, however long
    injected latency then holds the answer back); the session cookies where they changed."""
    now = request.get(NOW)
    response.headers["Date"] = formatdate(
        math.floor(request.app[STATE].now() if now is None else now), usegmt=True
    )
    session = request.get(SESSION)
    if session is not None and request.get(SET_COOKIES):
        # Headers are already built when this hook runs, so the cookies go in as headers themselves.
        for name, value in ((COOKIE, session.sid), (KEY_COOKIE, session.key)):
            response.headers.add("Set-Cookie", f"{name}={value}; Path=/; HttpOnly; SameSite=Lax")


# Helpers


def _state(request: web.Request) -> MrbsState:
    return request.app[STATE]


def _session(request: web.Request) -> Session:
    """The request's session (MRBS starts one on every page), remembered for the cookie hook."""
    if SESSION not in request:
        state = _state(request)
        session, fresh = state.sessions.resolve(
            request.cookies.get(COOKIE),
            request.cookies.get(KEY_COOKIE),
            request[NOW],
            state.config.session_idle_s,
        )
        request[SESSION] = session
        request[SET_COOKIES] = fresh
    return request[SESSION]


def _lang(request: web.Request) -> str:
    return texts.pick_language(
        request.headers.get("Accept-Language"), _state(request).config.default_language
    )


def _html(text: str, status: int = 200) -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8")


def _redirect(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


def _field(request: web.Request, name: str) -> str | None:
    value = request[FORM].get(name) if FORM in request else None
    return value if isinstance(value, str) else None


def _param(request: web.Request, name: str) -> str | None:
    """A variable from the form or the query string, as MRBS's get_form_var() reads either."""
    value = _field(request, name)
    return value if value is not None else request.query.get(name)


def _int(text: str | None) -> int | None:
    return int(text) if text is not None and _DIGITS.fullmatch(text.strip()) else None


def _day(text: str | None) -> dt.date | None:
    """A YYYY-MM-DD date MRBS can work with (its calendar's years), else None."""
    if text is None or not _ISO_DAY.fullmatch(text):
        return None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    return day if _YEARS[0] <= day.year <= _YEARS[1] else None


def _token_refused(request: web.Request) -> web.Response | None:
    """Form::checkToken(): a wrong or missing token logs the session off and ends the request."""
    session = _session(request)
    if csrf_ok(session, _field(request, "csrf_token")):
        return None
    session.username = None
    return _html(pages.fatal_page(_lang(request), session, "session_expired"))


def _page_day(request: web.Request) -> dt.date:
    """The date a page shows: page_date, or year/month/day, or today."""
    day = _day(request.query.get("page_date"))
    if day is not None:
        return day
    parts = [request.query.get(name, "") for name in ("year", "month", "day")]
    named = _day("{:0>4}-{:0>2}-{:0>2}".format(*parts))
    return named or _state(request).today(request[NOW])


def _area(request: web.Request) -> int:
    """The area asked for; MRBS falls back to its default (the first) area."""
    areas = _state(request).config.areas
    asked = _int(_param(request, "area"))
    return asked if asked in areas else next(iter(areas))


def _shown_area(request: web.Request) -> int:
    """The area a view shows: the one asked for even if it does not exist (a view of no rooms)."""
    asked = _int(_param(request, "area"))
    return asked if asked is not None and asked > 0 else _area(request)


def _login_wall(request: web.Request, *, always: bool = False) -> web.Response | None:
    """MRBS's checkAuthorised(): the login form for a logged-out visitor where the page needs a login
    (search.php always; every page once the club sets $auth['deny_public_access'])."""
    session = _session(request)
    if session.username is not None or not (always or _state(request).config.deny_public_access):
        return None
    return _html(pages.login_page(_lang(request), session, target=request.path.lstrip("/") or "index.php"))


def _slot_of(request: web.Request) -> tuple[int | None, int | None, int | None]:
    """(room, start, end) a booking form names, rounded to slots, or Nones where it does not."""
    state = _state(request)
    rooms = [_int(r) for r in request[FORM].getall("rooms[]", [])] if FORM in request else []
    room = rooms[0] if rooms else None
    start_day, end_day = _day(_field(request, "start_date")), _day(_field(request, "end_date"))
    if start_day is None or end_day is None:
        return room, None, None
    start = state.instant(start_day, _int(_field(request, "start_seconds")) or 0)
    end = state.instant(end_day, _int(_field(request, "end_seconds")) or 0)
    return (room, *state.round_to_slots(start_day, start, end))


def _record(
    request: web.Request, username: str | None, outcome: str, slot: tuple[int | None, int | None, int | None]
) -> None:
    state = _state(request)
    room, start, end = slot
    release = state.release_at(start, end) if start is not None and end is not None else None
    state.record_arrival(Arrival(username, room, start, end, request[NOW], release, outcome, request[WIRE]))


def _return_page(returl: str | None) -> str:
    """The basename of the page a form came from, if it is one a booking may return to."""
    path = urlsplit(returl or "").path.rsplit("/", 1)[-1]
    return path if path in _RETURN_PAGES else "index.php"


# The day view


async def _index(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    wall = _login_wall(request)
    if wall is not None:
        return wall
    area_id, day, lang = _shown_area(request), _page_day(request), _lang(request)
    if request.query.get("refresh"):
        return _html(pages.day_refresh(state, area_id, day, session, lang))
    return _html(pages.day_page(state, area_id, day, session, lang))


# Logging in and off


async def _get_admin(request: web.Request) -> web.StreamResponse:
    session = _session(request)
    lang = _lang(request)
    if session.username is None or request.query.get("action") == "QueryName":
        return _html(pages.login_page(lang, session, target=_return_page(request.query.get("target_url"))))
    return _html(pages.day_page(_state(request), _area(request), _page_day(request), session, lang))


async def _post_admin(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    lang = _lang(request)
    target = _return_page(_field(request, "target_url"))
    action = _field(request, "action")
    username = _field(request, "username") or ""
    if action == "SetName" and not username:  # logging off needs no token
        session.username = None
        return _redirect(target)
    refused = _token_refused(request)
    if refused is not None:
        return refused
    if action != "SetName":
        return _html(pages.login_page(lang, session, target=target))
    expected = state.config.members.get(username)
    password = _field(request, "password") or ""
    if expected is None or not hmac.compare_digest(expected.encode(), password.encode()):
        return _html(pages.login_page(lang, session, "unknown_user", target))
    state.sessions.regenerate(session)
    session.username = username
    state.logins.append(username)
    request[SET_COOKIES] = True
    return _redirect(target)


# Booking


async def _post_booking(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    cfg = state.config
    session = _session(request)
    lang = _lang(request)
    ajax = request.headers.get("X-Requested-With") == "XMLHttpRequest"
    slot = _slot_of(request)
    if ajax and session.username is None:
        _record(request, None, "login", slot)
        return web.Response(text="", content_type="text/html")
    if ajax and slot[0] is None:  # nothing to check without a room
        return web.json_response(None)
    refused = _token_refused(request)
    if refused is not None:
        _record(request, None, "session-expired", slot)
        return refused
    username = session.username
    if username is None:
        _record(request, None, "login", slot)
        return _html(pages.login_page(lang, session))
    room, start, end = slot
    name = (_field(request, "name") or "").strip()
    if not ajax and (room is None or cfg.area_of(room) is None or not name):
        _record(request, username, "invalid", slot)
        key = (
            "must_set_description"
            if room is not None and cfg.area_of(room) is not None
            else "no_rooms_selected"
        )
        return _html(pages.invalid_booking_page(lang, session, key))
    returl = _field(request, "returl")
    if start is None or end is None or room is None or cfg.area_of(room) is None:
        # "If we haven't been given a sensible date then get out of here and don't try and make a booking"
        _record(request, username, "invalid", slot)
        return _redirect(_return_page(returl))
    now = request[NOW]
    check = state.check(username, room, start, end, now)
    if ajax:
        _record(request, username, "check", slot)
        return web.json_response(
            {
                "valid_booking": check.ok,
                "violations": {
                    "notices": [],
                    "errors": [pages.violation_text(lang, v) for v in check.violations],
                },
                "conflicts": [pages.conflict_item(state, lang, e) for e in check.conflicts],
            }
        )
    view = (parse_qs(urlsplit(returl or "").query).get("view") or ["day"])[0]
    day_vars = _day_vars(state.local(start).date(), cfg.area_of(room), room)
    back = f"{_return_page(returl)}?{urlencode({'view': view, **day_vars})}"
    if not check.ok:
        _record(request, username, "policy" if check.violations else "conflict", slot)
        return _html(pages.conflict_page(state, lang, session, check.violations, check.conflicts, back))
    if cfg.race_window_ms > 0:
        # MRBS under a multi-worker server: nothing stops a second request passing the same check meanwhile.
        await asyncio.sleep(cfg.race_window_ms / 1000)
    description = (_field(request, "description") or "").strip()
    confirmed = (_field(request, "confirmed") or "") not in ("", "0")  # PHP's truthiness
    state.store(
        username,
        room,
        start,
        end,
        name,
        description,
        now,
        tentative=cfg.confirmation_enabled and not confirmed,
    )
    _record(request, username, "booked", slot)
    if cfg.commit_store_then_fail > 0:
        cfg.commit_store_then_fail -= 1
        return proxy.page(500)
    return _redirect(back)


def _day_vars(day: dt.date, area: int | None, room: int) -> dict[str, object]:
    return {"year": day.year, "month": day.month, "day": day.day, "area": area, "room": room}


# Search, cancelling and the pages for people


async def _search(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    wall = _login_wall(request, always=True)  # it shows usernames: MRBS asks for a login first
    if wall is not None:
        return wall
    if request.method == "POST":
        refused = _token_refused(request)
        if refused is not None:
            return refused
    query = (_param(request, "search_str") or "").strip()
    from_day = _day(_param(request, "from_date")) or state.today(request[NOW])
    found = state.search(query, from_day) if query else []
    position = max(0, _int(_param(request, "search_pos")) or 0)
    if position >= len(found) > 0:
        position = len(found) - (len(found) % state.config.search_page_size or state.config.search_page_size)
    return _html(pages.search_page(state, _lang(request), session, query, from_day, found, position))


async def _post_delete(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    lang = _lang(request)
    refused = _token_refused(request)
    if refused is not None:
        return refused
    if session.username is None:
        return _html(pages.login_page(lang, session))
    entry_id = _int(_field(request, "id"))
    if entry_id is None or not state.delete(session.username, entry_id):
        return _html(pages.access_denied_page(lang, session))
    returl = _field(request, "returl") or ""
    query = urlsplit(returl).query
    return _redirect(_return_page(returl) + (f"?{query}" if query else ""))


async def _view_entry(request: web.Request) -> web.StreamResponse:
    wall = _login_wall(request, always=True)  # without anonymous booking MRBS asks for a login
    if wall is not None:
        return wall
    state = _state(request)
    entry_id = _int(request.query.get("id"))
    entry = state.entry(entry_id) if entry_id is not None else None
    return _html(pages.entry_page(state, _lang(request), _session(request), entry))


async def _edit_entry(request: web.Request) -> web.StreamResponse:
    state = _state(request)
    session = _session(request)
    lang = _lang(request)
    if session.username is None:
        return _html(pages.login_page(lang, session))
    room = _int(request.query.get("room"))
    rooms = state.config.areas[_area(request)].rooms
    hour, minute = _int(request.query.get("hour")) or 0, _int(request.query.get("minute")) or 0
    try:
        start = dt.time(hour, minute)
    except ValueError:
        start = state.config.open_from
    return _html(
        pages.edit_entry_page(
            state.config,
            lang,
            session,
            room if room in rooms else next(iter(rooms)),
            _page_day(request),
            start,
        )
    )


async def _image(request: web.Request) -> web.StreamResponse:
    return web.Response(body=_PNG, content_type="image/png")

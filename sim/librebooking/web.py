"""LibreBooking's web pages for members: logging in, the schedule, and the AJAX booking endpoints.

A page that needs a login redirects a visitor without one (or with an expired session) to
`index.php?redirect=<the page>`; a POST of a logged-in session with a missing or wrong CSRF token dies
with 500 "Insecure request" before anything else happens, as LibreBooking's Page::EnforceCSRFCheck does.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
from urllib.parse import quote

from aiohttp import web
from multidict import MultiDictProxy

from sim import proxy
from sim.librebooking import common, pages, texts
from sim.librebooking.common import NOW, PREFIX, state_of
from sim.librebooking.state import SESSION_COOKIE, Refusal, WebSession

SESSION = web.RequestKey("session", WebSession)
SET_COOKIE = web.RequestKey("set_cookie", bool)
FORM = web.RequestKey("form", MultiDictProxy)
SAVE_PATH = PREFIX + "/ajax/reservation_save.php"


def session_of(request: web.Request) -> WebSession:
    """The request's PHP session (every page starts one), remembered for the cookie hook."""
    if SESSION not in request:
        session, fresh = state_of(request).web_session(request.cookies.get(SESSION_COOKIE), request[NOW])
        request[SESSION] = session
        request[SET_COOKIE] = fresh
    return request[SESSION]


def _field(request: web.Request, name: str) -> str | None:
    value = request[FORM].get(name) if FORM in request else None
    return value if isinstance(value, str) else None


async def _read_form(request: web.Request) -> None:
    try:
        request[FORM] = await request.post()
    except ValueError:
        raise web.HTTPBadRequest(text="The form could not be read.") from None


def _to_login(request: web.Request) -> web.Response:
    return web.Response(
        status=302, headers={"Location": f"{PREFIX}/index.php?redirect={quote(request.path, safe='')}"}
    )


def _insecure(request: web.Request, session: WebSession) -> web.Response | None:
    token = _field(request, "CSRF_TOKEN") or ""
    if session.csrf and hmac.compare_digest(token.encode(), session.csrf.encode()):
        return None
    return common.html("Insecure request", status=500)


# Logging in


async def get_index(request: web.Request) -> web.StreamResponse:
    session_of(request)
    return common.html(pages.login_page(common.language(request, login_page=True)))


async def post_index(request: web.Request) -> web.StreamResponse:
    """index.php: with `login` in the form, a login (no CSRF token); without it the page just reloads."""
    await _read_form(request)
    state = state_of(request)
    session = session_of(request)
    lang = common.language(request, login_page=True)
    if _field(request, "login") is None:
        return common.html(pages.login_page(lang))
    username = state.check_login(_field(request, "email") or "", _field(request, "password") or "")
    if username is None:
        return common.html(pages.login_page(lang, failed=True))
    state.log_in_web(session, username)
    return web.Response(status=302, headers={"Location": "schedule.php"})


# The schedule


async def get_schedule(request: web.Request) -> web.StreamResponse:
    """schedule.php?sd=YYYY-MM-DD&sid=N: the week (from the schedule's first weekday) holding that day."""
    state = state_of(request)
    session = session_of(request)
    if session.user_id is None:
        return _to_login(request)
    cfg = state.config
    schedule_id = _int(request.query.get("sid"))
    schedule_id = schedule_id if schedule_id in cfg.schedules else next(iter(cfg.schedules))
    try:
        day = dt.date.fromisoformat(request.query.get("sd", ""))
    except ValueError:
        day = state.today(request[NOW])
    first = day - dt.timedelta(days=(day.isoweekday() % 7 - cfg.weekday_start) % 7)
    return common.html(
        pages.schedule_page(state, common.language(request), session, schedule_id, first, request[NOW])
    )


async def post_schedule(request: web.Request) -> web.StreamResponse:
    """schedule.php?dr=reservations: the bookings the page's script draws, as JSON (CSRF not checked): those
    touching beginDate's midnight to endDate's (the page sends the day after the last it shows)."""
    await _read_form(request)
    state = state_of(request)
    session = session_of(request)
    if session.user_id is None:
        return _to_login(request)
    if request.query.get("dr") != "reservations":
        return await get_schedule(request)
    try:
        first = dt.date.fromisoformat(_field(request, "beginDate") or "")
        last = dt.date.fromisoformat(_field(request, "endDate") or "")
    except ValueError:
        return web.json_response([])
    schedule_id = _int(_field(request, "scheduleId"))
    owner = _int(_field(request, "userId"))
    begin, end = state.instant(first, dt.time()), state.instant(last, dt.time())  # from midnight to midnight
    lang = common.language(request)
    items = []
    for r in state.between(begin, end):
        if schedule_id is not None and state.config.resources[r.resource_id].schedule_id != schedule_id:
            continue
        if owner is not None and r.user_id != owner:
            continue
        first_name, last_name = state.names(state.username(r.user_id) or "")
        items.append(
            {
                "StartDate": str(r.start),
                "EndDate": str(r.end),
                "Id": r.reference[-6:],
                "ReferenceNumber": r.reference,
                "ResourceId": str(r.resource_id),
                "IsReservation": True,
                "IsBuffer": False,
                "IsBuffered": False,
                "IsPending": False,
                "IsOwner": r.user_id == session.user_id,
                "IsParticipant": False,
                "IsPast": r.end < request[NOW],
                "Label": f"{first_name} {last_name}".strip(),
                "StartTime": texts.period_time(lang, state.local(r.start)),
                "EndTime": texts.period_time(lang, state.local(r.end)),
            }
        )
    return web.Response(text=json.dumps(items), content_type="application/json")


async def get_reservation(request: web.Request) -> web.StreamResponse:
    state = state_of(request)
    session = session_of(request)
    if session.user_id is None:
        return _to_login(request)
    resource_id = _int(request.query.get("rid")) or next(iter(state.config.resources))
    return common.html(pages.reservation_page(state, common.language(request), session, resource_id))


# Booking and cancelling


async def post_save(request: web.Request) -> web.StreamResponse:
    """ajax/reservation_save.php: the reservation form; `userId` is required (and honoured as given)."""
    await _read_form(request)
    state = state_of(request)
    session = session_of(request)
    resource_id = _int(_field(request, "resourceId"))
    start = common.local_instant(state, _field(request, "beginDate"), _field(request, "beginPeriod"))
    end = common.local_instant(state, _field(request, "endDate"), _field(request, "endPeriod"))
    if session.user_id is None:
        common.record(request, None, resource_id, start, end, "session-expired", "web")
        return _to_login(request)
    booker = state.username(session.user_id)
    insecure = _insecure(request, session)
    if insecure is not None:
        common.record(request, booker, resource_id, start, end, "csrf", "web")
        return insecure
    lang = common.language(request)
    user_id = _int(_field(request, "userId"))
    if user_id is None or state.username(user_id) is None or start is None or end is None:
        common.record(request, booker, resource_id, start, end, "invalid", "web")
        return common.html(pages.critical_fragment(lang))
    outcome = await common.reserve(
        request, user_id, resource_id or 0, start, end, _field(request, "reservationTitle") or "", "web"
    )
    if isinstance(outcome, Refusal):
        return common.html(pages.failed_fragment(lang, [state.explain(outcome, lang)]))
    if common.stored_then_fail(state):
        return proxy.page(500)
    resource = state.config.resources[outcome.resource_id].name
    day = texts.general_date(lang, state.local(outcome.start))
    return common.html(pages.created_fragment(lang, outcome.reference, day, resource))


async def post_delete(request: web.Request) -> web.StreamResponse:
    """ajax/reservation_delete.php: without `seriesUpdateScope` (or for a reference it cannot load)
    LibreBooking answers its critical-error fragment."""
    await _read_form(request)
    state = state_of(request)
    session = session_of(request)
    if session.user_id is None:
        return _to_login(request)
    insecure = _insecure(request, session)
    if insecure is not None:
        return insecure
    lang = common.language(request)
    found = state.reservation(_field(request, "referenceNumber") or "")
    if found is None or not _field(request, "seriesUpdateScope"):
        return common.html(pages.critical_fragment(lang))
    refusal = state.check_delete(session.user_id, found, request[NOW])
    if refusal is not None:
        return common.html(pages.failed_fragment(lang, [state.explain(refusal, lang)], saving=False))
    state.delete(found.reference)
    return common.html(pages.deleted_fragment(lang))


def _int(text: str | None) -> int | None:
    value = (text or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def routes(app: web.Application) -> None:
    app.router.add_get(PREFIX + "/", get_index)
    app.router.add_get(PREFIX + "/index.php", get_index)
    app.router.add_post(PREFIX + "/index.php", post_index)
    app.router.add_get(PREFIX + "/schedule.php", get_schedule)
    app.router.add_post(PREFIX + "/schedule.php", post_schedule)
    app.router.add_get(PREFIX + "/reservation.php", get_reservation)
    app.router.add_post(SAVE_PATH, post_save)
    app.router.add_post(PREFIX + "/ajax/reservation_delete.php", post_delete)


def cookie_header(request: web.Request) -> str | None:
    """The Set-Cookie for a session this request started (PHP's: path /Web)."""
    session = request.get(SESSION)
    if session is None or not request.get(SET_COOKIE):
        return None
    return f"{SESSION_COOKIE}={session.sid}; path={PREFIX}; HttpOnly"

"""LibreBooking's REST API (Web/Services/index.php/...) as 2.8.6 answers it.

One catch-all route dispatches as Slim does, so a club that switched the API off answers every URL with
the same 200 text/html line, and an unknown path gets Slim's 404 page. Secure routes need both session
headers; anything wrong with them is a 401 text/html. JSON is written as PHP's json_encode writes it
(`/` escaped as `\\/`), ids and numbers read from the database as strings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from sim import proxy
from sim.librebooking import common
from sim.librebooking.common import NOW, state_of
from sim.librebooking.state import ApiSession, LibreBookingState, Refusal, Reservation

PATH = common.PREFIX + "/Services/index.php"
DISABLED = (
    "LibreBooking API has been configured as disabled.<br/><br/>"
    "Set $conf['settings']['api']['enabled'] = 'true' to enable."
)
UNAUTHORIZED = "You must be authenticated in order to access this service.<br/>"
SESSION_TOKEN = "X-Booked-SessionToken"
USER_ID = "X-Booked-UserId"
FAILED = "There were errors processing your request"
NOT_FOUND = "The requested resource was not found"
_NEEDED_KEYS = ("title", "description", "allowParticipation", "termsAccepted")

Handler = Callable[[web.Request, ApiSession | None, tuple[str, ...]], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class _Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    secure: bool


async def dispatch(request: web.Request) -> web.StreamResponse:
    """Every URL under Services/index.php: the API switch, Slim's routing, then WebServiceSecurity."""
    state = state_of(request)
    if not state.config.api_enabled:
        if is_booking(request):
            common.record(request, None, None, None, None, "disabled", "api")
        return common.html(DISABLED)
    tail = request.match_info["tail"]
    for route in _ROUTES:
        match = route.pattern.fullmatch(tail)
        if match is None or route.method != request.method:
            continue
        session = None
        if route.secure:
            session = state.use_token(
                request.headers.get(SESSION_TOKEN), request.headers.get(USER_ID), request[NOW]
            )
            if session is None:
                if is_booking(request):
                    common.record(request, None, None, None, None, "session-expired", "api")
                login = request.url.with_path(f"{PATH}/Authentication/Authenticate").with_query(None)
                return common.html(UNAUTHORIZED + str(login), status=401)
        return await route.handler(request, session, match.groups())
    return common.html("<html><body><h1>404 Page Not Found</h1></body></html>", status=404)


def is_booking(request: web.Request) -> bool:
    """POST Reservations/: the request that books, which the arrival log records."""
    return request.method == "POST" and request.path.rstrip("/") == PATH + "/Reservations"


# Authentication


async def _authenticate(
    request: web.Request, _: ApiSession | None, __: tuple[str, ...]
) -> web.StreamResponse:
    state = state_of(request)
    body = await _json_body(request)
    if not isinstance(body, dict):  # the body is read as JSON whatever its Content-Type
        return _php_error("Trying to get property 'username' of non-object")
    login, password = str(body.get("username") or ""), str(body.get("password") or "")
    username = state.check_login(login, password)
    if username is None:
        return _json(
            {
                "sessionToken": None,
                "sessionExpires": None,
                "userId": None,
                "isAuthenticated": False,
                "version": None,
                "links": [],
                "message": "Login failed. Invalid username or password.",
            }
        )
    session = state.open_token(username, request[NOW])
    return _json(
        {
            "sessionToken": session.token,
            "sessionExpires": _utc_iso(session.expires),
            "userId": str(session.user_id),
            "isAuthenticated": True,
            "version": "2.8",
            "links": [_link(request, "Authentication/SignOut", "signout")],
            "message": None,
        }
    )


async def _sign_out(request: web.Request, _: ApiSession | None, __: tuple[str, ...]) -> web.StreamResponse:
    body = await _json_body(request)
    if isinstance(body, dict):
        state_of(request).sign_out(str(body.get("sessionToken") or ""), str(body.get("userId") or ""))
    return _json({"signedOut": True, "links": [], "message": None})


# Schedules and resources


async def _schedules(request: web.Request, _: ApiSession | None, __: tuple[str, ...]) -> web.StreamResponse:
    cfg = state_of(request).config
    default = next(iter(cfg.schedules))
    midnight = state_of(request).local(request[NOW]).replace(hour=0, minute=0, second=0, microsecond=0)
    return _json(
        {
            "schedules": [
                {
                    "daysVisible": str(cfg.days_visible),
                    "id": str(sid),
                    "isDefault": sid == default,
                    "name": name,
                    "timezone": cfg.timezone,
                    "weekdayStart": str(cfg.weekday_start),
                    "availabilityBegin": _iso(midnight),
                    "availabilityEnd": _iso(midnight),
                    "maxResourcesPerReservation": "0",
                    "totalConcurrentReservationsAllowed": "0",
                    "links": [_link(request, f"Schedules/{sid}", "get_schedule")],
                    "message": None,
                }
                for sid, name in cfg.schedules.items()
            ],
            "links": [],
            "message": None,
        }
    )


async def _resources(request: web.Request, _: ApiSession | None, __: tuple[str, ...]) -> web.StreamResponse:
    cfg = state_of(request).config
    return _json(
        {
            "resources": [
                {
                    "resourceId": str(rid),
                    "name": resource.name,
                    "location": None,
                    "contact": None,
                    "notes": None,
                    "minLength": _interval(resource.min_minutes * 60),
                    "maxLength": _interval(resource.max_minutes * 60),
                    "requiresApproval": False,
                    "allowMultiday": False,
                    "maxParticipants": None,
                    "minNoticeAdd": "",
                    "minNoticeUpdate": "",
                    "minNoticeDelete": "",
                    "maxNotice": _interval(resource.max_notice_s or 0),
                    "description": None,
                    "scheduleId": str(resource.schedule_id),
                    "statusId": "1",
                    "bufferTime": "",
                    "links": [_link(request, f"Resources/{rid}", "get_resource")],
                    "message": None,
                }
                for rid, resource in cfg.resources.items()
            ],
            "links": [],
            "message": None,
        }
    )


async def _slots(
    request: web.Request, session: ApiSession | None, groups: tuple[str, ...]
) -> web.StreamResponse:
    """Schedules/{id}/Slots: both dates inclusive, in the account's zone; without both, an empty 200."""
    state = state_of(request)
    cfg = state.config
    schedule_id = int(groups[0])
    first, last = _day(request.query.get("startDateTime")), _day(request.query.get("endDateTime"))
    if first is None or last is None or schedule_id not in cfg.schedules:
        return web.Response(status=200, content_type="text/html")
    wanted = request.query.get("resourceId", "")
    resources = [
        rid
        for rid, resource in cfg.resources.items()
        if resource.schedule_id == schedule_id and (not wanted or wanted == str(rid))
    ]
    dates = []
    day = first
    while day <= last and len(dates) < 366:
        dates.append(
            {
                "date": _iso(state.local(state.instant(day, dt.time()))),
                "resources": [_resource_slots(request, state, rid, day, session) for rid in resources],
                "links": [],
                "message": None,
            }
        )
        day += dt.timedelta(days=1)
    return _json(
        {
            "dates": dates,
            "links": [_link(request, f"Schedules/{schedule_id}", "get_schedule")],
            "message": None,
        }
    )


def _resource_slots(
    request: web.Request, state: LibreBookingState, rid: int, day: dt.date, session: ApiSession | None
) -> dict[str, Any]:
    """One resource's day as the layout draws it: a reservation is one slot however many periods it covers."""
    slots: list[dict[str, Any]] = []
    periods = state.periods(day)
    booked = [r for r in state.between(periods[0][0], periods[-1][1]) if r.resource_id == rid]
    covered_until = 0
    for start, end, reservable in periods:
        if start < covered_until:
            continue
        holder = next((r for r in booked if r.start < end and start < r.end), None)
        if holder is not None:
            span = sum(1 for s, e, _ in periods if s < holder.end and holder.start < e)
            slots.append(
                _slot(state, holder.start, holder.end, span, True, True, _item(request, state, holder))
            )
            covered_until = holder.end
            continue
        slots.append(_slot(state, start, end, 1, False, reservable, None))
    return {
        "slots": slots,
        "resourceId": str(rid),
        "resourceName": state.config.resources[rid].name,
        "links": [_link(request, f"Resources/{rid}", "get_resource")],
        "message": None,
    }


def _slot(
    state: LibreBookingState,
    start: int,
    end: int,
    span: int,
    reserved: bool,
    reservable: bool,
    reservation: dict[str, Any] | None,
) -> dict[str, Any]:
    return {
        "slotSpan": span,
        "isReserved": reserved,
        "label": reservation["firstName"] + " " + reservation["lastName"] if reservation else None,
        "isReservable": reservable,
        "color": None,
        "startDateTime": _iso(state.local(start)),
        "endDateTime": _iso(state.local(end)),
        "reservation": reservation,
        "links": [],
        "message": None,
    }


# Reservations


async def _reservations(
    request: web.Request, _: ApiSession | None, __: tuple[str, ...]
) -> web.StreamResponse:
    """Reservations/: every member's that touch the range (ends inclusive); now to now + 14 days by default;
    a date that cannot be read is silently now."""
    state = state_of(request)
    now = request[NOW]
    start = _moment(state, request.query.get("startDateTime"), now)
    end = _moment(state, request.query.get("endDateTime"), now + 14 * 86400)
    filters = {key: request.query.get(key, "") for key in ("scheduleId", "resourceId", "userId")}
    listed = [
        r
        for r in state.between(start, end)
        if (not filters["resourceId"] or filters["resourceId"] == str(r.resource_id))
        and (not filters["userId"] or filters["userId"] == str(r.user_id))
        and (
            not filters["scheduleId"]
            or filters["scheduleId"] == str(state.config.resources[r.resource_id].schedule_id)
        )
    ]
    return _json(
        {
            "reservations": [_item(request, state, r) for r in listed],
            # LibreBooking sets these inside its loop: an empty list leaves them null
            "startDateTime": _iso(state.local(start)) if listed else None,
            "endDateTime": _iso(state.local(end)) if listed else None,
            "links": [],
            "message": None,
        }
    )


async def _reservation(
    request: web.Request, _: ApiSession | None, groups: tuple[str, ...]
) -> web.StreamResponse:
    state = state_of(request)
    found = state.reservation(groups[0])
    if found is None:
        return _json({"links": [], "message": NOT_FOUND}, status=404)
    return _json(_item(request, state, found))


async def _create(request: web.Request, session: ApiSession | None, _: tuple[str, ...]) -> web.StreamResponse:
    """POST Reservations/: the body as JSON whatever its Content-Type; `userId` is honoured if given."""
    assert session is not None
    state = state_of(request)
    body = await _json_body(request)
    booker = state.username(session.user_id)
    if not isinstance(body, dict):
        common.record(request, booker, None, None, None, "invalid", "api")
        return _php_error("Trying to get property 'resourceId' of non-object")
    missing = [key for key in ("startDateTime", "endDateTime") if key not in body]
    if missing:
        common.record(request, booker, None, None, None, "invalid", "api")
        return _failed(
            [f"Could not process request.ErrorException: Undefined property: stdClass::${missing[0]}"]
        )
    absent = [key for key in _NEEDED_KEYS if key not in body]
    if absent:
        common.record(request, booker, None, None, None, "invalid", "api")
        return _php_error(f"Undefined property: stdClass::${absent[0]}")
    resource_id = _int(body.get("resourceId"))
    start, end = _api_time(state, body.get("startDateTime")), _api_time(state, body.get("endDateTime"))
    errors = [
        text
        for text, bad in (
            ("Missing or invalid resourceId", not resource_id),
            ("Missing or invalid startDateTime", start is None),
            ("Missing or invalid endDateTime", end is None),
        )
        if bad
    ]
    user_id = _int(body.get("userId")) or session.user_id  # another member's id books in their name (seen)
    if errors or state.username(user_id) is None:
        common.record(request, booker, resource_id or None, start, end, "invalid", "api")
        return _failed(errors or [state.explain(Refusal("invalid-data"), common.language(request))])
    assert resource_id is not None and start is not None and end is not None
    outcome = await common.reserve(
        request, user_id, resource_id, start, end, str(body.get("title") or ""), "api"
    )
    if isinstance(outcome, Refusal):
        return _failed([state.explain(outcome, common.language(request))])
    if common.stored_then_fail(state):
        return proxy.page(500)
    return _json(
        {
            "referenceNumber": outcome.reference,
            "isPendingApproval": False,
            "links": [
                _link(request, f"Reservations/{outcome.reference}", "get_reservation"),
                _link(request, f"Reservations/{outcome.reference}", "update_reservation"),
            ],
            "message": "The reservation was created",
        },
        status=201,
    )


async def _delete(
    request: web.Request, session: ApiSession | None, groups: tuple[str, ...]
) -> web.StreamResponse:
    """DELETE Reservations/{ref}: an unknown (or already cancelled) reference is an empty 200."""
    assert session is not None
    state = state_of(request)
    found = state.reservation(groups[0])
    if found is None:
        return web.Response(status=200, content_type="application/json")
    refusal = state.check_delete(session.user_id, found, request[NOW])
    if refusal is not None:
        return _failed([state.explain(refusal, common.language(request))])
    state.delete(found.reference)
    return _json({"links": [], "message": "The item was deleted"})


# Users


async def _users(request: web.Request, _: ApiSession | None, __: tuple[str, ...]) -> web.StreamResponse:
    state = state_of(request)
    wanted = request.query.get("username", "")
    users = []
    for username, user_id in state.config.user_ids().items():
        if wanted and wanted.casefold() != username.casefold():
            continue
        first, last = state.names(username)
        users.append(
            {
                "id": str(user_id),
                "userName": username,
                "firstName": first,
                "lastName": last,
                "emailAddress": state.email(username),
                "timezone": state.config.timezone,
                "language": state.config.default_language,
                "statusId": "1",
                "links": [_link(request, f"Users/{user_id}", "get_user")],
                "message": None,
            }
        )
    return _json({"users": users, "links": [], "message": None})


async def _help(request: web.Request, _: ApiSession | None, __: tuple[str, ...]) -> web.StreamResponse:
    return common.html("<html><head><title>LibreBooking API</title></head><body><h1>API</h1></body></html>")


_ROUTES = (
    _Route("GET", re.compile(r"/?(?:Help/?)?"), _help, False),
    _Route("POST", re.compile(r"/?Authentication/Authenticate/?"), _authenticate, False),
    _Route("POST", re.compile(r"/?Authentication/SignOut/?"), _sign_out, False),
    _Route("GET", re.compile(r"/?Schedules/?"), _schedules, True),
    _Route("GET", re.compile(r"/?Schedules/([0-9]+)/Slots/?"), _slots, True),
    _Route("GET", re.compile(r"/?Resources/?"), _resources, True),
    _Route("GET", re.compile(r"/?Reservations/?"), _reservations, True),
    _Route("POST", re.compile(r"/?Reservations/?"), _create, True),
    _Route("GET", re.compile(r"/?Reservations/([^/]+)/?"), _reservation, True),
    _Route("DELETE", re.compile(r"/?Reservations/([^/]+)/?"), _delete, True),
    _Route("GET", re.compile(r"/?Users/?"), _users, True),
)


# Reading and writing


def _item(request: web.Request, state: LibreBookingState, r: Reservation) -> dict[str, Any]:
    """A reservation as ReservationItemResponse shows it (owner's names included)."""
    username = state.username(r.user_id) or ""
    first, last = state.names(username)
    resource = state.config.resources[r.resource_id]
    return {
        "referenceNumber": r.reference,
        "startDate": _iso(state.local(r.start)),
        "endDate": _iso(state.local(r.end)),
        "firstName": first,
        "lastName": last,
        "resourceName": resource.name,
        "title": r.title,
        "description": "",
        "requiresApproval": False,
        "isRecurring": False,
        "scheduleId": str(resource.schedule_id),
        "userId": str(r.user_id),
        "resourceId": str(r.resource_id),
        "duration": _interval(r.end - r.start),
        "bufferTime": "",
        "bufferedStartDate": _iso(state.local(r.start)),
        "bufferedEndDate": _iso(state.local(r.end)),
        "participants": [],
        "invitees": [],
        "links": [
            _link(request, f"Resources/{r.resource_id}", "get_resource"),
            _link(request, f"Reservations/{r.reference}", "get_reservation"),
            _link(request, f"Users/{r.user_id}", "get_user"),
        ],
        "message": None,
    }


def _json(data: Any, status: int = 200) -> web.Response:
    """As PHP's json_encode writes it: `/` escaped."""
    text = json.dumps(data, separators=(",", ":")).replace("/", "\\/")
    return web.Response(text=text, status=status, content_type="application/json")


def _failed(errors: list[str]) -> web.Response:
    return _json({"errors": errors, "links": [], "message": FAILED}, status=400)


def _php_error(detail: str) -> web.Response:
    """What PHP shows for an error LibreBooking does not catch: a 500 page with a stack trace."""
    return common.html(
        f"<br />\n<b>Fatal error</b>: Uncaught ErrorException: {detail} in "
        "/var/www/html/WebServices/ReservationWriteWebService.php:42\nStack trace:\n#0 {main}\n",
        status=500,
    )


def _link(request: web.Request, path: str, title: str) -> dict[str, str]:
    return {"href": str(request.url.with_path(f"{PATH}/{path}").with_query(None)), "title": title}


async def _json_body(request: web.Request) -> Any:
    try:
        return json.loads(await request.read())
    except ValueError:
        return None


def _iso(moment: dt.datetime) -> str:
    """PHP's DateTime::ISO8601: an offset without a colon."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S%z")


def _utc_iso(instant: float) -> str:
    return _iso(dt.datetime.fromtimestamp(int(instant), dt.UTC))


def _interval(seconds: int) -> str:
    """TimeInterval::ToShortString: '7d0h0m', or '' for none."""
    if seconds <= 0:
        return ""
    return f"{seconds // 86400}d{seconds % 86400 // 3600}h{seconds % 3600 // 60}m"


def _int(value: object) -> int | None:
    text = str(value).strip() if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return int(text) if text.isdigit() and 0 < int(text) < 2**31 else None


def _day(text: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat((text or "")[:10])
    except ValueError:
        return None


def _moment(state: LibreBookingState, text: str | None, default: float) -> float:
    """WebServiceDate::GetDate: with a 'T' an exact time, else a date in the account's zone; a time that
    cannot be read is now, a missing one `default`."""
    if not text:
        return default
    if "T" in text:
        parsed = _exact(text)
        return parsed.timestamp() if parsed is not None else state.now()
    day = _day(text)
    return state.instant(day, dt.time()) if day is not None and len(text) == 10 else state.now()


def _api_time(state: LibreBookingState, value: object) -> int | None:
    """A reservation's start or end: ISO 8601, its offset honoured (none: the account's zone), seconds
    dropped as LibreBooking drops them."""
    if not isinstance(value, str):
        return None
    parsed = _exact(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return state.instant(parsed.date(), parsed.time().replace(second=0, microsecond=0))
    instant = int(parsed.timestamp())
    return instant - state.local(instant).second


def _exact(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text.strip())
    except ValueError:
        return None

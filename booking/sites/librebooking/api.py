"""LibreBooking 2.8's REST API answers, read into plain values or typed errors (pure: no I/O, no state).

What the API looks like over HTTP is in docs/platforms/librebooking.md. Ids come as strings or numbers
(read from a database by PHP); times as ISO 8601 with the account's offset (`+0100`). Anything that does
not look as expected raises `PageNotUnderstood` naming the answer, so a misread answer never passes for a
success. Page labels are names a member would recognise: "login", "schedules", "courts", "day",
"my bookings", "booking", "cancellation".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from booking.sites.errors import LoginFailed, PageNotUnderstood, SiteError

_ID = re.compile(r"[0-9]{1,12}")
_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:Z|[+-][0-9]{2}:?[0-9]{2})")
_INTERVAL = re.compile(r"([0-9]{1,5})d([0-9]{1,2})h([0-9]{1,2})m")
_REFERENCE = re.compile(r"[0-9A-Za-z]{6,40}")
#: what every API URL answers (200 text/html) when the club has switched its API off
_DISABLED = re.compile(r"API has been configured as disabled", re.IGNORECASE)


class ApiDisabled(SiteError):
    """The club's LibreBooking answers its API with "API has been configured as disabled"."""


@dataclass(frozen=True)
class ApiSession:
    token: str
    user_id: int


@dataclass(frozen=True)
class Schedule:
    id: int
    name: str
    timezone: str
    default: bool


@dataclass(frozen=True)
class Resource:
    id: int
    name: str
    schedule_id: int
    max_notice_s: int | None  # None: no maximum notice
    max_length_s: int | None  # None: no maximum length
    available: bool  # statusId 1


@dataclass(frozen=True)
class SlotInfo:
    """One slot of a resource's day as the layout draws it (a reservation is one slot, however long)."""

    resource_id: int
    start: int  # Unix seconds
    end: int
    reservable: bool  # the layout's word only: past slots and slots beyond the window say True too
    #: the reservation holding it: its owner's user id and reference
    owner_id: int | None
    reference: str | None


@dataclass(frozen=True)
class Listed:
    """A reservation as Reservations/ lists it."""

    reference: str
    resource_id: int
    start: int
    end: int
    user_id: int


def is_disabled(text: str) -> bool:
    return bool(_DISABLED.search(text[:400]))


def parse_authentication(text: str) -> ApiSession:
    """Authentication/Authenticate: a session, or LoginFailed (a refusal is a 200 too)."""
    page = "login"
    data = _object(text, page)
    if data.get("isAuthenticated") is True:
        token = data.get("sessionToken")
        if not isinstance(token, str) or not token.strip():
            raise PageNotUnderstood(page, "the club logged us in without a session token")
        return ApiSession(token.strip(), _id(data.get("userId"), "userId", page))
    if data.get("isAuthenticated") is False:
        raise LoginFailed()
    raise PageNotUnderstood(page, "the answer says neither that we are logged in nor that we are not")


def parse_schedules(text: str) -> list[Schedule]:
    page = "schedules"
    listed = _list(_object(text, page), "schedules", page)
    schedules = [
        Schedule(
            _id(item.get("id"), "id", page),
            _text(item.get("name"), "name", page),
            _text(item.get("timezone"), "timezone", page),
            item.get("isDefault") is True,
        )
        for item in (_entry(raw, page) for raw in listed)
    ]
    if not schedules:
        raise PageNotUnderstood(page, "the club has no schedules")
    return schedules


def parse_resources(text: str) -> list[Resource]:
    page = "courts"
    data = _object(text, page)
    listed = data.get("resources")
    if listed is None:  # PHP leaves the list unset when there are no resources
        return []
    if not isinstance(listed, list):
        raise PageNotUnderstood(page, "the answer has no list of resources")
    resources = []
    for raw in listed:
        item = _entry(raw, page)
        resources.append(
            Resource(
                _id(item.get("resourceId"), "resourceId", page),
                _text(item.get("name"), "name", page),
                _id(item.get("scheduleId"), "scheduleId", page),
                _interval(item.get("maxNotice"), page),
                _interval(item.get("maxLength"), page),
                str(item.get("statusId")) == "1",
            )
        )
    return resources


def parse_slots(text: str) -> list[SlotInfo]:
    """Schedules/{id}/Slots: every resource's slots on every date asked for."""
    page = "day"
    if not text.strip():
        raise PageNotUnderstood(page, "the club answered with nothing (were both dates sent?)")
    slots = []
    for raw_date in _list(_object(text, page), "dates", page):
        for raw_resource in _list(_entry(raw_date, page), "resources", page):
            resource = _entry(raw_resource, page)
            resource_id = _id(resource.get("resourceId"), "resourceId", page)
            for raw_slot in _list(resource, "slots", page):
                slot = _entry(raw_slot, page)
                start, end = _time(slot.get("startDateTime"), page), _time(slot.get("endDateTime"), page)
                if end <= start:
                    raise PageNotUnderstood(page, "a slot ends before it starts")
                owner_id, reference = None, None
                if _flag(slot.get("isReserved"), "isReserved", page):
                    held = _entry(slot.get("reservation"), page)
                    owner_id = _id(held.get("userId"), "userId", page)
                    reference = _reference(held.get("referenceNumber"), page)
                reservable = _flag(slot.get("isReservable"), "isReservable", page)
                slots.append(SlotInfo(resource_id, start, end, reservable, owner_id, reference))
    return slots


def parse_reservations(text: str, page: str = "my bookings") -> list[Listed]:
    """Reservations/: the list (every member's, unless filtered)."""
    listed = []
    for raw in _list(_object(text, page), "reservations", page):
        item = _entry(raw, page)
        start, end = _time(item.get("startDate"), page), _time(item.get("endDate"), page)
        if end <= start:
            raise PageNotUnderstood(page, "a booking ends before it starts")
        listed.append(
            Listed(
                _reference(item.get("referenceNumber"), page),
                _id(item.get("resourceId"), "resourceId", page),
                start,
                end,
                _id(item.get("userId"), "userId", page),
            )
        )
    return listed


def parse_created(text: str) -> str:
    """A 201 to POST Reservations/: the new reservation's reference number."""
    page = "booking"
    data = _object(text, page)
    if data.get("isPendingApproval") is True:
        raise PageNotUnderstood(page, "the club took the booking only as a request awaiting its approval")
    return _reference(data.get("referenceNumber"), page)


def parse_errors(text: str, page: str) -> tuple[str, ...]:
    """A 400's `errors`: LibreBooking's own words for why (its first failing rule), in the request's
    language."""
    errors = _list(_object(text, page), "errors", page)
    words = tuple(" ".join(e.split()) for e in errors if isinstance(e, str) and e.strip())
    if not words or len(words) != len(errors):
        raise PageNotUnderstood(page, "the club refused without saying why")
    return words


def parse_deleted(text: str) -> bool:
    """A 200 to DELETE Reservations/{ref}: True when deleted; False for LibreBooking's empty answer to a
    reference it does not have (unknown, or already cancelled)."""
    page = "cancellation"
    if not text.strip():
        return False
    data = _object(text, page)
    if data.get("message") != "The item was deleted":
        raise PageNotUnderstood(page, "the club did not say the booking was deleted")
    return True


# Small readers


def _object(text: str, page: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise PageNotUnderstood(page, "the answer is not JSON") from None
    if not isinstance(data, dict):
        raise PageNotUnderstood(page, "the answer is not a JSON object")
    return data


def _entry(raw: object, page: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise PageNotUnderstood(page, "an entry of the answer is not an object")
    return raw


def _list(data: dict[str, Any], key: str, page: str) -> list[Any]:
    value = data.get(key)
    if not isinstance(value, list):
        raise PageNotUnderstood(page, f"the answer has no list of {key}")
    return value


def _id(value: object, name: str, page: str) -> int:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    if not _ID.fullmatch(text.strip()):
        raise PageNotUnderstood(page, f"{name} {str(value)[:20]!r} is not an id")
    return int(text)


def _text(value: object, name: str, page: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PageNotUnderstood(page, f"an entry has no {name}")
    return " ".join(value.split())


def _flag(value: object, name: str, page: str) -> bool:
    if not isinstance(value, bool):
        raise PageNotUnderstood(page, f"{name} is not true or false")
    return value


def _time(value: object, page: str) -> int:
    """ISO 8601 with an offset, as Unix seconds (an answer without an offset cannot be placed)."""
    if not isinstance(value, str) or not _ISO.fullmatch(value.strip()):
        raise PageNotUnderstood(page, f"{str(value)[:30]!r} is not a time with an offset")
    try:
        return int(datetime.fromisoformat(value.strip()).timestamp())
    except ValueError:
        raise PageNotUnderstood(page, f"{value[:30]!r} is not a time that exists") from None


def _interval(value: object, page: str) -> int | None:
    """LibreBooking's short interval, "7d0h0m", as seconds; "" (or nothing) means none."""
    if value in (None, ""):
        return None
    match = _INTERVAL.fullmatch(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise PageNotUnderstood(page, f"{str(value)[:20]!r} is not a length of time")
    seconds = int(match[1]) * 86400 + int(match[2]) * 3600 + int(match[3]) * 60
    return seconds or None


def _reference(value: object, page: str) -> str:
    if not isinstance(value, str) or not _REFERENCE.fullmatch(value.strip()):
        raise PageNotUnderstood(page, f"{str(value)[:40]!r} is not a booking reference")
    return value.strip()

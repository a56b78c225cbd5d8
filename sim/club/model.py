"""The club's records (slots, bookings, holds, sessions, arrivals) and its refusals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


def _minute_of_day(t: dt.time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class Slot:
    """A court for a stretch of one day: what a booking or a hold occupies."""

    court_id: str
    date: dt.date
    time: dt.time
    duration: int  # minutes

    def overlaps(self, other: Slot) -> bool:
        if (self.court_id, self.date) != (other.court_id, other.date):
            return False
        start, other_start = _minute_of_day(self.time), _minute_of_day(other.time)
        return start < other_start + other.duration and other_start < start + self.duration

    def to_json(self) -> dict[str, Any]:
        return {
            "court_id": self.court_id,
            "date": self.date.isoformat(),
            "time": self.time.strftime("%H:%M"),
            "duration": self.duration,
        }


@dataclass(frozen=True)
class Booking:
    reference: str
    member: str
    slot: Slot
    partner: str
    created_at: float  # server-clock epoch seconds

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "member": self.member,
            **self.slot.to_json(),
            "partner": self.partner,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Hold:
    """A slot reserved for one member between GET /book and POST /book."""

    hold_id: str
    member: str
    slot: Slot
    expires_at: float  # server-clock epoch seconds

    def valid(self, now: float) -> bool:
        return now < self.expires_at


@dataclass
class Session:
    sid: str
    csrf: str
    member: str | None  # None: anonymous (the login form was fetched, nobody logged in yet)
    last_seen: float


@dataclass(frozen=True)
class Arrival:
    """One booking request as the server saw it arrive: what benchmarks measure against release."""

    member: str | None
    step: str  # "prepare" (GET /book) or "commit" (POST /book)
    court_id: str | None
    date: str | None
    time: str | None
    duration: int | None
    arrived_at: float  # server-clock epoch seconds, when the handler took it (what the club decides on)
    release_at: float | None  # None when the request did not name a valid slot
    outcome: str  # "ok", an error code, "session-expired" or "http-<status>"
    wire_at: float | None = None  # server clock, when its bytes arrived (None: not served by sim.serve)
    #: server clock, when the club handed its answer over to be written (None: not answered yet); with the
    #: member's next request's `wire_at`, how long the member took between the two
    answered_at: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "member": self.member,
            "step": self.step,
            "court_id": self.court_id,
            "date": self.date,
            "time": self.time,
            "duration": self.duration,
            "arrived_at": self.arrived_at,
            "release_at": self.release_at,
            "outcome": self.outcome,
            "wire_at": self.wire_at,
            "answered_at": self.answered_at,
        }


class Refusal(Exception):
    """A domain error the site shows as a page: `code` and `attrs` become data-error and data-* markup."""

    def __init__(self, code: str, message: str, **attrs: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.attrs = attrs  # e.g. field="time" -> data-field="time"


def invalid(field_name: str, message: str) -> Refusal:
    return Refusal("invalid", message, field=field_name)


@dataclass(frozen=True)
class Cell:
    """One court at one slot start in the availability grid."""

    state: str  # free | booked | mine | closed
    reason: str | None = None  # for closed: "past" or "not-open"
    opens_at: dt.datetime | None = None  # for not-open: the UTC release instant


@dataclass(frozen=True)
class Grid:
    day: dt.date
    rows: list[tuple[dt.time, dict[str, Cell]]] = field(default_factory=list)  # slot start -> court -> cell

"""What the domain has to tell a member, as a code and the values it names - never as words.

Only the bot turns a reason into a sentence, in the member's language (bot/reasons.py), so every
member-facing sentence lives in one place and can be translated there. Values are plain data (numbers,
strings, dates, times, instants, a court at a time, and lists of them), so a reason can be stored with a
notice and told after a restart (`to_json`, `from_json`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any


class Code(StrEnum):
    # -- a run's progress -------------------------------------------------------------------------------
    SCHEDULED = "scheduled"
    LOGGING_IN = "logging-in"
    LOGGED_IN = "logged-in"
    CLOCK_SYNCED = "clock-synced"  # offset_ms, error_ms
    SENDING = "sending"  # slot
    #: the release plan gave the member a later choice: slot, choice (0-based), wanting, first
    SENDING_PLANNED = "sending-planned"
    ALL_TO_MATES = "all-to-mates"  # wanting, first: every choice went to club-mates
    TAKEN = "taken"  # slot
    LOGGED_IN_AGAIN = "logged-in-again"
    ASKED_TO_WAIT = "asked-to-wait"  # seconds
    SITE_FAILED = "site-failed"  # detail, seconds: retrying
    STILL_WATCHING = "still-watching"  # someone else was faster; the watch goes on
    WATCHING = "watching"  # until
    # -- how a request ends --------------------------------------------------------------------------------
    BOOKED = "booked"  # slot, day; from the plan: choice, wanting, first
    BOOKED_TWICE = "booked-twice"  # slot, day, reference
    BOOKED_AFTER_ALL = "booked-after-all"  # slot, day
    ALL_TAKEN = "all-taken"  # taken, to_mates: slots
    STILL_NOT_OPEN = "still-not-open"  # seconds
    NO_LOGIN = "no-login"
    LOGIN_REFUSED = "login-refused"
    LIMIT_REACHED = "limit-reached"  # which, detail (the club's words)
    CLUB_REFUSED = "club-refused"  # detail: the club said the request is wrong
    REFUSED_BY_CLUB = "refused-by-club"  # detail: a refusal the site could not classify
    PAGE_NOT_UNDERSTOOD = "page-not-understood"  # detail
    KEPT_FAILING = "kept-failing"  # minutes: the club's site failed that long
    KEPT_THROTTLING = "kept-throttling"  # minutes: the club asked us to slow down that long
    OUR_ERROR_NOTHING_SENT = "our-error-nothing-sent"
    OUR_ERROR_AFTER_SENDING = "our-error-after-sending"
    UNCLEAR_ANSWER = "unclear-answer"  # slots
    OTHER_REQUEST_CHECKING = "other-request-checking"
    STILL_UNCLEAR_AFTER = "still-unclear-after"  # looks
    NEVER_SETTLED = "never-settled"
    SLOT_PASSED_WHILE_DOWN = "slot-passed-while-down"
    UNSAVED_BOOKING = "unsaved-booking"  # slot, day, reference: the club booked it; our database failed
    UNSAVED_ANSWER = "unsaved-answer"
    DATABASE_DOWN = "database-down"  # nothing was sent
    CANCELLED = "cancelled"
    STOPPED_WATCHING = "stopped-watching"
    CANCELLED_AT_CLUB = "cancelled-at-club"
    WATCH_ENDED = "watch-ended"  # no court came free before the deadline
    # -- the night-before check --------------------------------------------------------------------------
    NIGHT_NO_LOGIN = "night-no-login"  # day
    NIGHT_LOGIN_REFUSED = "night-login-refused"  # day
    SITE_CHANGED = "site-changed"  # day, page
    DAY_LIMIT = "day-limit"  # day, count
    FUTURE_LIMIT = "future-limit"  # day, count
    # -- refusals of a request as asked (RequestInvalid) ---------------------------------------------------
    NO_TIMES = "no-times"
    TIME_TWICE = "time-twice"
    COURT_TWICE = "court-twice"
    DURATION_NOT_ALLOWED = "duration-not-allowed"  # minutes, allowed
    NO_SUCH_COURT = "no-such-court"  # court, courts
    NOT_A_SLOT_START = "not-a-slot-start"  # start, every, first, last
    PAST_CLOSING = "past-closing"  # minutes, start, closes, last
    CLOCKS_SKIP = "clocks-skip"  # start, day, jumps_from, jumps_to
    ALREADY_PASSED = "already-passed"  # day, start, today
    TOO_FAR_AHEAD = "too-far-ahead"  # day, opens, horizon, latest
    PARTNER_REQUIRED = "partner-required"
    ALREADY_ASKED = "already-asked"
    TOO_MANY_WAITING = "too-many-waiting"  # count
    STILL_CHECKING = "still-checking"  # cancelling what is being checked with the club
    BEING_BOOKED = "being-booked"
    ALREADY_ENDED = "already-ended"
    NOT_WATCHABLE = "not-watchable"
    WATCH_DEADLINE = "watch-deadline"  # starts: pick a deadline before it
    PICK_A_WEEKDAY = "pick-a-weekday"
    NOT_THAT_WEEKDAY = "not-that-weekday"  # day, weekday
    #: an older courtbot's words, stored with a notice before reasons had codes: text
    SAID = "said"


@dataclass(frozen=True)
class CourtTime:
    """A court at a start time: "court 2 at 18:00"."""

    court: int
    start: time


Value = str | int | float | date | time | datetime | CourtTime | Sequence["Value"] | None


@dataclass(frozen=True)
class Reason:
    code: Code
    values: Mapping[str, Value] = field(default_factory=dict)

    def __str__(self) -> str:  # for logs: the words are the bot's
        shown = ", ".join(f"{k}={v}" for k, v in self.values.items())
        return f"{self.code}({shown})" if shown else str(self.code)

    def get(self, key: str, default: Value = None) -> Value:
        return self.values.get(key, default)


def reason(code: Code, **values: Value) -> Reason:
    return Reason(code, values)


class Refusal(Exception):
    """An exception that carries a reason for the member (the bot words it)."""

    def __init__(self, code: Code, **values: Value) -> None:
        self.reason = Reason(code, values)
        super().__init__(str(self.reason))


# -- storing a reason ---------------------------------------------------------------------------------------


def to_json(value: Reason) -> dict[str, Any]:
    return {"code": str(value.code), "values": {k: _encode(v) for k, v in value.values.items()}}


def from_json(data: Mapping[str, Any]) -> Reason:
    return Reason(Code(data["code"]), {k: _decode(v) for k, v in data.get("values", {}).items()})


def _encode(value: Value) -> Any:
    if isinstance(value, CourtTime):
        return {"court": value.court, "start": value.start.isoformat()}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"instant": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(value: Any) -> Value:
    if isinstance(value, list):
        return tuple(_decode(item) for item in value)
    if not isinstance(value, dict):
        return value
    if "court" in value:
        return CourtTime(value["court"], time.fromisoformat(value["start"]))
    if "instant" in value:
        return datetime.fromisoformat(value["instant"])
    if "date" in value:
        return date.fromisoformat(value["date"])
    return time.fromisoformat(value["time"])

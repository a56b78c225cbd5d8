"""The domain's records: members, booking requests and the attempts made for them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum

from booking.masking import remember


class Role(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"


class Access(StrEnum):
    STRANGER = "stranger"  # has not asked for access
    PENDING = "pending"  # asked an admin, not answered yet
    ALLOWED = "allowed"
    DENIED = "denied"


class Grant(StrEnum):
    """Who gave a member their access: it ends when they take it back."""

    SETTINGS = "settings"  # ALLOWED_USERS or ADMIN_USERS: removing the id revokes it at the next start
    ADMIN = "admin"  # an admin's approval: an admin revokes it


@dataclass(frozen=True)
class Member:
    telegram_id: int
    name: str
    role: Role = Role.MEMBER
    access: Access = Access.STRANGER
    partner_default: str | None = None
    #: where an allowed member's access came from (None: given before courtbot recorded it)
    granted: Grant | None = None
    #: the language the member chose (/language); None: their Telegram app's
    language: str | None = None
    #: the language code their Telegram app last sent ("de", "en-GB")
    telegram_language: str | None = None


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str

    def __post_init__(self) -> None:
        remember(self.password)  # whatever the process writes masks it, should a club or a bug echo it

    def __repr__(self) -> str:  # never let a password reach a log through repr()
        return f"Credentials(username={self.username!r}, password=***)"


class RequestStatus(StrEnum):
    PENDING = "pending"  # being composed
    SCHEDULED = "scheduled"
    RUNNING = "running"
    WATCHING = "watching"  # every choice was taken; waiting for a cancellation until watch_until
    #: a booking request may have landed and the club's records could not tell: looked at again later,
    #: and nothing more is sent for it meanwhile
    CHECKING = "checking"
    BOOKED = "booked"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in (
            RequestStatus.PENDING,
            RequestStatus.SCHEDULED,
            RequestStatus.RUNNING,
            RequestStatus.WATCHING,
            RequestStatus.CHECKING,
        )


class AttemptOutcome(StrEnum):
    SENT = "sent"  # written before sending; still SENT after a crash means "unknown"
    BOOKED = "booked"
    TAKEN = "taken"
    NOT_OPEN = "not-open"
    LIMIT = "limit"
    RATE_LIMITED = "rate-limited"
    INVALID = "invalid"
    HOLD_EXPIRED = "hold-expired"
    SESSION_EXPIRED = "session-expired"
    UNAVAILABLE = "unavailable"  # 5xx / timeout: unknown until reconciled
    NOT_UNDERSTOOD = "not-understood"  # an answer we could not read: unknown until reconciled
    REFUSED = "refused"
    FOUND = "found"  # reconciliation found the booking on the site
    NOT_FOUND = "not-found"  # reconciliation found nothing: the attempt did not land


@dataclass(frozen=True)
class BookingRequest:
    member_id: int
    day: date
    times: tuple[time, ...]  # in order of preference
    duration_min: int
    courts: tuple[int, ...]  # in order of preference; empty means any court
    partner: str | None = None
    status: RequestStatus = RequestStatus.PENDING
    release_at: datetime | None = None  # UTC
    id: int | None = None
    booked_court: int | None = None
    booked_time: time | None = None
    reference: str | None = None
    reason: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    series_id: int | None = None
    watch_until: datetime | None = None  # UTC

    def with_(self, **changes: object) -> BookingRequest:
        return replace(self, **changes)  # type: ignore[arg-type]


class SeriesStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    DELETED = "deleted"


@dataclass(frozen=True)
class WeeklySeries:
    """ "Every Tuesday 18:00, court 2 then any, 60 min": one booking request per week, at its release."""

    member_id: int
    weekday: int  # Monday 0 .. Sunday 6
    times: tuple[time, ...]
    duration_min: int
    courts: tuple[int, ...]
    partner: str | None = None
    status: SeriesStatus = SeriesStatus.ACTIVE
    skip_dates: tuple[date, ...] = ()
    id: int | None = None


@dataclass(frozen=True)
class Attempt:
    request_id: int
    court: int
    start: time
    sent_at: float  # our clock, epoch seconds
    outcome: AttemptOutcome = AttemptOutcome.SENT
    #: the site's clock minus ours when it was sent, so "ms after release" can be told in club time
    clock_offset_s: float = 0.0
    detail: str | None = None
    reference: str | None = None
    finished_at: float | None = None
    id: int | None = None

    def with_id(self, attempt_id: int) -> Attempt:
        return replace(self, id=attempt_id)

"""The stand-in's data (sessions, tokens, reservations, arrivals) and LibreBooking's booking rules.

Decisions take `now`, the server-clock instant a request arrived, and compare whole seconds as PHP's
Date::Now() does. The rules run in LibreBooking's order and only the first that fails is reported. Checking
a reservation and storing it happen in one synchronous step unless the config asks for LibreBooking's real
behaviour under a multi-worker server (race_window_ms), where nothing locks between the two.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
import secrets
from dataclasses import dataclass, field

from booking.release import to_utc
from sim.librebooking import texts
from sim.librebooking.config import LibreBookingConfig
from sim.siteclock import SiteClock

SESSION_COOKIE = "PHPSESSID"
LANGUAGE_COOKIE = "language"


@dataclass
class ApiSession:
    token: str
    user_id: int
    expires: float  # server clock


@dataclass
class WebSession:
    sid: str
    last_seen: float
    user_id: int | None = None
    csrf: str | None = None  # one per logged-in session


@dataclass(frozen=True)
class Reservation:
    reference: str
    resource_id: int
    start: int  # Unix seconds
    end: int
    user_id: int
    title: str
    created_at: float  # server clock

    def overlaps(self, resource_id: int, start: int, end: int) -> bool:
        return self.resource_id == resource_id and self.start < end and start < self.end


@dataclass(frozen=True)
class Refusal:
    """The first rule a reservation broke; `code` names it in the arrival log."""

    #: "invalid-data", "order", "past", "not-open", "too-short", "too-long", "quota", "slot", "taken";
    #: cancelling: "past", "no-access"
    code: str
    latest: int | None = None  # not-open: the latest end that may be reserved
    seconds: int | None = None  # too-short / too-long: the resource's limit
    schedule: str = ""  # quota: the schedule's name
    limit: int = 0  # quota
    bad_start: bool = False  # slot
    bad_end: bool = False  # slot
    conflicts: tuple[Reservation, ...] = field(default_factory=tuple)  # taken


@dataclass(frozen=True)
class Arrival:
    """A reservation request as the server saw it arrive: what tests measure against the release instant."""

    username: str | None
    resource_id: int | None
    start: int | None  # Unix seconds
    end: int | None
    arrived_at: float  # server clock, when the handler took it (what LibreBooking decides on)
    release_at: float | None
    outcome: str  # "booked", a Refusal code, "session-expired", "csrf", "invalid", "disabled", "http-5xx"
    via: str  # "api" or "web"
    wire_at: float | None = None  # server clock, when its bytes arrived (None: not served by sim.serve)


class LibreBookingState(SiteClock):
    config: LibreBookingConfig

    def __init__(self, config: LibreBookingConfig) -> None:
        super().__init__(config)
        self._tokens: dict[str, ApiSession] = {}
        self._sessions: dict[str, WebSession] = {}
        self._reservations: dict[str, Reservation] = {}
        self._arrivals: list[Arrival] = []
        self.logins: list[str] = []  # the username of every accepted login (API or web), in order

    # Members

    def user_id(self, username: str) -> int | None:
        return self.config.user_ids().get(username)

    def username(self, user_id: int) -> str | None:
        return next((name for name, uid in self.config.user_ids().items() if uid == user_id), None)

    def email(self, username: str) -> str:
        return f"{username}@club.example"

    def names(self, username: str) -> tuple[str, str]:
        return self.config.names.get(username, (username.title(), ""))

    def check_login(self, login: str, password: str) -> str | None:
        """The username whose username or e-mail address and password these are."""
        for username, expected in self.config.members.items():
            if login.casefold() in (username.casefold(), self.email(username)) and hmac.compare_digest(
                expected.encode(), password.encode()
            ):
                return username
        return None

    # API session tokens (WebServiceSecurity)

    def open_token(self, username: str, now: float) -> ApiSession:
        """A new token for each login; older ones stay valid until they expire."""
        user_id = self.user_id(username)
        assert user_id is not None
        session = ApiSession(secrets.token_hex(25), user_id, now + self.config.token_lifetime_s)
        self._tokens[session.token] = session
        self.logins.append(username)
        return session

    def use_token(self, token: str | None, user_id: str | None, now: float) -> ApiSession | None:
        """The session both headers name, its life pushed on; None if missing, wrong, mismatched or expired."""
        session = self._tokens.get(token or "")
        if session is None:
            return None
        if now > session.expires:
            del self._tokens[session.token]
            return None
        if str(session.user_id) != (user_id or "").strip():
            return None
        session.expires = now + self.config.token_lifetime_s
        return session

    def sign_out(self, token: str, user_id: str) -> None:
        session = self._tokens.get(token)
        if session is not None and str(session.user_id) == user_id:
            del self._tokens[token]

    # Web sessions (PHP's)

    def web_session(self, sid: str | None, now: float) -> tuple[WebSession, bool]:
        """The session for a PHPSESSID, and whether it is new (its cookie must be set)."""
        session = self._sessions.get(sid or "")
        if session is not None and now - session.last_seen > self.config.session_idle_s:
            del self._sessions[session.sid]
            session = None
        if session is not None:
            session.last_seen = max(session.last_seen, now)
            return session, False
        session = WebSession(secrets.token_hex(13), now)
        self._sessions[session.sid] = session
        return session, True

    def log_in_web(self, session: WebSession, username: str) -> None:
        session.user_id = self.user_id(username)
        session.csrf = secrets.token_hex(32)
        self.logins.append(username)

    # Club time and the schedule's layout

    def instant(self, day: dt.date, at: dt.time) -> int:
        return int(to_utc(dt.datetime.combine(day, at), self.config.zone).timestamp())

    def local(self, instant: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(instant, self.config.zone)

    def reservable(self, day: dt.date) -> list[tuple[int, int]]:
        """(start, end) of each reservable slot of a day."""
        size = self.config.slot_minutes * 60
        return [(start, start + size) for t in self.config.slot_starts() for start in [self.instant(day, t)]]

    def periods(self, day: dt.date) -> list[tuple[int, int, bool]]:
        """The day's whole layout, closed hours included: (start, end, reservable)."""
        first, last = self.instant(day, self.config.open_from), self.instant(day, self.config.open_until)
        midnight, next_midnight = (
            self.instant(day, dt.time()),
            self.instant(day + dt.timedelta(days=1), dt.time()),
        )
        closed = [(midnight, first, False)] if midnight < first else []
        closed_late = [(last, next_midnight, False)] if last < next_midnight else []
        return closed + [(s, e, True) for s, e in self.reservable(day)] + closed_late

    def release_at(self, resource_id: int | None, end: int | None) -> float | None:
        """When a reservation ending at `end` becomes allowed: end minus the resource's maximum notice."""
        resource = self.config.resources.get(resource_id or 0)
        if resource is None or resource.max_notice_s is None or end is None:
            return None
        return float(end - resource.max_notice_s)

    # The rules (PreReservationFactory's order)

    def check(self, user_id: int, resource_id: int, start: int, end: int, now: float) -> Refusal | None:
        cfg = self.config
        resource = cfg.resources.get(resource_id)
        if resource is None:
            return Refusal("invalid-data")
        if end <= start:
            return Refusal("order")
        php_now = math.floor(now)
        ruled = self.username(user_id) not in cfg.admins  # application admins skip these rules
        if ruled and start < php_now:
            return Refusal("past")
        if ruled and resource.max_notice_s is not None and end > php_now + resource.max_notice_s:
            return Refusal("not-open", latest=php_now + resource.max_notice_s)
        if ruled and end - start < resource.min_minutes * 60:
            return Refusal("too-short", seconds=resource.min_minutes * 60)
        if ruled and end - start > resource.max_minutes * 60:
            return Refusal("too-long", seconds=resource.max_minutes * 60)
        if ruled and cfg.quota_per_day is not None:
            day = self.local(start).date()
            same_day = [
                r
                for r in self._reservations.values()
                if r.user_id == user_id
                and cfg.resources[r.resource_id].schedule_id == resource.schedule_id
                and self.local(r.start).date() == day
            ]
            if len(same_day) + 1 > cfg.quota_per_day:
                return Refusal("quota", schedule=cfg.schedules[resource.schedule_id], limit=cfg.quota_per_day)
        starts = {s for s, _ in self.reservable(self.local(start).date())}
        ends = {s for s, _, _ in self.periods(self.local(end).date())}
        if start not in starts or end not in ends:
            return Refusal("slot", bad_start=start not in starts, bad_end=end not in ends)
        conflicts = tuple(r for r in self._reservations.values() if r.overlaps(resource_id, start, end))
        if conflicts:
            return Refusal("taken", conflicts=conflicts)
        return None

    def check_delete(self, user_id: int, reservation: Reservation, now: float) -> Refusal | None:
        """Cancelling: one's own reservations that have not started (an admin's: any)."""
        if self.username(user_id) in self.config.admins:
            return None
        if reservation.start < math.floor(now):
            return Refusal("past")
        if reservation.user_id != user_id:
            return Refusal("no-access")
        return None

    def explain(self, refusal: Refusal, lang: str) -> str:
        """The refusal as LibreBooking words it (newlines where its StringBuilder puts them)."""
        match refusal.code:
            case "invalid-data":
                return texts.word(lang, "InvalidReservationData")
            case "order":
                return texts.word(lang, "StartDateBeforeEndDateRule")
            case "past":
                return texts.word(lang, "StartIsInPast")
            case "no-access":
                return texts.word(lang, "NoReservationAccess")
            case "not-open":
                assert refusal.latest is not None
                latest = texts.general_datetime(lang, self.local(refusal.latest))
                return texts.word(lang, "MaxNoticeError", latest)
            case "too-short" | "too-long":
                assert refusal.seconds is not None
                key = "MinDurationError" if refusal.code == "too-short" else "MaxDurationError"
                return texts.word(lang, key, texts.interval(lang, refusal.seconds))
            case "quota":
                return texts.quota(lang, refusal.schedule, refusal.limit)
            case "slot":
                lines = [("InvalidStartSlot", refusal.bad_start), ("InvalidEndSlot", refusal.bad_end)]
                return "".join(texts.word(lang, key) + "\n" for key, bad in lines if bad)
            case "taken":
                dates = sorted(
                    {
                        f"{texts.general_date(lang, self.local(r.start))} - "
                        f"{self.config.resources[r.resource_id].name}"
                        for r in refusal.conflicts
                    }
                )
                return (
                    texts.word(lang, "ConflictingReservationDates") + "\n" + "".join(d + "\n" for d in dates)
                )
        raise ValueError(f"unknown refusal {refusal.code!r}")

    # Reservations

    def store(
        self, user_id: int, resource_id: int, start: int, end: int, title: str, now: float
    ) -> Reservation:
        reference = _reference(now)
        while reference in self._reservations:
            reference = _reference(now)
        reservation = Reservation(reference, resource_id, start, end, user_id, title, now)
        self._reservations[reference] = reservation
        return reservation

    def reservation(self, reference: str) -> Reservation | None:
        return self._reservations.get(reference)

    def delete(self, reference: str) -> None:
        self._reservations.pop(reference, None)

    def between(self, start: float, end: float) -> list[Reservation]:
        """Reservations that touch [start, end], ends inclusive (as LibreBooking lists them)."""
        return sorted(
            (r for r in self._reservations.values() if r.start <= end and r.end >= start),
            key=lambda r: (r.start, r.resource_id, r.reference),
        )

    def record_arrival(self, arrival: Arrival) -> None:
        self._arrivals.append(arrival)

    # The Python control API

    def book(
        self,
        username: str,
        resource_id: int,
        day: dt.date | str,
        start: dt.time | str,
        minutes: int | None = None,
        title: str = "",
    ) -> Reservation:
        """Seed a reservation directly, bypassing every rule (it may be in the past)."""
        if resource_id not in self.config.resources:
            raise ValueError(f"there is no resource {resource_id}")
        user_id = self.user_id(username)
        if user_id is None:
            raise ValueError(f"there is no member {username!r}")
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        start = start if isinstance(start, dt.time) else dt.time.fromisoformat(start)
        begin = self.instant(day, start)
        length = (minutes or self.config.slot_minutes) * 60
        return self.store(user_id, resource_id, begin, begin + length, title, self.now())

    def cancel(self, reference: str) -> Reservation:
        """Remove any reservation; KeyError if there is none with that reference."""
        return self._reservations.pop(reference)

    def bookings(self) -> list[Reservation]:
        """Every reservation, in the order they were made."""
        return sorted(self._reservations.values(), key=lambda r: r.created_at)

    def arrivals(self) -> list[Arrival]:
        return list(self._arrivals)

    def expire_sessions(self) -> int:
        """End every web session and API token, as an idle timeout would."""
        count = len(self._sessions) + len(self._tokens)
        self._sessions.clear()
        self._tokens.clear()
        return count

    def reset(self) -> None:
        """Forget reservations, arrivals and logins and reseed the fault dice; sessions stay."""
        self._reservations.clear()
        self._arrivals.clear()
        self.logins.clear()
        self.reseed()


def _reference(now: float) -> str:
    """A reference as PHP's uniqid('', true) without its dot: 13 hex digits of the time, then 9 digits."""
    seconds, micros = int(now), int(now % 1 * 1_000_000)
    return f"{seconds:08x}{micros:05x}{secrets.randbelow(10**9):09d}"

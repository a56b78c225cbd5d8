"""The stand-in's data (sessions, entries, arrivals) and MRBS's booking policies applied to it.

Decisions take `now`, the server-clock instant a request arrived, and compare whole seconds as PHP's
time() does. Checking a booking and storing it happen in one synchronous step unless the config asks for
MRBS's real behaviour under a multi-worker server (race_window_ms), where nothing locks between the two.
"""

from __future__ import annotations

import datetime as dt
import hmac
import math
import secrets
from dataclasses import dataclass, field

from booking.release import to_utc
from sim.mrbs.config import MrbsConfig
from sim.siteclock import SiteClock

COOKIE = "MRBS_SESSID"
KEY_COOKIE = "KEY_MRBS_SESSID"


@dataclass
class Session:
    sid: str
    key: str  # the KEY_MRBS_SESSID cookie: the session is only readable with it
    csrf: str
    username: str | None
    last_seen: float


@dataclass(frozen=True)
class Entry:
    """One booking (an MRBS entry) of one room."""

    id: int
    room_id: int
    start: int  # Unix seconds
    end: int
    create_by: str
    name: str
    description: str
    created_at: float  # server clock
    tentative: bool = False  # MRBS's STATUS_TENTATIVE: the club sees it marked "Tentative"

    def overlaps(self, room_id: int, start: int, end: int) -> bool:
        return self.room_id == room_id and self.start < end and start < self.end


@dataclass(frozen=True)
class Violation:
    """A broken policy: rendered in the reader's language by the page."""

    code: str  # "max_create_time_before[_start]", "min_create_time_before", "max_per_day_area"
    number: int  # the limit (seconds for times, a count for limits)


@dataclass(frozen=True)
class Arrival:
    """A booking POST as the server saw it arrive: what tests measure against the release instant."""

    username: str | None
    room_id: int | None
    start: int | None  # Unix seconds of the (rounded) slot start, when the form named one
    end: int | None
    arrived_at: float  # server clock, when the handler took it (what MRBS decides on)
    release_at: float | None
    outcome: str  # "booked", "conflict", "policy", "check", "invalid", "session-expired", "login", "http-5xx"
    wire_at: float | None = None  # server clock, when its bytes arrived (None: not served by sim.serve)


@dataclass
class Check:
    """What MRBS found wrong with a proposed booking."""

    violations: list[Violation] = field(default_factory=list)
    conflicts: list[Entry] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.violations and not self.conflicts


class SessionStore:
    def __init__(self) -> None:
        self._by_sid: dict[str, Session] = {}

    def resolve(self, sid: str | None, key: str | None, now: float, idle_s: float) -> tuple[Session, bool]:
        """The session for a request's cookies, and whether it is new (its cookies must be set).

        A known id without its key cookie (or with another one) wipes that session, as MRBS's encrypted
        session handler does: the client must always send both cookies.
        """
        session = self._by_sid.get(sid or "")
        if session is not None and (
            now - session.last_seen > idle_s or key is None or not hmac.compare_digest(key, session.key)
        ):
            del self._by_sid[session.sid]
            session = None
        if session is not None:
            session.last_seen = max(session.last_seen, now)
            return session, False
        session = Session(secrets.token_hex(13), secrets.token_hex(16), secrets.token_hex(32), None, now)
        self._by_sid[session.sid] = session
        return session, True

    def regenerate(self, session: Session) -> None:
        """A new id for a session that logs in (MRBS's defence against session fixation); data is kept."""
        self._by_sid.pop(session.sid, None)
        session.sid = secrets.token_hex(13)
        self._by_sid[session.sid] = session

    def expire_all(self) -> int:
        count = len(self._by_sid)
        self._by_sid.clear()
        return count


def csrf_ok(session: Session, token: str | None) -> bool:
    return token is not None and hmac.compare_digest(session.csrf.encode(), token.encode())


class MrbsState(SiteClock):
    config: MrbsConfig

    def __init__(self, config: MrbsConfig) -> None:
        super().__init__(config)
        self.sessions = SessionStore()
        self._entries: dict[int, Entry] = {}
        self._next_id = 101
        self._arrivals: list[Arrival] = []
        self.logins: list[str] = []  # the username of every accepted login, in order

    # The clock and club time

    def instant(self, day: dt.date, seconds: int) -> int:
        """MRBS's mktime(0, 0, seconds, month, day, year): nominal seconds after local midnight."""
        local = dt.datetime.combine(day, dt.time()) + dt.timedelta(seconds=seconds)
        return int(to_utc(local, self.config.zone).timestamp())

    def local(self, instant: float) -> dt.datetime:
        return dt.datetime.fromtimestamp(instant, self.config.zone).replace(tzinfo=None)

    def first_slot(self, day: dt.date) -> int:
        start = self.config.open_from
        return self.instant(day, start.hour * 3600 + start.minute * 60)

    def slots(self, day: dt.date) -> list[tuple[int, int]]:
        """[start, end] Unix seconds of every slot of a day (the day view's data-slots)."""
        size = self.config.slot_minutes * 60
        return [
            (start, start + size)
            for t in self.config.slot_starts()
            for start in [self.instant(day, t.hour * 3600 + t.minute * 60)]
        ]

    def release_at(self, start: int, end: int) -> float:
        """When MRBS starts allowing a booking of [start, end) (DST-adjusted wall clock)."""
        local_start = self.local(start)
        minutes = (end - start) // 60
        rule = self.config.release_rule
        return rule.release_instant(
            local_start.date(), local_start.time(), minutes, self.config.zone
        ).timestamp()

    def round_to_slots(self, day: dt.date, start: int, end: int) -> tuple[int, int]:
        """Start down and end up to slot boundaries counted from the first slot, as MRBS does."""
        size = self.config.slot_minutes * 60
        origin = self.first_slot(day)
        start = start - (start - origin) % size
        if (end - origin) % size:
            end = end + size - (end - origin) % size
        if end <= start:
            end = start + size
        return start, end

    # Policies and conflicts (mrbsCheckPolicy, mrbsCheckFree)

    def check(self, username: str, room_id: int, start: int, end: int, now: float) -> Check:
        cfg = self.config
        php_now = math.floor(now)  # PHP's time(): whole seconds
        result = Check()
        if start - php_now < cfg.min_create_ahead_s:
            result.violations.append(Violation("min_create_time_before", cfg.min_create_ahead_s))
        if self._too_far_ahead(start, end, php_now):
            code = "max_create_time_before_start" if cfg.measure_to_start else "max_create_time_before"
            result.violations.append(Violation(code, cfg.window_days * 86400))
        area_id = cfg.area_of(room_id)
        if cfg.max_per_day is not None and area_id is not None:
            day = self.local(start).date()
            same_day = [
                e
                for e in self._entries.values()
                if e.create_by == username
                and cfg.area_of(e.room_id) == area_id
                and self.local(e.start).date() == day
            ]
            if len(same_day) + 1 > cfg.max_per_day:
                result.violations.append(Violation("max_per_day_area", cfg.max_per_day))
        result.conflicts = sorted(
            (e for e in self._entries.values() if e.overlaps(room_id, start, end)), key=lambda e: e.id
        )
        return result

    def _too_far_ahead(self, start: int, end: int, php_now: int) -> bool:
        """MRBS's max_create_ahead test as its mrbsCheckPolicy() writes it, DST compensation included
        (written out here rather than through our ReleaseRule, so the adapter's arithmetic is checked
        against MRBS's own)."""
        cfg = self.config
        ahead = cfg.window_days * 86400
        edge = start if cfg.measure_to_start else end
        if cfg.opens_at is not None:  # $times_booking_opens: the edge moves to that time of its day
            edge = int(
                to_utc(dt.datetime.combine(self.local(edge).date(), cfg.opens_at), cfg.zone).timestamp()
            )
        return edge - php_now > ahead + self._offset(php_now) - self._offset(edge)

    def _offset(self, instant: int) -> int:
        offset = dt.datetime.fromtimestamp(instant, self.config.zone).utcoffset()
        assert offset is not None
        return int(offset.total_seconds())

    def store(
        self,
        username: str,
        room_id: int,
        start: int,
        end: int,
        name: str,
        description: str,
        now: float,
        *,
        tentative: bool = False,
    ) -> Entry:
        entry = Entry(self._next_id, room_id, start, end, username, name, description, now, tentative)
        self._next_id += 1
        self._entries[entry.id] = entry
        return entry

    def entries_between(self, room_ids: list[int], start: int, end: int) -> list[Entry]:
        return sorted(
            (e for e in self._entries.values() if e.room_id in room_ids and e.start < end and start < e.end),
            key=lambda e: (e.start, e.id),
        )

    def entry(self, entry_id: int) -> Entry | None:
        return self._entries.get(entry_id)

    def may_edit(self, username: str | None, entry: Entry) -> bool:
        """MRBS's getWritable(): one's own entries, and every entry for an admin."""
        return username is not None and (entry.create_by == username or username in self.config.admins)

    def delete(self, username: str, entry_id: int) -> bool:
        """del_entry.php: an entry the user may edit."""
        entry = self._entries.get(entry_id)
        if entry is None or not self.may_edit(username, entry):
            return False
        del self._entries[entry_id]
        return True

    def search(self, text: str, from_day: dt.date) -> list[Entry]:
        """search.php: a caseless substring of creator, name or description, ending after `from_day` began."""
        needle = text.casefold()
        since = self.instant(from_day, 0)
        found = [
            e
            for e in self._entries.values()
            if e.end > since
            and e.create_by not in self.config.search_hides
            and any(needle in field_.casefold() for field_ in (e.create_by, e.name, e.description))
        ]
        return sorted(found, key=lambda e: (e.start, e.id))

    def compound_name(self, username: str) -> str:
        """How MRBS shows a creator (get_compound_name): "username (Display Name)" when the user has
        another display name; its compound_name is '%1$s (%2$s)' in English and German alike."""
        display = self.config.display_names.get(username)
        return f"{username} ({display})" if display and display != username else username

    def record_arrival(self, arrival: Arrival) -> None:
        self._arrivals.append(arrival)

    # The Python control API

    def book(
        self,
        username: str,
        room_id: int,
        day: dt.date | str,
        start: dt.time | str,
        minutes: int | None = None,
        name: str | None = None,
    ) -> Entry:
        """Seed an entry directly, bypassing every policy and conflict check (it may be in the past)."""
        if self.config.area_of(room_id) is None:
            raise ValueError(f"there is no room {room_id}")
        day = day if isinstance(day, dt.date) else dt.date.fromisoformat(day)
        start = start if isinstance(start, dt.time) else dt.time.fromisoformat(start)
        length = (minutes or self.config.slot_minutes) * 60
        begin = self.instant(day, start.hour * 3600 + start.minute * 60)
        return self.store(username, room_id, begin, begin + length, name or username, "", self.now())

    def cancel(self, entry_id: int) -> Entry:
        """Remove any entry; KeyError if there is none with that id."""
        return self._entries.pop(entry_id)

    def bookings(self) -> list[Entry]:
        """Every entry, in the order they were made."""
        return sorted(self._entries.values(), key=lambda e: e.id)

    def arrivals(self) -> list[Arrival]:
        return list(self._arrivals)

    def expire_sessions(self) -> int:
        return self.sessions.expire_all()

    def reset(self) -> None:
        """Forget entries and arrivals and reseed the fault dice; sessions stay."""
        self._entries.clear()
        self._arrivals.clear()
        self.logins.clear()
        self.reseed()

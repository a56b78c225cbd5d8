"""Every rule and fault of the MRBS stand-in as one mutable settings object.

The defaults are MRBS 1.12's as a tennis club sets it up (see docs/platforms/mrbs.md): one area
"Tennis" whose rooms are the courts, Europe/London, 60-minute slots 07:00-22:00, a rolling 7-day window
measured to the booking's end, at most one booking per member per day in the area. The server reads the
settings on every request, so a test may change a rule between two requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from booking.release import ReleaseRule, WindowKind

LANGUAGES = ("en", "de")


@dataclass
class Area:
    """An MRBS area: a group of rooms (here: courts) sharing its booking rules."""

    name: str
    rooms: dict[int, str]  # room id -> room name, in display order


def _tennis() -> dict[int, Area]:
    # Room ids unlike our court numbers, as on a real install where rooms were added over the years.
    return {1: Area("Tennis", {3: "Court 1", 4: "Court 2", 6: "Court 3", 8: "Court 4"})}


def _members() -> dict[str, str]:
    return {"alice": "alice-pass", "bob": "bob-pass", "carol": "carol-pass", "dave": "dave-pass"}


def _display_names() -> dict[str, str]:
    # MRBS's user form requires a display name, so on a real club's site nearly every member has one.
    return {"alice": "Alice Archer", "bob": "Bob Baker", "carol": "Carol Clark", "dave": "Dave Dyer"}


@dataclass
class MrbsConfig:
    # Rules
    areas: dict[int, Area] = field(default_factory=_tennis)
    timezone: str = "Europe/London"
    open_from: dt.time = dt.time(7, 0)  # start of the first slot ($morningstarts)
    open_until: dt.time = dt.time(22, 0)  # end of the last slot ($eveningends + $resolution)
    slot_minutes: int = 60  # $resolution
    window_days: int = 7  # $max_create_ahead_secs, in days
    measure_to_start: bool = False  # $measure_max_to_start_time
    opens_at: dt.time | None = None  # a fixed opening time of day instead of the rolling window
    min_create_ahead_s: int = 0  # $min_create_ahead_secs: 0 refuses bookings that have started
    max_per_day: int | None = 1  # $max_per_day per user in the area; None: no limit
    members: dict[str, str] = field(default_factory=_members)  # username -> password (MRBS's user table)
    display_names: dict[str, str] = field(default_factory=_display_names)  # username -> display name
    admins: set[str] = field(default_factory=set)  # MRBS admins: they may edit every booking
    deny_public_access: bool = False  # $auth['deny_public_access']: logged-out visitors see only the login
    confirmation_enabled: bool = True  # $confirmation_enabled: a booking without confirmed=1 is tentative
    default_language: str = "en"  # without Accept-Language
    session_idle_s: float = 1440.0  # PHP's session.gc_maxlifetime
    search_page_size: int = 20  # $search["count"]
    # Clock: the server's clock is time.time() + clock_offset_s
    clock_offset_s: float = 0.0
    # Faults
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0  # share of answers that are 500/502/503 (the request has no effect)
    commit_store_then_fail: int = 0  # store the next N bookings, then answer 500 instead of 302
    race_window_ms: float = 0.0  # > 0: no locking, two booking POSTs this close together both succeed
    #: usernames whose entries search.php leaves out: a member's bookings that the club's search cannot
    #: show (as a creator column misread once made them invisible to courtbot)
    search_hides: set[str] = field(default_factory=set)
    seed: int = 0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Refuse settings MRBS could not run with, naming the setting."""
        if not self.areas or any(not area.rooms for area in self.areas.values()):
            raise ValueError("areas: every area needs at least one room")
        room_ids = [room for area in self.areas.values() for room in area.rooms]
        if len(set(room_ids)) != len(room_ids):
            raise ValueError("areas: room ids must be unique across areas")
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from exc
        if self.slot_minutes <= 0 or 24 * 60 % self.slot_minutes:
            raise ValueError("slot_minutes must divide a day")
        if self.open_from >= self.open_until:
            raise ValueError("open_from must be before open_until")
        span = _minutes(self.open_until) - _minutes(self.open_from)
        if span % self.slot_minutes:
            raise ValueError("the opening hours must be whole slots")
        if not 0 <= self.window_days <= 3650:
            raise ValueError("window_days must be between 0 and 3650")
        if self.default_language not in LANGUAGES:
            raise ValueError(f"default_language must be one of {', '.join(LANGUAGES)}")
        if self.max_per_day is not None and self.max_per_day < 0:
            raise ValueError("max_per_day must not be negative")
        for name in (
            "min_create_ahead_s",
            "commit_store_then_fail",
            "latency_ms",
            "jitter_ms",
            "race_window_ms",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.search_page_size < 1:
            raise ValueError("search_page_size must be at least 1")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def release_rule(self) -> ReleaseRule:
        """When a booking becomes allowed, as MRBS's create-ahead policy decides it."""
        if self.opens_at is not None:
            return ReleaseRule(WindowKind.TIME_OF_DAY, self.window_days, self.opens_at)
        kind = WindowKind.ROLLING_START if self.measure_to_start else WindowKind.ROLLING_END
        return ReleaseRule(kind, self.window_days)

    def slot_starts(self) -> list[dt.time]:
        first, last = _minutes(self.open_from), _minutes(self.open_until)
        return [dt.time(m // 60, m % 60) for m in range(first, last, self.slot_minutes)]

    def area_of(self, room_id: int) -> int | None:
        return next((area_id for area_id, area in self.areas.items() if room_id in area.rooms), None)

    def room_name(self, room_id: int) -> str:
        area_id = self.area_of(room_id)
        return self.areas[area_id].rooms[room_id] if area_id is not None else str(room_id)


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute

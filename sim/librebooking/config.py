"""Every rule and fault of the LibreBooking stand-in as one mutable settings object.

The defaults are LibreBooking 2.8.6 as a tennis club sets it up (see docs/platforms/librebooking.md): one
schedule "Tennis" whose resources are the courts, Europe/London, 60-minute slots 07:00-22:00, each court
booked for exactly 60 minutes with a maximum notice of 7 days, and a quota of one reservation per member per
day. The server reads the settings on every request, so a test may change a rule between two requests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from booking.release import ReleaseRule, WindowKind

LANGUAGES = ("en_us", "de_de")
WEEK_S = 7 * 86400


@dataclass
class Resource:
    """A LibreBooking resource (here: a court) and its own booking rules."""

    name: str
    schedule_id: int
    max_notice_s: int | None = WEEK_S  # "maximum notice"; None: none
    min_minutes: int = 60  # minLength
    max_minutes: int = 60  # maxLength


def _schedules() -> dict[int, str]:
    return {1: "Tennis"}


def _courts() -> dict[int, Resource]:
    # Resource ids unlike our court numbers, as on a real site where resources were added over the years.
    return {rid: Resource(f"Court {n}", 1) for n, rid in enumerate((4, 5, 7, 8), start=1)}


def _members() -> dict[str, str]:
    return {"alice": "alice-pass", "bob": "bob-pass", "carol": "carol-pass", "dave": "dave-pass"}


def _names() -> dict[str, tuple[str, str]]:
    return {
        "alice": ("Alice", "Archer"),
        "bob": ("Bob", "Baker"),
        "carol": ("Carol", "Clark"),
        "dave": ("Dave", "Dyer"),
    }


@dataclass
class LibreBookingConfig:
    # Rules
    schedules: dict[int, str] = field(default_factory=_schedules)  # id -> name; the first is the default
    resources: dict[int, Resource] = field(default_factory=_courts)  # id -> resource, in display order
    timezone: str = "Europe/London"  # the schedule's and every account's
    open_from: dt.time = dt.time(7, 0)  # the first reservable slot's start
    open_until: dt.time = dt.time(22, 0)  # the last reservable slot's end
    slot_minutes: int = 60
    weekday_start: int = 1  # the schedule's first weekday (0 Sunday .. 6 Saturday): the web week starts there
    days_visible: int = 7
    quota_per_day: int | None = 1  # reservations per member per day on a schedule, played ones included
    members: dict[str, str] = field(default_factory=_members)  # username -> password
    names: dict[str, tuple[str, str]] = field(default_factory=_names)  # username -> (first, last)
    admins: set[str] = field(default_factory=set)  # application admins: they skip most rules
    api_enabled: bool = True  # $conf['settings']['api']['enabled'] (LibreBooking's own default is off)
    default_language: str = "en_us"  # without a language cookie
    token_lifetime_s: float = 1800.0  # an API session token's life, pushed on by every authenticated call
    session_idle_s: float = 1800.0  # a web session's
    # Clock: the server's clock is time.time() + clock_offset_s
    clock_offset_s: float = 0.0
    # Faults
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    error_rate: float = 0.0  # share of answers that are 500/502/503 (the request has no effect)
    commit_store_then_fail: int = 0  # store the next N reservations, then answer 500
    race_window_ms: float = 0.0  # > 0: no locking, two reservations this close together both pass
    seed: int = 0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Refuse settings LibreBooking could not run with, naming the setting."""
        if not self.schedules:
            raise ValueError("schedules: at least one schedule is needed")
        for rid, resource in self.resources.items():
            if resource.schedule_id not in self.schedules:
                raise ValueError(f"resources: resource {rid} is on no schedule")
            if resource.max_notice_s is not None and resource.max_notice_s <= 0:
                raise ValueError(f"resources: resource {rid} has a maximum notice that is not positive")
            if not 0 < resource.min_minutes <= resource.max_minutes:
                raise ValueError(f"resources: resource {rid} needs 0 < min_minutes <= max_minutes")
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError) as exc:
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from exc
        if self.slot_minutes <= 0 or 24 * 60 % self.slot_minutes:
            raise ValueError("slot_minutes must divide a day")
        if not self.open_from < self.open_until:
            raise ValueError("open_from must be before open_until")
        if (_minutes(self.open_until) - _minutes(self.open_from)) % self.slot_minutes:
            raise ValueError("the opening hours must be whole slots")
        if not 0 <= self.weekday_start <= 6:
            raise ValueError("weekday_start must be 0 (Sunday) to 6 (Saturday)")
        if self.default_language not in LANGUAGES:
            raise ValueError(f"default_language must be one of {', '.join(LANGUAGES)}")
        if self.quota_per_day is not None and self.quota_per_day < 0:
            raise ValueError("quota_per_day must not be negative")
        for name in ("commit_store_then_fail", "latency_ms", "jitter_ms", "race_window_ms"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if not 0.0 <= self.error_rate <= 1.0:
            raise ValueError("error_rate must be between 0 and 1")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def release_rule(self, resource_id: int) -> ReleaseRule | None:
        """When a reservation of the resource becomes allowed: its maximum notice, in elapsed seconds."""
        notice = self.resources[resource_id].max_notice_s
        if notice is None:
            return None
        return ReleaseRule(WindowKind.ROLLING_END_ELAPSED, notice // 86400, seconds=notice % 86400)

    def slot_starts(self) -> list[dt.time]:
        first, last = _minutes(self.open_from), _minutes(self.open_until)
        return [dt.time(m // 60, m % 60) for m in range(first, last, self.slot_minutes)]

    def user_ids(self) -> dict[str, int]:
        """Each member's user id, in the order they were added (id 1 is the site's installing admin)."""
        return {username: n for n, username in enumerate(self.members, start=2)}


def _minutes(value: dt.time) -> int:
    return value.hour * 60 + value.minute

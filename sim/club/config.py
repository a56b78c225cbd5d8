"""Every rule and fault of the simulated club as one mutable settings object.

The running server reads the settings on every request, so a test can change a rule or switch a fault on
between two requests and the very next request sees it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from booking.release import ReleaseRule, WindowKind

_CLOCK = re.compile(r"(\d{2}):(\d{2})(?::(\d{2}))?", re.ASCII)
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def parse_clock(text: str, *, seconds: bool = True) -> dt.time:
    """A strict "HH:MM" or, where `seconds` are allowed (settings, not requests), "HH:MM:SS"."""
    match = _CLOCK.fullmatch(text)
    if match is None or (match[3] is not None and not seconds):
        raise ValueError(f"not a {'HH:MM[:SS]' if seconds else 'HH:MM'} time: {text!r}")
    return dt.time(int(match[1]), int(match[2]), int(match[3] or 0))


def parse_hhmm(text: str) -> dt.time:
    """A slot start as requests give it: strictly "HH:MM"."""
    return parse_clock(text, seconds=False)


def format_clock(t: dt.time) -> str:
    """ "HH:MM", or "HH:MM:SS" for a time set to the second (an opening time may be)."""
    return t.strftime("%H:%M:%S" if t.second else "%H:%M")


def parse_day(text: str) -> dt.date:
    """A strict "YYYY-MM-DD" (fromisoformat alone would also take "20260329")."""
    if _ISO_DAY.fullmatch(text) is None:
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return dt.date.fromisoformat(text)


#: a rival's `court_id` for an outside player who takes whichever court is free at their moment
ANY_COURT = "any"


@dataclass(frozen=True)
class Rival:
    """Another member ("rival") who books a slot `delay_ms` after it is released: `court_id`'s court, or with
    `ANY_COURT` the first court free at that moment in the club's order, as a player picking from the grid
    would (so several of them, a few milliseconds apart, are the crowd that empties a release)."""

    court_id: str
    date: dt.date
    time: dt.time
    delay_ms: float
    duration: int = 60

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rival:
        return cls(
            court_id=str(data["court_id"]),
            date=parse_day(str(data["date"])),
            time=parse_hhmm(str(data["time"])),
            delay_ms=float(data["delay_ms"]),
            duration=int(data.get("duration", 60)),
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "court_id": self.court_id,
            "date": self.date.isoformat(),
            "time": self.time.strftime("%H:%M"),
            "delay_ms": self.delay_ms,
            "duration": self.duration,
        }


def _demo_courts() -> dict[str, str]:
    # Site ids deliberately unlike our court numbers, so a missing COURT_MAP translation shows up.
    return {"5": "Court 1", "7": "Court 2", "9": "Court 3", "11": "Court 4"}


def _demo_members() -> dict[str, str]:
    return {"alice": "alice-pass", "bob": "bob-pass", "carol": "carol-pass", "dave": "dave-pass"}


_TIME_FIELDS = ("open_from", "open_until", "opens_at")
_RATE_FIELDS = ("error_rate", "rate_limit_rate")


@dataclass
class ClubConfig:
    """The club's rules (what /rules publishes) and the faults it injects (what it does not)."""

    # Rules
    courts: dict[str, str] = field(default_factory=_demo_courts)  # site id -> name, in display order
    timezone: str = "Europe/London"
    open_from: dt.time = dt.time(7, 0)  # first slot start
    open_until: dt.time = dt.time(22, 0)  # last slot end
    slot_minutes: int = 60
    max_slots: int = 2  # consecutive slots one booking may span
    window_days: int = 7
    opens_at: dt.time = dt.time(7, 0)  # club time on day D - window_days
    max_per_day: int = 1
    max_future: int = 4
    partner_required: bool = False
    hold_minutes: float = 5
    hold_before_open: bool = False
    session_idle_s: float = 1800
    members: dict[str, str] = field(default_factory=_demo_members)  # username -> password
    # Clock: the server's clock is time.time() + clock_offset_s
    clock_offset_s: float = 0.0
    # Faults (every route but /_sim/)
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    spike_ms: float = 0.0
    spike_window_s: float = 5.0
    error_rate: float = 0.0
    rate_limit_rate: float = 0.0
    retry_after_s: int = 1
    commit_store_then_fail: int = 0
    commit_latency_ms: float = 0.0
    #: a refused login is told in the club's own words, repeating the typed password (as some sites do)
    login_echo: bool = False
    rivals: list[Rival] = field(default_factory=list)
    seed: int = 0

    def __post_init__(self) -> None:
        self.validate()

    def validate(self) -> None:
        """Refuse settings the club could not run with, naming the setting."""
        if not self.courts:
            raise ValueError("courts: at least one court is needed")
        try:
            ZoneInfo(self.timezone)
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"timezone: unknown time zone {self.timezone!r}") from exc
        if self.slot_minutes <= 0 or 24 * 60 % self.slot_minutes:
            raise ValueError("slot_minutes must divide a day")
        if self.open_from >= self.open_until:
            raise ValueError("open_from must be before open_until")
        if self.window_days > 3650:
            raise ValueError("window_days must be at most 3650")
        if self.max_slots < 1:
            raise ValueError("max_slots must be at least 1")
        for name in ("window_days", "max_per_day", "max_future", "retry_after_s", "commit_store_then_fail"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        for name in _RATE_FIELDS:
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.error_rate + self.rate_limit_rate > 1.0:
            raise ValueError("error_rate + rate_limit_rate must not exceed 1")
        for name in (
            "latency_ms",
            "jitter_ms",
            "spike_ms",
            "spike_window_s",
            "commit_latency_ms",
            "hold_minutes",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def release_rule(self) -> ReleaseRule:
        return ReleaseRule(WindowKind.TIME_OF_DAY, self.window_days, self.opens_at)

    @property
    def durations(self) -> tuple[int, ...]:
        return tuple(self.slot_minutes * n for n in range(1, self.max_slots + 1))

    def update(self, changes: Mapping[str, Any]) -> None:
        """Apply JSON-shaped changes (times as "HH:MM", rivals as dicts) all at once or not at all."""
        known = {f.name for f in dataclasses.fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown settings: {', '.join(unknown)}")
        try:
            coerced = {name: _coerce(name, value) for name, value in changes.items()}
        except (KeyError, TypeError) as exc:
            raise ValueError(f"bad settings: {exc}") from exc
        candidate = dataclasses.replace(self, **coerced)  # validates
        for name in coerced:
            setattr(self, name, getattr(candidate, name))

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, dt.time):
                value = format_clock(value)
            elif f.name == "rivals":
                value = [rival.to_json() for rival in value]
            out[f.name] = value
        return out


def _coerce(name: str, value: Any) -> Any:
    """A JSON value as the type the setting has, or ValueError naming the setting."""
    kind = _FIELD_TYPES[name]
    if name in _TIME_FIELDS:
        return value if isinstance(value, dt.time) else parse_clock(str(value))
    if name == "rivals":
        return [r if isinstance(r, Rival) else Rival.from_json(r) for r in value]
    if kind == "dict[str, str]" and isinstance(value, dict):
        return {str(k): str(v) for k, v in value.items()}
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind in ("int", "float") and isinstance(value, int | float) and not isinstance(value, bool):
        if kind == "int" and value != int(value):
            raise ValueError(f"{name} must be a whole number")
        return int(value) if kind == "int" else float(value)
    if kind == "str" and isinstance(value, str):
        return value
    raise ValueError(f"{name} must be {kind}, not {value!r}")


_FIELD_TYPES = {f.name: str(f.type) for f in dataclasses.fields(ClubConfig)}

"""Settings from the environment (and `.env`), validated once at start-up.

Every bad value raises `SettingsError` whose text is the single line start-up prints: the setting's
name and what is wrong with it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import time
from pathlib import Path
from urllib.parse import urlparse
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values

from storage.crypto import validate_key

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SECRET_FIELDS = ("telegram_bot_token", "encryption_keys")


class SettingsError(Exception):
    """A setting is missing or wrong; the message names it."""


@dataclass(frozen=True)
class Settings:
    telegram_bot_token: str | None
    telegram_api_url: str
    club_site: str
    club_url: str | None
    club_timezone: ZoneInfo
    court_map: dict[int, str] | None
    booking_window_days: int | None
    booking_opens_at: time | None
    booking_window_measure: str | None
    #: the chosen platform's own settings (its Platform.settings), as SiteConfig.extra
    site_options: dict[str, str]
    data_dir: Path
    encryption_keys: tuple[str, ...]
    allowed_users: frozenset[int]
    admin_users: frozenset[int]
    http_host: str
    http_port: int
    log_level: str
    log_format: str
    retention_days: int
    playground_port: int
    watch_interval_seconds: float
    night_check_hours: float

    def masked(self) -> dict[str, str]:
        """The effective settings as `courtbot check` shows them, secrets masked."""
        from booking.sites.registry import PLATFORMS

        shown: dict[str, str] = {}
        for f in fields(self):
            if f.name == "site_options":
                continue
            value = getattr(self, f.name)
            if f.name in SECRET_FIELDS and value:
                text = "***" if isinstance(value, str) else f"*** ({len(value)} key(s))"
            elif value is None or value == ():
                text = "(not set)"
            elif isinstance(value, frozenset):
                text = ",".join(str(v) for v in sorted(value)) or "(none)"
            elif isinstance(value, dict):
                text = ",".join(f"{k}={v}" for k, v in value.items())
            else:
                text = str(value)
            shown[f.name.upper()] = text
        for name, known in PLATFORMS.items():
            for setting in known.settings:
                value = self.site_options.get(setting.key) if name == self.club_site else None
                shown[setting.env] = value or "(not set)"
        return shown


def load_settings(environ: Mapping[str, str], env_file: Path | None = Path(".env")) -> Settings:
    """Merge `.env` under the real environment (the environment wins) and validate."""
    merged: dict[str, str] = {}
    if env_file is not None and env_file.is_file():
        merged.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    merged.update(environ)

    def get(name: str) -> str | None:
        value = merged.get(name, "").strip()
        return value or None

    settings = Settings(
        telegram_bot_token=_token(get("TELEGRAM_BOT_TOKEN")),
        telegram_api_url=_url("TELEGRAM_API_URL", get("TELEGRAM_API_URL") or "https://api.telegram.org"),
        club_site=_site(get("CLUB_SITE") or "democlub"),
        club_url=_url("CLUB_URL", get("CLUB_URL")) if get("CLUB_URL") else None,
        club_timezone=_timezone(get("CLUB_TIMEZONE") or "Europe/London"),
        court_map=parse_court_map(get("COURT_MAP")),
        booking_window_days=_window_days(get("BOOKING_WINDOW_DAYS")),
        booking_opens_at=_opens_at(get("BOOKING_OPENS_AT")),
        booking_window_measure=(
            _choice("BOOKING_WINDOW_MEASURE", measure, ("end", "start"))
            if (measure := get("BOOKING_WINDOW_MEASURE"))
            else None
        ),
        site_options=_site_options(get("CLUB_SITE") or "democlub", merged),
        data_dir=Path(get("DATA_DIR") or "./data"),
        encryption_keys=_keys(get("ENCRYPTION_KEYS")),
        allowed_users=_user_ids("ALLOWED_USERS", get("ALLOWED_USERS")),
        admin_users=_user_ids("ADMIN_USERS", get("ADMIN_USERS")),
        http_host=get("HTTP_HOST") or "127.0.0.1",
        http_port=_port("HTTP_PORT", get("HTTP_PORT") or "8080"),
        log_level=_log_level(get("LOG_LEVEL") or "INFO"),
        log_format=_choice("LOG_FORMAT", get("LOG_FORMAT") or "text", ("text", "json")),
        retention_days=_retention(get("RETENTION_DAYS") or "90"),
        playground_port=_port("PLAYGROUND_PORT", get("PLAYGROUND_PORT") or "8000", any_free=True),
        watch_interval_seconds=_number(
            "WATCH_INTERVAL_SECONDS", get("WATCH_INTERVAL_SECONDS") or "60", 5, 3600
        ),
        night_check_hours=_number("NIGHT_CHECK_HOURS", get("NIGHT_CHECK_HOURS") or "12", 0, 72),
    )
    if settings.telegram_bot_token is not None and settings.club_url is None:
        # The simulated club is the playground's: a real bot on it would tell members "Booked!" for
        # courts that do not exist.
        raise SettingsError(
            "CLUB_URL: not set, while TELEGRAM_BOT_TOKEN is: set it to your club's booking site "
            "(without a token, `courtbot run` is the playground, with a simulated club)"
        )
    return settings


def cautions(settings: Settings) -> list[str]:
    """Valid settings a real bot probably should not run with, said at `courtbot check` and start-up."""
    if settings.telegram_bot_token is not None and not settings.admin_users:
        return [
            "ADMIN_USERS is empty: nobody can approve access requests, so only ALLOWED_USERS can use the "
            "bot; set it to your Telegram user id"
        ]
    return []


_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]{20,}$")


def _site_options(site: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The chosen platform's own settings, checked by the platform (an unknown CLUB_SITE is named above)."""
    from booking.sites.registry import PLATFORMS

    known = PLATFORMS.get(site)
    if known is None:
        return {}
    try:
        return known.options(environ)
    except ValueError as error:
        raise SettingsError(str(error)) from None


def _token(value: str | None) -> str | None:
    if value is not None and not _TOKEN.match(value):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: not a bot token "
            "(expected digits, a colon and a long code, as @BotFather gives it)"
        )
    return value


def _url(name: str, value: str | None) -> str:
    assert value is not None
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise SettingsError(f"{name}: {value!r} is not an http(s) URL")
    return value.rstrip("/")


def _site(value: str) -> str:
    from booking.sites.registry import SITE_NAMES

    if value not in SITE_NAMES:
        raise SettingsError(f"CLUB_SITE: unknown site {value!r}; known sites: {', '.join(SITE_NAMES)}")
    return value


def _timezone(value: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            f"CLUB_TIMEZONE: unknown time zone {value!r} (use an IANA name such as Europe/London)"
        ) from None


_COURT_PAIR = re.compile(r"^\s*(\d+)\s*=\s*([^,=]*[^,=\s])\s*$")  # site ids or names (MRBS rooms)


def parse_court_map(value: str | None) -> dict[int, str] | None:
    if value is None:
        return None
    mapping: dict[int, str] = {}
    for part in value.split(","):
        match = _COURT_PAIR.match(part)
        if not match:
            raise SettingsError(
                f"COURT_MAP: {part.strip()!r} is not of the form OUR_NUMBER=SITE_ID (e.g. COURT_MAP=1=5,2=7)"
            )
        number, site_id = int(match.group(1)), match.group(2)
        if number < 1:
            raise SettingsError(f"COURT_MAP: court numbers start at 1, not {number}")
        if number in mapping:
            raise SettingsError(f"COURT_MAP: court {number} is mapped twice")
        if site_id in mapping.values():
            raise SettingsError(f"COURT_MAP: site court {site_id} is mapped twice")
        mapping[number] = site_id
    return mapping


def _window_days(value: str | None) -> int | None:
    if value is None:
        return None
    if not value.isdigit() or not 0 <= int(value) <= 365:
        raise SettingsError(f"BOOKING_WINDOW_DAYS: {value!r} is not a whole number of days from 0 to 365")
    return int(value)


_CLOCK_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$")


def _opens_at(value: str | None) -> time | None:
    if value is None:
        return None
    match = _CLOCK_TIME.match(value)
    if not match:
        raise SettingsError(f"BOOKING_OPENS_AT: {value!r} is not a time of day as HH:MM or HH:MM:SS")
    return time(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))


def _keys(value: str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    keys = tuple(k.strip() for k in value.split(",") if k.strip())
    for position, key in enumerate(keys, 1):
        if not validate_key(key):
            raise SettingsError(
                f"ENCRYPTION_KEYS: key {position} is not a Fernet key (make one with `courtbot keygen`)"
            )
    return keys


def _user_ids(name: str, value: str | None) -> frozenset[int]:
    if value is None:
        return frozenset()
    ids = set()
    for part in value.split(","):
        part = part.strip()
        if not part:
            continue
        if not part.lstrip("-").isdigit():
            raise SettingsError(f"{name}: {part!r} is not a numeric Telegram user id")
        ids.add(int(part))
    return frozenset(ids)


def _port(name: str, value: str, *, any_free: bool = False) -> int:
    """A TCP port; with `any_free`, 0 asks for any free one."""
    lowest = 0 if any_free else 1
    if not value.isdigit() or not lowest <= int(value) <= 65535:
        raise SettingsError(f"{name}: {value!r} is not a port number from {lowest} to 65535")
    return int(value)


def _choice(name: str, value: str, allowed: tuple[str, ...]) -> str:
    if value.lower() not in allowed:
        raise SettingsError(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value.lower()


def _number(name: str, value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if not low <= number <= high:
        raise SettingsError(f"{name}: {value!r} is not a number from {low:g} to {high:g}")
    return number


def _retention(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise SettingsError(f"RETENTION_DAYS: {value!r} is not a whole number of days, at least 1")
    return int(value)


def _log_level(value: str) -> str:
    if value.upper() not in LOG_LEVELS:
        raise SettingsError(f"LOG_LEVEL: {value!r} is not one of {', '.join(LOG_LEVELS)}")
    return value.upper()

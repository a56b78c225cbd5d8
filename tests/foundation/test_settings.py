from datetime import time
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings
from storage.crypto import new_key


def _load(**env: str):
    return load_settings(env, env_file=None)


def test_defaults() -> None:
    settings = _load()
    assert settings.telegram_bot_token is None
    assert settings.club_site == "democlub"
    assert str(settings.club_timezone) == "Europe/London"
    assert settings.court_map is None
    assert settings.http_port == 8080
    assert settings.data_dir == Path("data")


def test_values_are_parsed() -> None:
    keys = f"{new_key()},{new_key()}"
    settings = _load(
        TELEGRAM_BOT_TOKEN="123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345",
        CLUB_URL="https://club.example.org",
        COURT_MAP="1=5, 2=7",
        BOOKING_WINDOW_DAYS="14",
        BOOKING_OPENS_AT="07:00:30",
        ENCRYPTION_KEYS=keys,
        ALLOWED_USERS="1, 2,3",
        ADMIN_USERS="99",
        LOG_LEVEL="debug",
    )
    assert settings.court_map == {1: "5", 2: "7"}
    assert settings.booking_window_days == 14
    assert settings.booking_opens_at == time(7, 0, 30)
    assert len(settings.encryption_keys) == 2
    assert settings.allowed_users == {1, 2, 3} and settings.admin_users == {99}
    assert settings.log_level == "DEBUG"


def test_the_chosen_platforms_own_settings_reach_its_adapter_checked() -> None:
    settings = _load(
        CLUB_SITE="mrbs",
        COURT_MAP="1=Court 1, 2=Centre Court",
        BOOKING_WINDOW_DAYS="14",
        BOOKING_WINDOW_MEASURE="start",
        MRBS_AREA="Tennis",
        MRBS_DESCRIPTION="Club booking",
        LIBREBOOKING_API="on",  # another platform's: not used
    )
    assert settings.court_map == {1: "Court 1", 2: "Centre Court"}
    assert settings.site_options == {"area": "Tennis", "description": "Club booking"}
    assert _load(CLUB_SITE="librebooking", LIBREBOOKING_API=" OFF ").site_options == {"api": "off"}
    with pytest.raises(SettingsError, match=r"^LIBREBOOKING_API: must be auto, on or off, not 'sometimes'$"):
        _load(CLUB_SITE="librebooking", LIBREBOOKING_API="sometimes")


def test_check_masks_secrets() -> None:
    key = new_key()
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"
    shown = _load(TELEGRAM_BOT_TOKEN=token, CLUB_URL="https://club.example.org", ENCRYPTION_KEYS=key).masked()
    assert token not in str(shown) and key not in str(shown)
    assert shown["TELEGRAM_BOT_TOKEN"] == "***"


def test_env_file_is_read_and_environment_wins(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("HTTP_PORT=9000\nLOG_LEVEL=WARNING\n")
    settings = load_settings({"LOG_LEVEL": "ERROR"}, env_file=env_file)
    assert settings.http_port == 9000 and settings.log_level == "ERROR"


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("CLUB_TIMEZONE", "Mars/Olympus", "unknown time zone"),
        ("CLUB_TIMEZONE", "../etc/passwd", "unknown time zone"),
        ("COURT_MAP", "1=5,2", "not of the form"),
        ("COURT_MAP", "1=5,1=7", "mapped twice"),
        ("COURT_MAP", "1=5,2=5", "mapped twice"),
        ("COURT_MAP", "0=5", "start at 1"),
        ("ENCRYPTION_KEYS", "not-a-fernet-key", "not a Fernet key"),
        ("ALLOWED_USERS", "12,abc", "not a numeric Telegram user id"),
        ("ADMIN_USERS", "@alice", "not a numeric Telegram user id"),
        ("HTTP_PORT", "eighty", "not a port number"),
        ("HTTP_PORT", "70000", "not a port number"),
        ("BOOKING_WINDOW_DAYS", "-1", "whole number of days"),
        ("BOOKING_OPENS_AT", "7am", "HH:MM"),
        ("BOOKING_OPENS_AT", "24:00", "HH:MM"),
        ("TELEGRAM_BOT_TOKEN", "hello", "not a bot token"),
        ("TELEGRAM_API_URL", "ftp://x", "not an http(s) URL"),
        ("CLUB_URL", "club.example.org", "not an http(s) URL"),
        ("CLUB_SITE", "nosuchsite", "unknown site"),
        ("LOG_LEVEL", "LOUD", "not one of"),
        ("LOG_FORMAT", "xml", "not one of"),
        ("RETENTION_DAYS", "0", "at least 1"),
        ("PLAYGROUND_PORT", "port", "not a port number"),
        ("WATCH_INTERVAL_SECONDS", "1", "from 5 to 3600"),
        ("WATCH_INTERVAL_SECONDS", "often", "from 5 to 3600"),
        ("NIGHT_CHECK_HOURS", "-2", "from 0 to 72"),
        ("BOOKING_WINDOW_MEASURE", "middle", "not one of"),
    ],
)
def test_each_bad_value_is_one_clear_line(name: str, value: str, says: str) -> None:
    with pytest.raises(SettingsError) as caught:
        _load(**{name: value})
    message = str(caught.value)
    assert message.startswith(f"{name}: ")
    assert says in message
    assert "\n" not in message


def test_check_names_every_setting_as_the_environment_spells_it() -> None:
    example = (Path(__file__).resolve().parents[2] / ".env.example").read_text()
    listed = {line.split("=", 1)[0] for line in example.splitlines() if line and not line.startswith("#")}
    assert set(_load().masked()) == listed


def test_a_real_bot_needs_a_real_club() -> None:
    token = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"
    with pytest.raises(SettingsError, match=r"^CLUB_URL: not set"):
        _load(TELEGRAM_BOT_TOKEN=token)
    assert _load(TELEGRAM_BOT_TOKEN=token, CLUB_URL="https://club.example.org").club_url
    assert _load().club_url is None  # the playground simulates one

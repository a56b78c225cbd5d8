"""A club and a Bot API emulator owned by the test, so a courtbot under test can lose and regain them."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.settings import Settings, load_settings
from sim.botapi.runner import RunningBotApi, start_botapi
from sim.club.runner import RunningClub, start_club

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def club() -> AsyncIterator[RunningClub]:
    running = await start_club()
    yield running
    await running.stop()


@pytest.fixture
async def botapi() -> AsyncIterator[RunningBotApi]:
    running = await start_botapi(token=TOKEN)
    yield running
    await running.stop()


def environment(
    data_dir: Path, club: RunningClub, botapi: RunningBotApi, key: str, port: int
) -> dict[str, str]:
    return {
        "DATA_DIR": str(data_dir),
        "ENCRYPTION_KEYS": key,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_API_URL": botapi.url,
        "CLUB_URL": club.url,
        "HTTP_PORT": str(port),
        "ADMIN_USERS": "1",
        "LOG_LEVEL": "DEBUG",
    }


def settings_for(data_dir: Path, club: RunningClub, botapi: RunningBotApi, key: str, port: int) -> Settings:
    return load_settings(environment(data_dir, club, botapi, key, port), env_file=None)

"""The playground's "Release in 30 s" against the real process (no browser): the club releases the next
day not open yet, and bookings already scheduled are timed again by its new release time, so a booking
scheduled before the press fires with the release, not at the old one."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.models import RequestStatus
from bot import playground
from bot.app import Courtbot, start_courtbot
from bot.settings import load_settings
from sim.club.runner import RunningClub


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def courtbot(tmp_path: Path) -> AsyncIterator[Courtbot]:
    environ = {
        "DATA_DIR": str(tmp_path / "data"),
        "HTTP_PORT": str(_free_port()),
        "PLAYGROUND_PORT": str(_free_port()),
    }
    running = await start_courtbot(load_settings(environ, env_file=None))
    yield running
    await running.stop()


async def test_release_in_30_s_times_again_what_is_scheduled_and_never_reopens_a_day(
    courtbot: Courtbot,
) -> None:
    club = courtbot.club
    assert isinstance(club, RunningClub)
    await courtbot.members.login(playground.USER, "alice", "alice-pass")
    today = datetime.fromtimestamp(club.state.now(), UTC).astimezone(club.config.zone).date()
    waiting = [
        await courtbot.booking.submit(playground.USER, today + timedelta(days=offset), (time(18),), 60, (2,))
        for offset in (9, 10)
    ]
    heard: list[EventKind] = []
    courtbot.booking.bus.listen(lambda event: heard.append(event.kind))

    first = await playground.release_soon(courtbot)
    assert first.retimed == 2 and heard.count(EventKind.SCHEDULED) == 2  # each progress message says so
    assert 29 <= first.release_at.timestamp() - club.state.now() <= 32
    opens = club.state.release_instant(first.day, time(7))
    assert opens == first.release_at, "the day announced opens at the instant announced"
    for request in waiting:
        stored = await courtbot.booking.get(playground.USER, request.id or 0)
        assert stored.status is RequestStatus.SCHEDULED
        assert stored.release_at == club.state.release_instant(stored.day, time(18))
        assert stored.release_at != request.release_at, "timed again, not left at the old instant"

    club.config.opens_at = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(club.config.zone).time()
    second = await playground.release_soon(courtbot)  # the day announced first is open by now
    assert second.day == first.day + timedelta(days=1), "a day already released is never announced again"

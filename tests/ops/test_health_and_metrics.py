"""/healthz and /metrics of a running courtbot (the real process wiring, in-process)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import aiohttp
import pytest

from booking.models import Access, Credentials, Member, RequestStatus
from bot.app import start_courtbot
from bot.settings import load_settings
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub, start_club
from tests.ops.conftest import free_port, settings_for


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.text()


async def test_healthz_follows_the_clubs_reachability(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    port = free_port()
    courtbot = await start_courtbot(settings_for(tmp_path, club, botapi, key, port), club_probe_cache_s=0)
    healthz = f"http://127.0.0.1:{port}/healthz"
    try:
        await botapi.wait_for_poll()
        status, body = await _get(healthz)
        assert status == 200, body
        for check in ("database", "scheduler", "telegram", "club"):
            assert f'"{check}": true' in body

        club_port = int(club.url.rsplit(":", 1)[1])
        await club.stop()
        status, body = await _get(healthz)
        assert status == 503 and '"club": false' in body and '"database": true' in body

        back = await start_club(port=club_port)
        try:
            status, body = await _get(healthz)
            assert status == 200, body
        finally:
            await back.stop()
    finally:
        await courtbot.stop()


async def test_metrics_move_as_bookings_succeed_and_fail(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    port = free_port()
    courtbot = await start_courtbot(settings_for(tmp_path, club, botapi, key, port))
    try:
        await courtbot.storage.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
        await courtbot.storage.credentials.save(1, Credentials("alice", "alice-pass"))
        day = (datetime.now(UTC) + timedelta(days=2)).date()
        club.state.book("bob", "9", day + timedelta(days=1), "18:00")  # our court 3
        good = await courtbot.booking.submit(1, day, (clock_time(18),), 60, (2,))
        taken = await courtbot.booking.submit(1, day + timedelta(days=1), (clock_time(18),), 60, (3,))
        far = await courtbot.booking.submit(1, day + timedelta(days=20), (clock_time(18),), 60, (1,))
        await courtbot.booking.wait_for_runs()
        assert (await courtbot.storage.requests.get(good.id)).status is RequestStatus.BOOKED
        assert (await courtbot.storage.requests.get(taken.id)).status is RequestStatus.FAILED
        assert (await courtbot.storage.requests.get(far.id)).status is RequestStatus.SCHEDULED
        status, text = await _get(f"http://127.0.0.1:{port}/metrics")
        assert status == 200
        assert 'courtbot_requests_total{status="booked"} 1.0' in text
        assert 'courtbot_requests_total{status="failed"} 1.0' in text
        assert 'courtbot_requests_total{status="scheduled"} 1.0' in text
        assert 'courtbot_attempts_total{outcome="booked"} 1.0' in text
        assert "courtbot_scheduled_requests 1.0" in text
    finally:
        await courtbot.stop()


@pytest.mark.parametrize("site", ["mrbs", "librebooking"])
async def test_the_playground_runs_the_chosen_platforms_stand_in(tmp_path: Path, key: str, site: str) -> None:
    env = {"DATA_DIR": str(tmp_path), "ENCRYPTION_KEYS": key, "CLUB_SITE": site}
    env.update(HTTP_PORT=str(free_port()), PLAYGROUND_PORT="0")
    courtbot = await start_courtbot(load_settings(env, env_file=None))
    try:
        assert courtbot.club is not None and type(courtbot.club).__module__.startswith(f"sim.{site}.")
        await courtbot.storage.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
        await courtbot.storage.credentials.save(1, Credentials("alice", "alice-pass"))
        day = (datetime.now(UTC) + timedelta(days=2)).date()
        request = await courtbot.booking.submit(1, day, (clock_time(18),), 60, (2,))
        await courtbot.booking.wait_for_runs()
        booked = await courtbot.storage.requests.get(request.id)
        assert booked.status is RequestStatus.BOOKED, booked.reason
        [entry] = courtbot.club.state.bookings()
        assert booked.reference in (str(getattr(entry, "id", "")), getattr(entry, "reference", ""))
    finally:
        await courtbot.stop()

"""SIGTERM to a real `courtbot run` process, while a request waits for its release and while a booking is
in flight: after a restart nothing is lost and nothing is booked twice."""

from __future__ import annotations

from pathlib import Path

import aiohttp

from booking.models import AttemptOutcome, RequestStatus
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from tests.ops.conftest import environment, free_port
from tests.ops.process import courtbot_process, prepare, read_request, until


async def test_sigterm_while_waiting_for_a_release(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    request_id = await prepare(tmp_path, key, day_offset=20, released=False)
    async with courtbot_process(env, tmp_path / "run.log"):
        pass
    async with (
        courtbot_process(env, tmp_path / "run.log"),
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{env['HTTP_PORT']}/metrics") as response,
    ):
        assert "courtbot_scheduled_requests 1.0" in await response.text()
    request, attempts = await read_request(tmp_path, key, request_id)
    assert request.status is RequestStatus.SCHEDULED and attempts == []
    assert club.state.bookings() == []


async def test_sigterm_during_a_booking_books_exactly_once_after_restart(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    request_id = await prepare(tmp_path, key, day_offset=2, released=True)
    club.config.commit_latency_ms = 10_000  # the club stores the booking, then sits on its answer

    async def stored() -> bool:
        return len(club.state.bookings()) == 1

    async with courtbot_process(env, tmp_path / "run.log"):
        await until(stored, within=10)
    request, attempts = await read_request(tmp_path, key, request_id)
    assert request.status is RequestStatus.RUNNING and attempts == [AttemptOutcome.SENT]

    club.config.commit_latency_ms = 0

    async def booked() -> bool:
        return (await read_request(tmp_path, key, request_id))[0].status is RequestStatus.BOOKED

    async with courtbot_process(env, tmp_path / "run.log"):
        await until(booked, within=10)
    request, attempts = await read_request(tmp_path, key, request_id)
    [booking] = club.state.bookings()
    assert request.reference == booking.reference
    assert attempts == [AttemptOutcome.FOUND]
    assert len([a for a in club.state.arrivals() if a.step == "commit"]) == 1

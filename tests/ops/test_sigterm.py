"""SIGTERM to a real `courtbot run` process, while a request waits for its release and while a booking is
in flight: after a restart nothing is lost and nothing is booked twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

import aiohttp

from booking.models import Access, AttemptOutcome, BookingRequest, Credentials, Member, RequestStatus
from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from storage import Storage
from tests.ops.conftest import environment, free_port

ROOT = Path(__file__).resolve().parents[2]


async def _until(predicate: Callable[[], object], within: float) -> None:
    """Wait for another process's doing, which sends us no event."""
    async with asyncio.timeout(within):
        while not await predicate():  # type: ignore[misc]  # noqa: ASYNC110 - another process: no event
            await asyncio.sleep(0.05)


@asynccontextmanager
async def courtbot_process(env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """`courtbot run`, up once /healthz answers; SIGTERM on leaving, which must end it cleanly."""
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "run",
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=stderr,
        )

    async def healthy() -> bool:
        try:
            async with (
                aiohttp.ClientSession() as session,
                session.get(f"http://127.0.0.1:{env['HTTP_PORT']}/healthz") as response,
            ):
                return response.status in (200, 503)
        except aiohttp.ClientError:
            return False

    try:
        await _until(healthy, within=15)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 15)
        assert code == 0, _tail(log)


def _tail(log: Path) -> str:
    return log.read_text()[-3000:]


async def _prepare(data_dir: Path, key: str, day_offset: int, released: bool) -> int:
    storage = await Storage.open(data_dir, (key,))
    await storage.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
    await storage.credentials.save(1, Credentials("alice", "alice-pass"))
    now = datetime.now(UTC)
    request = await storage.requests.create(
        BookingRequest(
            member_id=1,
            day=(now + timedelta(days=day_offset)).date(),
            times=(clock_time(18),),
            duration_min=60,
            courts=(2,),
            status=RequestStatus.SCHEDULED,
            release_at=now - timedelta(hours=1) if released else now + timedelta(days=day_offset - 7),
        )
    )
    await storage.close()
    return request.id or 0


async def _request(data_dir: Path, key: str, request_id: int) -> tuple[BookingRequest, list[AttemptOutcome]]:
    storage = await Storage.open(data_dir, (key,))
    try:
        request = await storage.requests.get(request_id)
        attempts = [a.outcome for a in await storage.attempts.for_request(request_id)]
    finally:
        await storage.close()
    assert request is not None
    return request, attempts


async def test_sigterm_while_waiting_for_a_release(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    request_id = await _prepare(tmp_path, key, day_offset=20, released=False)
    async with courtbot_process(env, tmp_path / "run.log"):
        pass
    async with (
        courtbot_process(env, tmp_path / "run.log"),
        aiohttp.ClientSession() as session,
        session.get(f"http://127.0.0.1:{env['HTTP_PORT']}/metrics") as response,
    ):
        assert "courtbot_scheduled_requests 1.0" in await response.text()
    request, attempts = await _request(tmp_path, key, request_id)
    assert request.status is RequestStatus.SCHEDULED and attempts == []
    assert club.state.bookings() == []


async def test_sigterm_during_a_booking_books_exactly_once_after_restart(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    request_id = await _prepare(tmp_path, key, day_offset=2, released=True)
    club.config.commit_latency_ms = 10_000  # the club stores the booking, then sits on its answer

    async def stored() -> bool:
        return len(club.state.bookings()) == 1

    async with courtbot_process(env, tmp_path / "run.log"):
        await _until(stored, within=10)
    request, attempts = await _request(tmp_path, key, request_id)
    assert request.status is RequestStatus.RUNNING and attempts == [AttemptOutcome.SENT]

    club.config.commit_latency_ms = 0

    async def booked() -> bool:
        return (await _request(tmp_path, key, request_id))[0].status is RequestStatus.BOOKED

    async with courtbot_process(env, tmp_path / "run.log"):
        await _until(booked, within=10)
    request, attempts = await _request(tmp_path, key, request_id)
    [booking] = club.state.bookings()
    assert request.reference == booking.reference
    assert attempts == [AttemptOutcome.FOUND]
    assert len([a for a in club.state.arrivals() if a.step == "commit"]) == 1

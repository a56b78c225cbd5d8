"""A real `courtbot run` process for ops tests, and the database it works on, read and written from the
test as another process would."""

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
from storage import Storage

ROOT = Path(__file__).resolve().parents[2]


async def until(predicate: Callable[[], object], within: float) -> None:
    """Wait for another process's doing, which sends us no event."""
    async with asyncio.timeout(within):
        while not await predicate():  # type: ignore[misc]  # noqa: ASYNC110 - another process: no event
            await asyncio.sleep(0.05)


@asynccontextmanager
async def courtbot_process(
    env: dict[str, str], log: Path, prelude: str = ""
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`courtbot run` (after the Python in `prelude`), up once /healthz answers; SIGTERM on leaving, which
    must end it cleanly."""
    with log.open("ab") as stderr:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            f"{prelude}\nfrom bot.cli import main; main()",
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
        await until(healthy, within=15)
        yield process
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(process.wait(), 15)
        assert code == 0, tail(log)


def tail(log: Path) -> str:
    return log.read_text()[-3000:]


async def prepare(
    data_dir: Path, key: str, day_offset: int, released: bool, password: str = "alice-pass"
) -> int:
    """Alice, her club login, and one scheduled request for 18:00 on court 2 `day_offset` days ahead,
    whose release has passed (`released`) or is ahead; its id."""
    storage = await Storage.open(data_dir, (key,))
    await storage.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
    await storage.credentials.save(1, Credentials("alice", password))
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


async def read_request(
    data_dir: Path, key: str, request_id: int
) -> tuple[BookingRequest, list[AttemptOutcome]]:
    storage = await Storage.open(data_dir, (key,))
    try:
        request = await storage.requests.get(request_id)
        attempts = [a.outcome for a in await storage.attempts.for_request(request_id)]
    finally:
        await storage.close()
    assert request is not None
    return request, attempts

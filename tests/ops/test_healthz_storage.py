"""/healthz over HTTP from the real ops server while the database is locked by another connection or full:
503 while the fault lasts, promptly, and 200 again once it is gone."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest

from booking.models import Access, Member
from bot.metrics import Metrics
from bot.ops import Ops
from storage import Storage, StorageUnavailable
from tests.ops.conftest import free_port
from tests.sqlite_faults import fill_disk, free_disk, write_lock

PROBE_S = 0.3
PROMPT_S = PROBE_S + 2.0  # generous for a loaded 2-core machine


@asynccontextmanager
async def healthz(storage: Storage) -> AsyncIterator[str]:
    storage.db.deadline_s = storage.db.probe_deadline_s = PROBE_S
    port = free_port()
    runner = await Ops({"database": storage.db.writable}, Metrics(), lambda: 0).start("127.0.0.1", port)
    try:
        yield f"http://127.0.0.1:{port}/healthz"
    finally:
        await runner.cleanup()


async def _get(url: str) -> tuple[int, str]:
    started = time.monotonic()
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        body = await response.text()
    assert time.monotonic() - started < PROMPT_S, "/healthz answers promptly"
    return response.status, body


async def test_healthz_is_503_while_another_connection_holds_the_write_lock(storage: Storage) -> None:
    async with healthz(storage) as url:
        assert (await _get(url))[0] == 200
        with write_lock(storage.db.path):
            status, body = await _get(url)
            assert status == 503 and '"database": false' in body
        status, body = await _get(url)
        assert status == 200 and '"database": true' in body


async def test_healthz_is_503_while_the_disk_is_full_and_after_a_write_failed(storage: Storage) -> None:
    async with healthz(storage) as url:
        await fill_disk(storage.db)
        assert (await _get(url))[0] == 503
        with pytest.raises(StorageUnavailable):
            await storage.members.upsert(Member(42, "A" * 20_000, access=Access.ALLOWED))
        assert (await _get(url))[0] == 503
        await free_disk(storage.db)
        status, body = await _get(url)
        assert status == 200 and '"database": true' in body
        await storage.members.upsert(Member(42, "A" * 20_000, access=Access.ALLOWED))
        assert (await _get(url))[0] == 200

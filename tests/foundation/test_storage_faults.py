"""Storage under faults made by SQLite itself: a write lock held by another connection, a full database.
Writes outlast a short fault, give up in time on a long one, and never retry a mistake."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from datetime import date
from datetime import time as clock_time
from pathlib import Path

import aiosqlite
import pytest

from booking.models import Access, Attempt, BookingRequest, Member
from storage import Storage, StorageUnavailable
from storage.db import Database
from storage.migrations import SCHEMA_VERSION
from tests.sqlite_faults import fill_disk, free_disk, write_lock

SHORT_DEADLINE_S = 0.5
MARGIN_S = 1.5  # a loaded 2-core machine may be late by this much, never early

ALICE = Member(42, "Alice", access=Access.ALLOWED)


async def test_a_write_during_a_short_lock_goes_through_once_it_is_released(
    storage: Storage, caplog: pytest.LogCaptureFixture
) -> None:
    storage.db.deadline_s = 10
    caplog.set_level(logging.INFO, "storage.db")
    with write_lock(storage.db.path) as holder:
        asyncio.get_running_loop().call_later(0.3, holder.rollback)
        started = time.monotonic()
        await storage.members.upsert(ALICE)
        waited = time.monotonic() - started
    assert waited >= 0.25, "the write cannot have gone through while the lock was held"
    assert await storage.members.get(42) == ALICE
    assert any("answered after" in r.getMessage() for r in caplog.records), "it was tried again"


async def test_a_write_during_a_lock_longer_than_the_deadline_gives_up_in_time(storage: Storage) -> None:
    storage.db.deadline_s = SHORT_DEADLINE_S
    with write_lock(storage.db.path):
        started = time.monotonic()
        with pytest.raises(StorageUnavailable, match="locked by another process") as raised:
            await storage.members.upsert(ALICE)
        waited = time.monotonic() - started
    assert SHORT_DEADLINE_S * 0.9 <= waited <= SHORT_DEADLINE_S + MARGIN_S
    assert "INSERT" not in str(raised.value) and "Alice" not in str(raised.value)
    await storage.members.upsert(ALICE)  # the lock is gone: writes go through again
    assert await storage.members.get(42) == ALICE


async def test_a_full_disk_gives_up_and_writes_resume_once_there_is_room(storage: Storage) -> None:
    storage.db.deadline_s = SHORT_DEADLINE_S
    await storage.members.upsert(ALICE)
    big = Member(
        43, "B" * 20_000, access=Access.ALLOWED
    )  # needs new pages, as most writes do sooner or later
    await fill_disk(storage.db)
    started = time.monotonic()
    with pytest.raises(StorageUnavailable, match="full") as raised:
        await storage.members.upsert(big)
    assert time.monotonic() - started <= SHORT_DEADLINE_S + MARGIN_S
    assert "B" * 10 not in str(raised.value)
    assert await storage.members.get(43) is None, "nothing half-written"
    assert await storage.members.get(42) == ALICE, "reads go on"
    await free_disk(storage.db)
    await storage.members.upsert(big)
    assert await storage.members.get(43) == big


@pytest.mark.parametrize(
    ("sql", "error"),
    [
        (
            "INSERT INTO credentials (member_id, username_enc, password_enc) VALUES (999, x'00', x'00')",
            "FOREIGN",
        ),
        ("INSERT INTO nowhere VALUES (1)", "no such table"),
        ("INSERT INTO members (telegram_id, name, role, access) VALUES (1, 'x', 'king', 'allowed')", "CHECK"),
    ],
)
async def test_a_mistake_is_raised_at_once_never_retried(storage: Storage, sql: str, error: str) -> None:
    storage.db.deadline_s = 10
    runs = 0

    async def body(conn: aiosqlite.Connection) -> None:
        nonlocal runs
        runs += 1
        await conn.execute(sql)

    started = time.monotonic()
    with pytest.raises(sqlite3.Error, match=error):
        await storage.db.write(body)
    assert runs == 1 and time.monotonic() - started < MARGIN_S
    await storage.members.upsert(ALICE)  # the failed transaction was rolled back
    assert await storage.db.writable()


async def test_reads_go_on_while_a_write_waits_for_another_connections_lock(storage: Storage) -> None:
    storage.db.deadline_s = 10
    await storage.members.upsert(ALICE)
    renamed = Member(42, "Alice Archer", access=Access.ALLOWED)
    with write_lock(storage.db.path) as holder:
        write = asyncio.create_task(storage.members.upsert(renamed))
        await asyncio.sleep(0.1)  # the write is meeting the lock by now
        started = time.monotonic()
        assert await storage.members.get(42) == ALICE
        assert time.monotonic() - started < MARGIN_S, "a read does not queue behind a blocked write"
        assert not write.done()
        holder.rollback()
        await write
    assert await storage.members.get(42) == renamed


async def test_concurrent_writers_held_up_by_a_lock_lose_no_row(storage: Storage) -> None:
    storage.db.deadline_s = 20
    await storage.members.upsert(ALICE)

    async def write(n: int) -> None:
        request = await storage.requests.create(
            BookingRequest(
                member_id=42, day=date(2026, 12, 1), times=(clock_time(18),), duration_min=60, courts=(n,)
            )
        )
        assert request.id is not None
        await storage.attempts.record(
            Attempt(request_id=request.id, court=n, start=clock_time(18), sent_at=n)
        )

    with write_lock(storage.db.path) as holder:
        asyncio.get_running_loop().call_later(0.3, holder.rollback)
        await asyncio.gather(*(write(n) for n in range(200)))
    requests = await storage.requests.for_member(42)
    assert sorted(r.courts[0] for r in requests) == list(range(200))
    for request in requests:
        assert len(await storage.attempts.for_request(request.id or 0)) == 1


async def test_start_up_waits_out_a_short_lock(tmp_path: Path) -> None:
    path = tmp_path / "courtbot.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")  # as every courtbot database is once it has been opened
    with write_lock(path) as holder:
        asyncio.get_running_loop().call_later(0.3, holder.rollback)
        db = await Database.open(tmp_path)
    try:
        assert (await db.read("PRAGMA user_version"))[0][0] == SCHEMA_VERSION
    finally:
        await db.close()


async def test_after_a_write_gave_up_the_probe_commits_a_write(storage: Storage) -> None:
    """A rolled-back probe never reaches the file; once a real write failed, only a committed one can tell
    that writes go through again. Another connection sees a commit as a new data_version."""
    storage.db.deadline_s = storage.db.probe_deadline_s = 0.3
    watcher = sqlite3.connect(storage.db.path)

    def version() -> int:
        return int(watcher.execute("PRAGMA data_version").fetchone()[0])

    try:
        before = version()
        assert await storage.db.writable()
        assert version() == before, "an ordinary probe leaves the file alone"
        with write_lock(storage.db.path):
            with pytest.raises(StorageUnavailable):
                await storage.members.upsert(ALICE)
            assert not await storage.db.writable()
        assert await storage.db.writable()
        assert version() != before, "the probe committed"
        after = version()
        assert await storage.db.writable()
        assert version() == after, "and that write cleared the failure"
        tables = {row[0] for row in watcher.execute("SELECT name FROM sqlite_master")}
        assert "healthz_probe" not in tables
    finally:
        watcher.close()

"""The database failing while a booking is made, with SQLite's own faults (another connection holding the
write lock; a database that may not grow, as on a full disk): the member is told the truth, never
"nothing was booked", and what the club holds is recorded once the database is back."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import time
from pathlib import Path

import aiosqlite

from booking.events import EventKind
from booking.models import AttemptOutcome, RequestStatus
from bot.reasons import say
from tests.engine.harness import LONDON, World, club_day, world
from tests.sqlite_faults import fill_disk, free_disk, write_lock

#: rows that fill the free room left in the pages of the tables a booking's end writes to
_FILLERS = {
    "requests": "INSERT INTO requests (member_id, day, times, duration_min, courts, status, reason) "
    "VALUES (1, '2000-01-01', '[]', 60, '[]', 'failed', zeroblob(?))",
    "attempts": "INSERT INTO attempts (request_id, court, start, sent_at, outcome, detail) "
    "SELECT MIN(id), 1, '07:00', 0, 'taken', zeroblob(?) FROM requests",
    "notices": "INSERT INTO notices (request_id, event, delivered_at) SELECT MIN(id), zeroblob(?), 'x' FROM requests",
}


async def _full_disk(w: World) -> None:
    """A disk with no room left, as SQLite meets it: no new page, and no room in the pages there are."""
    await fill_disk(w.storage.db)
    for sql in _FILLERS.values():
        size = 1 << 13
        while size >= 1:

            async def insert(conn: aiosqlite.Connection, sql: str = sql, size: int = size) -> bool:
                try:
                    await conn.execute(sql, (size,))
                except sqlite3.OperationalError:  # no room for this size (SQLite may have rolled back)
                    if not conn.in_transaction:
                        await conn.execute("BEGIN")  # an empty one, for the COMMIT that follows
                    return False
                return True

            if not await w.storage.db.write(insert):
                size //= 2


async def _warned(w: World, request_id: int) -> None:
    async with asyncio.timeout(5):
        while EventKind.WARNING not in w.kinds(request_id):  # noqa: ASYNC110 - the events are a list
            await asyncio.sleep(0.02)


async def _booked_at_the_club(w: World) -> None:
    async with asyncio.timeout(5):
        while not w.bookings("alice"):  # noqa: ASYNC110 - the club's own bookkeeping has no event
            await asyncio.sleep(0.005)


async def test_a_lock_shorter_than_the_write_deadline_as_the_answer_comes_is_waited_out(
    tmp_path: Path, key: str
) -> None:
    async with world(tmp_path, key, commit_latency_ms=300) as w:
        w.storage.db.deadline_s = 4.0
        member = await w.member(1)
        request = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        await _booked_at_the_club(w)  # the club has it and sits on its answer for 0.3 s
        with write_lock(w.storage.db.path):
            await asyncio.sleep(1.5)  # the answer arrives meanwhile; its record waits for the lock
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED, done.reason
        assert EventKind.FAILED not in w.kinds(request.id) and EventKind.WARNING not in w.kinds(request.id)
        assert len(w.bookings("alice")) == 1


async def test_a_lock_longer_than_the_deadline_tells_the_member_and_records_the_booking_after(
    tmp_path: Path, key: str
) -> None:
    async with world(tmp_path, key, commit_latency_ms=300) as w:
        w.storage.db.deadline_s = 0.5
        member = await w.member(1)
        request = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        await _booked_at_the_club(w)
        with write_lock(w.storage.db.path):
            await _warned(w, request.id)
            assert not await w.storage.db.writable(), "/healthz says the database cannot be written"
        [warning] = [e for e in w.events if e.request_id == request.id and e.kind is EventKind.WARNING]
        assert warning.reason is not None
        words = say(warning.reason, LONDON)
        assert "The club booked court 2 at 18:00" in words and "couldn't save it yet" in words
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED and await w.storage.db.writable()
        [booking] = w.bookings("alice")
        assert done.reference == booking.reference
        assert [a.outcome for a in await w.storage.attempts.for_request(request.id)] == [AttemptOutcome.FOUND]
        assert EventKind.FAILED not in w.kinds(request.id)


async def test_a_full_disk_as_the_answer_comes_tells_the_member_then_records_it(
    tmp_path: Path, key: str
) -> None:
    async with world(tmp_path, key, commit_latency_ms=1500) as w:
        w.storage.db.deadline_s = 0.5
        member = await w.member(1)
        request = await w.service.submit(member, club_day(w, 2), (time(18),), 60, (2,))
        await _booked_at_the_club(w)
        await _full_disk(w)
        try:
            await _warned(w, request.id)
            assert not await w.storage.db.writable()
        finally:
            await free_disk(w.storage.db)
        done = await w.finished(request.id)
        assert done.status is RequestStatus.BOOKED and len(w.bookings("alice")) == 1
        assert await w.storage.db.writable()

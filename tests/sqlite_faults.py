"""Storage faults made with SQLite's own limits, not mocks: another connection holding the write lock, and
a database that may not grow by a page, as on a full disk."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import aiosqlite

from storage.db import Database

NO_LIMIT = 1_073_741_823


@contextmanager
def write_lock(path: Path) -> Iterator[sqlite3.Connection]:
    """A second connection to the file holding BEGIN IMMEDIATE until it rolls back (or the block ends)."""
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")
        yield holder
    finally:
        holder.rollback()
        holder.close()


async def fill_disk(db: Database) -> None:
    """Cap the database at the pages it has: any write needing a new page fails as on a full disk."""

    async def cap(conn: aiosqlite.Connection) -> None:
        async with conn.execute("PRAGMA page_count") as cursor:
            row = await cursor.fetchone()
        assert row is not None
        await conn.execute(f"PRAGMA max_page_count = {row[0]}")

    await db.write(cap)


async def free_disk(db: Database) -> None:
    await db.write(lambda conn: conn.execute(f"PRAGMA max_page_count = {NO_LIMIT}"))

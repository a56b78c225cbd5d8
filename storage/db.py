"""The one SQLite database: connection settings, migrations, and serialised transactions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage.migrations import MIGRATIONS, SCHEMA_VERSION

DB_FILE = "courtbot.sqlite3"


class StorageError(Exception):
    """The database cannot be used as it is; the message says why and what to do."""


class Database:
    """One aiosqlite connection shared by the process.

    aiosqlite runs every statement on one worker thread; the lock keeps each coroutine's transaction
    whole, so concurrent writers cannot interleave statements inside one another's transactions.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self.path = path

    @classmethod
    async def open(cls, data_dir: Path) -> Database:
        await asyncio.to_thread(data_dir.mkdir, parents=True, exist_ok=True)
        path = data_dir / DB_FILE
        conn = await aiosqlite.connect(path, isolation_level=None)
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await db.migrate()
        except BaseException:
            await conn.close()
            raise
        return db

    async def migrate(self) -> int:
        """Bring the schema to SCHEMA_VERSION; a no-op when it is there already."""
        async with self._lock:
            version = await self._user_version()
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"{self.path} has schema version {version}, newer than this courtbot understands "
                    f"({SCHEMA_VERSION}): run the newer courtbot, or restore a backup made before the upgrade"
                )
            for number in range(version + 1, SCHEMA_VERSION + 1):
                try:
                    await self._conn.executescript(
                        f"BEGIN; {MIGRATIONS[number - 1]}\nPRAGMA user_version = {number}; COMMIT;"
                    )
                except BaseException:
                    if self._conn.in_transaction:
                        await self._conn.execute("ROLLBACK")
                    raise
            return await self._user_version()

    async def _user_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, rolled back on any error."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
            await self._conn.execute("COMMIT")

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[aiosqlite.Connection]:
        """A consistent read: waits for any transaction in progress on this connection."""
        async with self._lock:
            yield self._conn

    async def ping(self) -> bool:
        """Whether the database answers a query (for /healthz)."""
        try:
            async with self.reading() as conn, conn.execute("SELECT 1") as cursor:
                return (await cursor.fetchone()) is not None
        except (aiosqlite.Error, ValueError):
            return False

    async def close(self) -> None:
        await self._conn.close()

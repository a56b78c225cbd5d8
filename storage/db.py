"""The one SQLite database: connection settings, migrations, and serialised transactions."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiosqlite

from storage import files
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
        """Open DATA_DIR's database, made private to us; StorageError naming DATA_DIR or the file if it
        cannot be used."""
        path = data_dir / DB_FILE
        try:
            await asyncio.to_thread(files.private_dir, data_dir)
            await asyncio.to_thread(files.private_database, path)
        except OSError as error:
            why = "it is a file" if isinstance(error, FileExistsError) else error.strerror
            raise StorageError(
                f"DATA_DIR: {data_dir} cannot be courtbot's folder ({why}): point DATA_DIR at a folder the "
                "user courtbot runs as may write (it is created if missing)"
            ) from None
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as error:
            raise _unusable(path, error) from None
        conn.row_factory = aiosqlite.Row
        db = cls(conn, path)
        try:
            await conn.execute("PRAGMA journal_mode=WAL")
            await conn.execute("PRAGMA foreign_keys=ON")
            await conn.execute("PRAGMA busy_timeout=5000")
            await conn.execute("PRAGMA synchronous=NORMAL")
            await db.migrate()
        except sqlite3.Error as error:
            await conn.close()
            raise _unusable(path, error) from None
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


def _unusable(path: Path, error: sqlite3.Error) -> StorageError:
    """SQLite's refusal as one line naming the file: a damaged file, or one we may not open or write."""
    if isinstance(error, sqlite3.OperationalError):
        return StorageError(
            f"{path} cannot be opened ({error}): let the user courtbot runs as write it and DATA_DIR, and "
            "make sure no other courtbot is using it"
        )
    return StorageError(
        f"{path} is damaged or not a courtbot database ({error}): restore it from your backup, or move it "
        "away to start with an empty one"
    )

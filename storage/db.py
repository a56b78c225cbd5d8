"""The one SQLite database: connection settings, migrations, and reads and writes that outlast a passing
fault (another process holding the lock, a full disk) for a bounded time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TypeVar

import aiosqlite

from storage import files
from storage.faults import backoff, passing_fault
from storage.migrations import MIGRATIONS, SCHEMA_VERSION

log = logging.getLogger(__name__)

T = TypeVar("T")

DB_FILE = "courtbot.sqlite3"
DEADLINE_S = 30.0
PROBE_DEADLINE_S = 1.0


class StorageError(Exception):
    """The database cannot be used as it is; the message says why and what to do."""


class StorageUnavailable(StorageError):
    """The database could not be read or written within the deadline: locked, full, or failing. The message
    names the fault in plain words, never SQL or data, so it may be shown to anyone."""


class Database:
    """One aiosqlite connection shared by the process.

    aiosqlite runs every statement on one worker thread; the lock keeps each coroutine's transaction
    whole, so concurrent writers cannot interleave statements inside one another's transactions.

    A try that meets a passing fault is rolled back and run again after a backoff, until `deadline_s`; then
    StorageUnavailable. SQLite's own busy wait is off: it would sleep on the worker thread that every query
    of the process shares, while our backoff sleeps on the event loop with the lock released, so reads —
    which WAL lets through another process's write lock — and the health probe go on meanwhile.
    """

    def __init__(self, connection: aiosqlite.Connection, path: Path) -> None:
        self._conn = connection
        self._lock = asyncio.Lock()
        self.path = path
        self.deadline_s = DEADLINE_S  # how long a read or write may take its tries; tests make it short
        self.probe_deadline_s = PROBE_DEADLINE_S
        self._write_failed = False

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
            await conn.execute("PRAGMA busy_timeout=0")  # a lock fails the try at once: we back off ourselves
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
        return await self._retrying(self._migrate, self.deadline_s)

    async def _migrate(self) -> int:
        version = await self._user_version()
        if version > SCHEMA_VERSION:
            raise StorageError(
                f"{self.path} has schema version {version}, newer than this courtbot understands "
                f"({SCHEMA_VERSION}): run the newer courtbot, or restore a backup made before the upgrade"
            )
        for number in range(version + 1, SCHEMA_VERSION + 1):
            try:
                await self._conn.executescript(
                    f"BEGIN IMMEDIATE; {MIGRATIONS[number - 1]}\nPRAGMA user_version = {number}; COMMIT;"
                )
            finally:
                await self._rollback()
        return await self._user_version()

    async def _user_version(self) -> int:
        async with self._conn.execute("PRAGMA user_version") as cursor:
            row = await cursor.fetchone()
        return int(row[0]) if row else 0

    async def write(self, body: Callable[[aiosqlite.Connection], Awaitable[T]]) -> T:
        """BEGIN IMMEDIATE, `body`, COMMIT; what `body` returns.

        `body` may run more than once (each failed try is rolled back), so it must only use the connection
        it is given: no effects outside the transaction. Raises StorageUnavailable after `deadline_s`.
        """
        try:
            result = await self._retrying(lambda: self._transaction(body, commit=True), self.deadline_s)
        except StorageUnavailable as error:
            self._write_failed = True
            log.warning("a write was given up: %s", error)
            raise
        self._write_failed = False
        return result

    async def read(self, sql: str, args: Sequence[object] = ()) -> list[aiosqlite.Row]:
        """One query's rows, after any transaction in progress on this connection."""

        async def query() -> list[aiosqlite.Row]:
            async with self._conn.execute(sql, args) as cursor:
                return list(await cursor.fetchall())

        try:
            return await self._retrying(query, self.deadline_s)
        except StorageUnavailable as error:
            log.warning("a read was given up: %s", error)
            raise

    async def writable(self) -> bool:
        """For /healthz: whether a write would go through now, within `probe_deadline_s`.

        The probe takes the write lock, creates a scratch table and a row larger than a page — which need
        new pages, as a full database cannot give — and rolls back: nothing reaches the file. Only after a
        real write failed does it commit (the table dropped again), since only a commit reaches the disk:
        a disk that is really full, or failing, shows there. Its success counts as a write that succeeded.
        """
        commit = self._write_failed
        try:
            await self._retrying(lambda: self._transaction(_scratch, commit=commit), self.probe_deadline_s)
        except StorageUnavailable:
            return False
        except (sqlite3.Error, ValueError) as error:
            log.warning("the database's write probe failed: %s", getattr(error, "sqlite_errorname", error))
            return False
        if commit:
            self._write_failed = False
        return True

    async def _transaction(self, body: Callable[[aiosqlite.Connection], Awaitable[T]], *, commit: bool) -> T:
        await self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = await body(self._conn)
            if commit:
                await self._conn.execute("COMMIT")
        finally:
            await self._rollback()
        return result

    async def _rollback(self) -> None:
        """Undo whatever a try left open; a no-op after COMMIT, or when SQLite rolled back already."""
        if self._conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):  # left open, it is rolled back before the next try
                await self._conn.execute("ROLLBACK")

    async def _retrying(self, operation: Callable[[], Awaitable[T]], deadline_s: float) -> T:
        """`operation` under the lock, tried again after each passing fault until `deadline_s` is spent."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        give_up_at = started + deadline_s
        fault, tries = "it did not answer", 0
        while True:
            try:
                async with asyncio.timeout_at(give_up_at):
                    await self._lock.acquire()
            except TimeoutError:
                raise self._give_up(fault, deadline_s) from None
            try:
                if self._conn.in_transaction:  # a failed try's rollback failed too: finish it first
                    await self._conn.execute("ROLLBACK")
                result = await operation()
            except sqlite3.Error as error:
                passing = passing_fault(error)
                if passing is None:
                    raise
                fault = f"{passing} ({error.sqlite_errorname})"
                if loop.time() >= give_up_at:
                    raise self._give_up(fault, deadline_s) from error
            else:
                if tries:
                    log.info(
                        "the database answered after %d tries in %.2f s", tries + 1, loop.time() - started
                    )
                return result
            finally:
                self._lock.release()
            tries += 1
            await asyncio.sleep(min(backoff(tries), give_up_at - loop.time()))

    @staticmethod
    def _give_up(fault: str, deadline_s: float) -> StorageUnavailable:
        return StorageUnavailable(f"the database is unavailable: {fault}, still after {deadline_s:g} s")

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


async def _scratch(conn: aiosqlite.Connection) -> None:
    """The health probe's write: a new table and a row over a page long, then gone again."""
    await conn.execute("CREATE TABLE healthz_probe (b BLOB)")
    await conn.execute("INSERT INTO healthz_probe SELECT zeroblob(2 * page_size) FROM pragma_page_size")
    await conn.execute("DROP TABLE healthz_probe")

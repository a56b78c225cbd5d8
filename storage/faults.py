"""Which SQLite failures may pass if tried again, and how long to wait before the next try.

A failure of the environment — another process holding the write lock, a full disk, an I/O error, memory,
a file the process cannot open or write right now — can clear without us changing anything, so it is
worth another try. A failure of our own SQL or data (a syntax error, a constraint, a type mismatch,
misuse) or a damaged file (corrupt, not a database) will fail the same way every time: it is raised at
once, so a bug is never hidden behind half a minute of retries.
"""

from __future__ import annotations

import random
import sqlite3

FIRST_BACKOFF_S = 0.01
MAX_BACKOFF_S = 0.5

# SQLite's primary result codes (the low byte of an extended code), in words safe to show anyone.
_PASSING: dict[int, str] = {
    sqlite3.SQLITE_BUSY: "it is locked by another process",
    sqlite3.SQLITE_LOCKED: "a table is locked",
    sqlite3.SQLITE_PROTOCOL: "a race for its lock",
    sqlite3.SQLITE_FULL: "the disk or the database is full",
    sqlite3.SQLITE_IOERR: "a disk I/O error",
    sqlite3.SQLITE_NOMEM: "the process is out of memory",
    sqlite3.SQLITE_READONLY: "its file cannot be written",
    sqlite3.SQLITE_CANTOPEN: "one of its files cannot be opened",
}


def passing_fault(error: BaseException) -> str | None:
    """What went wrong, in words safe to show, when another try may succeed; None when it cannot."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(error, sqlite3.Error) or code is None:
        return None  # raised by the sqlite3 module itself (a closed cursor, a bad parameter): our mistake
    return _PASSING.get(code & 0xFF)


def backoff(tries: int) -> float:
    """Seconds to wait after `tries` failed tries: exponential, capped, with full jitter so that many
    writers held up by one lock do not all come back at the same instant."""
    return random.uniform(0, min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2**tries))

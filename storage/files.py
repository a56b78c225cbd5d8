"""DATA_DIR private to the user courtbot runs as: the database holds members' (encrypted) logins and
bookings, and the key that opens them may lie beside it.

Modes are forced on every start, not only on creation, so an older install or a restored backup is
tightened too. SQLite gives the -wal and -shm files it creates the database file's own mode, so a private
database keeps its companions private.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
#: the files SQLite keeps next to a database in WAL mode
COMPANIONS = ("-wal", "-shm")


def private_dir(path: Path) -> None:
    """Create the folder with mode 0700, or make an existing one 0700. Raises OSError if it cannot be a
    folder (it is a file, or we may not create it)."""
    path.mkdir(mode=PRIVATE_DIR, parents=True, exist_ok=True)
    _restrict(path, PRIVATE_DIR)


def private_database(path: Path) -> None:
    """Create the database file empty with mode 0600 (SQLite takes an empty file as a new database), or
    make an existing one and its companions 0600."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    for file in (path, *(path.with_name(path.name + suffix) for suffix in COMPANIONS)):
        if file.exists():
            _restrict(file, PRIVATE_FILE)


def _restrict(path: Path, mode: int) -> None:
    if path.stat().st_mode & 0o777 == mode:
        return
    try:
        os.chmod(path, mode)
    except PermissionError:  # not ours to change (a folder made by root for us): usable all the same
        log.warning(
            "%s is readable by other users and not ours to change; run: chmod %o %s", path, mode, path
        )

"""DATA_DIR and everything in it are private to the user courtbot runs as."""

from __future__ import annotations

import os
from pathlib import Path

from booking.models import Access, Credentials, Member
from storage import Storage


def _mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


async def _write_a_login(data_dir: Path) -> None:
    store = await Storage.open(data_dir)
    await store.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
    await store.credentials.save(1, Credentials("alice", "alice-pass"))
    await store.close()


async def test_a_new_data_dir_is_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    old_umask = os.umask(0o022)  # the usual umask, which left everything readable by all
    try:
        store = await Storage.open(data_dir)
        await store.members.upsert(Member(1, "Alice", access=Access.ALLOWED))
        # While it runs: the database and the -wal and -shm files SQLite made beside it.
        modes = {p.name: _mode(p) for p in data_dir.iterdir()}
        await store.close()
    finally:
        os.umask(old_umask)
    assert _mode(data_dir) == 0o700
    assert modes == {
        "courtbot.sqlite3": 0o600,
        "courtbot.sqlite3-wal": 0o600,
        "courtbot.sqlite3-shm": 0o600,
        "secret.key": 0o600,
    }


async def test_an_existing_data_dir_is_made_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    await _write_a_login(data_dir)
    data_dir.chmod(0o755)
    for path in data_dir.iterdir():
        if path.name != "secret.key":
            path.chmod(0o644)
    store = await Storage.open(data_dir)
    try:
        assert _mode(data_dir) == 0o700
        assert {p.name: _mode(p) for p in data_dir.iterdir()} == {
            "courtbot.sqlite3": 0o600,
            "courtbot.sqlite3-wal": 0o600,
            "courtbot.sqlite3-shm": 0o600,
            "secret.key": 0o600,
        }
        assert await store.credentials.get(1) == Credentials("alice", "alice-pass")
    finally:
        await store.close()

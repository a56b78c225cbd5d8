import asyncio
import sqlite3
from datetime import date, time
from pathlib import Path

import pytest

from booking.models import (
    Access,
    Attempt,
    AttemptOutcome,
    BookingRequest,
    Credentials,
    Grant,
    Member,
    RequestStatus,
    Role,
)
from storage import Storage
from storage.crypto import SecretKeyError, new_key
from storage.db import Database, StorageError
from storage.migrations import SCHEMA_VERSION

USERNAME = "alice.smith@example.org"
PASSWORD = "s3cret-Passw0rd-that-must-not-leak"


async def _member(storage: Storage, telegram_id: int = 42) -> Member:
    member = Member(telegram_id=telegram_id, name="Alice", role=Role.MEMBER, access=Access.ALLOWED)
    await storage.members.upsert(member)
    return member


def _database_bytes(data_dir: Path) -> bytes:
    return b"".join(p.read_bytes() for p in data_dir.iterdir() if p.name.startswith("courtbot.sqlite3"))


async def test_credentials_round_trip_and_never_in_clear_on_disk(storage: Storage, tmp_path: Path) -> None:
    await _member(storage)
    await storage.credentials.save(42, Credentials(USERNAME, PASSWORD))
    assert await storage.credentials.get(42) == Credentials(USERNAME, PASSWORD)
    await storage.close()
    raw = _database_bytes(tmp_path)
    assert raw, "the database files exist"
    for secret in (USERNAME, PASSWORD):
        assert secret.encode() not in raw
        assert secret.encode("utf-16-le") not in raw
    storage_again = await Storage.open(tmp_path, tuple())  # reopen with no key: the generated key is not ours
    with pytest.raises(SecretKeyError, match="cannot be decrypted"):
        await storage_again.credentials.get(42)
    await storage_again.close()


def test_credentials_repr_hides_the_password() -> None:
    assert PASSWORD not in repr(Credentials(USERNAME, PASSWORD))


async def test_rotation_to_a_new_key_retires_the_old_one(tmp_path: Path) -> None:
    key_a, key_b = new_key(), new_key()
    store = await Storage.open(tmp_path, (key_a,))
    await _member(store, 1)
    await _member(store, 2)
    await store.credentials.save(1, Credentials("one", "pw-one"))
    await store.credentials.save(2, Credentials("two", "pw-two"))
    await store.close()

    rotating = await Storage.open(tmp_path, (key_b, key_a))
    assert await rotating.credentials.rotate_all() == 2
    await rotating.close()

    only_b = await Storage.open(tmp_path, (key_b,))
    assert await only_b.credentials.get(1) == Credentials("one", "pw-one")
    assert await only_b.credentials.get(2) == Credentials("two", "pw-two")
    await only_b.close()

    unrelated = await Storage.open(tmp_path, (new_key(),))
    with pytest.raises(SecretKeyError, match="ENCRYPTION_KEYS"):
        await unrelated.credentials.get(1)
    with pytest.raises(SecretKeyError, match="rotation stopped"):
        await unrelated.credentials.rotate_all()
    await unrelated.close()
    only_b = await Storage.open(tmp_path, (key_b,))  # the failed rotation changed nothing
    assert await only_b.credentials.get(1) == Credentials("one", "pw-one")
    await only_b.close()


async def test_generated_key_file_is_private_and_reused(tmp_path: Path) -> None:
    store = await Storage.open(tmp_path)
    await _member(store)
    await store.credentials.save(42, Credentials(USERNAME, PASSWORD))
    await store.close()
    key_file = tmp_path / "secret.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    first = key_file.read_text()
    again = await Storage.open(tmp_path)
    assert await again.credentials.get(42) == Credentials(USERNAME, PASSWORD)
    await again.close()
    assert key_file.read_text() == first


async def test_corrupt_key_file_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "secret.key").write_text("not a key\n")
    with pytest.raises(SecretKeyError, match="does not hold a Fernet key"):
        await Storage.open(tmp_path)


def _tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


async def test_migrations_empty_to_current_then_idempotent(tmp_path: Path) -> None:
    db = await Database.open(tmp_path)
    assert await db.migrate() == SCHEMA_VERSION
    await db.close()
    schema_before = _tables(db.path)
    assert {"members", "credentials", "requests", "attempts", "progress_messages"} <= schema_before
    db = await Database.open(tmp_path)
    await db.close()
    assert _tables(db.path) == schema_before
    assert _version(db.path) == SCHEMA_VERSION


async def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = await Database.open(tmp_path)
    await db.close()
    with sqlite3.connect(db.path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="newer than this courtbot"):
        await Database.open(tmp_path)


async def test_wal_and_foreign_keys_are_on(storage: Storage) -> None:
    assert (await storage.db.read("PRAGMA journal_mode"))[0][0] == "wal"
    assert (await storage.db.read("PRAGMA foreign_keys"))[0][0] == 1


async def test_concurrent_writers_lose_no_row(storage: Storage) -> None:
    await _member(storage)

    async def write(n: int) -> None:
        request = await storage.requests.create(
            BookingRequest(
                member_id=42, day=date(2026, 12, 1), times=(time(18),), duration_min=60, courts=(n,)
            )
        )
        assert request.id is not None
        await storage.attempts.record(
            Attempt(request_id=request.id, court=n, start=time(18), sent_at=float(n))
        )

    await asyncio.gather(*(write(n) for n in range(200)))
    requests = await storage.requests.for_member(42)
    assert sorted(r.courts[0] for r in requests) == list(range(200))
    for request in requests[:5]:
        assert len(await storage.attempts.for_request(request.id or 0)) == 1


async def test_request_status_compare_and_set(storage: Storage) -> None:
    await _member(storage)
    request = await storage.requests.create(
        BookingRequest(
            member_id=42,
            day=date(2026, 12, 1),
            times=(time(18), time(19)),
            duration_min=60,
            courts=(2, 1),
            status=RequestStatus.SCHEDULED,
        )
    )
    assert request.id is not None
    assert await storage.requests.update(
        request.id, RequestStatus.RUNNING, only_if=(RequestStatus.SCHEDULED,)
    )
    assert not await storage.requests.update(
        request.id, RequestStatus.RUNNING, only_if=(RequestStatus.SCHEDULED,)
    )
    await storage.requests.update(
        request.id, RequestStatus.BOOKED, booked_court=2, booked_time=time(19), reference="DC-1"
    )
    stored = await storage.requests.get(request.id)
    assert stored is not None
    assert (stored.status, stored.booked_court, stored.booked_time, stored.reference) == (
        RequestStatus.BOOKED,
        2,
        time(19),
        "DC-1",
    )
    assert stored.times == (time(18), time(19)) and stored.courts == (2, 1)


async def test_attempt_outcomes_and_unresolved(storage: Storage) -> None:
    await _member(storage)
    request = await storage.requests.create(
        BookingRequest(member_id=42, day=date(2026, 12, 1), times=(time(18),), duration_min=60, courts=())
    )
    assert request.id is not None
    sent = await storage.attempts.record(Attempt(request_id=request.id, court=1, start=time(18), sent_at=1.0))
    taken = await storage.attempts.record(
        Attempt(request_id=request.id, court=2, start=time(18), sent_at=2.0)
    )
    await storage.attempts.finish(taken.id or 0, AttemptOutcome.TAKEN, 2.1, detail="taken")
    assert [a.id for a in await storage.attempts.unresolved(request.id)] == [sent.id]


async def test_deleting_a_member_removes_their_credentials(storage: Storage) -> None:
    await _member(storage)
    await storage.credentials.save(42, Credentials(USERNAME, PASSWORD))
    assert await storage.credentials.delete(42)
    assert await storage.credentials.get(42) is None
    assert not await storage.credentials.delete(42)


async def test_prune_forgets_old_finished_requests_but_keeps_upcoming_and_open_ones(storage: Storage) -> None:
    from datetime import UTC, datetime, timedelta

    await _member(storage)

    async def make(day: date, status: RequestStatus) -> int:
        request = await storage.requests.create(
            BookingRequest(member_id=42, day=day, times=(time(18),), duration_min=60, courts=(1,))
        )
        await storage.requests.update(request.id or 0, status)
        await storage.attempts.record(
            Attempt(request_id=request.id or 0, court=1, start=time(18), sent_at=1.0)
        )
        return request.id or 0

    old_failed = await make(date(2026, 1, 5), RequestStatus.FAILED)
    old_booked = await make(date(2026, 1, 6), RequestStatus.BOOKED)
    upcoming_booked = await make(date(2026, 12, 30), RequestStatus.BOOKED)
    open_request = await make(date(2026, 1, 7), RequestStatus.SCHEDULED)
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert await storage.requests.prune(later, date(2026, 11, 24)) == 2
    assert await storage.requests.get(old_failed) is None and await storage.requests.get(old_booked) is None
    assert await storage.attempts.for_request(old_failed) == []
    assert await storage.requests.get(upcoming_booked) is not None
    assert await storage.requests.get(open_request) is not None
    assert await storage.requests.prune(datetime.now(UTC) - timedelta(days=90), date(2026, 11, 24)) == 0


async def test_an_older_database_is_upgraded_in_place_with_its_data(tmp_path: Path, key: str) -> None:
    from storage.migrations import MIGRATIONS

    with sqlite3.connect(tmp_path / "courtbot.sqlite3") as conn:
        conn.executescript(f"{MIGRATIONS[0]}\nPRAGMA user_version = 1;")
        conn.execute(
            "INSERT INTO members VALUES (42, 'Alice', 'member', 'allowed', NULL, '2026-01-01T00:00:00Z')"
        )
        conn.execute(
            "INSERT INTO requests (member_id, day, times, duration_min, courts, status) "
            "VALUES (42, '2026-12-01', '[\"18:00\"]', 60, '[2]', 'scheduled')"
        )
    store = await Storage.open(tmp_path, (key,))
    [request] = await store.requests.for_member(42)
    assert (request.day, request.times, request.series_id, request.watch_until) == (
        date(2026, 12, 1),
        (time(18),),
        None,
        None,
    )
    await store.close()
    assert _version(tmp_path / "courtbot.sqlite3") == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda d: (d / "courtbot.sqlite3").write_bytes(b"not a database at all" * 100), "is damaged"),
        (lambda d: (d / "courtbot.sqlite3").mkdir(), "cannot be opened"),
    ],
    ids=["damaged", "a folder"],
)
async def test_an_unusable_database_is_one_line_naming_the_file(tmp_path: Path, damage, says: str) -> None:
    damage(tmp_path)
    with pytest.raises(StorageError) as caught:
        await Storage.open(tmp_path)
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "courtbot.sqlite3")) and says in message
    assert "\n" not in message


async def test_a_data_dir_that_is_a_file_is_one_line_naming_data_dir(tmp_path: Path) -> None:
    (tmp_path / "data").write_text("")
    with pytest.raises(StorageError, match=r"^DATA_DIR: .* \(it is a file\): point DATA_DIR at a folder"):
        await Storage.open(tmp_path / "data")


async def test_where_access_came_from_is_kept(storage: Storage) -> None:
    for telegram_id, granted in ((1, Grant.SETTINGS), (2, Grant.ADMIN), (3, None)):
        await storage.members.upsert(Member(telegram_id, "M", access=Access.ALLOWED, granted=granted))
    assert [m.granted for m in await storage.members.list(Access.ALLOWED)] == [
        Grant.SETTINGS,
        Grant.ADMIN,
        None,
    ]

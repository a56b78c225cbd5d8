"""Booking requests and their attempts: the engine's durable truth across crashes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

import aiosqlite

from booking.events import ProgressEvent
from booking.models import Attempt, AttemptOutcome, BookingRequest, RequestStatus
from storage import notices
from storage.db import Database

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
#: attempt outcomes that leave it unknown whether the booking was made, until settled
_UNKNOWN = (AttemptOutcome.SENT, AttemptOutcome.UNAVAILABLE, AttemptOutcome.NOT_UNDERSTOOD)


def _times_text(times: Iterable[time]) -> str:
    return json.dumps([t.strftime("%H:%M") for t in times])


def _sql_stamp(instant: datetime) -> str:
    """An instant as the schema's timestamps are written (strftime('%Y-%m-%dT%H:%M:%fZ'))."""
    return instant.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _stamp(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _request(row: aiosqlite.Row) -> BookingRequest:
    return BookingRequest(
        id=row["id"],
        member_id=row["member_id"],
        day=date.fromisoformat(row["day"]),
        times=tuple(time.fromisoformat(t) for t in json.loads(row["times"])),
        duration_min=row["duration_min"],
        courts=tuple(json.loads(row["courts"])),
        partner=row["partner"],
        status=RequestStatus(row["status"]),
        release_at=_stamp(row["release_at"]),
        booked_court=row["booked_court"],
        booked_time=time.fromisoformat(row["booked_time"]) if row["booked_time"] else None,
        reference=row["reference"],
        reason=row["reason"],
        created_at=_stamp(row["created_at"]),
        updated_at=_stamp(row["updated_at"]),
        series_id=row["series_id"],
        watch_until=_stamp(row["watch_until"]),
    )


class RequestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, request: BookingRequest) -> BookingRequest:
        cursor = await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO requests (member_id, day, times, duration_min, courts, partner, status,
                                         release_at, series_id)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    request.member_id,
                    request.day.isoformat(),
                    _times_text(request.times),
                    request.duration_min,
                    json.dumps(list(request.courts)),
                    request.partner,
                    request.status,
                    request.release_at.isoformat() if request.release_at else None,
                    request.series_id,
                ),
            )
        )
        created = await self.get(int(cursor.lastrowid or 0))
        assert created is not None
        return created

    async def get(self, request_id: int) -> BookingRequest | None:
        rows = await self._db.read("SELECT * FROM requests WHERE id = ?", (request_id,))
        return _request(rows[0]) if rows else None

    async def update(
        self,
        request_id: int,
        status: RequestStatus,
        *,
        only_if: tuple[RequestStatus, ...] = (),
        booked_court: int | None = None,
        booked_time: time | None = None,
        reference: str | None = None,
        reason: str | None = None,
        watch_until: datetime | None = None,
        notice: ProgressEvent | None = None,
    ) -> bool:
        """Move a request to `status`; with `only_if`, only from one of those (a compare-and-set). A
        `notice` goes into the outbox in the same transaction, if and only if the request moved."""
        query = f"""UPDATE requests SET status = ?, booked_court = COALESCE(?, booked_court),
                       booked_time = COALESCE(?, booked_time), reference = COALESCE(?, reference),
                       reason = COALESCE(?, reason), watch_until = COALESCE(?, watch_until),
                       updated_at = {_NOW}
                    WHERE id = ?"""
        args: list[object] = [
            status,
            booked_court,
            booked_time.strftime("%H:%M") if booked_time else None,
            reference,
            reason,
            watch_until.isoformat() if watch_until else None,
            request_id,
        ]
        if only_if:
            query += f" AND status IN ({','.join('?' * len(only_if))})"
            args.extend(only_if)

        async def move(conn: aiosqlite.Connection) -> bool:
            cursor = await conn.execute(query, args)
            moved = cursor.rowcount > 0
            if moved and notice is not None:
                await notices.insert(conn, notice)
            return moved

        return await self._db.write(move)

    async def set_release(self, request_id: int, release_at: datetime) -> None:
        """The request's release instant, timed again (the club's release rule changed)."""
        await self._db.write(
            lambda conn: conn.execute(
                f"UPDATE requests SET release_at = ?, updated_at = {_NOW} WHERE id = ?",
                (release_at.isoformat(), request_id),
            )
        )

    async def prune(self, finished_before: datetime, today: date) -> int:
        """Forget finished requests (and their attempts) last touched before the cut-off, except any whose
        day is still ahead: /bookings shows those."""
        cursor = await self._db.write(
            lambda conn: conn.execute(
                """DELETE FROM requests WHERE status IN (?, ?, ?) AND updated_at < ? AND day < ?""",
                (
                    RequestStatus.BOOKED,
                    RequestStatus.FAILED,
                    RequestStatus.CANCELLED,
                    _sql_stamp(finished_before),
                    today.isoformat(),
                ),
            )
        )
        return cursor.rowcount

    async def count_by_status(self) -> dict[RequestStatus, int]:
        rows = await self._db.read("SELECT status, COUNT(*) FROM requests GROUP BY status")
        return {RequestStatus(status): count for status, count in rows}

    async def for_member(
        self, member_id: int, statuses: Iterable[RequestStatus] = ()
    ) -> list[BookingRequest]:
        return await self._select("member_id = ?", [member_id], statuses)

    async def with_status(self, statuses: Iterable[RequestStatus]) -> list[BookingRequest]:
        return await self._select("1 = 1", [], statuses)

    async def for_series(
        self, series_id: int, statuses: Iterable[RequestStatus] = ()
    ) -> list[BookingRequest]:
        return await self._select("series_id = ?", [series_id], statuses)

    async def _select(
        self, where: str, args: list[object], statuses: Iterable[RequestStatus]
    ) -> list[BookingRequest]:
        wanted = list(statuses)
        if wanted:
            where += f" AND status IN ({','.join('?' * len(wanted))})"
            args = [*args, *wanted]
        rows = await self._db.read(f"SELECT * FROM requests WHERE {where} ORDER BY day, id", args)
        return [_request(row) for row in rows]


def _attempt(row: aiosqlite.Row) -> Attempt:
    return Attempt(
        id=row["id"],
        request_id=row["request_id"],
        court=row["court"],
        start=time.fromisoformat(row["start"]),
        sent_at=row["sent_at"],
        clock_offset_s=row["clock_offset_s"],
        outcome=AttemptOutcome(row["outcome"]),
        detail=row["detail"],
        reference=row["reference"],
        finished_at=row["finished_at"],
    )


class AttemptRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, attempt: Attempt) -> Attempt:
        """Write an attempt *before* it is sent, so a crash leaves a trace to reconcile."""
        cursor = await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO attempts (request_id, court, start, sent_at, clock_offset_s, outcome, detail)
                   VALUES (?, ?, ?, ?, ?, ?, ?)""",
                (
                    attempt.request_id,
                    attempt.court,
                    attempt.start.strftime("%H:%M"),
                    attempt.sent_at,
                    attempt.clock_offset_s,
                    attempt.outcome,
                    attempt.detail,
                ),
            )
        )
        return attempt.with_id(int(cursor.lastrowid or 0))

    async def finish(
        self,
        attempt_id: int,
        outcome: AttemptOutcome,
        finished_at: float,
        *,
        detail: str | None = None,
        reference: str | None = None,
    ) -> None:
        await self._db.write(
            lambda conn: conn.execute(
                "UPDATE attempts SET outcome = ?, detail = ?, reference = ?, finished_at = ? WHERE id = ?",
                (outcome, detail, reference, finished_at, attempt_id),
            )
        )

    async def for_request(self, request_id: int) -> list[Attempt]:
        rows = await self._db.read("SELECT * FROM attempts WHERE request_id = ? ORDER BY id", (request_id,))
        return [_attempt(row) for row in rows]

    async def unresolved(self, request_id: int) -> list[Attempt]:
        """Attempts whose outcome is unknown: sent and never answered, answered 5xx / timeout, or
        answered with a page we could not read - until settled as found or not found."""
        return [a for a in await self.for_request(request_id) if a.outcome in _UNKNOWN]

    async def requests_with_unresolved(self) -> list[int]:
        """Every request with an attempt whose outcome is unknown, whatever the request's status."""
        marks = ",".join("?" * len(_UNKNOWN))
        query = f"SELECT DISTINCT request_id FROM attempts WHERE outcome IN ({marks}) ORDER BY request_id"
        return [row[0] for row in await self._db.read(query, _UNKNOWN)]

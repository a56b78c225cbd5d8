"""Weekly series: what repeats; each occurrence is an ordinary booking request."""

from __future__ import annotations

import json
from datetime import date, time

import aiosqlite

from booking.models import SeriesStatus, WeeklySeries
from storage.db import Database


def _series(row: aiosqlite.Row) -> WeeklySeries:
    return WeeklySeries(
        id=row["id"],
        member_id=row["member_id"],
        weekday=row["weekday"],
        times=tuple(time.fromisoformat(t) for t in json.loads(row["times"])),
        duration_min=row["duration_min"],
        courts=tuple(json.loads(row["courts"])),
        partner=row["partner"],
        status=SeriesStatus(row["status"]),
        skip_dates=tuple(date.fromisoformat(d) for d in json.loads(row["skip_dates"])),
    )


class SeriesRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def create(self, series: WeeklySeries) -> WeeklySeries:
        cursor = await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO weekly_series (member_id, weekday, times, duration_min, courts, partner, status,
                                              skip_dates)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    series.member_id,
                    series.weekday,
                    json.dumps([t.strftime("%H:%M") for t in series.times]),
                    series.duration_min,
                    json.dumps(list(series.courts)),
                    series.partner,
                    series.status,
                    json.dumps([d.isoformat() for d in series.skip_dates]),
                ),
            )
        )
        created = await self.get(int(cursor.lastrowid or 0))
        assert created is not None
        return created

    async def get(self, series_id: int) -> WeeklySeries | None:
        rows = await self._db.read("SELECT * FROM weekly_series WHERE id = ?", (series_id,))
        return _series(rows[0]) if rows else None

    async def for_member(self, member_id: int) -> list[WeeklySeries]:
        return await self._select("member_id = ? AND status != 'deleted'", (member_id,))

    async def active(self) -> list[WeeklySeries]:
        return await self._select("status = 'active'", ())

    async def _select(self, where: str, args: tuple[object, ...]) -> list[WeeklySeries]:
        rows = await self._db.read(f"SELECT * FROM weekly_series WHERE {where} ORDER BY id", args)
        return [_series(row) for row in rows]

    async def set_status(self, series_id: int, status: SeriesStatus) -> None:
        await self._db.write(
            lambda conn: conn.execute("UPDATE weekly_series SET status = ? WHERE id = ?", (status, series_id))
        )

    async def set_skipped(self, series_id: int, day: date, *, skipped: bool) -> None:
        """Add `day` to the series' skipped dates, or take it out."""

        async def change(conn: aiosqlite.Connection) -> None:
            async with conn.execute(
                "SELECT skip_dates FROM weekly_series WHERE id = ?", (series_id,)
            ) as cursor:
                row = await cursor.fetchone()
            if row is None:
                return
            dates = {date.fromisoformat(d) for d in json.loads(row[0])}
            dates = dates | {day} if skipped else dates - {day}
            await conn.execute(
                "UPDATE weekly_series SET skip_dates = ? WHERE id = ?",
                (json.dumps([d.isoformat() for d in sorted(dates)]), series_id),
            )

        await self._db.write(change)

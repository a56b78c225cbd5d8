"""Slots members won against club-mates who wanted them too: who goes first in the next release plan."""

from __future__ import annotations

from collections.abc import Sequence

from storage.db import Database


class ContestRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record_win(self, member_id: int, at: float) -> None:
        await self._db.write(
            lambda conn: conn.execute(
                "INSERT INTO contest_wins (member_id, won_at) VALUES (?, ?)", (member_id, at)
            )
        )

    async def wins_since(self, member_ids: Sequence[int], since: float) -> dict[int, int]:
        """Each member's wins at or after `since` (members without any are left out)."""
        if not member_ids:
            return {}
        marks = ",".join("?" * len(member_ids))
        query = (
            f"SELECT member_id, COUNT(*) FROM contest_wins WHERE won_at >= ? AND member_id IN ({marks}) "
            "GROUP BY member_id"
        )
        return {row[0]: row[1] for row in await self._db.read(query, (since, *member_ids))}

    async def forget_before(self, before: float) -> int:
        cursor = await self._db.write(
            lambda conn: conn.execute("DELETE FROM contest_wins WHERE won_at < ?", (before,))
        )
        return cursor.rowcount

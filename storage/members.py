"""The members table."""

from __future__ import annotations

import aiosqlite

from booking.models import Access, Grant, Member, Role
from storage.db import Database


def _member(row: aiosqlite.Row) -> Member:
    return Member(
        telegram_id=row["telegram_id"],
        name=row["name"],
        role=Role(row["role"]),
        access=Access(row["access"]),
        partner_default=row["partner_default"],
        granted=Grant(row["granted"]) if row["granted"] else None,
        language=row["language"],
        telegram_language=row["telegram_language"],
    )


class MemberRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def upsert(self, member: Member) -> None:
        await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO members (telegram_id, name, role, access, partner_default, granted, language,
                                        telegram_language)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                   ON CONFLICT (telegram_id) DO UPDATE SET
                     name = excluded.name, role = excluded.role, access = excluded.access,
                     partner_default = excluded.partner_default, granted = excluded.granted,
                     language = excluded.language, telegram_language = excluded.telegram_language""",
                (
                    member.telegram_id,
                    member.name,
                    member.role,
                    member.access,
                    member.partner_default,
                    member.granted,
                    member.language,
                    member.telegram_language,
                ),
            )
        )

    async def get(self, telegram_id: int) -> Member | None:
        rows = await self._db.read("SELECT * FROM members WHERE telegram_id = ?", (telegram_id,))
        return _member(rows[0]) if rows else None

    async def list(self, access: Access | None = None) -> list[Member]:
        query, args = "SELECT * FROM members", ()
        if access is not None:
            query, args = query + " WHERE access = ?", (access,)
        return [_member(row) for row in await self._db.read(query + " ORDER BY telegram_id", args)]

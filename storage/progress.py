"""Which chat message shows a request's live progress, so edits survive a restart."""

from __future__ import annotations

from storage.db import Database


class ProgressMessageRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, request_id: int, chat_id: int, message_id: int) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(
                """INSERT INTO progress_messages (request_id, chat_id, message_id) VALUES (?, ?, ?)
                   ON CONFLICT (request_id) DO UPDATE SET chat_id = excluded.chat_id,
                     message_id = excluded.message_id""",
                (request_id, chat_id, message_id),
            )

    async def get(self, request_id: int) -> tuple[int, int] | None:
        async with (
            self._db.reading() as conn,
            conn.execute(
                "SELECT chat_id, message_id FROM progress_messages WHERE request_id = ?", (request_id,)
            ) as cursor,
        ):
            row = await cursor.fetchone()
        return (row[0], row[1]) if row else None

"""Which chat message shows a request's live progress, so edits survive a restart."""

from __future__ import annotations

from storage.db import Database


class ProgressMessageRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def put(self, request_id: int, chat_id: int, message_id: int) -> None:
        await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO progress_messages (request_id, chat_id, message_id) VALUES (?, ?, ?)
                   ON CONFLICT (request_id) DO UPDATE SET chat_id = excluded.chat_id,
                     message_id = excluded.message_id""",
                (request_id, chat_id, message_id),
            )
        )

    async def get(self, request_id: int) -> tuple[int, int] | None:
        rows = await self._db.read(
            "SELECT chat_id, message_id FROM progress_messages WHERE request_id = ?", (request_id,)
        )
        return (rows[0][0], rows[0][1]) if rows else None

"""The outbox of final notices: a request's ending, stored in the transaction that ends it, until the
bot has delivered it (or knows it never can), so no restart, kill -9 or Telegram fault loses one."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import datetime, time
from typing import Any

import aiosqlite

from booking import reasons
from booking.events import EventKind, ProgressEvent
from booking.reasons import Code, Reason
from storage.db import Database

_NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"


@dataclass(frozen=True)
class StoredNotice:
    id: int
    event: ProgressEvent
    #: the notice's own message, once sent: delivering again would only send it twice
    sent_message_id: int | None


def encode(event: ProgressEvent) -> str:
    values: dict[str, Any] = {}
    for f in fields(event):
        value = getattr(event, f.name)
        if isinstance(value, Reason):
            value = reasons.to_json(value)
        values[f.name] = value.isoformat() if isinstance(value, datetime | time) else value
    return json.dumps(values)


def decode(text: str) -> ProgressEvent:
    values = json.loads(text)
    values["kind"] = EventKind(values["kind"])
    said = values.pop("text", None)  # stored by a courtbot before reasons had codes: its words, as they were
    if values.get("reason") is not None:
        values["reason"] = reasons.from_json(values["reason"])
    elif said:
        values["reason"] = Reason(Code.SAID, {"text": said})
    if values.get("start") is not None:
        values["start"] = time.fromisoformat(values["start"])
    if values.get("release_at") is not None:
        values["release_at"] = datetime.fromisoformat(values["release_at"])
    return ProgressEvent(**values)


async def insert(conn: aiosqlite.Connection, event: ProgressEvent) -> None:
    """Put a notice in the outbox, inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO notices (request_id, event) VALUES (?, ?)", (event.request_id, encode(event))
    )


class NoticeRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def pending(self) -> list[StoredNotice]:
        """Notices not yet delivered, oldest first."""
        query = (
            "SELECT id, event, sent_message_id FROM notices WHERE delivered_at IS NULL AND gave_up IS NULL"
        )
        return [
            StoredNotice(row[0], decode(row[1]), row[2])
            for row in await self._db.read(f"{query} ORDER BY id")
        ]

    async def sent_failures(self, request_id: int) -> list[tuple[ProgressEvent, int]]:
        """The request's "couldn't book" notices already sent, each with its message (to edit, when the
        request books after all)."""
        rows = await self._db.read(
            "SELECT event, sent_message_id FROM notices WHERE request_id = ? AND sent_message_id IS NOT NULL "
            "ORDER BY id",
            (request_id,),
        )
        events = [(decode(row[0]), row[1]) for row in rows]
        return [(event, message_id) for event, message_id in events if event.kind is EventKind.FAILED]

    async def sent(self, notice_id: int, message_id: int) -> None:
        """The notice's message is out (its final progress edit may still be due)."""
        await self._db.write(
            lambda conn: conn.execute(
                "UPDATE notices SET sent_message_id = ? WHERE id = ?", (message_id, notice_id)
            )
        )

    async def delivered(self, notice_id: int) -> None:
        await self._db.write(
            lambda conn: conn.execute(f"UPDATE notices SET delivered_at = {_NOW} WHERE id = ?", (notice_id,))
        )

    async def gave_up(self, notice_id: int, why: str) -> None:
        """Telegram will never take it (the member blocked the bot, the chat is gone): stop trying."""
        await self._db.write(
            lambda conn: conn.execute("UPDATE notices SET gave_up = ? WHERE id = ?", (why, notice_id))
        )

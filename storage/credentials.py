"""Club logins, stored only as Fernet tokens."""

from __future__ import annotations

import aiosqlite

from booking.models import Credentials
from storage.crypto import Vault
from storage.db import Database


class CredentialRepo:
    def __init__(self, db: Database, vault: Vault) -> None:
        self._db = db
        self._vault = vault

    async def save(self, member_id: int, credentials: Credentials) -> None:
        username = self._vault.encrypt(credentials.username)
        password = self._vault.encrypt(credentials.password)
        await self._db.write(
            lambda conn: conn.execute(
                """INSERT INTO credentials (member_id, username_enc, password_enc) VALUES (?, ?, ?)
                   ON CONFLICT (member_id) DO UPDATE SET username_enc = excluded.username_enc,
                     password_enc = excluded.password_enc,
                     updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')""",
                (member_id, username, password),
            )
        )

    async def get(self, member_id: int) -> Credentials | None:
        rows = await self._db.read(
            "SELECT username_enc, password_enc FROM credentials WHERE member_id = ?", (member_id,)
        )
        if not rows:
            return None
        return Credentials(self._vault.decrypt(rows[0][0]), self._vault.decrypt(rows[0][1]))

    async def check_keys(self) -> None:
        """Decrypt the newest stored login, so that a wrong or lost key stops start-up instead of every
        booking at its release; raises SecretKeyError."""
        rows = await self._db.read("SELECT username_enc FROM credentials ORDER BY updated_at DESC LIMIT 1")
        if rows:
            self._vault.decrypt(rows[0][0])

    async def member_ids(self) -> list[int]:
        """The members with a login stored, most recently stored first."""
        rows = await self._db.read("SELECT member_id FROM credentials ORDER BY updated_at DESC")
        return [row[0] for row in rows]

    async def delete(self, member_id: int) -> bool:
        cursor = await self._db.write(
            lambda conn: conn.execute("DELETE FROM credentials WHERE member_id = ?", (member_id,))
        )
        return cursor.rowcount > 0

    async def delete_all(self) -> int:
        """Forget every stored login (its key is lost); how many there were."""
        cursor = await self._db.write(lambda conn: conn.execute("DELETE FROM credentials"))
        return cursor.rowcount

    async def rotate_all(self) -> int:
        """Re-encrypt every stored secret under the first key, all or nothing."""

        async def rotate(conn: aiosqlite.Connection) -> int:
            query = "SELECT member_id, username_enc, password_enc FROM credentials"
            async with conn.execute(query) as cursor:
                rows = list(await cursor.fetchall())
            for member_id, username, password in rows:
                await conn.execute(
                    "UPDATE credentials SET username_enc = ?, password_enc = ? WHERE member_id = ?",
                    (self._vault.rotate(username), self._vault.rotate(password), member_id),
                )
            return len(rows)

        return await self._db.write(rotate)

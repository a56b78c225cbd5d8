"""Who may use the bot, and each member's club login.

ALLOWED_USERS and ADMIN_USERS always win; everyone else is a stranger until an admin approves them,
and that decision is stored.
"""

from __future__ import annotations

import dataclasses

from booking.models import Access, Credentials, Member, Role
from booking.service import BookingService
from storage import Storage


class NotAdmin(PermissionError):
    """Only an admin may decide on access."""


class MemberService:
    def __init__(
        self,
        storage: Storage,
        booking: BookingService,
        allowed_users: frozenset[int],
        admin_users: frozenset[int],
    ) -> None:
        self._storage = storage
        self._booking = booking
        self._allowed = allowed_users
        self._admins = admin_users

    @property
    def admin_ids(self) -> frozenset[int]:
        return self._admins

    def is_admin(self, telegram_id: int) -> bool:
        return telegram_id in self._admins

    async def get(self, telegram_id: int) -> Member | None:
        return await self._storage.members.get(telegram_id)

    async def ensure(self, telegram_id: int, name: str) -> Member:
        """The member record for a Telegram user, created on first contact; the settings win."""
        stored = await self._storage.members.get(telegram_id)
        if telegram_id in self._admins or telegram_id in self._allowed:
            access = Access.ALLOWED
        else:
            access = stored.access if stored else Access.STRANGER
        member = Member(
            telegram_id=telegram_id,
            name=name or (stored.name if stored else str(telegram_id)),
            role=Role.ADMIN if telegram_id in self._admins else Role.MEMBER,
            access=access,
            partner_default=stored.partner_default if stored else None,
        )
        if member != stored:
            await self._storage.members.upsert(member)
        return member

    async def is_allowed(self, telegram_id: int) -> bool:
        if telegram_id in self._admins or telegram_id in self._allowed:
            return True
        member = await self._storage.members.get(telegram_id)
        return member is not None and member.access is Access.ALLOWED

    async def request_access(self, telegram_id: int, name: str) -> bool:
        """Mark a stranger as asking; True the first time (so admins are told once)."""
        member = await self.ensure(telegram_id, name)
        if member.access is not Access.STRANGER:
            return False
        await self._storage.members.upsert(dataclasses.replace(member, access=Access.PENDING))
        return True

    async def decide(self, admin_id: int, telegram_id: int, approve: bool) -> Member:
        if not self.is_admin(admin_id):
            raise NotAdmin
        member = await self._storage.members.get(telegram_id)
        if member is None:
            raise LookupError(telegram_id)
        decided = dataclasses.replace(member, access=Access.ALLOWED if approve else Access.DENIED)
        await self._storage.members.upsert(decided)
        return decided

    async def pending(self) -> list[Member]:
        return await self._storage.members.list(Access.PENDING)

    async def login(self, telegram_id: int, username: str, password: str) -> None:
        """Prove the login on the club's site, then store it encrypted. Raises LoginFailed / SiteError."""
        credentials = Credentials(username, password)
        await self._booking.check_login(credentials)
        await self._storage.credentials.save(telegram_id, credentials)

    async def logout(self, telegram_id: int) -> bool:
        return await self._storage.credentials.delete(telegram_id)

    async def has_login(self, telegram_id: int) -> bool:
        return await self._storage.credentials.get(telegram_id) is not None

    async def club_username(self, telegram_id: int) -> str | None:
        credentials = await self._storage.credentials.get(telegram_id)
        return credentials.username if credentials else None

    async def set_partner_default(self, telegram_id: int, partner: str | None) -> None:
        member = await self._storage.members.get(telegram_id)
        if member is not None:
            await self._storage.members.upsert(dataclasses.replace(member, partner_default=partner))

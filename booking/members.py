"""Who may use the bot, and each member's club login.

ALLOWED_USERS and ADMIN_USERS always win while they list an id, and what they gave ends when they stop
listing it (at the next start, `apply_settings`); everyone else is a stranger until an admin approves
them, and an admin can take that back. Access that ends takes the member's waiting requests with it,
and pauses their weekly series (their weeks kept for a resume). Every admin decision is logged with who
made it.
"""

from __future__ import annotations

import dataclasses
import logging
from dataclasses import dataclass

from booking import weekly
from booking.models import Access, Credentials, Grant, Member, RequestStatus, Role
from booking.service import BookingService
from booking.validation import RequestInvalid
from storage import Storage

log = logging.getLogger(__name__)

#: the reason kept with a request cancelled because its member's access ended
ACCESS_ENDED = "the member's access to courtbot ended"


class NotAdmin(PermissionError):
    """Only an admin may decide on access."""


class GrantedBySettings(PermissionError):
    """This member's access comes from ALLOWED_USERS or ADMIN_USERS: only the settings can end it."""


@dataclass(frozen=True)
class Revoked:
    """A member whose access ended (or was turned down), and how many waiting requests went with it."""

    member: Member
    withdrawn: int


@dataclass(frozen=True)
class SettingsApplied:
    revoked: list[Revoked]
    #: members who were admins and no longer are (their admin menu goes)
    former_admins: list[int]


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

    def in_settings(self, telegram_id: int) -> bool:
        return telegram_id in self._admins or telegram_id in self._allowed

    async def get(self, telegram_id: int) -> Member | None:
        return await self._storage.members.get(telegram_id)

    async def ensure(self, telegram_id: int, name: str, telegram_language: str | None = None) -> Member:
        """The member record for a Telegram user, created on first contact; the settings win.
        `telegram_language`: the language code their Telegram app sent, kept for messages sent later."""
        stored = await self._storage.members.get(telegram_id)
        member = Member(
            telegram_id=telegram_id,
            name=name or (stored.name if stored else str(telegram_id)),
            partner_default=stored.partner_default if stored else None,
            language=stored.language if stored else None,
            telegram_language=telegram_language or (stored.telegram_language if stored else None),
        )
        member = self._as_settings_say(member, stored)
        if member != stored:
            await self._storage.members.upsert(member)
        return member

    def _as_settings_say(self, member: Member, stored: Member | None) -> Member:
        """`member` with its role and access as the settings give them, or else as stored."""
        role = Role.ADMIN if self.is_admin(member.telegram_id) else Role.MEMBER
        if self.in_settings(member.telegram_id):
            return dataclasses.replace(member, role=role, access=Access.ALLOWED, granted=Grant.SETTINGS)
        if stored is None:
            return dataclasses.replace(member, role=role, access=Access.STRANGER, granted=None)
        return dataclasses.replace(member, role=role, access=stored.access, granted=stored.granted)

    async def apply_settings(self) -> SettingsApplied:
        """Make the stored access follow ALLOWED_USERS and ADMIN_USERS as they are now: whoever they no
        longer list loses what they gave (run at every start, before any update is read)."""
        revoked: list[Revoked] = []
        former_admins: list[int] = []
        stored_ids = {m.telegram_id for m in await self._storage.members.list()}
        for telegram_id in sorted((self._allowed | self._admins) - stored_ids):
            # Recorded before they ever write (nameless until then), so that leaving the settings is seen.
            await self._storage.members.upsert(self._as_settings_say(Member(telegram_id, ""), None))
        for stored in await self._storage.members.list():
            member = self._as_settings_say(stored, stored)
            if stored.role is Role.ADMIN and member.role is not Role.ADMIN:
                former_admins.append(stored.telegram_id)
                log.info("member %s is no longer an admin (ADMIN_USERS)", stored.telegram_id)
            left_settings = member.granted is Grant.SETTINGS and not self.in_settings(member.telegram_id)
            if member.access is Access.ALLOWED and left_settings:
                ended = await self._end_access(member)
                revoked.append(ended)
                log.info(
                    "access of %s revoked: no longer in ALLOWED_USERS or ADMIN_USERS (%d waiting "
                    "request(s) cancelled)",
                    member.telegram_id,
                    ended.withdrawn,
                )
            elif member != stored:
                await self._storage.members.upsert(member)
        return SettingsApplied(revoked, former_admins)

    async def with_access(self) -> list[Member]:
        """Everyone who may use courtbot, by id (one in the settings who never wrote to it is nameless)."""
        return await self._storage.members.list(Access.ALLOWED)

    async def request_access(self, telegram_id: int, name: str) -> bool:
        """Mark a stranger as asking; True the first time (so admins are told once)."""
        member = await self.ensure(telegram_id, name)
        if member.access is not Access.STRANGER:
            return False
        await self._storage.members.upsert(dataclasses.replace(member, access=Access.PENDING))
        return True

    async def approve(self, admin_id: int, telegram_id: int) -> Member:
        """An admin lets a member in (one who asked, or one turned down or revoked before)."""
        member = await self._decidable(admin_id, telegram_id)
        approved = dataclasses.replace(member, access=Access.ALLOWED, granted=Grant.ADMIN)
        await self._storage.members.upsert(approved)
        log.info("admin %s approved access of %s", admin_id, telegram_id)
        return approved

    async def deny(self, admin_id: int, telegram_id: int) -> Revoked:
        """An admin turns down a request, or revokes access an admin gave (what the settings give stays
        theirs to take: GrantedBySettings)."""
        member = await self._decidable(admin_id, telegram_id)
        if self.in_settings(telegram_id):
            raise GrantedBySettings(telegram_id)
        if member.access is Access.ALLOWED:
            revoked = await self._end_access(member)
            log.info(
                "admin %s revoked access of %s (%d waiting request(s) cancelled)",
                admin_id,
                telegram_id,
                revoked.withdrawn,
            )
            return revoked
        denied = dataclasses.replace(member, access=Access.DENIED, granted=None)
        await self._storage.members.upsert(denied)
        log.info("admin %s denied access to %s", admin_id, telegram_id)
        return Revoked(denied, 0)

    async def _decidable(self, admin_id: int, telegram_id: int) -> Member:
        if not self.is_admin(admin_id):
            raise NotAdmin
        member = await self._storage.members.get(telegram_id)
        if member is None:
            raise LookupError(telegram_id)
        return member

    async def _end_access(self, member: Member) -> Revoked:
        """Deny the member, then pause their series and cancel what waits for them (bookings stay)."""
        denied = dataclasses.replace(member, access=Access.DENIED, granted=None)
        await self._storage.members.upsert(denied)
        withdrawn = await weekly.pause_all(self._booking, member.telegram_id)
        for request in await self._booking.requests(member.telegram_id, open_only=True):
            if request.status in (RequestStatus.SCHEDULED, RequestStatus.WATCHING):
                try:
                    await self._booking.cancel(member.telegram_id, request.id or 0, reason=ACCESS_ENDED)
                except RequestInvalid:  # its release has just begun: it runs to its end
                    continue
                withdrawn += 1
        return Revoked(denied, withdrawn)

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

    async def set_language(self, telegram_id: int, language: str) -> None:
        """The language the member chose to be spoken to in."""
        member = await self._storage.members.get(telegram_id)
        if member is not None:
            await self._storage.members.upsert(dataclasses.replace(member, language=language))

    async def set_partner_default(self, telegram_id: int, partner: str | None) -> None:
        member = await self._storage.members.get(telegram_id)
        if member is not None:
            await self._storage.members.upsert(dataclasses.replace(member, partner_default=partner))

"""Access follows the settings at every start, but what the settings never gave they do not take."""

from __future__ import annotations

from booking.members import MemberService
from booking.models import Access, Grant, Member, Role
from booking.service import BookingService
from booking.timebase import SystemClock
from storage import Storage


def _members(storage: Storage, allowed: set[int], admins: set[int]) -> MemberService:
    booking = BookingService(storage, lambda: None, SystemClock())  # type: ignore[arg-type,return-value]
    return MemberService(storage, booking, frozenset(allowed), frozenset(admins))


async def test_settings_ids_are_recorded_and_leaving_them_revokes(storage: Storage) -> None:
    first = await _members(storage, {1, 2}, {9}).apply_settings()
    assert first.revoked == [] and first.former_admins == []
    assert [(m.telegram_id, m.name, m.role, m.granted) for m in await storage.members.list()] == [
        (1, "", Role.MEMBER, Grant.SETTINGS),
        (2, "", Role.MEMBER, Grant.SETTINGS),
        (9, "", Role.ADMIN, Grant.SETTINGS),
    ]

    second = await _members(storage, {2}, {2}).apply_settings()
    assert [r.member.telegram_id for r in second.revoked] == [1, 9] and second.former_admins == [9]
    assert [(m.access, m.role) for m in await storage.members.list()] == [
        (Access.DENIED, Role.MEMBER),
        (Access.ALLOWED, Role.ADMIN),
        (Access.DENIED, Role.MEMBER),
    ]
    assert (await _members(storage, {2}, {2}).apply_settings()).revoked == []  # once


async def test_access_given_before_it_was_recorded_is_kept_for_an_admin_to_judge(storage: Storage) -> None:
    await storage.members.upsert(Member(5, "Old friend", access=Access.ALLOWED))  # granted unknown
    assert (await _members(storage, set(), {9}).apply_settings()).revoked == []
    assert (await storage.members.get(5)).access is Access.ALLOWED  # type: ignore[union-attr]

"""Access follows the settings and the admins: an id taken out of ALLOWED_USERS or ADMIN_USERS loses
access at the next start, an admin revokes with a button (Deny after Approve included), and either way
the member's waiting requests end and they are told once."""

from __future__ import annotations

import logging
from datetime import time

import pytest

from booking.events import EventKind
from booking.members import MemberService
from booking.models import Access, RequestStatus, SeriesStatus
from bot import texts
from bot.application import BotRunner, build_application
from bot.callbacks import Action, pack
from bot.handlers.commands import Audience, menu
from tests.bot.conftest import ADMIN, ALICE, BOB, STRANGER, BotWorld, days_ahead, logged_in

PAT = 2002


async def _restart(world: BotWorld, allowed: frozenset[int], admins: frozenset[int]) -> None:
    """The next start of courtbot, with these settings (the engine's requests are the same)."""
    await world.runner.stop()
    world.members = MemberService(world.storage, world.booking, allowed, admins)
    world.runner = BotRunner(build_application(world.services(), world.api.token, world.api.url))
    await world.runner.start()
    await world.api.wait_for_poll()


def _told(world: BotWorld, user_id: int) -> list[str]:
    return [
        m.text
        for m in world.api.transcript(user_id)
        if m.from_bot and "access to courtbot has ended" in m.text
    ]


async def test_leaving_the_settings_revokes_at_the_next_start_and_tells_once(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    # A series on tomorrow's weekday: tomorrow's week is booked at once, and next week's scheduled.
    await world.weekly.create(ALICE, days_ahead(world, 1).weekday(), (time(18),), 60, (2,))
    await world.events.wait_for(lambda e: e.kind is EventKind.SCHEDULED)
    progress = await world.say(ALICE, f"/book {days_ahead(world, 12).isoformat()} 18:00", expect="Ready")
    await world.press(ALICE, progress, "⏰ Schedule", expect="Scheduled for")
    assert [r.status for r in await world.booking.requests(ALICE)] == [
        RequestStatus.BOOKED,
        RequestStatus.SCHEDULED,
        RequestStatus.SCHEDULED,
    ]

    await _restart(world, allowed=frozenset({BOB}), admins=frozenset({BOB}))  # Alice and Ada are gone

    await world.api.wait_for(lambda: _told(world, ALICE), what="Alice told")
    assert _told(world, ALICE) == [texts.access_ended(2)]
    assert await world.booking.requests(ALICE, open_only=True) == []
    assert len(world.club.state.bookings()) == 1  # what was booked stays booked
    await world.shows(progress, "Cancelled; nothing will be booked")
    assert (await world.weekly.series(ALICE))[0].status is SeriesStatus.PAUSED
    await world.say(ALICE, "/book tomorrow 18:00", expect=texts.DENIED)
    assert [c["command"] for c in world.api.menu(BOB)] == [c.command for c in menu(Audience.ADMINS)]
    assert world.api.menu(ADMIN) == world.api.menu(ALICE)  # Ada's admin menu is gone
    assert (await world.members.get(ADMIN)).access is Access.DENIED  # type: ignore[union-attr]

    await _restart(world, allowed=frozenset({BOB}), admins=frozenset({BOB}))
    assert (await world.members.apply_settings()).revoked == []
    await world.say(ALICE, "/start", expect=texts.DENIED)
    assert len(_told(world, ALICE)) == 1, "told once"


async def test_an_admin_revokes_by_button_and_the_member_is_told(
    world: BotWorld, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="booking.members")
    hello = await world.say(STRANGER, "/start", expect="not on its list")
    await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")
    ask = await world.api.wait_for_text(ADMIN, "asks to use courtbot")
    await world.press(ADMIN, ask, texts.APPROVE_BUTTON, expect="You let Sam in")
    await world.api.wait_for_text(STRANGER, texts.MEMBER_APPROVED)
    await logged_in(world, STRANGER, "carol", "carol-pass")
    await world.say(STRANGER, f"/book {days_ahead(world, 12).isoformat()} 19:00", expect="Ready")
    summary = world.api.transcript(STRANGER)[-1]
    await world.press(STRANGER, summary, "⏰ Schedule", expect="Scheduled for")

    await world.press(
        ADMIN, ask, texts.REVOKE_BUTTON, expect=texts.admin_revoked("Sam", 1)
    )  # Deny after Approve
    await world.api.wait_for_text(STRANGER, texts.access_ended(1))
    [request] = await world.booking.requests(STRANGER)
    assert request.status is RequestStatus.CANCELLED
    await world.say(STRANGER, "/bookings", expect=texts.DENIED)
    assert "admin 9001 revoked access of 2001 (1 waiting request(s) cancelled)" in caplog.text

    await world.press(ADMIN, ask, texts.APPROVE_BUTTON, expect="You let Sam in")  # and back again
    listing = await world.say(ADMIN, "/members", expect="With access")
    assert "• Sam (id 2001) · approved by an admin" in listing.text
    assert "• Ada (id 9001) · admin" in listing.text
    assert "• id 1001 · ALLOWED_USERS (not written to courtbot yet)" in listing.text
    labels = [b.text for row in listing.keyboard for b in row]
    assert labels == [texts.revoke_button("Sam")]  # what the settings give is not revoked by button
    await world.press(ADMIN, listing, texts.revoke_button("Sam"), expect=texts.admin_revoked("Sam", 0))
    assert "Sam" not in listing.text.split("With access")[1]
    assert "admin 9001 approved access of 2001" in caplog.text


async def test_members_lists_requests_to_decide_and_only_admins_may(world: BotWorld) -> None:
    world.api.add_user(PAT, "Pat")
    hello = await world.say(PAT, "/start", expect="not on its list")
    await world.press(PAT, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")
    listing = await world.say(ADMIN, "/members", expect="Asking for access")
    assert "🙋 Asking for access:\n• Pat (id 2002)" in listing.text
    await world.press(ADMIN, listing, texts.approve_button("Pat"), expect=texts.admin_decided("Pat", True))
    assert "• Pat (id 2002) · approved by an admin" in listing.text
    await world.api.wait_for_text(PAT, texts.MEMBER_APPROVED)

    await world.say(ALICE, "/members", expect=texts.ADMINS_ONLY)
    forged = world.api.press_button(ADMIN, listing.message_id, pack(Action.DENY, ALICE), force=True)
    answer = await world.api.wait_for_answer(forged)
    assert answer.text == texts.granted_by_settings("Alice") and answer.show_alert
    assert (await world.members.get(ALICE)).access is Access.ALLOWED  # type: ignore[union-attr]

    by_alice = world.api.press_button(ALICE, listing.message_id, pack(Action.DENY, PAT), force=True)
    assert (await world.api.wait_for_answer(by_alice)).text == texts.NOT_ADMIN
    assert (await world.members.get(PAT)).access is Access.ALLOWED  # type: ignore[union-attr]

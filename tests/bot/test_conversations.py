"""Access, /login, /logout, /cancel, the partner step and a restart, through the emulator."""

from __future__ import annotations

from pathlib import Path

from booking.models import Access
from bot import texts
from bot.application import BotRunner, build_application
from tests.bot.conftest import ADMIN, ALICE, BOB, STRANGER, BotWorld, bot_world, days_ahead, logged_in


async def test_a_denied_stranger_is_told_and_stays_out(world: BotWorld) -> None:
    hello = await world.say(STRANGER, "hi", expect="not on its list")
    await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")
    assert (await world.press_again(STRANGER, hello, texts.ASK_ACCESS_BUTTON)).text == texts.ALREADY_ASKED
    await world.say(STRANGER, "/book", expect="an admin will answer soon")
    ask = await world.api.wait_for_text(ADMIN, "asks to use courtbot")
    await world.press(ADMIN, ask, texts.DENY_BUTTON, expect="You turned down Sam")
    await world.api.wait_for_text(STRANGER, texts.MEMBER_DENIED)
    assert (await world.press_again(ADMIN, ask, texts.DENY_BUTTON)).text == texts.already_decided(
        "Sam", False
    )
    await world.say(STRANGER, "/start", expect="hasn't given you access")
    member = await world.members.get(STRANGER)
    assert member is not None and member.access is Access.DENIED


async def test_without_admins_nobody_can_be_asked(tmp_path: Path, key: str) -> None:
    async with bot_world(tmp_path, key, admins=frozenset()) as world:
        hello = await world.say(STRANGER, "/start", expect="not on its list")
        answer = await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON)
        assert answer.text == texts.NO_ADMINS and answer.show_alert


async def test_a_wrong_password_stores_nothing_and_says_so(world: BotWorld) -> None:
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")
    secret = world.api.send_text(ALICE, "not-her-password")
    await world.api.wait_for_text(ALICE, texts.LOGIN_FAILED, after=secret.message_id)
    assert secret.deleted and not await world.members.has_login(ALICE)


async def test_the_club_being_down_is_said_and_nothing_stored(world: BotWorld) -> None:
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")
    world.club.config.update({"error_rate": 1.0})
    secret = world.api.send_text(ALICE, "alice-pass")
    await world.api.wait_for_text(ALICE, "couldn't check your login", after=secret.message_id, timeout=8)
    assert secret.deleted and not await world.members.has_login(ALICE)


async def test_the_password_message_is_deleted_even_if_the_check_fails(world: BotWorld) -> None:
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")
    world.api.inject_server_error("sendMessage", status=400)  # "Checking…" cannot be sent
    secret = world.api.send_text(ALICE, "alice-pass")
    await world.api.wait_for(lambda: secret.deleted, what="the password message deleted")
    await world.api.wait_for_text(ALICE, texts.ERROR_SORRY, after=secret.message_id)


async def test_cancel_leaves_any_conversation_and_logout_forgets(world: BotWorld) -> None:
    await world.say(ALICE, "/cancel", expect=texts.NOTHING_TO_CANCEL)
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "/cancel", expect=texts.CONVERSATION_CANCELLED)
    await world.say(ALICE, "alice", expect=texts.UNKNOWN_TEXT)  # no longer taken as a username
    await world.say(ALICE, "/book", expect="First your club login")
    await world.say(ALICE, "/cancel", expect=texts.CONVERSATION_CANCELLED)
    await world.say(ALICE, "alice", expect=texts.UNKNOWN_TEXT)
    await logged_in(world, ALICE, "alice", "alice-pass")
    form = await world.say(ALICE, "/book", expect="Which day")
    await world.say(ALICE, "/cancel", expect=texts.CONVERSATION_CANCELLED)
    assert form.text == texts.BOOKING_FORM_CLOSED and form.keyboard == []
    await world.say(ALICE, "/logout", expect=texts.LOGOUT_DONE)
    assert not await world.members.has_login(ALICE)
    await world.say(ALICE, "/logout", expect=texts.LOGOUT_NONE)


async def test_book_asks_for_the_login_first_then_the_same_form_comes_back(world: BotWorld) -> None:
    ask = await world.say(ALICE, "/book tomorrow 19:00 court 2", expect="First your club login")
    assert "username" in ask.text
    await world.say(ALICE, "alice", expect="password")
    secret = world.api.send_text(ALICE, "alice-pass")
    logged = await world.api.wait_for_text(ALICE, "Logged in", after=secret.message_id)
    assert "Now, your booking:" in logged.text
    form = await world.api.wait_for_text(ALICE, "Ready to book", after=logged.message_id)
    assert "court 2" in form.text.lower() and "19:00" in form.text
    await world.press(ALICE, form, texts.BOOK_NOW_BUTTON, expect="Booked court 2")


async def test_login_in_the_middle_of_a_form_keeps_it(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    form = await world.say(ALICE, "/book", expect="Which day")
    await world.press(ALICE, form, "Tomorrow", expect="which start time")
    await world.press(ALICE, form, "18:00", expect="Your order: 18:00")
    await world.say(ALICE, "/logout", expect=texts.LOGOUT_DONE)  # a form survives other commands
    await world.say(ALICE, "/login", expect="username")
    assert form.text == texts.FORM_WAITS_FOR_LOGIN and form.keyboard == []
    await world.say(ALICE, "alice", expect="password")
    secret = world.api.send_text(ALICE, "alice-pass")
    again = await world.api.wait_for_text(ALICE, "Your order: 18:00", after=secret.message_id)
    await world.shows(form, texts.FORM_CONTINUES_BELOW)
    await world.press(ALICE, again, texts.NEXT_BUTTON, expect="Which court")


async def test_book_now_without_a_login_asks_for_it_and_sends_nothing_meanwhile(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tomorrow 20:00 court 3", expect="Ready to book")
    await world.members.logout(ALICE)
    answer = await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
    assert answer.text == texts.NOT_SENT
    await world.api.wait_for_text(ALICE, "I need your club login to book this", after=summary.message_id)
    await world.shows(summary, texts.FORM_WAITS_FOR_LOGIN)
    assert world.club.state.bookings() == [] and await world.booking.requests(ALICE) == []
    await world.say(ALICE, "alice", expect="password")
    secret = world.api.send_text(ALICE, "alice-pass")
    again = await world.api.wait_for_text(ALICE, "Ready to book", after=secret.message_id)
    await world.press(ALICE, again, texts.BOOK_NOW_BUTTON, expect="Booked court 3")


async def test_a_command_while_the_password_is_awaited_is_not_taken_as_it(world: BotWorld) -> None:
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")
    help_message = world.api.send_text(ALICE, "/help")
    await world.api.wait_for_text(ALICE, "what I can do", after=help_message.message_id)
    assert not help_message.deleted
    secret = world.api.send_text(ALICE, "alice-pass")  # still awaited
    await world.api.wait_for_text(ALICE, "Logged in", after=secret.message_id)


async def test_the_partner_step_offers_and_saves_the_usual_partner(tmp_path: Path, key: str) -> None:
    async with bot_world(tmp_path, key, partner_required=True) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        form = await world.say(
            ALICE, f"/book {days_ahead(world, 2).isoformat()} 10:00 court 1", expect="partner"
        )
        world.api.send_text(ALICE, "Bob  Smith")
        await world.shows(form, "with Bob Smith")  # the form is edited, not answered anew
        assert (await world.press(ALICE, form, "⭐ Save Bob Smith")).text == texts.PARTNER_SAVED
        await world.api.wait_for(
            lambda: not any(b.text.startswith("⭐") for row in form.keyboard for b in row)
        )
        again = await world.say(
            ALICE, f"/book {days_ahead(world, 3).isoformat()} 11:00", expect="Ready to book"
        )
        assert "with Bob Smith" in again.text  # the usual partner, filled in
        await world.press(ALICE, again, texts.BACK_BUTTON, expect="partner's name")
        await world.press(ALICE, again, "👤 Bob Smith", expect="Ready to book")
        await world.press(ALICE, again, texts.BOOK_NOW_BUTTON, expect="Booked court")
        [booking] = world.club.state.bookings()
        assert booking.partner == "Bob Smith"


async def test_progress_edits_survive_a_restart(world: BotWorld) -> None:
    await logged_in(world, BOB, "bob", "bob-pass")
    summary = await world.say(BOB, f"/book {days_ahead(world, 12).isoformat()} 18:00 court 2", expect="Ready")
    await world.press(BOB, summary, "⏰ Schedule", expect="Scheduled for")
    [request] = await world.booking.requests(BOB)
    await world.runner.stop()
    world.runner = BotRunner(build_application(world.services(), world.api.token, world.api.url))
    await world.runner.start()
    await world.booking.cancel(BOB, request.id or 0)
    await world.shows(summary, "Cancelled; nothing will be booked")

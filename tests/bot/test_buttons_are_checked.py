"""Every button press is checked against the presser's own data: forged or stale data is answered
politely and changes nothing, and a double press books once."""

from __future__ import annotations

from booking.models import Access, RequestStatus
from bot import texts
from bot.callbacks import Action, pack
from tests.bot.conftest import ALICE, BOB, STRANGER, BotWorld, button_data, days_ahead, has_login, logged_in


async def _scheduled_request(world: BotWorld, user_id: int) -> int:
    summary = await world.say(
        user_id, f"/book {days_ahead(world, 12).isoformat()} 18:00 court 2", expect="Ready"
    )
    await world.press(user_id, summary, "⏰ Schedule", expect="Scheduled for")
    [request] = await world.booking.requests(user_id)
    assert request.id is not None
    return request.id


async def _forge(world: BotWorld, user_id: int, message_id: int, data: str) -> str | None:
    query_id = world.api.press_button(user_id, message_id, data, force=True)
    return (await world.api.wait_for_answer(query_id)).text


async def test_another_members_request_cannot_be_cancelled(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    request_id = await _scheduled_request(world, ALICE)
    bobs = await world.say(BOB, "/start", expect="courtbot")
    assert (
        await _forge(world, BOB, bobs.message_id, pack(Action.CANCEL_REQUEST, request_id)) == texts.NOT_YOURS
    )
    assert (await world.booking.get(ALICE, request_id)).status is RequestStatus.SCHEDULED


async def test_a_booking_never_listed_to_the_presser_cannot_be_cancelled(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tomorrow 19:00 court 3", expect="Ready")
    await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON, expect="Booked court 3")
    [booking] = world.club.state.bookings()
    bobs = await world.say(BOB, "/bookings", expect="Nothing waiting")
    for action in (Action.CANCEL_BOOKING, Action.CONFIRM_CANCEL_BOOKING):
        answer = await _forge(world, BOB, bobs.message_id, pack(action, booking.reference))
        assert answer == texts.BOOKING_NOT_LISTED
    assert world.club.state.bookings() == [booking]


async def test_garbage_and_stale_data_are_answered_and_change_nothing(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    form = await world.say(ALICE, "/book", expect="Which day")
    old = await world.say(ALICE, "/start", expect="courtbot")
    for data in ("", "zz", "xr:abc", "dy:20261399", "tm:2599", "ap", "x" * 64, "dy:" + "1" * 61):
        assert await _forge(world, ALICE, form.message_id, data) == texts.STALE_BUTTON
    day_button = button_data(form, "Tomorrow")
    not_the_form = old.message_id
    assert await _forge(world, ALICE, not_the_form, day_button) == texts.STALE_BUTTON
    assert "Which day" in form.text
    gone = pack(Action.DAY, days_ahead(world, 90))
    assert await _forge(world, ALICE, form.message_id, gone) == texts.OPTION_GONE
    await world.press(ALICE, form, texts.ABORT_BUTTON, expect=texts.BOOKING_FORM_CLOSED)
    assert await _forge(world, ALICE, form.message_id, day_button) == texts.STALE_BUTTON


async def test_only_admins_decide_and_strangers_press_nothing(world: BotWorld) -> None:
    hello = await world.say(STRANGER, "/start", expect="not on its list")
    await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")
    assert await _forge(world, STRANGER, hello.message_id, pack(Action.APPROVE, STRANGER)) == texts.PENDING
    assert await _forge(world, STRANGER, hello.message_id, pack(Action.NEW_BOOKING)) == texts.PENDING
    bobs = await world.say(BOB, "/help", expect="what I can do")
    assert await _forge(world, BOB, bobs.message_id, pack(Action.APPROVE, STRANGER)) == texts.NOT_ADMIN
    member = await world.members.get(STRANGER)
    assert member is not None and member.access is Access.PENDING


async def test_book_now_pressed_twice_books_once(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tomorrow 20:00 court 1", expect="Ready")
    data = button_data(summary, texts.BOOK_NOW_BUTTON)
    first = world.api.press_button(ALICE, summary.message_id, data)
    second = world.api.press_button(ALICE, summary.message_id, data)
    assert (await world.api.wait_for_answer(first)).text == texts.BOOKING_NOW
    assert (await world.api.wait_for_answer(second)).text == texts.STALE_BUTTON
    await world.shows(summary, "Booked court 1")
    assert len(await world.booking.requests(ALICE)) == 1
    assert len(world.club.state.bookings()) == 1

"""courtbot in a group: one short answer with a link to a private chat for our commands, silence for
everything else, and nothing personal - no booking, username, access status or password - ever."""

from __future__ import annotations

import pytest

from booking.models import Credentials
from bot import texts
from sim.botapi import MessageRecord
from tests.bot.conftest import ADMIN, ALICE, STRANGER, BotWorld, days_ahead, logged_in

GROUP = -4001
LINK = "https://t.me/courtbot_test_bot?start=group"


async def test_a_group_gets_a_link_to_a_private_chat_and_nothing_personal(
    world: BotWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, f"/book {days_ahead(world, 12).isoformat()} 18:00", expect="Ready")
    await world.press(ALICE, summary, "⏰ Schedule", expect="Scheduled for")
    checked: list[Credentials] = []
    monkeypatch.setattr(world.booking, "check_login", checked.append)
    # An admin bot reads every message of the group, the worst case for what it might take in.
    world.api.add_group(
        GROUP, "Tennis friends", [ALICE, ADMIN, STRANGER], kind="supergroup", bot_is_admin=True
    )
    api = world.api

    said = [
        (ALICE, "/start"),
        (ALICE, "/bookings@courtbot_test_bot"),
        (ALICE, "/login"),
        (ALICE, "alice-pass"),  # after /login: a password in private, never here
        (ALICE, "/weekly@another_bot"),
        (STRANGER, "/book tue 18:00"),
        (ADMIN, "/stats"),
        (ADMIN, "good game yesterday!"),
        (ALICE, "/help"),  # one chat's updates are handled in order: its answer comes last
    ]
    for user_id, text in said:
        api.send_text(user_id, text, chat_id=GROUP)

    def answers() -> list[MessageRecord]:
        return [m for m in api.transcript(GROUP) if m.from_bot]

    def answered() -> list[str]:
        return [api.message(GROUP, m.reply_to_message_id).text for m in answers() if m.reply_to_message_id]

    await api.wait_for(lambda: "/help" in answered(), what="the answer to /help")
    assert answered() == [
        "/start",
        "/bookings@courtbot_test_bot",
        "/login",
        "/book tue 18:00",
        "/stats",
        "/help",
    ]
    for answer in answers():
        assert answer.text == texts.private_only(LINK) and answer.keyboard == []
    assert not any(m.deleted for m in api.transcript(GROUP))
    assert checked == [] and api.transcript(STRANGER) == []
    assert await world.members.get(STRANGER) is None  # not even recorded as a stranger


async def test_a_private_password_prompt_does_not_read_the_group(world: BotWorld) -> None:
    world.api.add_group(GROUP, "Tennis friends", [ALICE], bot_is_admin=True)
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")

    in_group = world.api.send_text(ALICE, "alice-pass", chat_id=GROUP)
    world.api.send_text(ALICE, "/help", chat_id=GROUP)
    await world.api.wait_for_text(GROUP, LINK)  # the group's updates so far are handled
    assert not in_group.deleted and not await world.members.has_login(ALICE)

    secret = world.api.send_text(ALICE, "alice-pass")
    await world.api.wait_for_text(ALICE, "Logged in", after=secret.message_id)


async def test_a_button_pressed_in_a_group_does_nothing_and_the_link_opens_a_private_welcome(
    world: BotWorld,
) -> None:
    world.api.add_group(GROUP, "Tennis friends", [ALICE])
    world.api.send_text(ALICE, "/start", chat_id=GROUP)
    link = await world.api.wait_for_text(GROUP, LINK)
    query_id = world.api.press_button(ALICE, link.message_id, "nb", force=True, chat_id=GROUP)
    assert (await world.api.wait_for_answer(query_id)).text == texts.PRIVATE_ONLY_ANSWER

    welcome = await world.say(ALICE, "/start group", expect="Hi Alice")  # what the link sends
    assert "just us" in welcome.text
    assert len([m for m in world.api.transcript(GROUP) if m.from_bot]) == 1

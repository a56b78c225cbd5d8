"""Groups and supergroups as a bot sees them: privacy mode, who may delete what, and command scopes."""

from __future__ import annotations

import pytest
from telegram import BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest
from telegram.ext import Application

from sim.botapi import ControlError, RunningBotApi
from tests.sim_botapi.conftest import BotUnderTest

ALICE = 1001
BOB = 1002
GROUP = -4001
SUPERGROUP = -1001234567890


async def test_a_command_in_a_group_reaches_the_bot_as_from_that_group(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    api.add_user(ALICE, "Alice", started=False)
    api.add_group(GROUP, "Tennis friends", [ALICE])

    api.send_text(ALICE, "/echo hi", chat_id=GROUP)

    reply = await api.wait_for_text(GROUP, "args=['hi']")
    [update] = [c.result for c in api.calls("getUpdates") if c.result]
    message = update[0]["message"]
    assert message["chat"] == {
        "id": GROUP,
        "type": "group",
        "title": "Tennis friends",
        "all_members_are_administrators": False,
    }
    assert message["from"]["id"] == ALICE and reply.chat_id == GROUP
    assert api.transcript(ALICE) == []  # her private chat is untouched and still not started
    assert [chat.started for chat in api.chats() if chat.id == ALICE] == [False]


async def test_privacy_mode_lets_through_commands_and_replies_to_the_bot_only(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    api.add_user(ALICE, "Alice")
    api.add_group(SUPERGROUP, "Club", [ALICE], kind="supergroup")

    api.send_text(ALICE, "hunter2", chat_id=SUPERGROUP)
    api.send_text(ALICE, "/echo@some_other_bot x", chat_id=SUPERGROUP)
    api.send_text(ALICE, "/echo@courtbot_test_bot mine", chat_id=SUPERGROUP)
    reply = await api.wait_for_text(SUPERGROUP, "args=['mine']")
    api.send_text(ALICE, "/echo again", chat_id=SUPERGROUP, reply_to_message_id=reply.message_id)
    await api.wait_for_text(SUPERGROUP, "args=['again']")

    delivered = [u["message"]["text"] for c in api.calls("getUpdates") for u in c.result or []]
    assert delivered == ["/echo@courtbot_test_bot mine", "/echo again"]
    assert [m.text for m in api.transcript(SUPERGROUP) if not m.from_bot][:2] == [
        "hunter2",
        "/echo@some_other_bot x",
    ]


async def test_an_admin_bot_reads_every_message_and_may_delete_them(
    api: RunningBotApi, app: Application
) -> None:
    api.add_user(ALICE, "Alice")
    api.add_group(GROUP, "Admins", [ALICE], bot_is_admin=True)
    said = api.send_text(ALICE, "hunter2", chat_id=GROUP)

    assert api.updates.pending[-1]["message"]["text"] == "hunter2"
    assert await app.bot.delete_message(GROUP, said.message_id)
    assert said.deleted


async def test_a_bot_that_is_no_admin_deletes_only_its_own_group_messages(
    api: RunningBotApi, app: Application
) -> None:
    api.add_user(ALICE, "Alice")
    api.add_group(GROUP, "Friends", [ALICE])
    said = api.send_text(ALICE, "/secret hunter2", chat_id=GROUP)
    own = await app.bot.send_message(GROUP, "hello group")

    with pytest.raises(BadRequest, match="can't be deleted"):
        await app.bot.delete_message(GROUP, said.message_id)
    assert not said.deleted
    assert await app.bot.delete_message(GROUP, own.message_id)


async def test_buttons_in_a_group_are_pressed_by_its_members_only(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    api.add_user(ALICE, "Alice")
    api.add_user(BOB, "Bob")
    api.add_group(GROUP, "Friends", [ALICE])
    api.send_text(ALICE, "/start", chat_id=GROUP)
    menu = await api.wait_for_text(GROUP, "Pick a court")
    data = menu.button("Court 1").callback_data or ""

    with pytest.raises(ControlError, match="not a member"):
        api.press_button(BOB, menu.message_id, data, chat_id=GROUP)
    query_id = api.press_button(ALICE, menu.message_id, data, chat_id=GROUP)

    assert (await api.wait_for_answer(query_id)).text == "Court 1 it is"
    await api.wait_for_text(GROUP, "You picked court 1")


async def test_the_menu_a_chat_shows_is_the_narrowest_scope_set(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE, "Alice")
    api.add_user(BOB, "Bob")
    api.add_group(GROUP, "Friends", [ALICE, BOB])
    await app.bot.set_my_commands([("help", "Help")])
    await app.bot.set_my_commands([("book", "Book")], scope=BotCommandScopeAllPrivateChats())
    await app.bot.set_my_commands([("book", "Book"), ("stats", "Stats")], scope=BotCommandScopeChat(BOB))

    assert [c["command"] for c in api.menu(ALICE)] == ["book"]
    assert [c["command"] for c in api.menu(BOB)] == ["book", "stats"]
    assert [c["command"] for c in api.menu(GROUP, ALICE)] == ["help"]  # the default scope
    assert api.commands({"type": "chat", "chat_id": BOB}) == api.menu(BOB)

    await app.bot.delete_my_commands()
    await app.bot.delete_my_commands(scope=BotCommandScopeChat(BOB))
    assert api.menu(GROUP, ALICE) == [] and [c["command"] for c in api.menu(BOB)] == ["book"]


async def test_a_chat_scope_must_name_a_known_chat(api: RunningBotApi, app: Application) -> None:
    with pytest.raises(BadRequest, match="Chat not found"):
        await app.bot.set_my_commands([("book", "Book")], scope=BotCommandScopeChat(4242))

"""A real python-telegram-bot application converses with users played through the control API."""

from __future__ import annotations

from telegram.ext import Application

from sim.botapi import RunningBotApi
from tests.sim_botapi.conftest import ICS, BotUnderTest

ALICE = 1001


async def test_start_command_gets_a_reply_with_a_keyboard(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    sent = api.send_text(ALICE, "/start", first_name="Alice", username="alice")

    reply = await api.wait_for_text(ALICE, "Welcome")

    assert sent.message_id == 1 and not sent.from_bot
    assert [entity.type for entity in sent.entities] == ["bot_command"]
    assert reply.message_id == 2 and reply.from_bot
    assert [[(b.text, b.callback_data) for b in row] for row in reply.keyboard] == [
        [("Court 1", "court:1"), ("Court 2", "court:2")]
    ]
    assert [m.message_id for m in api.transcript(ALICE)] == [1, 2]
    assert api.calls("sendMessage")[0].params["chat_id"] == ALICE


async def test_button_press_is_answered_and_the_message_edited(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    api.send_text(ALICE, "/start")
    menu = await api.wait_for_text(ALICE, "Pick a court")

    query_id = api.press_button(ALICE, menu.message_id, menu.button("Court 2").callback_data or "")

    answer = await api.wait_for_answer(query_id)
    edited = await api.wait_for_text(ALICE, "You picked court 2")
    edit = await api.wait_for_call("editMessageText")
    assert edit.ok and edit.params["parse_mode"] == "HTML"
    assert answer.text == "Court 2 it is" and not answer.show_alert
    assert edited is menu and edited.edit_date is not None
    assert edited.to_json()["entities"] == [{"type": "bold", "offset": 11, "length": 7}]
    assert edited.keyboard == []  # an edit without reply_markup removes the keyboard, as on Telegram
    [before] = edited.history
    assert before.text == "Welcome! Pick a court:" and len(before.keyboard[0]) == 2
    assert before.replaced_at >= before.at


async def test_handler_can_delete_the_users_message(api: RunningBotApi, bot_under_test: BotUnderTest) -> None:
    secret = api.send_text(ALICE, "/secret hunter2")

    await api.wait_for_text(ALICE, "I deleted your message")

    assert secret.deleted and secret.deleted_at is not None
    assert [call.params["message_id"] for call in api.calls("deleteMessage")] == [secret.message_id]


async def test_document_keeps_name_type_and_bytes(api: RunningBotApi, bot_under_test: BotUnderTest) -> None:
    api.send_text(ALICE, "/ics")

    message = await api.wait_for_message(ALICE, lambda m: m.document is not None)

    assert message.document is not None
    assert (message.document.file_name, message.document.mime_type) == ("booking.ics", "text/calendar")
    assert message.document.data == ICS and message.caption == "Add it to your calendar"
    file = await bot_under_test.app.bot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == ICS


async def test_reply_quotes_the_users_message_and_command_args_reach_the_handler(
    api: RunningBotApi, bot_under_test: BotUnderTest
) -> None:
    asked = api.send_text(ALICE, "/echo tue 18:00")

    reply = await api.wait_for_text(ALICE, "args=")

    assert reply.text == "args=['tue', '18:00']"
    assert reply.reply_to_message_id == asked.message_id


async def test_second_user_has_a_chat_of_their_own(api: RunningBotApi, bot_under_test: BotUnderTest) -> None:
    api.send_text(ALICE, "/start")
    api.send_text(2002, "/start", first_name="Bob")

    await api.wait_for_text(2002, "Welcome")
    await api.wait_for_text(ALICE, "Welcome")

    assert [m.message_id for m in api.transcript(2002)] == [1, 2]
    assert api.transcript(2002)[0].sender.first_name == "Bob"


async def test_commands_set_by_the_bot_are_readable(api: RunningBotApi, app: Application) -> None:
    await app.bot.set_my_commands([("start", "Welcome"), ("book", "Book a court")])

    assert api.commands() == [
        {"command": "start", "description": "Welcome"},
        {"command": "book", "description": "Book a court"},
    ]
    assert [c.command for c in await app.bot.get_my_commands()] == ["start", "book"]
    assert await app.bot.get_my_commands(language_code="de") == ()


async def test_the_other_methods_a_bot_may_call(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    doc = await app.bot.send_document(ALICE, b"v1", filename="a.ics", caption="first")
    text = await app.bot.send_message(ALICE, "plain", disable_notification=True)

    assert await app.bot.send_chat_action(ALICE, "typing")
    edited = await app.bot.edit_message_caption(ALICE, doc.message_id, caption="second")
    assert edited.caption == "second" and api.message(ALICE, doc.message_id).history[0].caption == "first"
    resent = await app.bot.send_document(ALICE, doc.document.file_id)  # by file_id, as Telegram allows
    assert resent.document.file_unique_id == doc.document.file_unique_id
    assert await app.bot.delete_messages(ALICE, [text.message_id, 999])
    assert api.message(ALICE, text.message_id).deleted
    assert api.message(ALICE, text.message_id).disable_notification
    assert (await app.bot.get_webhook_info()).url == ""
    assert await app.bot.set_my_description("Books courts")
    assert (await app.bot.get_my_description()).description == "Books courts"
    assert await app.bot.delete_webhook(drop_pending_updates=True)

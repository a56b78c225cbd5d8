"""Telegram's refusals reach python-telegram-bot as the exceptions it raises against the real server."""

from __future__ import annotations

import datetime as dt

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import Application

from sim.botapi import RunningBotApi, run_botapi

ALICE = 1001


def keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data=data)]])


async def test_injected_429_on_edit_raises_retry_after(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    sent = await app.bot.send_message(ALICE, "Booking…")
    rule = api.inject_retry_after("editMessageText", 7)

    with pytest.raises(RetryAfter) as raised:
        await app.bot.edit_message_text("Booked", chat_id=ALICE, message_id=sent.message_id)

    assert raised.value.retry_after == dt.timedelta(seconds=7)
    assert rule.hits == 1 and rule.remaining == 0
    assert api.message(ALICE, sent.message_id).text == "Booking…"  # refused calls take no effect
    await app.bot.edit_message_text("Booked", chat_id=ALICE, message_id=sent.message_id)
    assert [call.status for call in api.calls("editMessageText")] == [429, 200]


async def test_unchanged_edit_is_not_modified(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    sent = await app.bot.send_message(ALICE, "<b>Booked</b>", parse_mode="HTML", reply_markup=keyboard("a"))

    with pytest.raises(BadRequest, match=r"^Message is not modified: specified new message content"):
        await app.bot.edit_message_text(
            "<b>Booked</b>",
            chat_id=ALICE,
            message_id=sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard("a"),
        )
    # Same words, different formatting or keyboard: a real change.
    await app.bot.edit_message_text(
        "Booked", chat_id=ALICE, message_id=sent.message_id, reply_markup=keyboard("a")
    )
    await app.bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=keyboard("b"))
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await app.bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=keyboard("b"))
    assert api.message(ALICE, sent.message_id).keyboard[0][0].callback_data == "b"
    await app.bot.edit_message_reply_markup(ALICE, sent.message_id)  # no markup: the keyboard goes
    with pytest.raises(BadRequest, match=r"^Message is not modified"):
        await app.bot.edit_message_reply_markup(ALICE, sent.message_id, reply_markup=InlineKeyboardMarkup([]))


async def test_callback_data_is_limited_to_64_bytes(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    await app.bot.send_message(ALICE, "fits", reply_markup=keyboard("é" * 32))  # 64 bytes in UTF-8

    with pytest.raises(BadRequest, match=r"^Button_data_invalid$"):
        await app.bot.send_message(ALICE, "too long", reply_markup=keyboard("é" * 32 + "x"))
    with pytest.raises(BadRequest, match=r"text buttons are unallowed in the inline keyboard$"):
        await app.bot.send_message(ALICE, "no action", reply_markup=keyboard(""))
    assert [m.text for m in api.transcript(ALICE)] == ["fits"]


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("", "Message text is empty"),
        (" \n\t ", "Message text is empty"),
        ("x" * 4097, "Message is too long"),
    ],
)
async def test_text_limits(api: RunningBotApi, app: Application, text: str, description: str) -> None:
    api.add_user(ALICE)
    with pytest.raises(BadRequest, match=f"^{description}$"):
        await app.bot.send_message(ALICE, text)


async def test_messages_that_are_gone_or_unknown(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    sent = await app.bot.send_message(ALICE, "hello")
    await app.bot.delete_message(ALICE, sent.message_id)

    with pytest.raises(BadRequest, match=r"^Message to edit not found$"):
        await app.bot.edit_message_text("again", chat_id=ALICE, message_id=sent.message_id)
    with pytest.raises(BadRequest, match=r"^Message to delete not found$"):
        await app.bot.delete_message(ALICE, sent.message_id)
    with pytest.raises(BadRequest, match=r"^Chat not found$"):
        await app.bot.send_message(424242, "anyone?")
    with pytest.raises(BadRequest, match=r"^Message to be replied not found$"):
        await app.bot.send_message(ALICE, "re", reply_to_message_id=99)
    users_message = api.send_text(ALICE, "mine")
    with pytest.raises(BadRequest, match=r"^Message can't be edited$"):
        await app.bot.edit_message_text("yours", chat_id=ALICE, message_id=users_message.message_id)


async def test_users_who_blocked_or_never_started_the_bot(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    api.add_user(3003, "Admin", started=False)
    api.block(ALICE)

    with pytest.raises(Forbidden, match=r"^Forbidden: bot was blocked by the user$"):
        await app.bot.send_message(ALICE, "hi")
    with pytest.raises(Forbidden, match=r"^Forbidden: bot can't initiate conversation with a user$"):
        await app.bot.send_message(3003, "approve?")
    api.send_text(ALICE, "/start")  # writing to the bot unblocks it
    await app.bot.send_message(ALICE, "welcome back")


async def test_callback_query_can_be_answered_once(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    sent = await app.bot.send_message(ALICE, "menu", reply_markup=keyboard("go"))
    query_id = api.press_button(ALICE, sent.message_id, "go")

    await app.bot.answer_callback_query(query_id, text="ok")
    with pytest.raises(
        BadRequest, match=r"^Query is too old and response timeout expired or query id is invalid$"
    ):
        await app.bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"^Query is too old"):
        await app.bot.answer_callback_query("12345")
    answer = api.answers(query_id)
    assert answer is not None and answer.text == "ok"


async def test_late_answer_is_refused() -> None:
    async with run_botapi(callback_query_ttl=0.0) as strict:
        late = Application.builder().token(strict.token).base_url(strict.base_url).build()
        async with late:
            strict.add_user(ALICE)
            sent = await late.bot.send_message(ALICE, "menu", reply_markup=keyboard("go"))
            query_id = strict.press_button(ALICE, sent.message_id, "go")
            with pytest.raises(BadRequest, match=r"^Query is too old"):
                await late.bot.answer_callback_query(query_id)


async def test_injected_server_errors(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    api.inject_server_error("sendMessage", status=502)
    api.inject_server_error("sendMessage", status=500)

    with pytest.raises(NetworkError, match=r"Bad Gateway"):
        await app.bot.send_message(ALICE, "one")
    with pytest.raises(NetworkError, match=r"^Internal Server Error$"):
        await app.bot.send_message(ALICE, "two")
    await app.bot.send_message(ALICE, "three")
    assert [m.text for m in api.transcript(ALICE)] == ["three"]


async def test_fault_after_effect_sends_but_reports_failure(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    api.inject_server_error("sendMessage", status=504, after_effect=True)

    with pytest.raises(NetworkError):
        await app.bot.send_message(ALICE, "did it go?")

    assert [m.text for m in api.transcript(ALICE)] == ["did it go?"]


async def test_fault_for_one_chat_only(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    api.add_user(2002)
    api.inject_retry_after("sendMessage", 3, chat_id=2002, count=None)

    await app.bot.send_message(ALICE, "fine")
    for _ in range(2):
        with pytest.raises(RetryAfter):
            await app.bot.send_message(2002, "flooded")
    api.clear_faults()
    await app.bot.send_message(2002, "fine now")


async def test_flood_limiter_counts_edits_per_chat(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    api.add_user(2002)
    api.set_flood_limit(3, window=20.0)
    sent = await app.bot.send_message(ALICE, "0")
    other = await app.bot.send_message(2002, "0")

    for n in range(1, 4):
        await app.bot.edit_message_text(str(n), chat_id=ALICE, message_id=sent.message_id)
    with pytest.raises(RetryAfter) as raised:
        await app.bot.edit_message_text("4", chat_id=ALICE, message_id=sent.message_id)
    await app.bot.edit_message_text("1", chat_id=2002, message_id=other.message_id)
    await app.bot.send_message(ALICE, "sends are not edits")

    assert dt.timedelta(seconds=19) <= raised.value.retry_after <= dt.timedelta(seconds=20)
    assert api.message(ALICE, sent.message_id).text == "3"
    api.set_flood_limit(None)
    await app.bot.edit_message_text("4", chat_id=ALICE, message_id=sent.message_id)


async def test_parse_errors_name_the_offending_byte(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)

    with pytest.raises(
        BadRequest, match=r'^Can\'t parse entities: unsupported start tag "br" at byte offset 4$'
    ):
        await app.bot.send_message(ALICE, "Hi! <br> there", parse_mode="HTML")
    with pytest.raises(
        BadRequest,
        match=r"^Can't parse entities: character '\.' is reserved and must be escaped with the preceding '\\'$",
    ):
        await app.bot.send_message(ALICE, "Booked court 2.", parse_mode="MarkdownV2")
    sent = await app.bot.send_message(ALICE, "*Booked* court 2\\.", parse_mode="MarkdownV2")
    assert sent.text == "Booked court 2."
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [("bold", 0, 6)]

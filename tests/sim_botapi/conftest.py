"""Fixtures: a served emulator, and real python-telegram-bot applications pointed at it."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from sim.botapi import RunningBotApi, run_botapi

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nSUMMARY:Court 2\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"


@dataclass
class BotUnderTest:
    """A polling PTB application with a few trivial handlers, and the errors its handlers raised."""

    app: Application
    errors: list[BaseException] = field(default_factory=list)


async def _start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Court 1", callback_data="court:1"),
                InlineKeyboardButton("Court 2", callback_data="court:2"),
            ]
        ]
    )
    assert update.effective_message is not None
    await update.effective_message.reply_text("Welcome! Pick a court:", reply_markup=keyboard)


async def _pick(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    court = query.data.split(":")[1]
    await query.answer(f"Court {court} it is")
    await query.edit_message_text(f"You picked <b>court {court}</b>.", parse_mode=ParseMode.HTML)


async def _secret(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.delete()
    await context.bot.send_message(message.chat_id, "Saved. I deleted your message.")


async def _ics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await context.bot.send_document(
        message.chat_id, document=ICS, filename="booking.ics", caption="Add it to your calendar"
    )


async def _echo_args(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(f"args={context.args}", do_quote=True)


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's coming RetryAfter.retry_after type, which also silences its deprecation warning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def api() -> AsyncIterator[RunningBotApi]:
    async with run_botapi() as running:
        yield running


@pytest.fixture
async def app(api: RunningBotApi) -> AsyncIterator[Application]:
    """An initialized application that does not poll: for calling `app.bot` directly."""
    application = Application.builder().token(api.token).base_url(api.base_url).build()
    await application.initialize()
    yield application
    await application.shutdown()


@pytest.fixture
async def bot_under_test(api: RunningBotApi) -> AsyncIterator[BotUnderTest]:
    """A polling application, run with the explicit initialize/start/start_polling sequence."""
    application = (
        Application.builder().token(api.token).base_url(api.base_url).base_file_url(api.base_file_url).build()
    )
    running = BotUnderTest(application)

    async def record_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        running.errors.append(context.error)

    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("secret", _secret))
    application.add_handler(CommandHandler("ics", _ics))
    application.add_handler(CommandHandler("echo", _echo_args))
    application.add_handler(CallbackQueryHandler(_pick, pattern=re.compile(r"^court:\d$")))
    application.add_error_handler(record_error)
    await application.initialize()
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=10)
    yield running
    await application.updater.stop()
    await application.stop()
    await application.shutdown()
    assert running.errors == []

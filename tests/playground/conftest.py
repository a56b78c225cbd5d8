"""Fixtures: the emulator, a small real python-telegram-bot application polling it, and the playground
served in front of them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import aiohttp
import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes

from sim.botapi import RunningBotApi, run_botapi
from sim.playground import Release, RunningPlayground, start_playground

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
ACCOUNTS = {"alice": "alice-pass", "bob": "bob-pass"}
RELEASE_DAY = date(2030, 6, 14)


async def _start(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    keyboard = InlineKeyboardMarkup(
        [[InlineKeyboardButton(f"Court {n}", callback_data=f"court:{n}") for n in (1, 2)]]
    )
    assert update.effective_message is not None
    await update.effective_message.reply_text("Welcome! Pick a court:", reply_markup=keyboard)


async def _pick(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    court = query.data.split(":")[1]
    await query.answer(f"Court {court} it is")
    await query.edit_message_text(f"You picked court {court}.")


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


@pytest.fixture
async def botapi() -> AsyncIterator[RunningBotApi]:
    async with run_botapi() as running:
        yield running


@pytest.fixture
async def bot(botapi: RunningBotApi) -> AsyncIterator[Application]:
    """A polling application with a few trivial handlers, run as courtbot runs its own."""
    application = (
        Application.builder()
        .token(botapi.token)
        .base_url(botapi.base_url)
        .base_file_url(botapi.base_file_url)
        .build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(CommandHandler("secret", _secret))
    application.add_handler(CommandHandler("ics", _ics))
    application.add_handler(CallbackQueryHandler(_pick, pattern=re.compile(r"^court:\d$")))
    await application.initialize()
    await application.bot.set_my_commands([("start", "Say hi"), ("ics", "A calendar file")])
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(poll_interval=0, timeout=10)
    yield application
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def release_in_30s() -> Release:
    return Release(datetime.now(UTC) + timedelta(seconds=30), RELEASE_DAY, retimed=1)


@pytest.fixture
async def playground(botapi: RunningBotApi) -> AsyncIterator[RunningPlayground]:
    running = await start_playground(
        botapi, release_soon=release_in_30s, accounts=ACCOUNTS, club_url="http://club.test", port=0
    )
    yield running
    await running.stop()


@pytest.fixture
async def client(playground: RunningPlayground) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(base_url=playground.url) as session:
        yield session

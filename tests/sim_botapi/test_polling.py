"""getUpdates behaves like Telegram's long poll: it holds, wakes, confirms by offset, and conflicts."""

from __future__ import annotations

import asyncio
import time

import pytest
from telegram import Bot
from telegram.error import Conflict
from telegram.ext import Application

from sim.botapi import RunningBotApi, start_botapi

ALICE = 1001


async def test_long_poll_holds_for_its_timeout(app: Application) -> None:
    started = time.monotonic()

    updates = await app.bot.get_updates(timeout=1)

    assert updates == ()
    assert 0.9 <= time.monotonic() - started < 1.5


async def test_long_poll_wakes_as_soon_as_an_update_arrives(api: RunningBotApi, app: Application) -> None:
    poll = asyncio.create_task(app.bot.get_updates(timeout=10))
    await api.wait_for_poll()
    started = time.monotonic()

    api.send_text(ALICE, "hello")
    updates = await poll

    assert time.monotonic() - started < 0.5
    assert [u.message.text for u in updates if u.message] == ["hello"]


async def test_updates_stay_until_confirmed_by_offset(api: RunningBotApi, app: Application) -> None:
    for text in ("one", "two", "three"):
        api.send_text(ALICE, text)

    first = await app.bot.get_updates(limit=2)
    again = await app.bot.get_updates(limit=2)
    rest = await app.bot.get_updates(offset=first[-1].update_id + 1)

    assert [u.message.text for u in first if u.message] == ["one", "two"]
    assert [u.update_id for u in again] == [u.update_id for u in first]
    assert [u.message.text for u in rest if u.message] == ["three"]
    assert [u.update_id for u in first + rest] == list(range(first[0].update_id, first[0].update_id + 3))
    await app.bot.get_updates(offset=rest[-1].update_id + 1)
    assert api.updates.pending == []


async def test_allowed_updates_filters_later_updates(api: RunningBotApi, app: Application) -> None:
    api.add_user(ALICE)
    sent = await app.bot.send_message(
        ALICE, "menu", reply_markup={"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    )
    await app.bot.get_updates(allowed_updates=["callback_query"])

    api.send_text(ALICE, "ignored")
    api.press_button(ALICE, sent.message_id, "go")
    updates = await app.bot.get_updates()

    assert [(u.callback_query.data if u.callback_query else None) for u in updates] == ["go"]


async def test_a_second_bot_instance_terminates_the_first_ones_poll(
    api: RunningBotApi, app: Application
) -> None:
    first = asyncio.create_task(app.bot.get_updates(timeout=10))
    await api.wait_for_poll()

    async with Bot(api.token, base_url=api.base_url) as other_instance:
        second = asyncio.create_task(other_instance.get_updates(timeout=10))
        with pytest.raises(Conflict, match="terminated by other getUpdates request"):
            await first
        api.send_text(ALICE, "for the survivor")
        assert [u.message.text for u in await second if u.message] == ["for the survivor"]


async def test_stop_releases_a_held_poll_at_once() -> None:
    api = await start_botapi()
    async with Application.builder().token(api.token).base_url(api.base_url).build() as application:
        poll = asyncio.create_task(application.bot.get_updates(timeout=30))
        await api.wait_for_poll()
        started = time.monotonic()

        await api.stop()

        assert await poll == ()
        assert time.monotonic() - started < 1.0

"""Telegram's faults through the emulator: 429 honoured with only the latest progress sent, 5xx retried,
polling failures logged and survived."""

from __future__ import annotations

import logging

import pytest

from bot import texts
from tests.bot.conftest import ALICE, BotWorld, has_login, logged_in


async def test_edits_refused_with_429_still_end_on_the_final_state(world: BotWorld) -> None:
    api = world.api
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tomorrow 19:00 court 2", expect="Ready to book")
    messages_before = len(api.transcript(ALICE))
    api.set_flood_limit(1, window=2.0, methods=["editMessageText"])
    await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
    await world.shows(summary, "Booked court 2", within=8.0)
    await api.wait_for_message(ALICE, lambda m: m.document is not None)  # the notice follows the final state
    edits = [
        c for c in api.calls("editMessageText") if int(c.params.get("message_id", 0)) == summary.message_id
    ]
    refused = [i for i, call in enumerate(edits) if call.status == 429]
    assert refused, "the burst met the flood limit"
    after = [call for call in edits[refused[-1] + 1 :] if call.ok]
    assert len(after) == 1 and "Booked court 2" in after[0].params["text"], "only the latest state, once"
    new_messages = api.transcript(ALICE)[messages_before:]
    assert [m.document is not None for m in new_messages if m.from_bot] == [True], "one notice, no burst"
    api.clear_faults()
    await world.say(ALICE, "/help", expect="what I can do")


async def test_server_errors_are_retried_and_nothing_is_lost(world: BotWorld) -> None:
    api = world.api
    api.inject_server_error("sendMessage", status=502, count=2)
    await world.say(ALICE, "/help", expect="what I can do")
    assert [c.status for c in api.calls("sendMessage")] == [502, 502, 200]
    await has_login(world, ALICE, "alice", "alice-pass")
    form = await world.say(ALICE, "/book", expect="Which day")
    api.inject_server_error("answerCallbackQuery", status=500)
    api.inject_server_error("editMessageText", status=504)
    await world.press(ALICE, form, "Tomorrow", expect="which start time")


async def test_a_failed_poll_is_logged_and_polling_goes_on(
    world: BotWorld, caplog: pytest.LogCaptureFixture
) -> None:
    assert world.runner.healthy
    world.api.inject_error(502, "Bad Gateway", method="getUpdates")
    await world.say(ALICE, "/help", expect="what I can do")  # returns the held poll; the next one fails
    await world.say(ALICE, "/start", expect="courtbot")
    assert any(
        "polling Telegram failed" in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING
    )
    assert [c.status for c in world.api.calls("getUpdates")].count(502) == 1
    assert world.runner.healthy

"""Whatever a member types, in whatever state the conversation is, a handler answers and none crashes."""

from __future__ import annotations

import logging

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot import texts
from sim.botapi import ControlError
from tests.bot.conftest import ALICE, BotWorld, has_login

STATES = ("idle", "choosing a day", "asked for the username", "asked for the password")
WORDS = (
    "tue",
    "tomorrow",
    "18:00",
    "19:00,20:00",
    "court",
    "2",
    "any",
    "90m",
    "2h",
    "/book",
    "31/12",
    "0",
    "-",
    "/",
)

messages = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=200),
    st.lists(st.sampled_from(WORDS), min_size=1, max_size=8).map(" ".join),
)


async def _enter(world: BotWorld, state: str) -> None:
    if state == "idle":
        await world.say(ALICE, "/cancel")
    elif state == "choosing a day":
        await has_login(world, ALICE, "alice", "alice-pass")
        await world.say(ALICE, "/book", expect="Which day")
    else:
        await world.say(ALICE, "/login", expect="username")
        if state == "asked for the password":
            await world.say(ALICE, "alice", expect="password")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(state=st.sampled_from(STATES), text=messages, to_book=st.booleans())
async def test_any_text_in_any_state_is_answered(
    world: BotWorld, caplog: pytest.LogCaptureFixture, state: str, text: str, to_book: bool
) -> None:
    await _enter(world, state)
    try:
        sent = world.api.send_text(ALICE, f"/book {text}" if to_book else text)
    except ControlError:  # Telegram sends no empty message, nor one over 4096 characters
        assume(False)
        raise
    answer = await world.api.wait_for_message(ALICE, after=sent.message_id)
    assert answer.text != texts.ERROR_SORRY
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]

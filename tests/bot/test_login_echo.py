"""A club whose login error page repeats the typed password: whatever the club says at the login step is
never shown to the member nor logged, whether at /login or when a scheduled booking logs in."""

from __future__ import annotations

import logging
from datetime import time
from pathlib import Path

import pytest

from booking.events import EventKind
from booking.reasons import Code, Reason
from bot import texts
from tests.bot.conftest import ALICE, BotWorld, bot_world, days_ahead, logged_in

WRONG = "hunter2-Not-Her-Password"


def _bot_said(world: BotWorld) -> list[str]:
    """Every text the bot ever showed Alice, edits included."""
    return [
        revision.text
        for message in world.api.transcript(ALICE)
        if message.from_bot
        for revision in (message, *message.history)
    ]


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    """Our process's log at DEBUG: every message and exception, not the simulated club's or Telegram's."""
    return "\n".join(
        f"{record.getMessage()} {record.exc_text or ''}"
        for record in caplog.records
        if not record.name.startswith("sim.")
    )


async def test_a_login_the_club_refuses_in_words_repeating_the_password(
    tmp_path: Path, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with bot_world(tmp_path, key, login_echo=True) as world:
        await world.say(ALICE, "/login", expect="username")
        await world.say(ALICE, "alice", expect="password")
        secret = world.api.send_text(ALICE, WRONG)
        await world.api.wait_for_text(ALICE, texts.LOGIN_FAILED, after=secret.message_id)
        assert secret.deleted and not await world.members.has_login(ALICE)
        assert not [said for said in _bot_said(world) if WRONG in said]
    assert WRONG not in _logged(caplog)


async def test_a_booking_whose_stored_login_the_club_now_refuses_so(
    tmp_path: Path, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    stored = "Al1ce-Before-The-Change"
    async with bot_world(tmp_path, key, login_echo=True, members={"alice": stored}) as world:
        await logged_in(world, ALICE, "alice", stored)
        world.club.config.update({"members": {"alice": "changed-at-the-club"}})
        request = await world.booking.submit(ALICE, days_ahead(world, 2), (time(18),), 60, (2,))
        failed = await world.events.wait_for(
            lambda e: e.request_id == request.id and e.kind is EventKind.FAILED, within=8
        )
        assert failed.reason == Reason(Code.LOGIN_REFUSED)
        await world.api.wait_for_text(ALICE, "refused your login")
        assert not [said for said in _bot_said(world) if stored in said]
    assert stored not in _logged(caplog)

"""One command table: what is registered, what each menu shows and what the password prompt lets
through all come from it."""

from __future__ import annotations

import pytest
from telegram.ext import BaseHandler, CommandHandler, ConversationHandler

from booking.models import Credentials
from bot import texts
from bot.handlers.commands import COMMANDS, PATTERN, Audience
from tests.bot.conftest import ADMIN, ALICE, BotWorld

GROUP = -4001


def _commands(handlers: list[BaseHandler]) -> set[str]:
    """Every command a handler (or a conversation's entry points and fallbacks) answers."""
    names: set[str] = set()
    for handler in handlers:
        if isinstance(handler, CommandHandler):
            names |= set(handler.commands)
        elif isinstance(handler, ConversationHandler):
            names |= _commands([*handler.entry_points, *handler.fallbacks])
    return names


async def test_the_table_drives_the_handlers_the_menus_and_the_password_filter(world: BotWorld) -> None:
    application = world.runner.application
    members = [c.name for c in COMMANDS if c.audience is Audience.MEMBERS]
    admins = [c.name for c in COMMANDS if c.audience is Audience.ADMINS]
    assert "stats" in admins

    assert _commands(application.handlers[0]) == {c.name for c in COMMANDS}
    assert [c["command"] for c in world.api.menu(ALICE)] == members
    assert [c["command"] for c in world.api.menu(ADMIN)] == members + admins
    world.api.add_group(GROUP, "Tennis friends", [ALICE])
    assert world.api.menu(GROUP, ALICE) == []  # no menu in groups
    for command in COMMANDS:
        assert PATTERN.match(f"/{command.name}") and PATTERN.match(f"/{command.name}@courtbot_test_bot x")
    assert not PATTERN.match("/hunter2") and not PATTERN.match("/startx")


async def test_stats_at_the_password_prompt_is_not_sent_to_the_club(
    world: BotWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[Credentials] = []
    check_login = world.booking.check_login

    async def spy(credentials: Credentials) -> None:
        checked.append(credentials)
        await check_login(credentials)

    monkeypatch.setattr(world.booking, "check_login", spy)
    await world.say(ALICE, "/login", expect="username")
    await world.say(ALICE, "alice", expect="password")

    stats = world.api.send_text(ALICE, "/stats")
    await world.api.wait_for_text(ALICE, texts.ADMINS_ONLY, after=stats.message_id)
    assert not stats.deleted and checked == []

    secret = world.api.send_text(ALICE, "alice-pass")  # the prompt still waits for the password
    await world.api.wait_for_text(ALICE, "Logged in", after=secret.message_id)
    assert [c.password for c in checked] == ["alice-pass"]

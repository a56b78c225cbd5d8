"""Telegram's command menus, from the command table: members' commands in every private chat, an admin's
own in each admin's chat, and none in groups (where only a link to a private chat is answered)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from telegram import Bot, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden

from bot.handlers.commands import Audience, menu

log = logging.getLogger(__name__)


async def install(bot: Bot, admin_ids: Iterable[int], former_admins: Iterable[int] = ()) -> None:
    """Set every menu; an admin Telegram will not let us reach yet (never opened the bot) is logged."""
    await bot.delete_my_commands()  # the default scope, which groups would show (older courtbots set it)
    await bot.set_my_commands(menu(Audience.MEMBERS), scope=BotCommandScopeAllPrivateChats())
    for admin_id in sorted(admin_ids):
        try:
            await bot.set_my_commands(menu(Audience.ADMINS), scope=BotCommandScopeChat(admin_id))
        except (BadRequest, Forbidden) as error:
            log.warning("admin %s gets no admin menu yet: %s", admin_id, error.message)
    for member_id in sorted(former_admins):
        try:
            await bot.delete_my_commands(scope=BotCommandScopeChat(member_id))
        except (BadRequest, Forbidden) as error:
            log.warning("former admin %s keeps an admin menu: %s", member_id, error.message)

"""Telegram's command menus, from the command table, in each language courtbot speaks: members' commands
in every private chat, an admin's own in each admin's chat, none in groups (where only a link to a private
chat is answered). A member who chose a language with /language gets the menu in it, whatever their
Telegram app speaks."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable

from telegram import Bot, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden

from bot import i18n
from bot.handlers.commands import Audience, menu

log = logging.getLogger(__name__)

LanguageOf = Callable[[int], Awaitable[str]]


async def install(
    bot: Bot,
    admin_ids: Iterable[int],
    former_admins: Iterable[int] = (),
    language_of: LanguageOf | None = None,
) -> None:
    """Set every menu; an admin Telegram will not let us reach yet (never opened the bot) is logged.
    `language_of`: the language of an admin's own menu (English if not given)."""
    await bot.delete_my_commands()  # the default scope, which groups would show (older courtbots set it)
    for language in i18n.LANGUAGES:
        with i18n.speaking(language):
            code = "" if language == i18n.DEFAULT else language
            await bot.set_my_commands(
                menu(Audience.MEMBERS), scope=BotCommandScopeAllPrivateChats(), language_code=code or None
            )
    for admin_id in sorted(admin_ids):
        language = await language_of(admin_id) if language_of is not None else i18n.DEFAULT
        with i18n.speaking(language):
            await install_for(bot, admin_id, admin=True)
    for member_id in sorted(former_admins):
        try:
            await bot.delete_my_commands(scope=BotCommandScopeChat(member_id))
        except (BadRequest, Forbidden) as error:
            log.warning("former admin %s keeps an admin menu: %s", member_id, error.message)


async def install_for(bot: Bot, chat_id: int, admin: bool) -> None:
    """One member's own menu, in the current language (an admin's with the admins' commands)."""
    audience = Audience.ADMINS if admin else Audience.MEMBERS
    try:
        await bot.set_my_commands(menu(audience), scope=BotCommandScopeChat(chat_id))
    except (BadRequest, Forbidden) as error:
        log.warning("%s %s gets no menu of their own yet: %s", audience.value, chat_id, error.message)

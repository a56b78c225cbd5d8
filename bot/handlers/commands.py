"""The one table of commands. The handlers' registration, Telegram's command menus and the password
prompt's filter are all derived from it, so a command cannot be answered yet missing from a menu, or
shown yet sent to the club as a password."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import Enum

from telegram import BotCommand, Update
from telegram.ext import filters

from bot import texts
from bot.handlers import book, bookings, dialogue, language, login, members, start, stats, weekly
from bot.handlers.common import Context

Callback = Callable[[Update, Context], Awaitable[object]]


class Audience(Enum):
    """Who sees a command in their menu (an admin sees both kinds)."""

    MEMBERS = "members"
    ADMINS = "admins"


@dataclass(frozen=True)
class Command:
    name: str  # its line in the menu is texts.menu_line(name), in the menu's language
    callback: Callback
    audience: Audience = Audience.MEMBERS
    #: it starts the /book - /login dialogue (an entry point of the conversation)
    opens_dialogue: bool = False
    #: what it does while the dialogue runs instead, if anything (/cancel leaves the dialogue)
    in_dialogue: Callback | None = None


COMMANDS: tuple[Command, ...] = (
    Command("start", start.start),
    Command("book", book.begin, opens_dialogue=True),
    Command("bookings", bookings.show),
    Command("weekly", weekly.show),
    Command("login", login.begin, opens_dialogue=True),
    Command("logout", login.logout),
    Command("language", language.show),
    Command("cancel", start.nothing_to_cancel, in_dialogue=dialogue.cancel),
    Command("help", start.help_command),
    Command("stats", stats.show, audience=Audience.ADMINS),
    Command("members", members.show, audience=Audience.ADMINS),
)

#: a message that is one of our commands ("/book", "/book@courtbot tue"), whoever may use it
PATTERN = re.compile(rf"^/({'|'.join(c.name for c in COMMANDS)})(@\w+)?(\s|$)")
OURS = filters.Regex(PATTERN)


def menu(audience: Audience) -> list[BotCommand]:
    """The menu Telegram shows, in the current language: members' commands, and an admin's own on top
    of them."""
    shown = (Audience.MEMBERS,) if audience is Audience.MEMBERS else (Audience.MEMBERS, Audience.ADMINS)
    return [BotCommand(c.name, texts.menu_line(c.name)) for c in COMMANDS if c.audience in shown]

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
from bot.handlers import book, bookings, dialogue, login, members, start, stats, weekly
from bot.handlers.common import Context

Callback = Callable[[Update, Context], Awaitable[object]]


class Audience(Enum):
    """Who sees a command in their menu (an admin sees both kinds)."""

    MEMBERS = "members"
    ADMINS = "admins"


@dataclass(frozen=True)
class Command:
    name: str
    description: str  # its line in the menu
    callback: Callback
    audience: Audience = Audience.MEMBERS
    #: it starts the /book - /login dialogue (an entry point of the conversation)
    opens_dialogue: bool = False
    #: what it does while the dialogue runs instead, if anything (/cancel leaves the dialogue)
    in_dialogue: Callback | None = None


COMMANDS: tuple[Command, ...] = (
    Command("start", texts.MENU_START, start.start),
    Command("book", texts.MENU_BOOK, book.begin, opens_dialogue=True),
    Command("bookings", texts.MENU_BOOKINGS, bookings.show),
    Command("weekly", texts.MENU_WEEKLY, weekly.show),
    Command("login", texts.MENU_LOGIN, login.begin, opens_dialogue=True),
    Command("logout", texts.MENU_LOGOUT, login.logout),
    Command("cancel", texts.MENU_CANCEL, start.nothing_to_cancel, in_dialogue=dialogue.cancel),
    Command("help", texts.MENU_HELP, start.help_command),
    Command("stats", texts.MENU_STATS, stats.show, audience=Audience.ADMINS),
    Command("members", texts.MENU_MEMBERS, members.show, audience=Audience.ADMINS),
)

#: a message that is one of our commands ("/book", "/book@courtbot tue"), whoever may use it
PATTERN = re.compile(rf"^/({'|'.join(c.name for c in COMMANDS)})(@\w+)?(\s|$)")
OURS = filters.Regex(PATTERN)


def menu(audience: Audience) -> list[BotCommand]:
    """The menu Telegram shows: members' commands, and an admin's own on top of them."""
    shown = (Audience.MEMBERS,) if audience is Audience.MEMBERS else (Audience.MEMBERS, Audience.ADMINS)
    return [BotCommand(c.name, c.description) for c in COMMANDS if c.audience in shown]

"""What every handler needs: the services, the club, "now" in club time, and safe message edits."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import IntEnum
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from booking.club import Club

if TYPE_CHECKING:
    from bot.application import BotServices
    from bot.progress import ProgressNotifier

Context = ContextTypes.DEFAULT_TYPE

SERVICES = "services"
NOTIFIER = "progress_notifier"
#: user_data: the club username typed to /login, kept only until the password comes
LOGIN_USERNAME = "login_username"
#: the /start payload of the link a group is given to talk privately
FROM_GROUP = "group"
#: user_data: the booking form (bot.draft.BookingDraft) being filled in
DRAFT = "booking_draft"


class LoginStep(IntEnum):
    """The /login conversation's states (the /book form's are bot.draft.Step)."""

    USERNAME = 11
    PASSWORD = 12


def services(context: Context) -> BotServices:
    return context.bot_data[SERVICES]


def notifier(context: Context) -> ProgressNotifier:
    return context.bot_data[NOTIFIER]


async def club(context: Context) -> Club:
    return await services(context).booking.club()


def now_utc(context: Context) -> datetime:
    """Now on the booking service's clock (the one the engine fires by)."""
    return datetime.fromtimestamp(services(context).booking.clock.now(), UTC)


def user_name(update: Update) -> str:
    user = update.effective_user
    return user.full_name if user is not None else ""


def user_id(update: Update) -> int:
    user = update.effective_user
    assert user is not None  # the access gate lets no update without a user through
    return user.id


async def reply(update: Update, text: str, markup: InlineKeyboardMarkup | None = None) -> Message:
    """Answer in the chat the update came from."""
    message = update.effective_message
    if message is not None:
        return await message.reply_text(text, reply_markup=markup)
    chat = update.effective_chat
    assert chat is not None
    return await chat.send_message(text, reply_markup=markup)


async def edit(
    context: Context, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit a message; an edit that would change nothing is not an error."""
    try:
        await context.bot.edit_message_text(text, chat_id=chat_id, message_id=message_id, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in error.message.lower():
            raise

"""courtbot is personal, so it works in private chats only.

In a group or supergroup (or a channel) it reads nothing: our commands get one short answer with a link
to a private chat, everything else none, and no handler runs, so no booking, username or access status
reaches the group and no group message is ever taken as a password. It runs before the access gate, which
would otherwise tell a group who is a member.
"""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop
from telegram.helpers import create_deep_linked_url

from bot import texts
from bot.handlers.commands import PATTERN
from bot.handlers.common import FROM_GROUP, Context


async def guard(update: Update, context: Context) -> None:
    """Let private chats through; answer a group's press or command to us once, then stop."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    query = update.callback_query
    message = update.effective_message
    if query is not None:
        await query.answer(texts.PRIVATE_ONLY_ANSWER)
    elif message is not None and _command_to_us(message.text or "", context.bot.username):
        link = create_deep_linked_url(context.bot.username, FROM_GROUP)
        await message.reply_text(texts.private_only(link))
    raise ApplicationHandlerStop


def _command_to_us(text: str, username: str) -> bool:
    """One of our commands, bare or addressed to this bot (not "/start@another_bot")."""
    match = PATTERN.match(text)
    return match is not None and match[2] in (None, f"@{username}")

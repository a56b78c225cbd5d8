"""Leaving the conversation: /cancel, and what to say to words typed where buttons are expected."""

from __future__ import annotations

from telegram import Update
from telegram.ext import ConversationHandler

from bot import texts
from bot.handlers.book import discard_draft
from bot.handlers.common import LOGIN_USERNAME, Context, reply, user_id


async def cancel(update: Update, context: Context) -> int:
    await discard_draft(context, user_id(update))
    context.user_data.pop(LOGIN_USERNAME, None)
    await reply(update, texts.CONVERSATION_CANCELLED)
    return ConversationHandler.END


async def use_buttons(update: Update, context: Context) -> None:
    await reply(update, texts.USE_BUTTONS)

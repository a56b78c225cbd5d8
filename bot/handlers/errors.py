"""The error handler: log what broke (never a secret: no update contents), and tell the member kindly."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import BadRequest, TelegramError

from bot import texts
from bot.handlers.common import Context

log = logging.getLogger(__name__)


async def on_error(update: object, context: Context) -> None:
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else None
    log.error("update %s failed: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update) or update.effective_chat is None:
        return
    query = update.callback_query
    try:
        if query is not None:
            # Answered already, or too old: the message below explains either way.
            with contextlib.suppress(BadRequest):
                await query.answer()
        await context.bot.send_message(update.effective_chat.id, texts.ERROR_SORRY)
    except TelegramError as telegram_error:
        log.warning(
            "could not tell chat %s about the error: %s",
            update.effective_chat.id,
            type(telegram_error).__name__,
        )

"""Who may use the bot: the gate in front of every handler, and asking for access (the admins' answer is
bot.handlers.members')."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop

from booking.models import Access
from bot import i18n, keyboards, texts
from bot.callbacks import Action, parse
from bot.handlers.common import Context, edit, reply, services, user_name

log = logging.getLogger(__name__)


async def gate(update: Update, context: Context) -> None:
    """Runs first for every update: members pass; anyone else is told kindly and stops here.

    Button data that does not parse stops here too: PTB hands empty data to any patterned handler.
    """
    if update.effective_user is None or update.effective_chat is None:
        raise ApplicationHandlerStop
    query = update.callback_query
    pressed = parse(query.data) if query is not None else None
    if query is not None and pressed is None:
        await query.answer(texts.STALE_BUTTON)
        raise ApplicationHandlerStop
    user = update.effective_user
    member = await services(context).members.ensure(user.id, user_name(update), user.language_code)
    if member.access is Access.ALLOWED:
        return
    if query is not None:
        if pressed is not None and pressed.action is Action.ASK_ACCESS:
            return
        await query.answer(texts.NEED_ACCESS if member.access is Access.STRANGER else _refusal(member.access))
    elif update.effective_message is not None:
        if member.access is Access.STRANGER:
            await reply(update, texts.STRANGER, keyboards.ask_access())
        else:
            await reply(update, _refusal(member.access))
    raise ApplicationHandlerStop


def _refusal(access: Access) -> str:
    return texts.PENDING if access is Access.PENDING else texts.DENIED


async def ask_access(update: Update, context: Context) -> None:
    """A stranger pressed "Ask for access": record it once and ask every admin."""
    query = update.callback_query
    assert query is not None
    members = services(context).members
    user = update.effective_user
    assert user is not None
    if not members.admin_ids:
        await query.answer(texts.NO_ADMINS, show_alert=True)
        return
    if not await members.request_access(user.id, user.full_name):
        await query.answer(texts.ALREADY_ASKED)
        return
    await query.answer(texts.ACCESS_ASKED_ANSWER)
    if query.message is not None:
        await edit(context, query.message.chat.id, query.message.message_id, texts.ACCESS_ASKED)
    for admin_id in members.admin_ids:
        try:
            with i18n.speaking(i18n.of_member(await members.get(admin_id))):
                await context.bot.send_message(
                    admin_id,
                    texts.admin_request(user.full_name, user.username, user.id),
                    reply_markup=keyboards.admin_decision(user.id),
                )
        except TelegramError as error:  # e.g. an admin who never opened the bot
            log.warning("could not ask admin %s about access: %s", admin_id, type(error).__name__)

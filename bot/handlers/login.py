"""/login and /logout: the member's club credentials.

The password lives only in this handler's local variable: its message is deleted before anything
else happens, it is proven against the club, and the member service stores it encrypted. It is never put
in user_data, logged, or shown back. A booking form open when /login came (or that asked for the login)
waits, and comes back once the club has accepted the login.
"""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from booking.sites.errors import LoginFailed, SiteError
from bot import texts
from bot.draft import Step
from bot.handlers import book
from bot.handlers.common import LOGIN_USERNAME, Context, LoginStep, edit, reply, services, user_id

log = logging.getLogger(__name__)

MAX_USERNAME_LENGTH = 100


async def begin(update: Update, context: Context) -> LoginStep:
    await book.wait_for_login(context, user_id(update))
    await reply(update, texts.LOGIN_ASK_USERNAME)
    return LoginStep.USERNAME


async def receive_username(update: Update, context: Context) -> LoginStep:
    message = update.effective_message
    assert message is not None and message.text is not None
    username = message.text.strip()
    if not username or "\n" in username or len(username) > MAX_USERNAME_LENGTH:
        await reply(update, texts.LOGIN_BAD_USERNAME)
        return LoginStep.USERNAME
    context.user_data[LOGIN_USERNAME] = username
    await reply(update, texts.login_ask_password(username))
    return LoginStep.PASSWORD


async def receive_password(update: Update, context: Context) -> Step | int:
    message = update.effective_message
    assert message is not None and message.text is not None
    deleted = await _delete(message)  # first, whatever happens next
    username: str | None = context.user_data.pop(LOGIN_USERNAME, None)
    if username is None:
        await context.bot.send_message(message.chat.id, texts.LOGIN_ASK_USERNAME)
        return LoginStep.USERNAME
    checking = await context.bot.send_message(message.chat.id, texts.LOGIN_CHECKING)
    accepted = False
    try:
        await services(context).members.login(user_id(update), username, message.text)
    except LoginFailed:
        outcome = texts.LOGIN_FAILED
    except SiteError as error:
        outcome = texts.login_site_down(str(error))
    else:
        accepted = True
        outcome = texts.login_ok(username, resuming=book.form_waiting(context))
    if not deleted:
        outcome += "\n\n" + texts.LOGIN_DELETE_FAILED
    await edit(context, message.chat.id, checking.message_id, outcome)
    return await book.resume(update, context) if accepted else ConversationHandler.END


async def _delete(message: Message) -> bool:
    try:
        await message.delete()
    except TelegramError as error:
        log.warning("could not delete a password message: %s", type(error).__name__)
        return False
    return True


async def logout(update: Update, context: Context) -> None:
    forgotten = await services(context).members.logout(user_id(update))
    await reply(update, texts.LOGOUT_DONE if forgotten else texts.LOGOUT_NONE)

"""/start, /help, and the answers for whatever no other handler takes."""

from __future__ import annotations

from telegram import Update

from bot import keyboards, texts
from bot.handlers.common import FROM_GROUP, Context, club, now_utc, reply, services, user_id


async def start(update: Update, context: Context) -> None:
    rules = (await club(context)).rules
    user = update.effective_user
    first_name = user.first_name if user is not None else ""
    username = await services(context).members.club_username(user_id(update))
    from_group = context.args == [FROM_GROUP]  # the link a group was given
    await reply(
        update, texts.welcome(first_name, username, rules.release, from_group), keyboards.start_menu()
    )


async def help_command(update: Update, context: Context) -> None:
    tz = (await club(context)).rules.timezone
    admin = services(context).members.is_admin(user_id(update))
    await reply(update, texts.help_text(now_utc(context).astimezone(tz).date(), admin))


async def nothing_to_cancel(update: Update, context: Context) -> None:
    await reply(update, texts.NOTHING_TO_CANCEL)


async def unknown_command(update: Update, context: Context) -> None:
    await reply(update, texts.UNKNOWN_COMMAND)


async def unknown_text(update: Update, context: Context) -> None:
    await reply(update, texts.UNKNOWN_TEXT)


async def stale_button(update: Update, context: Context) -> None:
    """A button whose flow has ended (or forged data): say so, change nothing."""
    query = update.callback_query
    assert query is not None
    await query.answer(texts.STALE_BUTTON)

"""The language courtbot speaks to a member: the one they chose with /language, else the one their Telegram
app speaks (its language_code), else English.

`apply` runs first for every update, so every answer to it is in the member's language; /language shows
the languages as buttons, and a choice is stored (and their command menu follows it).
"""

from __future__ import annotations

from telegram import Update

from bot import i18n, keyboards, texts
from bot.callbacks import parse
from bot.handlers.common import Context, edit, reply, services, user_id


async def apply(update: Update, context: Context) -> None:
    """Speak the member's language while handling this update."""
    user = update.effective_user
    if user is None:
        return
    member = await services(context).members.get(user.id)
    stored = member.language if member is not None else None
    i18n.use(i18n.pick(stored, user.language_code))


async def show(update: Update, context: Context) -> None:
    await reply(update, texts.PICK_LANGUAGE, keyboards.languages(i18n.current()))


async def choose(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    pressed = parse(query.data)
    assert pressed is not None
    language = i18n.supported(pressed.str_arg())
    if language is None:
        await query.answer(texts.OPTION_GONE)
        return
    member_id = user_id(update)
    members = services(context).members
    await members.set_language(member_id, language)
    i18n.use(language)
    await query.answer(i18n.LANGUAGES[language])
    from bot import menus  # built from the command table, which names this module's handlers

    await menus.install_for(context.bot, member_id, members.is_admin(member_id))
    message = query.message
    if message is not None:
        await edit(
            context, message.chat.id, message.message_id, texts.LANGUAGE_SET, keyboards.languages(language)
        )

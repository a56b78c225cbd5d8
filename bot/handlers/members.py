"""/members for admins: who has access and where it comes from, who asks, with Revoke, Approve and
Deny; and an admin's decision wherever it is pressed (a request's message, or /members).

A decision can be changed: Deny after Approve revokes, Approve after Deny lets the member in. Access the
settings give is theirs to take (the admin is told where to remove the id). The member is told either
way; what a revocation cancels is ended by the member service.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from booking.members import GrantedBySettings
from booking.models import Access, Member
from bot import i18n, keyboards, paging, texts
from bot.callbacks import Action, parse
from bot.handlers.common import Context, edit, reply, services, user_id

log = logging.getLogger(__name__)

#: user_data: the admin's latest /members message, and the page of it they turned to
LISTING_MESSAGE = "members_message_id"
LISTING_PAGE = "members_page"


async def show(update: Update, context: Context) -> None:
    if not services(context).members.is_admin(user_id(update)):
        await reply(update, texts.ADMINS_ONLY)
        return
    context.user_data[LISTING_PAGE] = 0
    text, markup = await _listing(context, None)
    message = await reply(update, text, markup)
    context.user_data[LISTING_MESSAGE] = message.message_id


async def turn_page(update: Update, context: Context) -> None:
    query = _query(update)
    pressed = parse(query.data)
    assert pressed is not None
    if not services(context).members.is_admin(user_id(update)):
        await query.answer(texts.NOT_ADMIN, show_alert=True)
        return
    if not _on_listing(query, context):
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    context.user_data[LISTING_PAGE] = pressed.int_arg()
    await _show_on(query, context, *await _listing(context, None))


async def decide(update: Update, context: Context) -> None:
    """Approve or Deny (Revoke is a Deny of someone with access)."""
    query = _query(update)
    pressed = parse(query.data)
    assert pressed is not None
    members, admin_id = services(context).members, user_id(update)
    if not members.is_admin(admin_id):
        await query.answer(texts.NOT_ADMIN, show_alert=True)
        return
    target = await members.get(pressed.int_arg())
    if target is None:
        await query.answer(texts.STALE_BUTTON)
        return
    approve = pressed.action is Action.APPROVE
    if target.access is (Access.ALLOWED if approve else Access.DENIED):
        await query.answer(texts.already_decided(target.name, approve))
        return
    if approve:
        await members.approve(admin_id, target.telegram_id)
        note, told = texts.admin_decided(target.name, True), lambda: texts.MEMBER_APPROVED
    else:
        try:
            revoked = await members.deny(admin_id, target.telegram_id)
        except GrantedBySettings:
            await query.answer(texts.granted_by_settings(target.name), show_alert=True)
            return
        if target.access is Access.ALLOWED:
            note = texts.admin_revoked(target.name, revoked.withdrawn)
            told = functools.partial(texts.access_ended, revoked.withdrawn)
        else:
            note, told = texts.admin_decided(target.name, False), lambda: texts.MEMBER_DENIED
    await query.answer()
    if _on_listing(query, context):
        await _show_on(query, context, *await _listing(context, note))
    else:
        await _show_on(query, context, note, keyboards.admin_decided(target.telegram_id, approve))
    await _tell(context, target, told)


# -- the listing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    line: str
    member: Member
    asking: bool = False


async def _listing(context: Context, note: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    """The admin's page of /members, `note` on top."""
    members = services(context).members
    entries = [
        _Entry(texts.member_line(m, members.in_settings(m.telegram_id)), m)
        for m in await members.with_access()
    ]
    entries += [_Entry(texts.asking_line(m), m, asking=True) for m in await members.pending()]
    pages = paging.paginate(entries, lambda entry: len(entry.line))
    page = paging.clamp(context.user_data.get(LISTING_PAGE, 0), len(pages))
    context.user_data[LISTING_PAGE] = page
    shown = pages[page]
    with_access = [e for e in shown if not e.asking]
    asking = [e.member for e in shown if e.asking]
    text = texts.members_list(
        [e.line for e in with_access], [e.line for e in shown if e.asking], note, page, len(pages)
    )
    revocable = [e.member for e in with_access if not members.in_settings(e.member.telegram_id)]
    return text, keyboards.members(revocable, asking, page, len(pages))


def _on_listing(query: CallbackQuery, context: Context) -> bool:
    return query.message is not None and query.message.message_id == context.user_data.get(LISTING_MESSAGE)


async def _show_on(
    query: CallbackQuery, context: Context, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    message = query.message
    assert message is not None
    await edit(context, message.chat.id, message.message_id, text, markup)


async def _tell(context: Context, member: Member, told: Callable[[], str]) -> None:
    """Tell the member what was decided (`told`: its words), in their language."""
    try:
        with i18n.speaking(i18n.of_member(member)):
            await context.bot.send_message(member.telegram_id, told())
    except TelegramError as error:  # e.g. they blocked the bot
        log.warning(
            "could not tell %s about the access decision: %s", member.telegram_id, type(error).__name__
        )


def _query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None
    return query

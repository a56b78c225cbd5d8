"""A free court offered under an all-taken notice ("🎾 Court 3 · 18:00"): pressed, it is booked as a new
request (same day, duration and partner as the one that found everything taken), followed by a progress
message of its own; the notice then says what was chosen instead, and offers nothing more.
"""

from __future__ import annotations

from telegram import Message, Update

from booking.models import RequestStatus
from booking.service import NotFound, NotLoggedIn
from booking.sites.base import Slot
from booking.sites.errors import SiteError
from booking.validation import RequestInvalid
from bot import texts
from bot.callbacks import parse
from bot.handlers.common import Context, club, edit, notifier, services, user_id


async def book(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    pressed = parse(query.data)
    assert pressed is not None
    member_id, booking = user_id(update), services(context).booking
    try:
        taken = await booking.get(member_id, pressed.int_arg(0))
    except NotFound:
        await query.answer(texts.NOT_YOURS)
        return
    if taken.status is not RequestStatus.FAILED:
        await query.answer(texts.ALTERNATIVE_GONE)
        return
    the_club = await club(context)
    slot = Slot(pressed.int_arg(1), taken.day, pressed.time_arg(2), taken.duration_min)
    try:
        request = await booking.submit(
            member_id, slot.day, (slot.start,), slot.duration_min, (slot.court,), taken.partner
        )
    except RequestInvalid as error:
        await query.answer(texts.reason(error.reason, the_club.rules.timezone), show_alert=True)
        return
    except NotLoggedIn:
        await query.answer(texts.NO_LOGIN_FOR_BOOKINGS, show_alert=True)
        return
    except SiteError as error:
        await query.answer(texts.club_unreachable(str(error)), show_alert=True)
        return
    await query.answer(texts.BOOKING_NOW)
    court_name = next((c.name for c in the_club.courts if c.number == slot.court), str(slot.court))
    notice = query.message
    if isinstance(notice, Message) and notice.text:
        await edit(
            context,
            notice.chat.id,
            notice.message_id,
            texts.alternative_chosen(notice.text, slot, court_name),
        )
    progress = await context.bot.send_message(member_id, texts.progress_header(request))
    await notifier(context).track(request, member_id, progress.message_id)

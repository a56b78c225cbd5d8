"""The "👀 Watch for a cancellation" button under an all-taken failure notice.

Pressing it turns the failed request into a watch (until the deadline the member picked); the request's progress
message then shows the watch through the engine's events, and a court that frees up is booked and told
like any other booking. Stopping is cancelling the request (/bookings, or its progress message).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Message, Update

from booking.models import RequestStatus
from booking.release import to_utc
from booking.service import NotFound
from booking.validation import RequestInvalid
from bot import texts
from bot.callbacks import parse
from bot.handlers.common import Context, club, edit, services, user_id


async def start(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    pressed = parse(query.data)
    assert pressed is not None
    member_id, svc = user_id(update), services(context)
    try:
        request = await svc.booking.get(member_id, pressed.int_arg())
    except NotFound:
        await query.answer(texts.NOT_YOURS)
        return
    tz = (await club(context)).rules.timezone
    if request.status is RequestStatus.WATCHING and request.watch_until is not None:
        await query.answer(texts.already_watching(request.watch_until, tz))
        return
    if request.status is not RequestStatus.FAILED:
        await query.answer(texts.NOT_WATCHABLE)
        return
    starts = to_utc(datetime.combine(request.day, min(request.times)), tz)
    until = starts - timedelta(minutes=pressed.int_arg(1))
    try:
        watched = await svc.watch.watch(member_id, request.id or 0, until)
    except RequestInvalid:  # a failed request is refused only when its deadline has passed
        await query.answer(texts.TOO_LATE_TO_WATCH, show_alert=True)
        return
    assert watched.watch_until is not None
    await query.answer(texts.watching_answer(watched.watch_until, tz))
    notice = query.message
    if isinstance(notice, Message) and notice.text:  # too old a message is no longer readable
        await edit(
            context,
            notice.chat.id,
            notice.message_id,
            texts.watching_note(notice.text, watched.watch_until, tz),
        )

"""/weekly: the member's weekly series, each with Pause or Resume, Skip next, Unskip for a skipped week
still to come, and Delete (confirmed).

The same buttons sit under /bookings; after a press, the message it was pressed on is shown again, as
whichever listing it is. A series is only acted on if the planner says it is the presser's (a forged or
stale button changes nothing), and Skip acts only while the date its button showed is still the next one.
"""

from __future__ import annotations

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from booking.service import NotFound
from booking.validation import RequestInvalid
from bot import keyboards, series, texts
from bot.callbacks import Callback, parse
from bot.handlers import bookings
from bot.handlers.common import Context, club, edit, reply, services, user_id


async def show(update: Update, context: Context) -> None:
    text, markup = await _listing(context, user_id(update), None)
    await reply(update, text, markup)


async def pause(update: Update, context: Context) -> None:
    query, pressed, member_id = _press(update)
    try:
        paused = await services(context).weekly.pause(member_id, pressed.int_arg())
    except NotFound:
        await query.answer(texts.SERIES_GONE)
        return
    await query.answer(texts.PAUSED)
    await _redraw(query, context, texts.series_paused(paused))


async def resume(update: Update, context: Context) -> None:
    query, pressed, member_id = _press(update)
    try:
        resumed, planned = await services(context).weekly.resume(member_id, pressed.int_arg())
    except NotFound:
        await query.answer(texts.SERIES_GONE)
        return
    await query.answer(texts.RESUMED)
    await _redraw(query, context, texts.series_resumed(resumed, planned))


async def skip(update: Update, context: Context) -> None:
    """Leave out the date on the button: the waiting week's, or the next one the planner would take."""
    query, pressed, member_id = _press(update)
    series_id, day = pressed.int_arg(0), pressed.day_arg(1)
    entry = await _own_entry(context, member_id, series_id)
    if entry is None:
        await query.answer(texts.SERIES_GONE)
        return
    if day in entry.series.skip_dates:
        await query.answer(texts.ALREADY_SKIPPED)
        return
    if day != entry.next_day:  # an old button: that week was booked or has passed
        await query.answer(texts.WEEK_MOVED_ON)
        await _redraw(query, context, None)
        return
    try:
        planned = await services(context).weekly.skip(member_id, series_id, day)
    except NotFound:
        await query.answer(texts.SERIES_GONE)
        return
    except RequestInvalid as error:
        await query.answer(texts.reason(error.reason, (await club(context)).rules.timezone))
        return
    await query.answer(texts.SKIPPED)
    await _redraw(query, context, texts.series_skipped(day, planned))


async def unskip(update: Update, context: Context) -> None:
    """Take a skipped week back, while it has not begun."""
    query, pressed, member_id = _press(update)
    series_id, day = pressed.int_arg(0), pressed.day_arg(1)
    entry = await _own_entry(context, member_id, series_id)
    if entry is None:
        await query.answer(texts.SERIES_GONE)
        return
    if day not in entry.skipped:
        await query.answer(texts.NOT_SKIPPED)
        await _redraw(query, context, None)
        return
    try:
        planned = await services(context).weekly.unskip(member_id, series_id, day)
    except NotFound:
        await query.answer(texts.SERIES_GONE)
        return
    await query.answer(texts.UNSKIPPED)
    await _redraw(query, context, texts.series_unskipped(day, planned))


async def delete(update: Update, context: Context) -> None:
    """First press: ask to confirm, on the same message."""
    query, pressed, member_id = _press(update)
    entry = await _own_entry(context, member_id, pressed.int_arg())
    if entry is None:
        await query.answer(texts.SERIES_GONE)
        return
    await query.answer()
    await _edit_pressed(
        query,
        context,
        texts.confirm_delete_series(entry.series),
        keyboards.confirm_delete_series(entry.series_id),
    )


async def confirm_delete(update: Update, context: Context) -> None:
    query, pressed, member_id = _press(update)
    entry = await _own_entry(context, member_id, pressed.int_arg())
    if entry is None:
        await query.answer(texts.SERIES_GONE)
        return
    try:
        await services(context).weekly.delete(member_id, entry.series_id)
    except NotFound:
        await query.answer(texts.SERIES_GONE)
        return
    await query.answer(texts.DELETED)
    await _redraw(query, context, texts.series_deleted(entry.series))


async def keep(update: Update, context: Context) -> None:
    query, _, _ = _press(update)
    await query.answer(texts.KEPT)
    await _redraw(query, context, None)


# -- the listing ----------------------------------------------------------------------------------------


async def _listing(
    context: Context, member_id: int, note: str | None
) -> tuple[str, InlineKeyboardMarkup | None]:
    entries = await series.load(services(context), member_id)
    tz = (await club(context)).rules.timezone
    text = texts.weekly_list([texts.series_line(entry, tz) for entry in entries], note)
    return text, keyboards.weekly(entries)


async def _redraw(query: CallbackQuery, context: Context, note: str | None) -> None:
    """Show the pressed message again as the listing it is (/bookings or /weekly), `note` on top."""
    if bookings.on_listing(query, context):
        await bookings.redraw(query, context, note)
        return
    text, markup = await _listing(context, query.from_user.id, note)
    await _edit_pressed(query, context, text, markup)


async def _own_entry(context: Context, member_id: int, series_id: int) -> series.SeriesEntry | None:
    """The member's own series with that id (not deleted), as the listing shows it; or None."""
    entries = await series.load(services(context), member_id)
    return next((entry for entry in entries if entry.series_id == series_id), None)


async def _edit_pressed(
    query: CallbackQuery, context: Context, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    message = query.message
    assert message is not None
    await edit(context, message.chat.id, message.message_id, text, markup)


def _press(update: Update) -> tuple[CallbackQuery, Callback, int]:
    """The press, its data (parsed: handlers are only reached by data that parses), and the presser."""
    query = update.callback_query
    assert query is not None
    pressed = parse(query.data)
    assert pressed is not None
    return query, pressed, user_id(update)

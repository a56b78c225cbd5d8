"""/bookings: the member's waiting requests and club bookings, with buttons to cancel them, and their
weekly series with the /weekly buttons; a page at a time, with ◀ ▶, when they are many.

A club booking can only be cancelled if it was in the member's own last listing (read from the club with
their own login), and only after a confirm step; a request only if the service says it is theirs. A
request watching for a cancellation is cancelled the same way: that stops the watch.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardMarkup, Update

from booking.models import BookingRequest, RequestStatus
from booking.service import OPEN_STATUSES, NotFound, NotLoggedIn
from booking.sites.base import Booking
from booking.sites.errors import SiteError
from booking.validation import RequestInvalid
from bot import keyboards, paging, series, texts
from bot.callbacks import parse
from bot.handlers.common import Context, club, edit, reply, services, user_id
from bot.series import SeriesEntry

#: user_data: the club bookings shown in the member's last listing, by reference
LISTED = "listed_bookings"
#: user_data: the message showing that listing
LISTING_MESSAGE = "listing_message_id"
#: user_data: the page of that listing the member turned to
LISTING_PAGE = "listing_page"
#: what a cancel button stops: a request waiting for its release, or one watching for a cancellation
CANCELLABLE = (RequestStatus.SCHEDULED, RequestStatus.WATCHING)


async def show(update: Update, context: Context) -> None:
    message = await reply(update, texts.LOOKING_UP)
    context.user_data[LISTING_MESSAGE] = message.message_id
    context.user_data[LISTING_PAGE] = 0
    text, markup = await _listing(context, user_id(update), refresh=True)
    await edit(context, message.chat.id, message.message_id, text, markup)


async def cancel_request(update: Update, context: Context) -> None:
    """Cancel a waiting or watching request (from the listing, or from its progress message)."""
    query, member_id = _query(update), user_id(update)
    pressed = parse(query.data)
    assert pressed is not None
    booking = services(context).booking
    try:
        request = await booking.get(member_id, pressed.int_arg())
    except NotFound:
        await query.answer(texts.NOT_YOURS)
        return
    if request.status not in CANCELLABLE:
        running = request.status in (RequestStatus.RUNNING, RequestStatus.CHECKING)
        await query.answer(texts.REQUEST_RUNNING if running else texts.REQUEST_ENDED)
        return
    await query.answer(texts.CANCELLING)
    cancelled = False
    try:
        await booking.cancel(member_id, request.id or 0)
    except RequestInvalid as error:
        note = texts.cancel_failed(texts.reason(error.reason, (await club(context)).rules.timezone))
    except SiteError as error:
        note = texts.cancel_failed(str(error))
    else:
        watching = request.status is RequestStatus.WATCHING
        note = (texts.stopped_watching if watching else texts.request_cancelled)(request)
        cancelled = True
    if on_listing(query, context):
        await redraw(query, context, note)
    elif not cancelled:
        await context.bot.send_message(member_id, note)
    # Pressed on its progress message, the cancellation shows there through the engine's event.


async def cancel_booking(update: Update, context: Context) -> None:
    """First press on a club booking: ask to confirm."""
    query = _query(update)
    listed = _listed_booking(query, context)
    if listed is None:
        await query.answer(texts.BOOKING_NOT_LISTED)
        return
    await query.answer()
    line = await _booking_line(context, listed)
    await _edit_pressed(
        query, context, texts.confirm_cancel_booking(line), keyboards.confirm_cancel_booking(listed.reference)
    )


async def confirm_cancel_booking(update: Update, context: Context) -> None:
    query, member_id = _query(update), user_id(update)
    listed = _listed_booking(query, context)
    if listed is None:
        await query.answer(texts.BOOKING_NOT_LISTED)
        return
    await query.answer(texts.CANCELLING)
    line = await _booking_line(context, listed)
    try:
        await services(context).booking.cancel_site_booking(member_id, listed.reference)
    except NotLoggedIn:
        note = texts.NO_LOGIN_FOR_BOOKINGS
    except SiteError as error:
        note = texts.cancel_failed(str(error))
    else:
        context.user_data.get(LISTED, {}).pop(listed.reference, None)
        note = texts.booking_cancelled(line)
    await redraw(query, context, note)


async def turn_page(update: Update, context: Context) -> None:
    """◀ or ▶ on the latest listing: that page, as the listing stands (the club is not asked again)."""
    query = _query(update)
    pressed = parse(query.data)
    assert pressed is not None
    if not on_listing(query, context):
        await query.answer(texts.STALE_BUTTON)
        return
    await query.answer()
    context.user_data[LISTING_PAGE] = pressed.int_arg()
    await redraw(query, context, None)


async def keep_booking(update: Update, context: Context) -> None:
    query = _query(update)
    await query.answer(texts.KEPT)
    await redraw(query, context, None)


# -- the listing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """One line of the listing, with what its buttons act on."""

    line: str
    request: BookingRequest | None = None
    booking: Booking | None = None
    series: SeriesEntry | None = None


async def _listing(
    context: Context, member_id: int, *, refresh: bool, note: str | None = None
) -> tuple[str, InlineKeyboardMarkup | None]:
    """The listing's text and buttons on the member's page; the club's list is read again only with
    `refresh`."""
    svc = services(context)
    the_club = await club(context)
    tz = the_club.rules.timezone
    requests = await svc.booking.requests(member_id)
    waiting = [r for r in requests if r.status in OPEN_STATUSES]
    site: list[Booking] | None = list(context.user_data.get(LISTED, {}).values())
    problem = None
    if refresh:
        site, problem = await _club_bookings(context, member_id)
        context.user_data[LISTED] = {b.reference: b for b in site or []}
    names = {c.number: c.name for c in the_club.courts}
    entries = [_Entry(texts.request_line(r, tz), request=r) for r in waiting]
    entries += [_Entry(texts.booking_line(b, _court_name(names, b), tz), booking=b) for b in site or []]
    entries += [_Entry(texts.series_line(e, tz), series=e) for e in await series.load(svc, member_id)]
    pages = paging.paginate(entries, lambda entry: len(entry.line))
    page = paging.clamp(context.user_data.get(LISTING_PAGE, 0), len(pages))
    context.user_data[LISTING_PAGE] = page
    shown = pages[page]
    on_page = [e.request for e in shown if e.request is not None]
    bookings = [e.booking for e in shown if e.booking is not None]
    weekly = [e.series for e in shown if e.series is not None]
    text = texts.bookings_list(
        [e.line for e in shown if e.request is not None],
        [e.line for e in shown if e.booking is not None],
        [e.line for e in shown if e.series is not None],
        note,
        problem,
        page,
        len(pages),
    )
    cancellable = [r for r in on_page if r.status in CANCELLABLE]
    return text, keyboards.bookings(cancellable, bookings, weekly, names, page, len(pages))


async def _club_bookings(context: Context, member_id: int) -> tuple[list[Booking] | None, str | None]:
    """The member's upcoming club bookings, soonest first; None and why when they can't be read."""
    svc = services(context)
    if not await svc.members.has_login(member_id):
        return [], texts.NO_LOGIN_FOR_BOOKINGS
    try:
        bookings = await svc.booking.site_bookings(member_id)
    except NotLoggedIn:
        return [], texts.NO_LOGIN_FOR_BOOKINGS
    except SiteError as error:
        return None, texts.club_list_failed(str(error))
    return sorted(bookings, key=lambda b: (b.slot.day, b.slot.start, b.slot.court)), None


async def redraw(query: CallbackQuery, context: Context, note: str | None) -> None:
    """Show the listing again on the pressed message, with `note` on top (the club is not asked again)."""
    text, markup = await _listing(context, query.from_user.id, refresh=False, note=note)
    await _edit_pressed(query, context, text, markup)


async def _booking_line(context: Context, booking: Booking) -> str:
    the_club = await club(context)
    names = {c.number: c.name for c in the_club.courts}
    return texts.booking_line(booking, _court_name(names, booking), the_club.rules.timezone)


def _court_name(names: dict[int, str], booking: Booking) -> str:
    """The club's name of the booking's court (a court the club no longer lists: its number)."""
    return names.get(booking.slot.court, str(booking.slot.court))


def _listed_booking(query: CallbackQuery, context: Context) -> Booking | None:
    pressed = parse(query.data)
    assert pressed is not None
    return context.user_data.get(LISTED, {}).get(pressed.str_arg())


def on_listing(query: CallbackQuery, context: Context) -> bool:
    """Whether the press came from the member's latest /bookings message."""
    return query.message is not None and query.message.message_id == context.user_data.get(LISTING_MESSAGE)


async def _edit_pressed(
    query: CallbackQuery, context: Context, text: str, markup: InlineKeyboardMarkup | None
) -> None:
    message = query.message
    assert message is not None
    await edit(context, message.chat.id, message.message_id, text, markup)


def _query(update: Update) -> CallbackQuery:
    query = update.callback_query
    assert query is not None
    return query

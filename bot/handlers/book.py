"""/book: a request composed on one message with inline keyboards, or in one line, then submitted.

One handler per step. Each button press is checked against the member's own draft and the message it
lives on, so a stale or forged press is answered politely and changes nothing. A member without a club
login is asked for it first (or when Book now finds none), and the same form comes back once they are
logged in. After submit the same message becomes the request's live progress message; the booking itself
runs in the engine. "🔁 Every Tuesday" on the summary makes the draft a weekly series instead, and the
message follows its first week.
"""

from __future__ import annotations

import logging

from telegram import CallbackQuery, Update
from telegram.error import TelegramError
from telegram.ext import ConversationHandler

from booking.models import BookingRequest
from booking.service import NotLoggedIn
from booking.sites.errors import LoginRequired, SiteError
from booking.validation import RequestInvalid
from bot import texts
from bot.callbacks import Callback, parse
from bot.draft import BookingDraft, Step
from bot.handlers import booking_form as form
from bot.handlers.common import (
    DRAFT,
    LOGIN_USERNAME,
    Context,
    LoginStep,
    club,
    edit,
    notifier,
    now_utc,
    reply,
    services,
    user_id,
)
from bot.oneline import OneLineError, parse_oneline

log = logging.getLogger(__name__)

MAX_PARTNER_LENGTH = 60

Shown = Step | None  # a state handler's result: the next step, or None to stay


# -- entry points ---------------------------------------------------------------------------------------


async def begin(update: Update, context: Context) -> Step | int:
    """/book alone opens the date keyboard; /book with words reads the one-line form (a line without a
    day opens the date keyboard with what it did say chosen)."""
    member_id = user_id(update)
    await discard_draft(context, member_id)
    context.user_data.pop(LOGIN_USERNAME, None)
    the_club = await club(context)
    today = form.today(context, the_club)
    words = " ".join(context.args or [])
    draft = BookingDraft(member_id)
    step = Step.DAY
    if words:
        try:
            request = parse_oneline(words, today)
        except OneLineError as error:
            await reply(update, texts.oneline_problem(error, today))
            return ConversationHandler.END
        draft = BookingDraft(
            member_id,
            day=request.day,
            times=list(request.times),
            courts=list(request.courts),
            duration_min=request.duration_min or min(the_club.rules.durations),
        )
        if request.day is not None:
            step = await _after_duration(context, draft) if draft.times else Step.TIMES
    draft.step = step
    context.user_data[DRAFT] = draft
    if not await services(context).members.has_login(member_id):
        return await _ask_login(update, context, draft, texts.LOGIN_FIRST)
    text, markup = await form.render(context, draft, step)
    message = await reply(update, text, markup)
    draft.message_id = message.message_id
    return step


async def begin_from_button(update: Update, context: Context) -> Step | int:
    """The "Book a court" button under the welcome: a new flow message, like /book."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    member_id = user_id(update)
    await discard_draft(context, member_id)
    context.user_data.pop(LOGIN_USERNAME, None)
    draft = context.user_data[DRAFT] = BookingDraft(member_id)
    if not await services(context).members.has_login(member_id):
        return await _ask_login(update, context, draft, texts.LOGIN_FIRST)
    text, markup = await form.render(context, draft, Step.DAY)
    message = await context.bot.send_message(member_id, text, reply_markup=markup)
    draft.message_id = message.message_id
    return Step.DAY


async def resume(update: Update, context: Context) -> Step | int:
    """The member has just logged in: the form that waited for it comes back, where it was, as a new
    message below the login (the old one says so)."""
    draft: BookingDraft | None = context.user_data.get(DRAFT)
    chat = update.effective_chat
    if draft is None or not draft.awaiting_login or chat is None:
        return ConversationHandler.END
    draft.awaiting_login = False
    if draft.message_id is not None:
        await _edit_quietly(context, chat.id, draft.message_id, texts.FORM_CONTINUES_BELOW)
    text, markup = await form.render(context, draft, draft.step)
    message = await context.bot.send_message(chat.id, text, reply_markup=markup)
    draft.message_id = message.message_id
    return draft.step


async def wait_for_login(context: Context, chat_id: int) -> None:
    """/login while a form is open: the form waits (its message says so), and comes back after."""
    draft: BookingDraft | None = context.user_data.get(DRAFT)
    if draft is None or draft.awaiting_login:
        return
    draft.awaiting_login = True
    if draft.message_id is not None:
        await _edit_quietly(context, chat_id, draft.message_id, texts.FORM_WAITS_FOR_LOGIN)


def form_waiting(context: Context) -> bool:
    """Whether a booking form waits for the member's login."""
    draft: BookingDraft | None = context.user_data.get(DRAFT)
    return draft is not None and draft.awaiting_login


async def discard_draft(context: Context, chat_id: int) -> None:
    """Close an unfinished booking form (another flow is starting, or /cancel)."""
    draft: BookingDraft | None = context.user_data.pop(DRAFT, None)
    if draft is None or draft.message_id is None:
        return
    await _edit_quietly(context, chat_id, draft.message_id, texts.BOOKING_FORM_CLOSED)


async def _edit_quietly(context: Context, chat_id: int, message_id: int, text: str) -> None:
    """Edit an old form message (and drop its buttons); one too old to edit stays as it is."""
    try:
        await edit(context, chat_id, message_id, text)
    except TelegramError as error:
        log.info("could not edit form message %s: %s", message_id, type(error).__name__)


async def _ask_login(update: Update, context: Context, draft: BookingDraft, ask: str) -> int:
    """The form waits for the member's club login (asked with `ask`), then resumes."""
    draft.awaiting_login = True
    chat = update.effective_chat
    assert chat is not None
    if draft.message_id is not None:
        await _edit_quietly(context, chat.id, draft.message_id, texts.FORM_WAITS_FOR_LOGIN)
    await context.bot.send_message(chat.id, ask)
    return LoginStep.USERNAME


# -- one handler per step -------------------------------------------------------------------------------


async def choose_day(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, pressed, draft = flow
    the_club = await club(context)
    chosen = pressed.day_arg()
    if chosen not in [day for day, _ in form.day_choices(the_club, now_utc(context))]:
        await query.answer(texts.OPTION_GONE)
        return None
    draft.day = chosen
    starts = form.starts_ahead(the_club, chosen, now_utc(context))
    draft.times = [t for t in draft.times if t in starts]
    return await _show(query, context, draft, Step.TIMES)


async def turn_day_page(update: Update, context: Context) -> Shown:
    """ "Later ▸" and "◂ This week" on the date keyboard."""
    if (flow := await _flow(update, context)) is None:
        return None
    query, pressed, draft = flow
    draft.day_page = pressed.int_arg()
    return await _show(query, context, draft, Step.DAY)


async def refresh(update: Update, context: Context) -> Shown:
    """↻ on the time or court picker: the club's grid read again."""
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    await query.answer(texts.REFRESHED)
    return await _show(query, context, draft, draft.step, answered=True, fresh=True)


async def toggle_time(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, pressed, draft = flow
    start = pressed.time_arg()
    if draft.day is None or start not in form.starts_ahead(await club(context), draft.day, now_utc(context)):
        await query.answer(texts.OPTION_GONE)
        return None
    draft.toggle_time(start)
    return await _show(query, context, draft, Step.TIMES)


async def times_done(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    if not draft.times:
        await query.answer(texts.PICK_A_TIME)
        return None
    return await _show(query, context, draft, Step.COURTS)


async def toggle_court(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, pressed, draft = flow
    court = pressed.int_arg()
    if court not in (await club(context)).court_numbers:
        await query.answer(texts.OPTION_GONE)
        return None
    draft.toggle_court(court)
    return await _show(query, context, draft, Step.COURTS)


async def any_court(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    draft.courts = []
    return await _show(query, context, draft, Step.DURATION)


async def courts_done(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    return await _show(query, context, draft, Step.DURATION)


async def choose_duration(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, pressed, draft = flow
    minutes = pressed.int_arg()
    if minutes not in (await club(context)).rules.durations:
        await query.answer(texts.OPTION_GONE)
        return None
    draft.duration_min = minutes
    return await _show(query, context, draft, await _after_duration(context, draft, ask_partner=True))


async def use_offered_partner(update: Update, context: Context) -> Shown:
    """The button with the partner already named (this time, or the usual one)."""
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    usual = await form.usual_partner(context, draft.member_id)
    offered = draft.partner or usual
    if not offered:
        await query.answer(texts.OPTION_GONE)
        return None
    draft.partner, draft.partner_saved = offered, offered == usual
    return await _show(query, context, draft, Step.SUMMARY)


async def partner_typed(update: Update, context: Context) -> Shown:
    """The partner's name, typed while the form asks for it."""
    draft: BookingDraft | None = context.user_data.get(DRAFT)
    message = update.effective_message
    assert message is not None and message.text is not None
    name = " ".join(message.text.split())
    if draft is None or draft.message_id is None:
        await reply(update, texts.STALE_BUTTON)
        return ConversationHandler.END
    if len(name) > MAX_PARTNER_LENGTH:
        await reply(update, texts.PARTNER_TOO_LONG)
        return None
    draft.partner = name
    draft.partner_saved = name == await form.usual_partner(context, draft.member_id)
    text, markup = await form.render(context, draft, Step.SUMMARY)
    await edit(context, message.chat.id, draft.message_id, text, markup)
    draft.step = Step.SUMMARY
    return Step.SUMMARY


async def save_partner(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    if not draft.partner:
        await query.answer(texts.OPTION_GONE)
        return None
    await services(context).members.set_partner_default(user_id(update), draft.partner)
    draft.partner_saved = True
    await query.answer(texts.PARTNER_SAVED)
    return await _show(query, context, draft, Step.SUMMARY, answered=True)


async def back(update: Update, context: Context) -> Shown:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    partner_required = (await club(context)).rules.partner_required
    return await _show(query, context, draft, draft.previous(draft.step, partner_required))


async def abort(update: Update, context: Context) -> int | None:
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, _ = flow
    context.user_data.pop(DRAFT, None)
    await query.answer()
    await query.edit_message_text(texts.BOOKING_FORM_CLOSED)
    return ConversationHandler.END


async def submit(update: Update, context: Context) -> int | None:
    """Book now / Schedule: hand the request to the engine; this message then shows its progress."""
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    assert draft.day is not None and draft.duration_min is not None
    try:
        request = await services(context).booking.submit(
            user_id(update),
            draft.day,
            tuple(draft.times),
            draft.duration_min,
            tuple(draft.courts),
            draft.partner,
        )
    except NotLoggedIn:
        await query.answer(texts.NOT_SENT)
        return await _ask_login(update, context, draft, texts.LOGIN_TO_BOOK)
    except (RequestInvalid, SiteError) as error:
        await _show_problem(query, context, draft, error)
        return None
    opens_later = request.release_at is not None and request.release_at > now_utc(context)
    await query.answer(texts.SCHEDULED_ANSWER if opens_later else texts.BOOKING_NOW)
    return await _follow(update, context, draft, request)


async def make_weekly(update: Update, context: Context) -> int | None:
    """🔁 Every <weekday>: the draft as a weekly series; this message then follows its first week."""
    if (flow := await _flow(update, context)) is None:
        return None
    query, _, draft = flow
    assert draft.day is not None and draft.duration_min is not None
    try:
        series, first = await services(context).weekly.create(
            user_id(update),
            draft.day.weekday(),
            tuple(draft.times),
            draft.duration_min,
            tuple(draft.courts),
            draft.partner,
        )
    except NotLoggedIn:
        await query.answer(texts.NOT_SENT)
        return await _ask_login(update, context, draft, texts.LOGIN_TO_BOOK)
    except (RequestInvalid, SiteError) as error:
        await _show_problem(query, context, draft, error)
        return None
    await query.answer(texts.SCHEDULED_ANSWER)
    return await _follow(update, context, draft, first, intro=texts.series_set_up(series))


async def _follow(
    update: Update,
    context: Context,
    draft: BookingDraft,
    request: BookingRequest | None,
    intro: str | None = None,
) -> int:
    """The form is done: its message now shows the request's progress (or, with none yet, the intro)."""
    context.user_data.pop(DRAFT, None)
    chat = update.effective_chat
    assert chat is not None and draft.message_id is not None
    if request is None:
        await edit(context, chat.id, draft.message_id, f"{intro}\n{texts.SERIES_FIRST_LATER}")
    else:
        await notifier(context).track(request, chat.id, draft.message_id, intro=intro)
    return ConversationHandler.END


# -- rendering ------------------------------------------------------------------------------------------


async def _flow(update: Update, context: Context) -> tuple[CallbackQuery, Callback, BookingDraft] | None:
    """The press, its data and the member's draft, if the press belongs to the draft's own message."""
    query = update.callback_query
    assert query is not None
    pressed = parse(query.data)
    draft: BookingDraft | None = context.user_data.get(DRAFT)
    if (
        pressed is None
        or draft is None
        or query.message is None
        or query.message.message_id != draft.message_id
    ):
        await query.answer(texts.STALE_BUTTON)
        return None
    return query, pressed, draft


async def _show(
    query: CallbackQuery,
    context: Context,
    draft: BookingDraft,
    step: Step,
    *,
    answered: bool = False,
    fresh: bool = False,
) -> Step:
    """Answer the press (a query is answered once), then edit the form to show `step`."""
    if not answered:
        await query.answer()
    text, markup = await form.render(context, draft, step, fresh=fresh)
    message = query.message
    assert message is not None
    await edit(context, message.chat.id, message.message_id, text, markup)
    draft.step = step
    return step


async def _show_problem(
    query: CallbackQuery, context: Context, draft: BookingDraft, error: Exception
) -> None:
    await query.answer(texts.NOT_SENT)
    if isinstance(error, RequestInvalid):
        problem = texts.reason(error.reason, (await club(context)).rules.timezone)
    elif isinstance(error, LoginRequired):
        problem = texts.MEMBERS_ONLY_SITE
    else:
        problem = texts.club_unreachable(str(error))
    text, markup = await form.render(context, draft, Step.SUMMARY)
    message = query.message
    assert message is not None
    await edit(context, message.chat.id, message.message_id, texts.submit_problem(text, problem), markup)


async def _after_duration(context: Context, draft: BookingDraft, *, ask_partner: bool = False) -> Step:
    """The step after the duration: the partner's name when the club needs one (and we lack it)."""
    if not (await club(context)).rules.partner_required:
        return Step.SUMMARY
    if not ask_partner and draft.partner is None:
        usual = await form.usual_partner(context, draft.member_id)
        draft.partner, draft.partner_saved = usual, usual is not None
    return Step.PARTNER if ask_partner or draft.partner is None else Step.SUMMARY

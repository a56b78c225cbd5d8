"""The booking form's view: what each step of /book shows, and which days and times it offers.

Only what the club allows now is offered; the summary runs exactly the checks submitting would (the
service's preview), so a request the service would refuse says why before it is sent.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from booking.club import Club
from booking.models import BookingRequest
from booking.release import to_utc
from booking.validation import RequestInvalid, starts_on
from bot import keyboards, texts
from bot.draft import BookingDraft, Step
from bot.handlers.common import Context, club, now_utc, services

#: days past the club's booking window offered on the date keyboard, to schedule
EXTRA_DAYS = 7


async def render(context: Context, draft: BookingDraft, step: Step) -> tuple[str, InlineKeyboardMarkup]:
    the_club = await club(context)
    rules, tz, now = the_club.rules, the_club.rules.timezone, now_utc(context)
    if step is Step.DAY:
        return texts.pick_day(rules.release), keyboards.days(
            day_choices(the_club, now), today(context, the_club), tz
        )
    if step is Step.TIMES:
        assert draft.day is not None
        starts = starts_ahead(the_club, draft.day, now)
        return texts.pick_times(draft.day, draft.times, tz), keyboards.times(
            draft.day, starts, draft.times, tz
        )
    if step is Step.COURTS:
        return texts.pick_courts(draft.courts), keyboards.courts(the_club.courts, draft.courts)
    if step is Step.DURATION:
        return texts.pick_duration(), keyboards.durations(rules.durations)
    if step is Step.PARTNER:
        offered = draft.partner or await usual_partner(context, draft.member_id)
        return texts.pick_partner(offered), keyboards.partner(offered)
    return await summary(context, draft, tz, now)


async def summary(
    context: Context, draft: BookingDraft, tz: ZoneInfo, now: datetime
) -> tuple[str, InlineKeyboardMarkup]:
    assert draft.day is not None and draft.duration_min is not None
    request = BookingRequest(
        member_id=draft.member_id,
        day=draft.day,
        times=tuple(draft.times),
        duration_min=draft.duration_min,
        courts=tuple(draft.courts),
        partner=draft.partner,
    )
    problem = None
    release_at = now  # shown only when the request can be sent
    try:
        release_at = await services(context).booking.preview(
            request.member_id,
            request.day,
            request.times,
            request.duration_min,
            request.courts,
            request.partner,
        )
    except RequestInvalid as error:
        problem = str(error)
    opens_now = release_at <= now
    text = texts.summary(request, release_at, opens_now, tz, problem)
    unsaved_partner = draft.partner if draft.partner and not draft.partner_saved else None
    markup = keyboards.summary(
        release_at,
        opens_now,
        tz,
        can_submit=problem is None,
        day=request.day,
        partner_to_save=unsaved_partner,
    )
    return text, markup


def today(context: Context, the_club: Club) -> date:
    return now_utc(context).astimezone(the_club.rules.timezone).date()


def starts_ahead(the_club: Club, day: date, now: datetime) -> list[time]:
    """The day's slot starts that are still ahead (and happen at all: not in the hour skipped in spring)."""
    tz = the_club.rules.timezone
    return [t for t in starts_on(the_club.rules, day) if to_utc(datetime.combine(day, t), tz) > now]


def day_choices(the_club: Club, now: datetime) -> list[tuple[date, datetime | None]]:
    """Days with a slot ahead, from today to past the booking window; each with its release if later."""
    rules = the_club.rules
    first = now.astimezone(rules.timezone).date()
    choices = []
    for offset in range(rules.release.days + EXTRA_DAYS + 1):
        day = first + timedelta(days=offset)
        starts = starts_ahead(the_club, day, now)
        if not starts:
            continue
        opens = rules.release.release_instant(day, starts[0], min(rules.durations), rules.timezone)
        choices.append((day, opens if opens > now else None))
    return choices


async def usual_partner(context: Context, member_id: int) -> str | None:
    member = await services(context).members.get(member_id)
    return member.partner_default if member is not None else None

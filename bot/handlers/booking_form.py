"""The booking form's view: what each step of /book shows, and which days and times it offers.

Only what the club allows now is offered. For a day already open, the time and court pickers mark what
the club's grid shows taken (one read through the booking service, shared a short while; ↻ reads it
again); a day not open yet says when it opens. The summary runs exactly the checks submitting would (the
service's preview), so a request the service would refuse says why before it is sent.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from booking.availability import DayView
from booking.club import Club
from booking.models import BookingRequest
from booking.release import to_utc
from booking.service import NotLoggedIn
from booking.sites.errors import SiteError
from booking.validation import RequestInvalid, starts_on
from bot import keyboards, texts
from bot.draft import BookingDraft, Step
from bot.handlers.common import Context, club, now_utc, services

log = logging.getLogger(__name__)

#: days past the club's booking window offered on the date keyboard, to schedule
EXTRA_DAYS = 7
#: days on the first page of the date keyboard (more if more are open): today and the week ahead
DAYS_PER_PAGE = 8


async def render(
    context: Context, draft: BookingDraft, step: Step, *, fresh: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """What `step` shows for the draft; `fresh`: read the club's grid again (↻)."""
    the_club = await club(context)
    rules, tz, now = the_club.rules, the_club.rules.timezone, now_utc(context)
    today_ = today(context, the_club)
    if step is Step.DAY:
        pages = day_pages(the_club, now)
        page = min(draft.day_page, len(pages) - 1)
        shown = pages[page]
        locked = [(d, opens) for d, opens in shown if opens is not None]
        text = texts.pick_day(locked, today_, tz, draft.times)
        return text, keyboards.days(shown, today_, page, len(pages))
    if step is Step.TIMES:
        assert draft.day is not None
        starts = starts_ahead(the_club, draft.day, now)
        opens = opens_at(the_club, draft.day, now)
        view = None if opens else await _view(context, draft, fresh)
        text = texts.pick_times(
            draft.day,
            draft.times,
            tz,
            today=today_,
            opens_at=opens,
            grid_read_at=datetime.fromtimestamp(view.read_at, UTC) if view else None,
            grid_unread=opens is None and view is None,
        )
        full = view.full(starts, the_club.court_numbers, rules) if view else frozenset()
        return text, keyboards.times(draft.day, starts, draft.times, tz, full, refresh=opens is None)
    if step is Step.COURTS:
        assert draft.day is not None
        view = None if opens_at(the_club, draft.day, now) else await _view(context, draft, fresh)
        duration = draft.duration_min or min(rules.durations)
        free_at = (
            {c: view.free_at(c, draft.times, duration, rules) for c in the_club.court_numbers}
            if view
            else None
        )
        return texts.pick_courts(draft.courts, marked=view is not None), keyboards.courts(
            the_club.courts, draft.courts, draft.times, free_at
        )
    if step is Step.DURATION:
        return texts.pick_duration(), keyboards.durations(rules.durations)
    if step is Step.PARTNER:
        offered = draft.partner or await usual_partner(context, draft.member_id)
        return texts.pick_partner(offered), keyboards.partner(offered)
    return await summary(context, draft, tz, now)


async def _view(context: Context, draft: BookingDraft, fresh: bool) -> DayView | None:
    """The club's grid of the draft's day (read again if `fresh`); None when it cannot be read."""
    assert draft.day is not None
    try:
        return await services(context).booking.availability(draft.member_id, draft.day, fresh=fresh)
    except (NotLoggedIn, SiteError) as error:
        log.info("the club's grid of %s not read for the pickers: %s", draft.day, type(error).__name__)
        return None


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
        problem = texts.reason(error.reason, tz)
    opens_now = release_at <= now
    text = texts.summary(request, release_at, opens_now, tz, problem, today(context, await club(context)))
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


def opens_at(the_club: Club, day: date, now: datetime) -> datetime | None:
    """When the day's first slot ahead opens for booking, if that is still to come."""
    rules = the_club.rules
    starts = starts_ahead(the_club, day, now)
    if not starts:
        return None
    opens = rules.release.release_instant(day, starts[0], min(rules.durations), rules.timezone)
    return opens if opens > now else None


def day_choices(the_club: Club, now: datetime) -> list[tuple[date, datetime | None]]:
    """Days with a slot ahead, from today to past the booking window; each with its release if later."""
    first = now.astimezone(the_club.rules.timezone).date()
    choices = []
    for offset in range(the_club.rules.release.days + EXTRA_DAYS + 1):
        day = first + timedelta(days=offset)
        if starts_ahead(the_club, day, now):
            choices.append((day, opens_at(the_club, day, now)))
    return choices


def day_pages(the_club: Club, now: datetime) -> list[list[tuple[date, datetime | None]]]:
    """The day choices on two pages: this week (every open day, and the next to open), then "later"."""
    choices = day_choices(the_club, now)
    first_locked = next((i for i, (_, opens) in enumerate(choices) if opens is not None), len(choices))
    split = max(DAYS_PER_PAGE, first_locked + 1)
    return [page for page in (choices[:split], choices[split:]) if page] or [[]]


async def usual_partner(context: Context, member_id: int) -> str | None:
    member = await services(context).members.get(member_id)
    return member.partner_default if member is not None else None

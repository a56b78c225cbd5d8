"""The domain's reasons (booking.reasons) in the member's words: one sentence per code, in the current
language, with the values the domain named.

A value from outside (the club's own words) is passed on as `detail`, cut short; everything else is ours.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from booking.reasons import Code, CourtTime, Reason
from bot import formats as f
from bot.i18n import _, ngettext

T = TypeVar("T")

Wording = Callable[[Reason, ZoneInfo], str]


def say(reason: Reason, tz: ZoneInfo) -> str:
    """The reason as a sentence for the member; `tz` is the club's, for instants."""
    return _WORDS[reason.code](reason, tz)


def _value(reason: Reason, key: str, kind: type[T]) -> T:
    value = reason.get(key)
    assert isinstance(value, kind), f"{reason.code}: {key} is {value!r}"
    return value


def _day(reason: Reason, key: str = "day") -> str:
    return f.day(_value(reason, key, date))


def _slot(reason: Reason, key: str = "slot") -> str:
    return f.court_time(_value(reason, key, CourtTime))


def _slots(reason: Reason, key: str) -> Sequence[CourtTime]:
    return [s for s in _value(reason, key, tuple) if isinstance(s, CourtTime)]


def _detail(reason: Reason) -> str:
    return f.said(str(reason.get("detail", "")).strip().rstrip("."))


def _all_taken(reason: Reason, _tz: ZoneInfo) -> str:
    taken, to_mates = _slots(reason, "taken"), _slots(reason, "to_mates")
    parts = []
    if taken:
        parts.append(_("Every choice was taken ({slots})").format(slots=f.court_times(taken)))
    if to_mates and taken:
        parts.append(_("and {slots} went to other members of this bot").format(slots=f.court_times(to_mates)))
    elif to_mates:
        parts.append(_("{slots} went to other members of this bot").format(slots=f.court_times(to_mates)))
    return _("{what}. Nothing was booked.").format(what=_("; ").join(parts))


def _booked(reason: Reason, _tz: ZoneInfo) -> str:
    text = _("Booked {slot} on {day}").format(slot=_slot(reason), day=_day(reason))
    if reason.get("choice") is None:
        return text
    return _("{booked} — {wanting} members wanted {first}; you got {slot}, your {choice} choice").format(
        booked=text,
        wanting=_value(reason, "wanting", int),
        first=_slot(reason, "first"),
        slot=_slot(reason),
        choice=f.ordinal(_value(reason, "choice", int) + 1),
    )


def _sending_planned(reason: Reason, _tz: ZoneInfo) -> str:
    return _(
        "Booking {slot}, your {choice} choice: {wanting} members of this bot wanted {first}, and it went to "
        "one who has won fewer contested courts lately (or asked first)"
    ).format(
        slot=_slot(reason),
        choice=f.ordinal(_value(reason, "choice", int) + 1),
        wanting=_value(reason, "wanting", int),
        first=_slot(reason, "first"),
    )


def _limit(reason: Reason, _tz: ZoneInfo) -> str:
    which = reason.get("which")
    if which == "per-day":
        return _("You've reached the club's limit of bookings for that day. Nothing more was tried.")
    if which == "future":
        return _("You've reached the club's limit of upcoming bookings. Nothing more was tried.")
    return _("The club says a limit is reached ({detail}). Nothing more was tried.").format(
        detail=_detail(reason)
    )


def _bookings(n: int) -> str:
    return ngettext("{n} booking", "{n} bookings", n).format(n=n)


def _number(reason: Reason, key: str) -> str:
    """A count of seconds or minutes, as short as it goes: "5", "1.5"."""
    value = reason.get(key)
    assert isinstance(value, int | float), f"{reason.code}: {key} is {value!r}"
    return f"{value:g}"


def _instant(reason: Reason, key: str, tz: ZoneInfo) -> str:
    return f.clock(_value(reason, key, datetime), tz)


def _time(reason: Reason, key: str) -> str:
    return f.hm(_value(reason, key, time))


_WORDS: dict[Code, Wording] = {
    Code.SCHEDULED: lambda r, tz: _("Scheduled"),
    Code.LOGGING_IN: lambda r, tz: _("Logging in to the club"),
    Code.LOGGED_IN: lambda r, tz: _("Logged in"),
    Code.CLOCK_SYNCED: lambda r, tz: _("Club clock is {offset:+d} ms from ours (±{error} ms)").format(
        offset=_value(r, "offset_ms", int), error=_value(r, "error_ms", int)
    ),
    Code.SENDING: lambda r, tz: _("Booking {slot}").format(slot=_slot(r)),
    Code.SENDING_PLANNED: _sending_planned,
    Code.ALL_TO_MATES: lambda r, tz: _(
        "Every one of your choices went to other members of this bot who have won fewer contested courts "
        "lately (or asked first); {wanting} wanted {first}. I'll try any they give up."
    ).format(wanting=_value(r, "wanting", int), first=_slot(r, "first")),
    Code.TAKEN: lambda r, tz: f.capital(_("{slot} was taken").format(slot=_slot(r))),
    Code.LOGGED_IN_AGAIN: lambda r, tz: _("The club logged us out; logged in again"),
    Code.ASKED_TO_WAIT: lambda r, tz: _("The club asked us to wait {seconds} s").format(
        seconds=_number(r, "seconds")
    ),
    Code.SITE_FAILED: lambda r, tz: _(
        "The club's site failed ({detail}); trying again in {seconds} s"
    ).format(detail=_detail(r), seconds=f"{float(_number(r, 'seconds')):.1f}"),
    Code.STILL_WATCHING: lambda r, tz: _("Someone else was faster; still watching for a cancellation"),
    Code.WATCHING: lambda r, tz: _("Watching for a cancellation until {until}").format(
        until=_instant(r, "until", tz)
    ),
    Code.BOOKED: _booked,
    Code.BOOKED_TWICE: lambda r, tz: _(
        "The club's site shows {slot} on {day} booked twice: yours (ref {reference}) and someone else's, "
        "made at the same moment. The club's site does not stop that; its staff have been told, and will "
        "say whose it is."
    ).format(slot=_slot(r), day=_day(r), reference=f.name(_value(r, "reference", str))),
    Code.BOOKED_AFTER_ALL: lambda r, tz: _(
        "Booked after all: the club's records show {slot} on {day}"
    ).format(slot=_slot(r), day=_day(r)),
    Code.ALL_TAKEN: _all_taken,
    Code.STILL_NOT_OPEN: lambda r, tz: _(
        "The club still said “not open yet” {seconds} s after the release time; its release rule may have "
        "changed. Nothing was booked."
    ).format(seconds=_number(r, "seconds")),
    Code.NO_LOGIN: lambda r, tz: _("You have no club login stored. Send /login, then book again."),
    Code.LOGIN_REFUSED: lambda r, tz: _(
        "The club refused your login - has your password changed? Send /login to update it."
    ),
    Code.LIMIT_REACHED: _limit,
    Code.CLUB_REFUSED: lambda r, tz: _("The club refused the booking: {detail}.").format(detail=_detail(r)),
    # The site's words already say it was the club's refusal ("refused by the club: …"), as it gave them.
    Code.REFUSED_BY_CLUB: lambda r, tz: _("{detail}. Nothing was booked.").format(
        detail=f.capital(_detail(r))
    ),
    Code.PAGE_NOT_UNDERSTOOD: lambda r, tz: _(
        "I couldn't read the club's answer ({detail}). Nothing was booked."
    ).format(detail=_detail(r)),
    Code.KEPT_FAILING: lambda r, tz: _(
        "The club's site kept failing for {minutes} minutes; nothing was booked. Try again later."
    ).format(minutes=_number(r, "minutes")),
    Code.KEPT_THROTTLING: lambda r, tz: _(
        "The club kept asking us to slow down for {minutes} minutes; nothing was booked. Try again later."
    ).format(minutes=_number(r, "minutes")),
    Code.OUR_ERROR_NOTHING_SENT: lambda r, tz: _(
        "Something went wrong on our side before anything was sent to the club; nothing was booked. Please "
        "try again."
    ),
    Code.OUR_ERROR_AFTER_SENDING: lambda r, tz: _(
        "Something went wrong on our side after a booking request went to the club. I'm checking with the "
        "club whether it was booked, and won't book anything else for this until I know."
    ),
    Code.UNCLEAR_ANSWER: lambda r, tz: _(
        "The club's answer for {slots} was unclear, and its records do not show whether it was booked. I'm "
        "checking with the club and won't book anything else for this until I know."
    ).format(slots=f.court_times(_slots(r, "slots"))),
    Code.OTHER_REQUEST_CHECKING: lambda r, tz: _(
        "Another booking of yours for this time is still being checked with the club; I'll try this one "
        "once I know what that one booked."
    ),
    Code.STILL_UNCLEAR_AFTER: lambda r, tz: _(
        "Still unclear after {looks} looks at the club's records; I keep looking."
    ).format(looks=_value(r, "looks", int)),
    Code.NEVER_SETTLED: lambda r, tz: _(
        "I could not find out from the club whether it booked this: its records never showed it either way. "
        "Please look on the club's site; the club's staff have been told."
    ),
    Code.SLOT_PASSED_WHILE_DOWN: lambda r, tz: _(
        "The slot passed while courtbot was not running; nothing was booked."
    ),
    Code.UNSAVED_BOOKING: lambda r, tz: _(
        "The club booked {slot} on {day} (ref {reference}), but my database isn't answering, so I couldn't "
        "save it yet. I'll confirm as soon as it's saved."
    ).format(slot=_slot(r), day=_day(r), reference=f.name(_value(r, "reference", str))),
    Code.UNSAVED_ANSWER: lambda r, tz: _(
        "My database isn't answering, so I can't record what the club said. I'll check with the club whether "
        "it was booked as soon as I can, and won't book anything else for this meanwhile."
    ),
    Code.DATABASE_DOWN: lambda r, tz: _(
        "My database isn't answering, so I haven't sent anything to the club yet; I'll try again shortly."
    ),
    Code.CANCELLED: lambda r, tz: _("Cancelled; nothing will be booked"),
    Code.STOPPED_WATCHING: lambda r, tz: _("Stopped watching; nothing will be booked"),
    Code.CANCELLED_AT_CLUB: lambda r, tz: _("Booking cancelled at the club"),
    Code.WATCH_ENDED: lambda r, tz: _("No court came free before your deadline; nothing was booked."),
    Code.NIGHT_NO_LOGIN: lambda r, tz: _(
        "You have no club login stored, so your booking for {day} cannot run. Send /login."
    ).format(day=_day(r)),
    Code.NIGHT_LOGIN_REFUSED: lambda r, tz: _(
        "The club refused your stored login - has your password changed? Your booking for {day} will fail "
        "unless you send /login with the new one before it opens."
    ).format(day=_day(r)),
    Code.SITE_CHANGED: lambda r, tz: _(
        "The club's booking site has changed and courtbot cannot read it ({page} page), so your booking for "
        "{day} may fail. Please tell whoever runs courtbot."
    ).format(page=f.name(_value(r, "page", str)), day=_day(r)),
    Code.DAY_LIMIT: lambda r, tz: _(
        "You already have {bookings} on {day}, the most the club allows in a day, so the club will refuse "
        "this one. Cancel one in /bookings if you want it."
    ).format(bookings=_bookings(_value(r, "count", int)), day=_day(r)),
    Code.FUTURE_LIMIT: lambda r, tz: _(
        "You already have {bookings}, the club's limit, so the club will refuse your booking for {day}. "
        "Cancel one in /bookings if you want it."
    ).format(
        bookings=ngettext("{n} upcoming booking", "{n} upcoming bookings", _value(r, "count", int)).format(
            n=_value(r, "count", int)
        ),
        day=_day(r),
    ),
    Code.NO_TIMES: lambda r, tz: _("Pick at least one start time."),
    Code.TIME_TWICE: lambda r, tz: _("Each start time may be listed once."),
    Code.COURT_TWICE: lambda r, tz: _("Each court may be listed once."),
    Code.DURATION_NOT_ALLOWED: lambda r, tz: _("The club books {allowed}, not {minutes} min.").format(
        allowed=_(" or ").join(f.minutes(m) for m in _value(r, "allowed", tuple)),
        minutes=_value(r, "minutes", int),
    ),
    Code.NO_SUCH_COURT: lambda r, tz: _("There is no court {court}; the club's courts are {courts}.").format(
        court=_value(r, "court", int), courts=_(", ").join(str(c) for c in _value(r, "courts", tuple))
    ),
    Code.NOT_A_SLOT_START: lambda r, tz: _(
        "{start} is not a slot start: the club books every {every} minutes from {first} to {last}."
    ).format(
        start=_time(r, "start"), every=_value(r, "every", int), first=_time(r, "first"), last=_time(r, "last")
    ),
    Code.PAST_CLOSING: lambda r, tz: _(
        "A {minutes}-minute booking at {start} would run past closing at {closes}; the latest start for it "
        "is {last}."
    ).format(
        minutes=_value(r, "minutes", int),
        start=_time(r, "start"),
        closes=_time(r, "closes"),
        last=_time(r, "last"),
    ),
    Code.CLOCKS_SKIP: lambda r, tz: _(
        "{start} doesn't happen on {day}: the clocks go forward from {jumps_from} to {jumps_to}."
    ).format(
        start=_time(r, "start"),
        day=_day(r),
        jumps_from=_time(r, "jumps_from"),
        jumps_to=_time(r, "jumps_to"),
    ),
    Code.ALREADY_PASSED: lambda r, tz: _(
        "{day} {start} has already passed; pick a slot from {today} on."
    ).format(day=_day(r), start=_time(r, "start"), today=_day(r, "today")),
    Code.TOO_FAR_AHEAD: lambda r, tz: _(
        "{day} opens for booking on {opens}, more than {horizon} days from now; courtbot schedules releases "
        "up to {latest}."
    ).format(
        day=_day(r), opens=_day(r, "opens"), horizon=_value(r, "horizon", int), latest=_day(r, "latest")
    ),
    Code.PARTNER_REQUIRED: lambda r, tz: _("The club needs your partner's name for every booking."),
    Code.ALREADY_ASKED: lambda r, tz: _("You already asked for exactly this; /bookings shows it."),
    Code.TOO_MANY_WAITING: lambda r, tz: _(
        "You have {count} bookings waiting, the most allowed; cancel one in /bookings first."
    ).format(count=_value(r, "count", int)),
    Code.STILL_CHECKING: lambda r, tz: _(
        "I'm still checking with the club whether this was booked; once I know, you can cancel the booking in "
        "/bookings."
    ),
    Code.BEING_BOOKED: lambda r, tz: _(
        "This is being booked right now; cancel the booking once it has landed."
    ),
    Code.ALREADY_ENDED: lambda r, tz: _("This has already ended; there is nothing to cancel."),
    Code.NOT_WATCHABLE: lambda r, tz: _(
        "Only a booking whose courts were all taken can watch for a cancellation."
    ),
    Code.WATCH_DEADLINE: lambda r, tz: _(
        "Pick a time to stop watching between now and the start of the slot ({starts})."
    ).format(starts=_instant(r, "starts", tz)),
    Code.PICK_A_WEEKDAY: lambda r, tz: _("Pick a day of the week."),
    Code.NOT_THAT_WEEKDAY: lambda r, tz: _("{day} is not a {weekday}.").format(
        day=_day(r), weekday=f.weekday(_value(r, "weekday", int))
    ),
    Code.SAID: lambda r, tz: f.said(_value(r, "text", str)),
}

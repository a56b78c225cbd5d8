"""Every word the bot shows a member, in one place: friendly, short, times in the club's time zone.

Plain text only (no parse mode), so names and club messages never need escaping. Whatever comes from
outside - a club's names and words, what a member typed - is cut short here (`name`, `quoted`, `said`), so
a message fits Telegram's limits because of what it says, not because bot.limits cut its end off.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking import walltime
from booking.events import EventKind, ProgressEvent
from booking.models import BookingRequest, Member, RequestStatus, Role, SeriesStatus, WeeklySeries
from booking.release import ReleaseRule, to_utc
from booking.run import DOUBLE_BOOKED
from booking.sites.base import Booking
from booking.weekly import WEEKDAYS
from bot.limits import fit
from bot.oneline import OneLineError, Problem
from bot.series import SeriesEntry

# -- formatting -----------------------------------------------------------------------------------------

#: a name from the club (a court, a booking's reference) or a person's, as shown
MAX_NAME = 48
#: a word a member typed, quoted back
MAX_QUOTE = 40
#: what the club or the engine said, passed on
MAX_SAID = 300


def name(value: str) -> str:
    return fit(value, MAX_NAME)


def quoted(value: str) -> str:
    return f"“{fit(value, MAX_QUOTE)}”"


def said(value: str) -> str:
    return fit(value, MAX_SAID)


def day(value: date) -> str:
    return value.strftime("%a %d %b")


def hm(value: time) -> str:
    return value.strftime("%H:%M")


def instant(value: datetime, tz: ZoneInfo) -> str:
    """A release instant to the second, in club time: "Tue 01 Dec 07:00:00"."""
    return value.astimezone(tz).strftime("%a %d %b %H:%M:%S")


def clock(value: datetime, tz: ZoneInfo) -> str:
    """An instant to the minute, in club time: "Tue 16:00"."""
    return value.astimezone(tz).strftime("%a %H:%M")


def duration(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d}"


def preference(items: Sequence[str]) -> str:
    return ", then ".join(items)


def times(values: Sequence[time]) -> str:
    return preference([hm(t) for t in values]) or "no time yet"


def slot_time(value: date, start: time, tz: ZoneInfo) -> str:
    """A start on a day; one the clocks read twice (autumn) with the offset of its first occurrence, the
    one courtbot books: "01:30 +01:00"."""
    return _wall_clock(datetime.combine(value, start, tzinfo=tz))


def slot_span(value: date, start: time, minutes: int, tz: ZoneInfo) -> str:
    """ "18:00–19:00", counted in real minutes across a change of the clocks."""
    begins = to_utc(datetime.combine(value, start), tz)
    ends = begins + timedelta(minutes=minutes)
    return f"{_wall_clock(begins.astimezone(tz))}–{_wall_clock(ends.astimezone(tz))}"


def _wall_clock(moment: datetime) -> str:
    local = moment.replace(tzinfo=None)
    assert isinstance(moment.tzinfo, ZoneInfo)
    if walltime.ambiguous(local.date(), local.time(), moment.tzinfo):
        return f"{moment:%H:%M} {walltime.utc_offset(moment)}"
    return f"{moment:%H:%M}"


def slot_times(value: date, values: Sequence[time], tz: ZoneInfo) -> str:
    return preference([slot_time(value, t, tz) for t in values]) or "no time yet"


def courts(values: Sequence[int]) -> str:
    if not values:
        return "any court"
    return "court " + preference([str(c) for c in values])


# -- start, help, fallbacks -------------------------------------------------------------------------------


def welcome(name: str, club_username: str | None, release: ReleaseRule, from_group: bool = False) -> str:
    """`from_group`: they came by the link a group was given."""
    private = "🔒 Here it's just us: your bookings and your login stay private.\n\n" if from_group else ""
    login = (
        f"1. ✅ You're logged in at the club as {club_username}."
        if club_username
        else "1. /login with your club username and password (checked with the club, stored encrypted)."
    )
    return (
        f"{private}Hi {name}! I'm courtbot 🎾\n"
        f"I book tennis courts at your club the instant new slots are released ({release.describe()}), "
        "or right away when a court is free.\n\n"
        "What to do next:\n"
        f"{login}\n"
        "2. /book a court with buttons, or in one line: /book tue 18:00 court 2 60m\n"
        "3. /bookings shows what's coming up, and cancels."
    )


def help_text(today: date, admin: bool) -> str:
    stats = (
        "/stats: how courtbot is doing (for admins)\n/members: who has access, and who asks (for admins)\n"
        if admin
        else ""
    )
    return (
        "Here's what I can do:\n"
        "/book: pick a day, start times, courts and duration with buttons; 🔁 on the summary books it "
        "every week\n"
        "/bookings: your waiting requests and club bookings, with cancel buttons\n"
        "/weekly: your weekly bookings: pause, skip a week, or delete\n"
        "/login: give me your club login (checked, then stored encrypted)\n"
        "/logout: forget your club login\n"
        f"/cancel: leave what we're doing\n{stats}\n"
        "Power users can book in one line:\n" + oneline_examples(today) + "\n\n"
        "Times are in order of preference (18:00,19:00), so are courts (court 2,1). "
        "A weekday means the next such day."
    )


# the command menu (setMyCommands): each command's line
MENU_START = "What courtbot does and what to do next"
MENU_BOOK = "Book a court, or schedule one for its release"
MENU_BOOKINGS = "Your waiting requests and club bookings"
MENU_WEEKLY = "Your weekly bookings: pause, skip, delete"
MENU_LOGIN = "Give courtbot your club login"
MENU_LOGOUT = "Forget your club login"
MENU_CANCEL = "Leave what we're doing"
MENU_HELP = "Everything courtbot can do"
MENU_STATS = "Admins: how courtbot is doing"
MENU_MEMBERS = "Admins: who has access, and who asks"
BOOK_BUTTON = "🎾 Book a court"
UNKNOWN_COMMAND = "I don't know that command. /help shows what I can do."
UNKNOWN_TEXT = "I'm not sure what you mean. To book a court send /book, or /help for everything I can do."
USE_BUTTONS = "Please use the buttons on the message above, or /cancel to stop."
NOTHING_TO_CANCEL = "There's nothing to cancel right now. To cancel a booking, see /bookings."
CONVERSATION_CANCELLED = "OK, stopped. Nothing was changed."
STALE_BUTTON = "This button has expired. Send /book or /bookings to start again."
ERROR_SORRY = (
    "😕 Sorry, something went wrong on my side. Please try again; if it keeps happening, tell your admin."
)

# -- groups ---------------------------------------------------------------------------------------------

PRIVATE_ONLY_ANSWER = "🔒 I only work in a private chat: tap my name to talk to me."


def private_only(link: str) -> str:
    return f"🔒 I only work in a private chat, so bookings and logins stay private. Talk to me here: {link}"


# -- access ---------------------------------------------------------------------------------------------

ASK_ACCESS_BUTTON = "🙋 Ask for access"
APPROVE_BUTTON = "✅ Approve"
DENY_BUTTON = "✖ Deny"
REVOKE_BUTTON = "✖ Revoke"
STRANGER = (
    "Hi! courtbot books tennis courts for members of this club, and you're not on its list yet. "
    "If you're a member, ask an admin to let you in."
)
PENDING = "You've asked for access; an admin will answer soon, and I'll tell you here."
DENIED = "An admin hasn't given you access to courtbot. If that's a mistake, please talk to your club."
NEED_ACCESS = "You need access first: press “Ask for access”."
ACCESS_ASKED = "Thanks! I've asked the admins, and I'll message you here as soon as one answers."
ACCESS_ASKED_ANSWER = "Sent to the admins"
ALREADY_ASKED = "You've already asked; an admin will answer soon."
NO_ADMINS = "There's no admin set up for courtbot yet, so nobody can let you in. Please tell your club."
NOT_ADMIN = "Only an admin can decide that."
MEMBER_APPROVED = "Good news: an admin let you in! Send /start to begin."
MEMBER_DENIED = "Sorry, an admin decided not to give you access to courtbot."


def admin_request(who: str, username: str | None, telegram_id: int) -> str:
    handle = f"@{username}, " if username else ""
    return f"🙋 {name(who)} ({handle}id {telegram_id}) asks to use courtbot."


def admin_decided(who: str, approved: bool) -> str:
    return f"✅ You let {name(who)} in." if approved else f"✖ You turned down {name(who)}."


def already_decided(who: str, allowed: bool) -> str:
    return f"Already decided: {name(who)} {'has access' if allowed else 'was turned down'}."


def _requests_cancelled(withdrawn: int) -> str:
    return f"{withdrawn} waiting request{'' if withdrawn == 1 else 's'} cancelled"


def access_ended(withdrawn: int) -> str:
    """For a member whose access was revoked (by an admin, or by the settings)."""
    what = f" I've cancelled what was waiting ({_requests_cancelled(withdrawn)})." if withdrawn else ""
    return (
        f"🚫 Your access to courtbot has ended.{what} Your weekly bookings are paused, and courts already "
        "booked at the club stay booked. If that's a mistake, please talk to your club."
    )


def admin_revoked(who: str, withdrawn: int) -> str:
    return f"✖ You revoked {name(who)}'s access; {_requests_cancelled(withdrawn)}."


def granted_by_settings(who: str) -> str:
    return f"{name(who)}'s access comes from ALLOWED_USERS or ADMIN_USERS: remove the id there and restart."


def revoke_button(who: str) -> str:
    return f"✖ Revoke {name(who)}"


def approve_button(who: str) -> str:
    return f"✅ Approve {name(who)}"


def deny_button(who: str) -> str:
    return f"✖ Deny {name(who)}"


def member_line(member: Member, by_settings: bool) -> str:
    """Someone with access, and where it comes from."""
    if member.role is Role.ADMIN:
        how = "admin (ADMIN_USERS)"
    elif by_settings:
        how = "ALLOWED_USERS"
    else:
        how = "approved by an admin"
    if not member.name:
        return f"• id {member.telegram_id} · {how} (not written to courtbot yet)"
    return f"• {name(member.name)} (id {member.telegram_id}) · {how}"


def asking_line(member: Member) -> str:
    return f"• {name(member.name)} (id {member.telegram_id})"


def members_list(
    with_access: Sequence[str], asking: Sequence[str], note: str | None, page: int, pages: int
) -> str:
    """One page of /members."""
    parts = [note] if note else []
    if with_access:
        parts.append("👥 With access:\n" + "\n".join(with_access))
    if asking:
        parts.append("🙋 Asking for access:\n" + "\n".join(asking))
    if pages > 1:
        parts.append(f"Page {page + 1} of {pages}: ◀ ▶ for the others.")
    return "\n\n".join(parts)


# -- login ----------------------------------------------------------------------------------------------

LOGIN_ASK_USERNAME = "What's your username on the club's booking site? (/cancel to stop)"
LOGIN_BAD_USERNAME = "Please send just your username, on one line (or /cancel)."
LOGIN_CHECKING = "🔐 Checking with the club…"
LOGIN_FAILED = (
    "❌ The club did not accept this login, so I stored nothing. Check the username and password, then "
    "/login again."
)
LOGIN_DELETE_FAILED = "⚠️ I couldn't delete your password message. Please delete it yourself."
LOGOUT_DONE = (
    "Done: I've forgotten your club login. Waiting requests can't book without it; /login adds it again."
)
LOGOUT_NONE = "I don't have a club login stored for you."


def login_ask_password(username: str) -> str:
    return (
        f"Thanks. Now the password for {username}. I'll delete your message straight away, "
        "and check it with the club before storing it, encrypted."
    )


def login_ok(username: str) -> str:
    return f"✅ Logged in at the club as {username}. Your password is stored encrypted. Now /book a court!"


def login_site_down(detail: str) -> str:
    return (
        f"⚠️ I couldn't check your login with the club's site ({said(detail)}), so I stored nothing. "
        "Please try /login again in a few minutes."
    )


# -- the /book flow -------------------------------------------------------------------------------------

NEXT_BUTTON = "Next ›"
BACK_BUTTON = "‹ Back"
ABORT_BUTTON = "✖ Cancel"
ANY_COURT_BUTTON = "Any court"
BOOK_NOW_BUTTON = "✅ Book now"
PICK_A_TIME = "Pick at least one start time first."
OPTION_GONE = "That option isn't available any more."
SENDING = "Sending…"
PARTNER_SAVED = "Saved as your usual partner"
PARTNER_TOO_LONG = "Please keep your partner's name under 60 characters."
BOOKING_FORM_CLOSED = "Booking form closed; nothing was booked."
NOT_LOGGED_IN = "First I need your club login: send /login, then /book again."


def weekly_button(value: date) -> str:
    return f"🔁 Every {WEEKDAYS[value.weekday()]}"


def schedule_button(release_at: datetime, tz: ZoneInfo) -> str:
    return f"⏰ Schedule for {instant(release_at, tz)}"


def day_button(value: date, today: date, opens: datetime | None, tz: ZoneInfo) -> str:
    """A day on the date keyboard; `opens` is when a not-yet-open day is released."""
    name = "Today" if value == today else "Tomorrow" if value == today + timedelta(days=1) else day(value)
    if opens is None:
        return name
    return f"🔒 {name} · opens {opens.astimezone(tz):%a %H:%M}"


def time_button(label: str, rank: int | None) -> str:
    """`label`: the start as slot_time shows it."""
    return f"{rank}· {label}" if rank else label


def court_button(court: str, rank: int | None) -> str:
    return f"{rank}· {name(court)}" if rank else name(court)


def use_partner_button(name: str) -> str:
    return f"👤 {name}"


def save_partner_button(name: str) -> str:
    return f"⭐ Save {name} as my usual partner"


def pick_day(release: ReleaseRule) -> str:
    return (
        "📅 Which day?\n"
        f"🔒 days aren't open yet: I'll book them the instant they're released ({release.describe()})."
    )


def pick_times(chosen_day: date, chosen: Sequence[time], tz: ZoneInfo) -> str:
    order = f"\nYour order: {slot_times(chosen_day, chosen, tz)}." if chosen else ""
    return (
        f"🕕 {day(chosen_day)}: which start time? Tap several in order of preference; "
        f"tap again to remove.{order}"
    )


def pick_courts(chosen: Sequence[int]) -> str:
    order = f"\nYour order: {courts(chosen)}." if chosen else ""
    return f"🎾 Which court? Tap several in order of preference, or “Any court”.{order}"


def pick_duration() -> str:
    return "⏱ How long would you like to play?"


def pick_partner(offered: str | None) -> str:
    tail = f", or tap {offered} below." if offered else "."
    return f"👤 The club needs your partner's name for every booking. Type it{tail}"


def summary(
    request: BookingRequest,
    release_at: datetime,
    opens_now: bool,
    tz: ZoneInfo,
    problem: str | None = None,
) -> str:
    lines = [
        "Ready to book:",
        f"📅 {day(request.day)}",
        f"🕕 {slot_times(request.day, request.times, tz)}",
        f"🎾 {courts(request.courts).capitalize()}",
        f"⏱ {duration(request.duration_min)}",
    ]
    if request.partner:
        lines.append(f"👤 with {request.partner}")
    if problem:
        lines.append(f"\n⚠️ {problem}")
    elif opens_now:
        lines.append("\n✅ It's open now: I'll book it straight away.")
    else:
        lines.append(f"\n🔒 It opens {instant(release_at, tz)}: I'll fire at that very instant.")
    return "\n".join(lines)


def submit_problem(summary_text: str, problem: str) -> str:
    return f"{summary_text}\n\n⚠️ {problem}"


def club_unreachable(detail: str) -> str:
    return f"⚠️ I couldn't reach the club's site just now ({said(detail)}). Please try again in a minute."


def oneline_examples(today: date) -> str:
    later = today + timedelta(days=10)
    return f"/book tue 18:00 court 2 60m\n/book {later.isoformat()} 18:00,19:00 court 2,1 2h\n/book tomorrow 19:00 any"


def oneline_problem(error: OneLineError, today: date) -> str:
    reasons = {
        Problem.EMPTY: "Tell me the day and time",
        Problem.NO_DAY: "Which day? Start with one, like tue, tomorrow, 01/12 or 2026-12-01",
        Problem.TWO_DAYS: f"Please give just one day (I also read {quoted(error.word)})",
        Problem.BAD_DATE: f"{quoted(error.word)} isn't a date I know",
        Problem.TWO_DURATIONS: f"Please give just one duration (I also read {quoted(error.word)})",
        Problem.UNKNOWN_WORD: f"I couldn't read {quoted(error.word)}",
    }
    return f"{reasons[error.problem]}. For example:\n{oneline_examples(today)}"


# -- live progress --------------------------------------------------------------------------------------

STOP_REQUEST_BUTTON = "✖ Cancel this request"
STOP_WATCHING_BUTTON = "✖ Stop watching"
WATCH_BUTTON = "👀 Watch for a cancellation (until 2 h before)"


def watch_until_button(minutes_before: int) -> str:
    """Another time to stop watching, as a button."""
    if minutes_before % (24 * 60) == 0:
        days = minutes_before // (24 * 60)
        return f"👀 …until {days} day{'s' if days > 1 else ''} before"
    if minutes_before % 60 == 0:
        return f"👀 …until {minutes_before // 60} h before"
    return f"👀 …until {minutes_before} min before"


def progress_header(request: BookingRequest) -> str:
    partner = f" · with {request.partner}" if request.partner else ""
    return (
        f"🎾 Request #{request.id}: {day(request.day)} · {times(request.times)} · "
        f"{courts(request.courts)} · {duration(request.duration_min)}{partner}"
    )


def progress_line(event: ProgressEvent, tz: ZoneInfo) -> str:
    """One event as a line of the progress message (the engine's own words where it has them)."""
    kind = event.kind
    if kind is EventKind.SCHEDULED:
        when = f" for {instant(event.release_at, tz)}" if event.release_at else ""
        return f"⏰ Scheduled{when}: I'll fire the instant it opens."
    icons = {
        EventKind.WARMING_UP: "🔑",
        EventKind.LOGGED_IN: "✅",
        EventKind.CLOCK_SYNCED: "⏱",
        EventKind.FIRING: "🚀",
        EventKind.ATTEMPT: "✖",
        EventKind.RETRYING: "↻",
        EventKind.BOOKED: "✅",
        EventKind.FAILED: "❌",
        EventKind.CANCELLED: "🚫",
        EventKind.WATCHING: "👀",
        EventKind.WARNING: "⚠️",
        EventKind.CHECKING: "🔍",
    }
    text = said(event.text or kind.value)
    if kind is EventKind.BOOKED and event.reference:
        text = f"{text} · ref {name(event.reference)}"
    return f"{icons[kind]} {text}"


def progress_initial(status: RequestStatus, release_at: datetime | None, tz: ZoneInfo) -> str:
    """The first line, before the engine has said anything (or after a restart)."""
    if status is RequestStatus.SCHEDULED and release_at is not None:
        return f"⏰ Scheduled for {instant(release_at, tz)}: I'll fire the instant it opens."
    return {
        RequestStatus.BOOKED: "✅ Booked",
        RequestStatus.FAILED: "❌ Not booked",
        RequestStatus.CANCELLED: "🚫 Cancelled",
    }.get(status, "⏳ Starting…")


def progress(header: str, lines: Sequence[str], intro: str | None = None) -> str:
    """`intro`: what the member just set up, above the request (a weekly series' first occurrence)."""
    top = f"{intro}\n\n{header}" if intro else header
    return top + "\n\n" + "\n".join(lines)


def booked_notice(request: BookingRequest, event: ProgressEvent, court_name: str, tz: ZoneInfo) -> str:
    start = event.start or request.times[0]
    slot = (
        f"{name(court_name)} · {day(request.day)} {slot_span(request.day, start, request.duration_min, tz)}"
    )
    if event.outcome == DOUBLE_BOOKED:
        return f"⚠️ Booked twice! {slot}\n{said(event.text)}\n/bookings to see or cancel yours."
    lines = [f"✅ Booked! {slot}"]
    if event.reference:
        lines[0] += f" · ref {name(event.reference)}"
    if event.after_release_ms is not None and request.release_at is not None:
        opened = request.release_at.astimezone(tz).strftime("%H:%M:%S")
        after_ms = round(event.after_release_ms)  # an estimate: it can come out a hair below zero
        when = f"{after_ms} ms after" if after_ms > 0 else "right at"
        lines.append(f"⚡ Booked {when} {opened}, club clock.")
    lines.append("Open the calendar file to add it to your calendar. /bookings to see or cancel it.")
    return "\n".join(lines)


def failed_notice(request: BookingRequest, reason: str, *, watchable: bool = False) -> str:
    """`watchable`: every choice was taken, so a cancellation could still free one."""
    watch = (
        "\n👀 Or I can watch for a cancellation and book the moment a court frees up." if watchable else ""
    )
    return (
        f"❌ I couldn't book {day(request.day)} {times(request.times)}. {said(reason)}\n"
        f"What next: /book another time or court, or /bookings to see what you have.{watch}"
    )


def warning_notice(request: BookingRequest, problem: str) -> str:
    return f"⚠️ About your booking for {day(request.day)} {hm(request.times[0])}: {said(problem)}"


def unclear_notice(request: BookingRequest, why: str, *, final: bool = False) -> str:
    """`final`: courtbot has stopped looking (the slot has begun)."""
    then = "" if final else "\nI'll tell you as soon as the club's records show it."
    return (
        f"🔍 Your booking for {day(request.day)} {times(request.times)} may or may not have gone through. "
        f"{said(why)}{then}"
    )


def double_booked_admin_alert(request: BookingRequest, event: ProgressEvent) -> str:
    """For the admins: the club's site let two bookings take one court at one time."""
    return (
        f"⚠️ Admin: the club's site shows court {event.court} on {day(request.day)} at "
        f"{hm(event.start or request.times[0])} booked twice; one is member {request.member_id}'s "
        f"(ref {name(event.reference or '')}, request #{request.id}). Please settle it with the other holder."
    )


def unclear_admin_alert(request: BookingRequest, status: str) -> str:
    """For the admins: a booking the club's site will not show either way needs a person's look."""
    return (
        f"⚠️ Admin: courtbot can't tell whether the club booked request #{request.id} (member "
        f"{request.member_id}: {day(request.day)} {times(request.times)} · {courts(request.courts)}). "
        f"{said(status)} Please look at the club's bookings for that slot."
    )


# -- watching for a cancellation ------------------------------------------------------------------------

NOT_WATCHABLE = "There's nothing left to watch for on this request; /bookings shows what you have."
TOO_LATE_TO_WATCH = "It's too close to the start to watch for a cancellation now. /book another time?"


def watching_answer(until: datetime, tz: ZoneInfo) -> str:
    return f"Watching until {clock(until, tz)} — I'll book the moment a court frees up"


def already_watching(until: datetime, tz: ZoneInfo) -> str:
    return f"Already watching until {clock(until, tz)}"


def watching_note(notice_text: str, until: datetime, tz: ZoneInfo) -> str:
    """The failure notice once its watch has started (its button is gone)."""
    return f"{notice_text}\n\n👀 Watching for a cancellation until {clock(until, tz)}. /bookings to stop."


def calendar_summary(court_name: str) -> str:
    return f"Tennis · {court_name}"


def calendar_description(reference: str, partner: str | None) -> str:
    with_partner = f"\nPartner: {partner}" if partner else ""
    return f"Booked by courtbot. Club reference: {reference}{with_partner}"


# -- /bookings ------------------------------------------------------------------------------------------

LOOKING_UP = "🔎 Looking up your bookings…"
NO_LOGIN_FOR_BOOKINGS = "Send /login to see your bookings at the club here too."
NOTHING_BOOKED = "Nothing waiting and nothing booked. /book a court!"
CONFIRM_CANCEL_BUTTON = "Yes, cancel it"
KEEP_BUTTON = "Keep it"
NOT_YOURS = "That isn't one of your requests."
BOOKING_NOT_LISTED = "I can't find that booking in your list any more; send /bookings again."
CANCELLING = "Cancelling…"
REQUEST_RUNNING = "It's being booked right now; cancel the booking once it has landed."
REQUEST_ENDED = "This request has already ended; /bookings shows what you have."
KEPT = "Kept"
PREVIOUS_PAGE_BUTTON = "◀"
NEXT_PAGE_BUTTON = "▶"


def request_line(request: BookingRequest, tz: ZoneInfo) -> str:
    what = (
        f"#{request.id} {day(request.day)} {times(request.times)} · {courts(request.courts)} · "
        f"{duration(request.duration_min)}"
    )
    if request.status is RequestStatus.RUNNING:
        return f"{what}: booking now…"
    if request.status is RequestStatus.CHECKING:
        return f"{what}: 🔍 checking with the club whether it was booked…"
    if request.status is RequestStatus.WATCHING and request.watch_until is not None:
        return f"{what}: 👀 watching for a cancellation until {clock(request.watch_until, tz)}"
    if request.release_at is not None:
        return f"{what}: fires {instant(request.release_at, tz)}"
    return what


def booking_line(booking: Booking, court_name: str, ours: int | None, tz: ZoneInfo) -> str:
    slot = booking.slot
    by_us = f" (request #{ours})" if ours else ""
    span = slot_span(slot.day, slot.start, slot.duration_min, tz)
    return f"{day(slot.day)} {span} · {name(court_name)} · ref {name(booking.reference)}{by_us}"


def bookings_list(
    requests: Sequence[str],
    bookings: Sequence[str],
    series: Sequence[str],
    note: str | None,
    club_problem: str | None,
    page: int = 0,
    pages: int = 1,
) -> str:
    """One page of the /bookings message; `club_problem`: why the club's list could not be read."""
    parts = [note] if note else []
    if requests:
        parts.append("⏰ Waiting to book:\n" + "\n".join(requests))
    if bookings:
        parts.append("🎾 Booked at the club:\n" + "\n".join(bookings))
    if series:
        parts.append("🔁 Weekly:\n" + "\n".join(series))
    if club_problem:
        parts.append(club_problem)
    if not requests and not bookings and not series:
        parts.append(NOTHING_BOOKED)
    if pages > 1:
        parts.append(f"Page {page + 1} of {pages}: ◀ ▶ for the others.")
    return "\n\n".join(parts)


def club_list_failed(detail: str) -> str:
    return f"⚠️ I couldn't load your bookings from the club ({said(detail)})."


def cancel_request_button(request: BookingRequest) -> str:
    what = f"#{request.id} {day(request.day)} {times(request.times[:1])}"
    return f"👀 Stop watching {what}" if request.status is RequestStatus.WATCHING else f"✖ {what}"


def cancel_booking_button(booking: Booking) -> str:
    return f"✖ {booking.slot.day:%a %d} {hm(booking.slot.start)} court {booking.slot.court}"


def confirm_cancel_booking(line: str) -> str:
    return f"Cancel this booking at the club?\n{line}"


def booking_cancelled(line: str) -> str:
    return f"✅ Cancelled at the club: {line}"


def request_cancelled(request_id: int) -> str:
    return f"✅ Request #{request_id} cancelled; nothing will be booked."


def stopped_watching(request_id: int) -> str:
    return f"✅ Stopped watching for request #{request_id}; nothing will be booked."


def cancel_failed(reason: str) -> str:
    return f"⚠️ {said(reason)}"


# -- weekly series --------------------------------------------------------------------------------------

WEEKLY_NONE = (
    "You have no weekly bookings yet. To make one, /book a court as usual and press “🔁 Every …” on the "
    "summary: I'll book it every week, the instant it's released."
)
SERIES_FIRST_LATER = "I'll schedule the first one as soon as I can; /weekly shows it."
SERIES_GONE = "I can't find that weekly booking any more; /weekly shows yours."
ALREADY_SKIPPED = "That week is already skipped."
NOT_SKIPPED = "That week isn't skipped (or has begun); here's the list as it is now."
WEEK_MOVED_ON = "That week has moved on; here's the list as it is now."
PAUSED = "Paused"
RESUMED = "Resumed"
SKIPPED = "Skipped"
UNSKIPPED = "Back in"
DELETED = "Deleted"
DELETE_SERIES_BUTTON = "🗑 Delete"
CONFIRM_DELETE_SERIES_BUTTON = "🗑 Yes, delete it"


def series_what(series: WeeklySeries) -> str:
    """ "Every Tuesday 18:00 · court 2 · 1 h"."""
    partner = f" · with {series.partner}" if series.partner else ""
    return (
        f"Every {WEEKDAYS[series.weekday]} {times(series.times)} · {courts(series.courts)} · "
        f"{duration(series.duration_min)}{partner}"
    )


def series_set_up(series: WeeklySeries) -> str:
    return f"🔁 Set up: {series_what(series)}. /weekly pauses, skips or deletes it."


def weekly_list(entries: Sequence[str], note: str | None) -> str:
    parts = [note] if note else []
    if entries:
        parts.append("🔁 Your weekly bookings:\n" + "\n".join(entries))
    else:
        parts.append(WEEKLY_NONE)
    return "\n\n".join(parts)


def series_line(entry: SeriesEntry, tz: ZoneInfo) -> str:
    """A series and where it stands: paused, or its next date and what is happening to it."""
    series, waiting = entry.series, entry.waiting
    if series.status is SeriesStatus.PAUSED:
        state = "⏸ Paused"
    elif waiting is not None and waiting.status is RequestStatus.RUNNING:
        state = f"Next: {day(waiting.day)}, booking now…"
    elif waiting is not None and waiting.status is RequestStatus.CHECKING:
        state = f"Next: {day(waiting.day)}, 🔍 checking with the club"
    elif waiting is not None and waiting.status is RequestStatus.WATCHING:
        state = f"Next: {day(waiting.day)}, 👀 watching for a cancellation"
    elif waiting is not None and waiting.release_at is not None:
        state = f"Next: {day(waiting.day)}, fires {instant(waiting.release_at, tz)}"
    else:
        state = f"Next: {day(entry.next_day)}"
    skipping = f"\n  Skipping {', '.join(day(d) for d in entry.skipped)}" if entry.skipped else ""
    return f"• {series_what(series)}\n  {state}{skipping}"


def series_short(series: WeeklySeries) -> str:
    """A series on a button: "Tue 18:00"."""
    return f"{WEEKDAYS[series.weekday][:3]} {hm(series.times[0])}"


def pause_series_button(series: WeeklySeries) -> str:
    return f"⏸ Pause {series_short(series)}"


def resume_series_button(series: WeeklySeries) -> str:
    return f"▶️ Resume {series_short(series)}"


def skip_series_button(value: date) -> str:
    return f"⏭ Skip {day(value)}"


def unskip_series_button(value: date) -> str:
    return f"↩ Unskip {day(value)}"


def confirm_delete_series(series: WeeklySeries) -> str:
    return (
        f"Delete this weekly booking?\n🔁 {series_what(series)}\n"
        "Its waiting request is cancelled too; courts already booked stay booked."
    )


def series_paused(series: WeeklySeries) -> str:
    return f"⏸ Paused: {series_what(series)}. Nothing more is booked until you resume."


def series_resumed(series: WeeklySeries, planned: BookingRequest | None) -> str:
    next_one = f"; next: {day(planned.day)}" if planned is not None else ""
    return f"▶️ Resumed: {series_what(series)}{next_one}."


def series_skipped(skipped: date, planned: BookingRequest | None) -> str:
    next_one = f"; next: {day(planned.day)}" if planned is not None else ""
    return f"⏭ {day(skipped)} skipped{next_one}."


def series_unskipped(unskipped: date, planned: BookingRequest | None) -> str:
    next_one = f"; next: {day(planned.day)}" if planned is not None else ""
    return f"↩ {day(unskipped)} is back in the series{next_one}."


def series_deleted(series: WeeklySeries) -> str:
    return f"🗑 Deleted: {series_what(series)}."


# -- /stats ---------------------------------------------------------------------------------------------

ADMINS_ONLY = "Sorry, that's for the bot's admins."


def stats(
    allowed: int, pending: int, by_status: dict[RequestStatus, int], scheduled: int, weekly: int
) -> str:
    requests = ", ".join(f"{by_status[s]} {s.value}" for s in RequestStatus if by_status.get(s)) or "none yet"
    return (
        "📊 courtbot now\n"
        f"👥 Members: {allowed} with access, {pending} waiting for approval\n"
        f"🎾 Requests: {requests}\n"
        f"⏰ Scheduled now, waiting for their release: {scheduled}\n"
        f"🔁 Active weekly series: {weekly}"
    )

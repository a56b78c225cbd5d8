"""Every word the bot shows a member, in one place and in the member's language: friendly, short, times in
the club's time zone, and no word of ours the member would not use (no request numbers, no "firing").

Each text is English in the source and goes through the gettext catalogs (bot/i18n), so it is spoken in
the language of whoever is being answered. Fixed texts are module attributes in UPPER_CASE, looked up in
the current language when read (`texts.BOOK_NOW_BUTTON`); the rest are functions. Plain text only (no
parse mode), so names and club messages never need escaping. Whatever comes from outside is cut short
(bot.formats), so a message fits Telegram's limits because of what it says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.events import EventKind, ProgressEvent
from booking.models import BookingRequest, Member, RequestStatus, Role, SeriesStatus, WeeklySeries
from booking.reasons import Reason
from booking.release import ReleaseRule, WindowKind
from booking.run import DOUBLE_BOOKED
from booking.sites.base import Booking, Slot
from bot import i18n, oneline, reasons
from bot.formats import (
    capital,
    clock,
    courts,
    day,
    duration,
    hm,
    instant,
    name,
    opens,
    quoted,
    said,
    short_day,
    short_weekday,
    slot_span,
    slot_times,
    times,
    weekday,
)
from bot.i18n import N_, _, ngettext
from bot.oneline import OneLineError, Problem
from bot.series import SeriesEntry

_FIXED: dict[str, str] = {
    # start, help, fallbacks
    "BOOK_BUTTON": N_("🎾 Book a court"),
    "UNKNOWN_COMMAND": N_("I don't know that command. /help shows what I can do."),
    "UNKNOWN_TEXT": N_(
        "I'm not sure what you mean. To book a court send /book, or /help for everything I can do."
    ),
    "USE_BUTTONS": N_("Please use the buttons on the message above, or /cancel to stop."),
    "NOTHING_TO_CANCEL": N_("There's nothing to cancel right now. To cancel a booking, see /bookings."),
    "CONVERSATION_CANCELLED": N_("OK, stopped. Nothing was changed."),
    "STALE_BUTTON": N_("This button has expired. Send /book or /bookings to start again."),
    "ERROR_SORRY": N_(
        "😕 Sorry, something went wrong on my side. Please try again; if it keeps happening, tell your admin."
    ),
    # groups
    "PRIVATE_ONLY_ANSWER": N_("🔒 I only work in a private chat: tap my name to talk to me."),
    # access
    "ASK_ACCESS_BUTTON": N_("🙋 Ask for access"),
    "APPROVE_BUTTON": N_("✅ Approve"),
    "DENY_BUTTON": N_("✖ Deny"),
    "REVOKE_BUTTON": N_("✖ Revoke"),
    "STRANGER": N_(
        "Hi! courtbot books tennis courts for members of this club, and you're not on its list yet. "
        "If you're a member, ask an admin to let you in."
    ),
    "PENDING": N_("You've asked for access; an admin will answer soon, and I'll tell you here."),
    "DENIED": N_(
        "An admin hasn't given you access to courtbot. If that's a mistake, please talk to your club."
    ),
    "NEED_ACCESS": N_("You need access first: press “Ask for access”."),
    "ACCESS_ASKED": N_("Thanks! I've asked the admins, and I'll message you here as soon as one answers."),
    "ACCESS_ASKED_ANSWER": N_("Sent to the admins"),
    "ALREADY_ASKED": N_("You've already asked; an admin will answer soon."),
    "NO_ADMINS": N_(
        "There's no admin set up for courtbot yet, so nobody can let you in. Please tell your club."
    ),
    "NOT_ADMIN": N_("Only an admin can decide that."),
    "MEMBER_APPROVED": N_("Good news: an admin let you in! Send /start to begin."),
    "MEMBER_DENIED": N_("Sorry, an admin decided not to give you access to courtbot."),
    "ADMINS_ONLY": N_("Sorry, that's for the bot's admins."),
    # login
    "LOGIN_ASK_USERNAME": N_("What's your username on the club's booking site? (/cancel to stop)"),
    "LOGIN_FIRST": N_(
        "🔐 First your club login, once: I book with it, so I check it with the club and store it "
        "encrypted. Then we pick your court.\nWhat's your username on the club's booking site? "
        "(/cancel to stop)"
    ),
    "LOGIN_TO_BOOK": N_(
        "🔐 I need your club login to book this; your choices are kept.\nWhat's your username on the "
        "club's booking site? (/cancel to stop)"
    ),
    "LOGIN_BAD_USERNAME": N_("Please send just your username, on one line (or /cancel)."),
    "LOGIN_CHECKING": N_("🔐 Checking with the club…"),
    "LOGIN_FAILED": N_(
        "❌ The club did not accept this login, so I stored nothing. Check the username and password, "
        "then /login again."
    ),
    "LOGIN_DELETE_FAILED": N_("⚠️ I couldn't delete your password message. Please delete it yourself."),
    "LOGOUT_DONE": N_(
        "Done: I've forgotten your club login. Waiting bookings can't be made without it; /login adds it "
        "again."
    ),
    "LOGOUT_NONE": N_("I don't have a club login stored for you."),
    "MEMBERS_ONLY_SITE": N_(
        "The club's site shows its courts only to its members: send /login first, then try again."
    ),
    # language
    "PICK_LANGUAGE": N_("🌐 Which language shall I speak?"),
    "LANGUAGE_SET": N_("🌐 From now on I speak English."),
    # the /book flow
    "NEXT_BUTTON": N_("Next ›"),
    "BACK_BUTTON": N_("‹ Back"),
    "ABORT_BUTTON": N_("✖ Cancel"),
    "REFRESH_BUTTON": N_("↻ Free now?"),
    "LATER_DAYS_BUTTON": N_("Later ▸"),
    "EARLIER_DAYS_BUTTON": N_("◂ This week"),
    "ANY_COURT_BUTTON": N_("Any court"),
    "BOOK_NOW_BUTTON": N_("✅ Book now"),
    "PICK_A_TIME": N_("Pick at least one start time first."),
    "OPTION_GONE": N_("That option isn't available any more."),
    "BOOKING_NOW": N_("Booking…"),
    "SCHEDULED_ANSWER": N_("Scheduled"),
    "NOT_SENT": N_("Not sent: see the message"),
    "REFRESHED": N_("Read the club again"),
    "PARTNER_SAVED": N_("Saved as your usual partner"),
    "PARTNER_TOO_LONG": N_("Please keep your partner's name under 60 characters."),
    "BOOKING_FORM_CLOSED": N_("Booking form closed; nothing was booked."),
    "FORM_WAITS_FOR_LOGIN": N_("⏸ This booking form waits for your login; it comes back right after."),
    "FORM_CONTINUES_BELOW": N_("⏸ Your booking form continues below."),
    "GRID_UNREAD": N_("I couldn't read the club's grid just now; ↻ to try again."),
    # live progress
    "STOP_REQUEST_BUTTON": N_("✖ Cancel this booking"),
    "STOP_WATCHING_BUTTON": N_("✖ Stop watching"),
    "WATCH_BUTTON": N_("👀 Watch, until 2 h before"),
    "NOT_WATCHABLE": N_("There's nothing left to watch for here; /bookings shows what you have."),
    "TOO_LATE_TO_WATCH": N_(
        "It's too close to the start to watch for a cancellation now. /book another time?"
    ),
    "ALTERNATIVE_GONE": N_("That court can't be booked from here any more; /book to pick another."),
    # /bookings
    "LOOKING_UP": N_("🔎 Looking up your bookings…"),
    "NO_LOGIN_FOR_BOOKINGS": N_("Send /login to see your bookings at the club here too."),
    "NOTHING_BOOKED": N_("Nothing waiting and nothing booked. /book a court!"),
    "CONFIRM_CANCEL_BUTTON": N_("Yes, cancel it"),
    "KEEP_BUTTON": N_("Keep it"),
    "NOT_YOURS": N_("That isn't one of your bookings."),
    "BOOKING_NOT_LISTED": N_("I can't find that booking in your list any more; send /bookings again."),
    "CANCELLING": N_("Cancelling…"),
    "REQUEST_RUNNING": N_("It's being booked right now; cancel the booking once it has landed."),
    "REQUEST_ENDED": N_("This has already ended; /bookings shows what you have."),
    "KEPT": N_("Kept"),
    "PREVIOUS_PAGE_BUTTON": N_("◀"),
    "NEXT_PAGE_BUTTON": N_("▶"),
    # weekly series
    "WEEKLY_NONE": N_(
        "You have no weekly bookings yet. To make one, /book a court as usual and press “🔁 Every …” on "
        "the summary: I'll book it every week, the instant it's released."
    ),
    "SERIES_FIRST_LATER": N_("I'll schedule the first one as soon as I can; /weekly shows it."),
    "SERIES_GONE": N_("I can't find that weekly booking any more; /weekly shows yours."),
    "ALREADY_SKIPPED": N_("That week is already skipped."),
    "NOT_SKIPPED": N_("That week isn't skipped (or has begun); here's the list as it is now."),
    "WEEK_MOVED_ON": N_("That week has moved on; here's the list as it is now."),
    "PAUSED": N_("Paused"),
    "RESUMED": N_("Resumed"),
    "SKIPPED": N_("Skipped"),
    "UNSKIPPED": N_("Back in"),
    "DELETED": N_("Deleted"),
    "CONFIRM_DELETE_SERIES_BUTTON": N_("🗑 Yes, delete it"),
}


def __getattr__(attribute: str) -> str:
    """A fixed text, in the current language."""
    try:
        return _(_FIXED[attribute])
    except KeyError:
        raise AttributeError(f"module {__name__!r} has no attribute {attribute!r}") from None


def fixed(key: str) -> str:
    """A fixed text by its name, in the current language (the same as `texts.KEY` from outside)."""
    return _(_FIXED[key])


def reason(what: Reason, tz: ZoneInfo) -> str:
    """What the domain said (a reason code and its values), in the member's words."""
    return reasons.say(what, tz)


def release_rule(rule: ReleaseRule) -> str:
    """When the club releases its courts: "7 days ahead at 07:00"."""
    if rule.kind is WindowKind.TIME_OF_DAY:
        assert rule.opens_at is not None
        return _("{days} days ahead at {time}").format(days=rule.days, time=hm(rule.opens_at))
    if rule.kind is WindowKind.ROLLING_END:
        return _("a rolling {days}-day window to the slot's end").format(days=rule.days)
    if rule.kind is WindowKind.ROLLING_END_ELAPSED:
        hours = round(rule.days * 24 + rule.seconds / 3600, 2)
        return _("exactly {hours:g} hours before the slot's end").format(hours=hours)
    return _("a rolling {days}-day window to the slot's start").format(days=rule.days)


# -- start, help, menus ---------------------------------------------------------------------------------


def welcome(
    first_name: str, club_username: str | None, release: ReleaseRule, from_group: bool = False
) -> str:
    """`from_group`: they came by the link a group was given."""
    private = (
        _("🔒 Here it's just us: your bookings and your login stay private.") + "\n\n" if from_group else ""
    )
    login = (
        _("1. ✅ You're logged in at the club as {username}.").format(username=club_username)
        if club_username
        else _("1. /login with your club username and password (checked with the club, stored encrypted).")
    )
    return private + _(
        "Hi {name}! I'm courtbot 🎾\n"
        "I book tennis courts at your club the instant new slots are released ({release}), or right away "
        "when a court is free.\n\n"
        "What to do next:\n"
        "{login}\n"
        "2. /book a court with buttons, or in one line: /book tue 18:00 court 2 60m\n"
        "3. /bookings shows what's coming up, and cancels.\n"
        "/language changes the language I speak."
    ).format(name=first_name, release=release_rule(release), login=login)


def help_text(today: date, admin: bool) -> str:
    stats_lines = (
        _("/stats: how courtbot is doing (for admins)\n/members: who has access, and who asks (for admins)\n")
        if admin
        else ""
    )
    return _(
        "Here's what I can do:\n"
        "/book: pick a day, start times, courts and duration with buttons; 🔁 on the summary books it "
        "every week\n"
        "/bookings: your waiting and club bookings, with cancel buttons\n"
        "/weekly: your weekly bookings: pause, skip a week, or delete\n"
        "/login: give me your club login (checked, then stored encrypted)\n"
        "/logout: forget your club login\n"
        "/language: the language I speak\n"
        "/cancel: leave what we're doing\n"
        "{admin}\n"
        "Power users can book in one line:\n"
        "{examples}\n\n"
        "Times are in order of preference (18:00,19:00), so are courts (court 2,1). A weekday means the next "
        "such day; a date can be 1 dec, dec 1, 1/12 or 2026-12-01."
    ).format(admin=stats_lines, examples=oneline_examples(today))


_MENU: dict[str, str] = {
    "start": N_("What courtbot does and what to do next"),
    "book": N_("Book a court, or schedule one for its release"),
    "bookings": N_("Your waiting and club bookings"),
    "weekly": N_("Your weekly bookings: pause, skip, delete"),
    "login": N_("Give courtbot your club login"),
    "logout": N_("Forget your club login"),
    "language": N_("The language courtbot speaks"),
    "cancel": N_("Leave what we're doing"),
    "help": N_("Everything courtbot can do"),
    "stats": N_("Admins: how courtbot is doing"),
    "members": N_("Admins: who has access, and who asks"),
}


def menu_line(command: str) -> str:
    """A command's line in Telegram's command menu."""
    return _(_MENU[command])


# -- groups ---------------------------------------------------------------------------------------------


def private_only(link: str) -> str:
    return _(
        "🔒 I only work in a private chat, so bookings and logins stay private. Talk to me here: {link}"
    ).format(link=link)


# -- access ---------------------------------------------------------------------------------------------


def admin_request(who: str, username: str | None, telegram_id: int) -> str:
    if username:
        return _("🙋 {name} (@{username}, id {id}) asks to use courtbot.").format(
            name=name(who), username=username, id=telegram_id
        )
    return _("🙋 {name} (id {id}) asks to use courtbot.").format(name=name(who), id=telegram_id)


def admin_decided(who: str, approved: bool) -> str:
    if approved:
        return _("✅ You let {name} in.").format(name=name(who))
    return _("✖ You turned down {name}.").format(name=name(who))


def already_decided(who: str, allowed: bool) -> str:
    if allowed:
        return _("Already decided: {name} has access.").format(name=name(who))
    return _("Already decided: {name} was turned down.").format(name=name(who))


def _waiting_cancelled(withdrawn: int) -> str:
    return ngettext("{n} waiting booking cancelled", "{n} waiting bookings cancelled", withdrawn).format(
        n=withdrawn
    )


def access_ended(withdrawn: int) -> str:
    """For a member whose access was revoked (by an admin, or by the settings)."""
    what = (
        " "
        + _("I've cancelled what was waiting ({cancelled}).").format(cancelled=_waiting_cancelled(withdrawn))
        if withdrawn
        else ""
    )
    return _(
        "🚫 Your access to courtbot has ended.{what} Your weekly bookings are paused, and courts already "
        "booked at the club stay booked. If that's a mistake, please talk to your club."
    ).format(what=what)


def admin_revoked(who: str, withdrawn: int) -> str:
    return _("✖ You revoked {name}'s access; {cancelled}.").format(
        name=name(who), cancelled=_waiting_cancelled(withdrawn)
    )


def granted_by_settings(who: str) -> str:
    return _(
        "{name}'s access comes from ALLOWED_USERS or ADMIN_USERS: remove the id there and restart."
    ).format(name=name(who))


def revoke_button(who: str) -> str:
    return _("✖ Revoke {name}").format(name=name(who))


def approve_button(who: str) -> str:
    return _("✅ Approve {name}").format(name=name(who))


def deny_button(who: str) -> str:
    return _("✖ Deny {name}").format(name=name(who))


def member_line(member: Member, by_settings: bool) -> str:
    """Someone with access, and where it comes from."""
    if member.role is Role.ADMIN:
        how = _("admin (ADMIN_USERS)")
    elif by_settings:
        how = "ALLOWED_USERS"
    else:
        how = _("approved by an admin")
    if not member.name:
        return _("• id {id} · {how} (not written to courtbot yet)").format(id=member.telegram_id, how=how)
    return _("• {name} (id {id}) · {how}").format(name=name(member.name), id=member.telegram_id, how=how)


def asking_line(member: Member) -> str:
    return _("• {name} (id {id})").format(name=name(member.name), id=member.telegram_id)


def page_of(page: int, pages: int) -> str:
    return _("Page {page} of {pages}: ◀ ▶ for the others.").format(page=page + 1, pages=pages)


def members_list(
    with_access: Sequence[str], asking: Sequence[str], note: str | None, page: int, pages: int
) -> str:
    """One page of /members."""
    parts = [note] if note else []
    if with_access:
        parts.append(_("👥 With access:") + "\n" + "\n".join(with_access))
    if asking:
        parts.append(_("🙋 Asking for access:") + "\n" + "\n".join(asking))
    if pages > 1:
        parts.append(page_of(page, pages))
    return "\n\n".join(parts)


# -- login ----------------------------------------------------------------------------------------------


def login_ask_password(username: str) -> str:
    return _(
        "Thanks. Now the password for {username}. I'll delete your message straight away, and check it with "
        "the club before storing it, encrypted."
    ).format(username=username)


def login_ok(username: str, resuming: bool = False) -> str:
    """`resuming`: a booking form waited for the login and comes next."""
    done = _("✅ Logged in at the club as {username}. Your password is stored encrypted.").format(
        username=username
    )
    return done + " " + (_("Now, your booking:") if resuming else _("Now /book a court!"))


def login_site_down(detail: str) -> str:
    return _(
        "⚠️ I couldn't check your login with the club's site ({detail}), so I stored nothing. Please try "
        "/login again in a few minutes."
    ).format(detail=said(detail))


# -- language -------------------------------------------------------------------------------------------


def language_button(language: str, chosen: bool) -> str:
    label = i18n.LANGUAGES[language]
    return f"✓ {label}" if chosen else label


# -- the /book flow -------------------------------------------------------------------------------------


def weekly_button(value: date) -> str:
    return _("🔁 Every {weekday}").format(weekday=weekday(value.weekday()))


def schedule_button(release_at: datetime, tz: ZoneInfo) -> str:
    return _("⏰ Schedule for {instant}").format(instant=instant(release_at, tz))


def day_button(value: date, today: date, locked: bool) -> str:
    """A day on the date keyboard; 🔒 one not open yet (the message says when it opens)."""
    if value == today:
        label = _("Today")
    elif (value - today).days == 1:
        label = _("Tomorrow")
    else:
        label = day(value, today)
    return f"🔒 {label}" if locked else label


def time_button(label: str, rank: int | None, full: bool) -> str:
    """`label`: the start as slot_time shows it; `full`: every court is taken then."""
    shown = f"✖ {label}" if full else label
    return f"{rank}· {shown}" if rank else shown


def court_button(court: str, rank: int | None, free_at: Sequence[time] | None, wanted: Sequence[time]) -> str:
    """`free_at`: of the member's times (`wanted`), those the court is free at (None: not known); a court
    free at some of them only names the first."""
    label = name(court)
    if free_at is not None and not free_at:
        label = f"✖ {label}"
    elif free_at is not None and len(free_at) < len(wanted):
        label = _("{court} · {time}").format(court=label, time=hm(free_at[0]))
    return f"{rank}· {label}" if rank else label


def use_partner_button(partner: str) -> str:
    return f"👤 {partner}"


def save_partner_button(partner: str) -> str:
    return _("⭐ Save {name} as my usual partner").format(name=partner)


def pick_day(
    locked: Sequence[tuple[date, datetime]], today: date, tz: ZoneInfo, chosen: Sequence[time] = ()
) -> str:
    """The day picker; `locked`: the days on it not open yet, and when each opens; `chosen`: start times
    the member named already (/book 18:00)."""
    lines = [_("📅 Which day for {times}?").format(times=times(chosen)) if chosen else _("📅 Which day?")]
    if locked:
        lines.append(_("🔒 Not open yet: I'll book the instant it's released."))
        lines += [
            _("🔒 {day} opens {when}").format(day=day(d, today), when=opens(at, today, tz))
            for d, at in locked
        ]
    return "\n".join(lines)


def pick_times(
    chosen_day: date,
    chosen: Sequence[time],
    tz: ZoneInfo,
    *,
    today: date,
    opens_at: datetime | None,
    grid_read_at: datetime | None,
    grid_unread: bool,
) -> str:
    """`opens_at`: the day is not open yet; `grid_read_at`: when the club's grid the buttons mark was read."""
    lines = [
        _("🕕 {day}: which start time? Tap several in order of preference; tap again to remove.").format(
            day=day(chosen_day, today)
        )
    ]
    if opens_at is not None:
        lines.append(
            _("🔒 {day} opens {when}: I'll book the instant it's released.").format(
                day=day(chosen_day, today), when=opens(opens_at, today, tz)
            )
        )
    elif grid_read_at is not None:
        lines.append(
            _("✖ marks a time with every court taken (the club's grid at {time}).").format(
                time=hm(grid_read_at.astimezone(tz).time())
            )
        )
    elif grid_unread:
        lines.append(fixed("GRID_UNREAD"))
    if chosen:
        lines.append(_("Your order: {times}.").format(times=slot_times(chosen_day, chosen, tz)))
    return "\n".join(lines)


def pick_courts(chosen: Sequence[int], marked: bool) -> str:
    """`marked`: the buttons show which courts are taken at the member's times."""
    lines = [_("🎾 Which court? Tap several in order of preference, or “Any court”.")]
    if marked:
        lines.append(_("✖ marks a court taken at your times; a time next to a court: free only then."))
    if chosen:
        lines.append(_("Your order: {courts}.").format(courts=courts(chosen)))
    return "\n".join(lines)


def pick_duration() -> str:
    return _("⏱ How long would you like to play?")


def pick_partner(offered: str | None) -> str:
    if offered:
        return _(
            "👤 The club needs your partner's name for every booking. Type it, or tap {name} below."
        ).format(name=offered)
    return _("👤 The club needs your partner's name for every booking. Type it.")


def summary(
    request: BookingRequest,
    release_at: datetime,
    opens_now: bool,
    tz: ZoneInfo,
    problem: str | None = None,
    today: date | None = None,
) -> str:
    lines = [
        _("⚠️ This can't be booked as it is:") if problem else _("Ready to book:"),
        f"📅 {day(request.day, today)}",
        f"🕕 {slot_times(request.day, request.times, tz)}",
        f"🎾 {capital(courts(request.courts))}",
        f"⏱ {duration(request.duration_min)}",
    ]
    if request.partner:
        lines.append(_("👤 with {name}").format(name=request.partner))
    if problem:
        lines.append(f"\n⚠️ {problem}")
    elif opens_now:
        lines.append("\n" + _("✅ It's open now: I'll book it straight away."))
    else:
        lines.append(
            "\n"
            + _("🔒 It opens {instant}: I'll book it at that very instant.").format(
                instant=instant(release_at, tz)
            )
        )
    return "\n".join(lines)


def submit_problem(summary_text: str, problem: str) -> str:
    return f"{summary_text}\n\n⚠️ {problem}"


def club_unreachable(detail: str) -> str:
    return _("⚠️ I couldn't reach the club's site just now ({detail}). Please try again in a minute.").format(
        detail=said(detail)
    )


def oneline_examples(today: date) -> str:
    later = oneline.written_day(today + timedelta(days=10), today)
    return _(
        "/book tue 18:00 court 2 60m\n/book {date} 18:00,19:00 court 2,1 2h\n/book tomorrow 19:00 any"
    ).format(date=later)


def oneline_problem(error: OneLineError, today: date) -> str:
    word = quoted(error.word)
    reasons_ = {
        Problem.EMPTY: _("Tell me the day and time"),
        Problem.TWO_DAYS: _("Please give just one day (I also read {word})").format(word=word),
        Problem.BAD_DATE: _("{word} isn't a date I know").format(word=word),
        Problem.PAST: _("{word} is past: pick a day from today on").format(word=word),
        Problem.TWO_DURATIONS: _("Please give just one duration (I also read {word})").format(word=word),
        Problem.UNKNOWN_WORD: _("I couldn't read {word}").format(word=word),
    }
    return _("{problem}. For example:\n{examples}").format(
        problem=reasons_[error.problem], examples=oneline_examples(today)
    )


# -- live progress --------------------------------------------------------------------------------------


def watch_until_button(minutes_before: int) -> str:
    """Another time to stop watching, as a button."""
    if minutes_before % (24 * 60) == 0:
        days = minutes_before // (24 * 60)
        return ngettext("👀 …{n} day before", "👀 …{n} days before", days).format(n=days)
    if minutes_before % 60 == 0:
        return _("👀 …{hours} h before").format(hours=minutes_before // 60)
    return _("👀 …{minutes} min before").format(minutes=minutes_before)


def alternative_button(slot: Slot, court_name: str) -> str:
    """A free slot offered instead of the taken ones: "🎾 Court 3 · 18:00"."""
    return _("🎾 {court} · {time}").format(court=name(court_name), time=hm(slot.start))


def what(request: BookingRequest) -> str:
    """A request in a few words: "Tue 01 Dec · 18:00 · court 2 · 1 h"."""
    partner = " · " + _("with {name}").format(name=request.partner) if request.partner else ""
    return (
        f"{day(request.day)} · {times(request.times)} · {courts(request.courts)} · "
        f"{duration(request.duration_min)}{partner}"
    )


def progress_header(request: BookingRequest) -> str:
    return f"🎾 {what(request)}"


_ICONS = {
    EventKind.SCHEDULED: "⏰",
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


def progress_line(event: ProgressEvent, tz: ZoneInfo) -> str:
    """One event as a line of the progress message."""
    if event.kind is EventKind.SCHEDULED:
        if event.release_at is None:
            return _("⏰ Scheduled: I'll book the instant it opens.")
        return _("⏰ Scheduled for {instant}: I'll book the instant it opens.").format(
            instant=instant(event.release_at, tz)
        )
    text = said(reason(event.reason, tz)) if event.reason is not None else event.kind.value
    if event.kind is EventKind.BOOKED and event.reference:
        text = _("{booked} · ref {reference}").format(booked=text, reference=name(event.reference))
    return f"{_ICONS[event.kind]} {text}"


def progress_initial(status: RequestStatus, release_at: datetime | None, tz: ZoneInfo) -> str:
    """The first line, before the engine has said anything (or after a restart)."""
    if status is RequestStatus.SCHEDULED and release_at is not None:
        return _("⏰ Scheduled for {instant}: I'll book the instant it opens.").format(
            instant=instant(release_at, tz)
        )
    if status is RequestStatus.BOOKED:
        return _("✅ Booked")
    if status is RequestStatus.FAILED:
        return _("❌ Not booked")
    if status is RequestStatus.CANCELLED:
        return _("🚫 Cancelled")
    return _("⏳ Starting…")


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
        words = reason(event.reason, tz) if event.reason is not None else ""
        return _("⚠️ Booked twice! {slot}\n{why}\n/bookings to see or cancel yours.").format(
            slot=slot, why=said(words)
        )
    first = _("✅ Booked! {slot}").format(slot=slot)
    if event.reference:
        first = _("{booked} · ref {reference}").format(booked=first, reference=name(event.reference))
    lines = [first]
    if event.after_release_ms is not None and request.release_at is not None:
        opened = i18n.format_time(request.release_at.astimezone(tz).time(), "HH:mm:ss")
        after_ms = round(event.after_release_ms)  # an estimate: it can come out a hair below zero
        if after_ms > 0:
            lines.append(_("⚡ Booked {ms} ms after {time}, club clock.").format(ms=after_ms, time=opened))
        else:
            lines.append(_("⚡ Booked right at {time}, club clock.").format(time=opened))
    lines.append(_("Open the calendar file to add it to your calendar. /bookings to see or cancel it."))
    return "\n".join(lines)


def failed_notice(
    request: BookingRequest, why: str, *, watchable: bool = False, offered: bool = False
) -> str:
    """`watchable`: every choice was taken, so a cancellation could still free one; `offered`: free
    alternatives are offered as buttons."""
    lines = [
        _("❌ I couldn't book {day} {times}. {why}").format(
            day=day(request.day), times=times(request.times), why=said(why)
        ),
        _("What next: /book another time or court, or /bookings to see what you have."),
    ]
    if offered:
        lines.append(_("🎾 Free right now: tap one to book it."))
    if watchable:
        lines.append(_("👀 Or I can watch for a cancellation and book the moment a court frees up."))
    return "\n".join(lines)


def alternative_chosen(notice_text: str, slot: Slot, court_name: str) -> str:
    """The all-taken notice once the member took a free court instead (its buttons are gone)."""
    return (
        notice_text
        + "\n\n"
        + _("➡️ Booking {court} at {time} instead: see below.").format(
            court=name(court_name), time=hm(slot.start)
        )
    )


def overtaken_by_booking(notice_text: str) -> str:
    """An earlier "couldn't book" notice, once a watch (or a later look) booked it after all."""
    first, _newline, rest = notice_text.partition("\n")
    return _("✅ Update: booked after all, see below.") + "\n\n" + f"{first}\n{rest}".strip()


def warning_notice(request: BookingRequest, problem: str) -> str:
    return _("⚠️ About your booking for {day} {time}: {problem}").format(
        day=day(request.day), time=hm(request.times[0]), problem=said(problem)
    )


def unclear_notice(request: BookingRequest, why: str, *, final: bool = False) -> str:
    """`final`: courtbot has stopped looking (the slot has begun)."""
    text = _("🔍 Your booking for {day} {times} may or may not have gone through. {why}").format(
        day=day(request.day), times=times(request.times), why=said(why)
    )
    if final:
        return text
    return text + "\n" + _("I'll tell you as soon as the club's records show it.")


def double_booked_admin_alert(request: BookingRequest, event: ProgressEvent) -> str:
    """For the admins: the club's site let two bookings take one court at one time."""
    return _(
        "⚠️ Admin: the club's site shows court {court} on {day} at {time} booked twice; one is member "
        "{member}'s (ref {reference}, request {request}). Please settle it with the other holder."
    ).format(
        court=event.court,
        day=day(request.day),
        time=hm(event.start or request.times[0]),
        member=request.member_id,
        reference=name(event.reference or ""),
        request=request.id,
    )


def unclear_admin_alert(request: BookingRequest, status: str) -> str:
    """For the admins: a booking the club's site will not show either way needs a person's look."""
    return _(
        "⚠️ Admin: courtbot can't tell whether the club booked request {request} (member {member}: {day} "
        "{times} · {courts}). {status} Please look at the club's bookings for that slot."
    ).format(
        request=request.id,
        member=request.member_id,
        day=day(request.day),
        times=times(request.times),
        courts=courts(request.courts),
        status=said(status),
    )


# -- watching for a cancellation ------------------------------------------------------------------------


def watching_answer(until: datetime, tz: ZoneInfo) -> str:
    return _("Watching until {until} — I'll book the moment a court frees up").format(until=clock(until, tz))


def already_watching(until: datetime, tz: ZoneInfo) -> str:
    return _("Already watching until {until}").format(until=clock(until, tz))


def watching_note(notice_text: str, until: datetime, tz: ZoneInfo) -> str:
    """The failure notice once its watch has started (its buttons are gone)."""
    return (
        notice_text
        + "\n\n"
        + _("👀 Watching for a cancellation until {until}. /bookings to stop.").format(until=clock(until, tz))
    )


def calendar_summary(court_name: str) -> str:
    return _("Tennis · {court}").format(court=court_name)


def calendar_description(reference: str, partner: str | None) -> str:
    text = _("Booked by courtbot. Club reference: {reference}").format(reference=reference)
    return (text + "\n" + _("Partner: {name}").format(name=partner)) if partner else text


# -- /bookings ------------------------------------------------------------------------------------------


def request_line(request: BookingRequest, tz: ZoneInfo) -> str:
    text = what(request)
    if request.status is RequestStatus.RUNNING:
        return _("{what}: booking now…").format(what=text)
    if request.status is RequestStatus.CHECKING:
        return _("{what}: 🔍 checking with the club whether it was booked…").format(what=text)
    if request.status is RequestStatus.WATCHING and request.watch_until is not None:
        return _("{what}: 👀 watching for a cancellation until {until}").format(
            what=text, until=clock(request.watch_until, tz)
        )
    if request.release_at is not None:
        return _("{what}: opens {instant}, booked then").format(
            what=text, instant=instant(request.release_at, tz)
        )
    return text


def booking_line(booking: Booking, court_name: str, tz: ZoneInfo) -> str:
    slot = booking.slot
    span = slot_span(slot.day, slot.start, slot.duration_min, tz)
    return _("{day} {span} · {court} · ref {reference}").format(
        day=day(slot.day), span=span, court=name(court_name), reference=name(booking.reference)
    )


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
        parts.append(_("⏰ Waiting to book:") + "\n" + "\n".join(requests))
    if bookings:
        parts.append(_("🎾 Booked at the club:") + "\n" + "\n".join(bookings))
    if series:
        parts.append(_("🔁 Weekly:") + "\n" + "\n".join(series))
    if club_problem:
        parts.append(club_problem)
    if not requests and not bookings and not series:
        parts.append(fixed("NOTHING_BOOKED"))
    if pages > 1:
        parts.append(page_of(page, pages))
    return "\n\n".join(parts)


def club_list_failed(detail: str) -> str:
    return _("⚠️ I couldn't load your bookings from the club ({detail}).").format(detail=said(detail))


def cancel_request_button(request: BookingRequest) -> str:
    when = f"{short_day(request.day)} {hm(request.times[0])}"
    if request.status is RequestStatus.WATCHING:
        return _("👀 Stop watching {when}").format(when=when)
    return _("✖ Cancel {when}").format(when=when)


def cancel_booking_button(booking: Booking, court_name: str) -> str:
    return _("✖ Cancel {day} {time} · {court}").format(
        day=short_day(booking.slot.day), time=hm(booking.slot.start), court=name(court_name)
    )


def confirm_cancel_booking(line: str) -> str:
    return _("Cancel this booking at the club?\n{booking}").format(booking=line)


def booking_cancelled(line: str) -> str:
    return _("✅ Cancelled at the club: {booking}").format(booking=line)


def request_cancelled(request: BookingRequest) -> str:
    return _("✅ Cancelled {day} {time}; nothing will be booked.").format(
        day=day(request.day), time=hm(request.times[0])
    )


def stopped_watching(request: BookingRequest) -> str:
    return _("✅ Stopped watching for {day} {time}; nothing will be booked.").format(
        day=day(request.day), time=hm(request.times[0])
    )


def cancel_failed(why: str) -> str:
    return f"⚠️ {said(why)}"


# -- weekly series --------------------------------------------------------------------------------------


def series_what(series: WeeklySeries) -> str:
    """ "Every Tuesday 18:00 · court 2 · 1 h"."""
    partner = " · " + _("with {name}").format(name=series.partner) if series.partner else ""
    return _("Every {weekday} {times} · {courts} · {duration}{partner}").format(
        weekday=weekday(series.weekday),
        times=times(series.times),
        courts=courts(series.courts),
        duration=duration(series.duration_min),
        partner=partner,
    )


def series_set_up(series: WeeklySeries) -> str:
    return _("🔁 Set up: {series}. /weekly pauses, skips or deletes it.").format(series=series_what(series))


def weekly_list(entries: Sequence[str], note: str | None) -> str:
    parts = [note] if note else []
    parts.append(
        _("🔁 Your weekly bookings:") + "\n" + "\n".join(entries) if entries else fixed("WEEKLY_NONE")
    )
    return "\n\n".join(parts)


def series_line(entry: SeriesEntry, tz: ZoneInfo) -> str:
    """A series and where it stands: paused, or its next date and what is happening to it."""
    series, waiting = entry.series, entry.waiting
    if series.status is SeriesStatus.PAUSED:
        state = _("⏸ Paused")
    elif waiting is not None and waiting.status is RequestStatus.RUNNING:
        state = _("Next: {day}, booking now…").format(day=day(waiting.day))
    elif waiting is not None and waiting.status is RequestStatus.CHECKING:
        state = _("Next: {day}, 🔍 checking with the club").format(day=day(waiting.day))
    elif waiting is not None and waiting.status is RequestStatus.WATCHING:
        state = _("Next: {day}, 👀 watching for a cancellation").format(day=day(waiting.day))
    elif waiting is not None and waiting.release_at is not None:
        state = _("Next: {day}, booked when it opens {instant}").format(
            day=day(waiting.day), instant=instant(waiting.release_at, tz)
        )
    else:
        state = _("Next: {day}").format(day=day(entry.next_day))
    skipping = (
        "\n  " + _("Skipping {days}").format(days=", ".join(day(d) for d in entry.skipped))
        if entry.skipped
        else ""
    )
    return f"• {series_what(series)}\n  {state}{skipping}"


def series_short(series: WeeklySeries, detailed: bool = False) -> str:
    """A series on a button: "Tue 18:00"; `detailed` adds its courts, to tell two such apart."""
    short = f"{short_weekday(series.weekday)} {hm(series.times[0])}"
    return f"{short} · {courts(series.courts)}" if detailed else short


def pause_series_button(short: str) -> str:
    return _("⏸ Pause {series}").format(series=short)


def resume_series_button(short: str) -> str:
    return _("▶️ Resume {series}").format(series=short)


def delete_series_button(short: str) -> str:
    return _("🗑 Delete {series}").format(series=short)


def skip_series_button(value: date) -> str:
    return _("⏭ Skip {day}").format(day=day(value))


def unskip_series_button(value: date) -> str:
    return _("↩ Unskip {day}").format(day=day(value))


def confirm_delete_series(series: WeeklySeries) -> str:
    return _(
        "Delete this weekly booking?\n🔁 {series}\nIts waiting booking is cancelled too; courts already "
        "booked stay booked."
    ).format(series=series_what(series))


def series_paused(series: WeeklySeries) -> str:
    return _("⏸ Paused: {series}. Nothing more is booked until you resume.").format(
        series=series_what(series)
    )


def _next(planned: BookingRequest | None) -> str:
    return _("; next: {day}").format(day=day(planned.day)) if planned is not None else ""


def series_resumed(series: WeeklySeries, planned: BookingRequest | None) -> str:
    return _("▶️ Resumed: {series}{next}.").format(series=series_what(series), next=_next(planned))


def series_skipped(skipped: date, planned: BookingRequest | None) -> str:
    return _("⏭ {day} skipped{next}.").format(day=day(skipped), next=_next(planned))


def series_unskipped(unskipped: date, planned: BookingRequest | None) -> str:
    return _("↩ {day} is back in the series{next}.").format(day=day(unskipped), next=_next(planned))


def series_deleted(series: WeeklySeries) -> str:
    return _("🗑 Deleted: {series}.").format(series=series_what(series))


# -- /stats ---------------------------------------------------------------------------------------------


_STATUS_NAMES = {
    RequestStatus.PENDING: N_("pending"),
    RequestStatus.SCHEDULED: N_("scheduled"),
    RequestStatus.RUNNING: N_("running"),
    RequestStatus.WATCHING: N_("watching"),
    RequestStatus.CHECKING: N_("checking"),
    RequestStatus.BOOKED: N_("booked"),
    RequestStatus.FAILED: N_("failed"),
    RequestStatus.CANCELLED: N_("cancelled"),
}


def stats(
    allowed: int, pending: int, by_status: dict[RequestStatus, int], scheduled: int, weekly: int
) -> str:
    requests = ", ".join(
        f"{by_status[s]} {_(_STATUS_NAMES[s])}" for s in RequestStatus if by_status.get(s)
    ) or _("none yet")
    return _(
        "📊 courtbot now\n"
        "👥 Members: {allowed} with access, {pending} waiting for approval\n"
        "🎾 Requests: {requests}\n"
        "⏰ Scheduled now, waiting for their release: {scheduled}\n"
        "🔁 Active weekly series: {weekly}"
    ).format(allowed=allowed, pending=pending, requests=requests, scheduled=scheduled, weekly=weekly)

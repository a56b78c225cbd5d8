"""Inline keyboards: what each step offers, as buttons carrying typed callback data."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from booking.models import BookingRequest, Member, SeriesStatus
from booking.sites.base import Booking, Court
from bot import texts
from bot.callbacks import Action, Value, fits, pack
from bot.series import SeriesEntry

Row = list[InlineKeyboardButton]


def button(label: str, action: Action, *args: Value) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(action, *args))


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[Row]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def navigation(*, back: bool = True, next_step: Action | None = None) -> Row:
    row = [button(texts.BACK_BUTTON, Action.BACK)] if back else []
    if next_step is not None:
        row.append(button(texts.NEXT_BUTTON, next_step))
    row.append(button(texts.ABORT_BUTTON, Action.ABORT))
    return row


# -- start and access -----------------------------------------------------------------------------------


def start_menu() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.BOOK_BUTTON, Action.NEW_BOOKING)]])


def ask_access() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[button(texts.ASK_ACCESS_BUTTON, Action.ASK_ACCESS)]])


def admin_decision(telegram_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(texts.APPROVE_BUTTON, Action.APPROVE, telegram_id),
                button(texts.DENY_BUTTON, Action.DENY, telegram_id),
            ]
        ]
    )


def admin_decided(telegram_id: int, allowed: bool) -> InlineKeyboardMarkup:
    """Under a decided request: the other decision, should the admin change their mind."""
    if allowed:
        return InlineKeyboardMarkup([[button(texts.REVOKE_BUTTON, Action.DENY, telegram_id)]])
    return InlineKeyboardMarkup([[button(texts.APPROVE_BUTTON, Action.APPROVE, telegram_id)]])


def members(
    revocable: Sequence[Member], asking: Sequence[Member], page: int, pages: int
) -> InlineKeyboardMarkup | None:
    """One page of /members: Revoke for access an admin gave, Approve and Deny for each request."""
    keyboard = [[button(texts.revoke_button(m.name), Action.DENY, m.telegram_id)] for m in revocable]
    keyboard += [
        [
            button(texts.approve_button(m.name), Action.APPROVE, m.telegram_id),
            button(texts.deny_button(m.name), Action.DENY, m.telegram_id),
        ]
        for m in asking
    ]
    keyboard = [row for row in [*keyboard, pager(page, pages, Action.MEMBERS_PAGE)] if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


# -- the /book flow -------------------------------------------------------------------------------------


def days(choices: Sequence[tuple[date, datetime | None]], today: date, tz: ZoneInfo) -> InlineKeyboardMarkup:
    """Open days three to a row, then not-yet-open days (with when they open) two to a row."""
    open_days = [
        button(texts.day_button(d, today, None, tz), Action.DAY, d) for d, opens in choices if not opens
    ]
    later = [button(texts.day_button(d, today, opens, tz), Action.DAY, d) for d, opens in choices if opens]
    return InlineKeyboardMarkup([*rows(open_days, 3), *rows(later, 2), navigation(back=False)])


def times(day: date, starts: Sequence[time], chosen: Sequence[time], tz: ZoneInfo) -> InlineKeyboardMarkup:
    buttons = [
        button(
            texts.time_button(
                texts.slot_time(day, start, tz), chosen.index(start) + 1 if start in chosen else None
            ),
            Action.TIME,
            start,
        )
        for start in starts
    ]
    return InlineKeyboardMarkup([*rows(buttons, 4), navigation(next_step=Action.TIMES_DONE)])


def courts(club_courts: Sequence[Court], chosen: Sequence[int]) -> InlineKeyboardMarkup:
    buttons = [
        button(
            texts.court_button(
                court.name, chosen.index(court.number) + 1 if court.number in chosen else None
            ),
            Action.COURT,
            court.number,
        )
        for court in club_courts
    ]
    any_court = [button(texts.ANY_COURT_BUTTON, Action.ANY_COURT)]
    return InlineKeyboardMarkup([any_court, *rows(buttons, 2), navigation(next_step=Action.COURTS_DONE)])


def durations(allowed: Sequence[int]) -> InlineKeyboardMarkup:
    buttons = [button(texts.duration(minutes), Action.DURATION, minutes) for minutes in allowed]
    return InlineKeyboardMarkup([*rows(buttons, 3), navigation()])


def partner(offered: str | None) -> InlineKeyboardMarkup:
    """The partner step: type a name, or tap the one already named (this time, or the usual one)."""
    named = [[button(texts.use_partner_button(offered), Action.PARTNER_DEFAULT)]] if offered else []
    return InlineKeyboardMarkup([*named, navigation()])


def summary(
    release_at: datetime,
    opens_now: bool,
    tz: ZoneInfo,
    *,
    can_submit: bool,
    day: date,
    partner_to_save: str | None,
) -> InlineKeyboardMarkup:
    """Book now or Schedule, and the same every week (on `day`'s weekday) as a series; a row each, as
    the Schedule label is long enough to be cut short beside another button."""
    keyboard: list[Row] = []
    if can_submit:
        label = texts.BOOK_NOW_BUTTON if opens_now else texts.schedule_button(release_at, tz)
        keyboard.append([button(label, Action.SUBMIT)])
        keyboard.append([button(texts.weekly_button(day), Action.MAKE_WEEKLY)])
    if partner_to_save:
        keyboard.append([button(texts.save_partner_button(partner_to_save), Action.SAVE_PARTNER)])
    keyboard.append(navigation())
    return InlineKeyboardMarkup(keyboard)


#: when a watch may stop, in minutes before the slot: the default first
WATCH_STOPS_MIN = (120, 30, 24 * 60)


# -- progress and /bookings -----------------------------------------------------------------------------


def stop_request(request_id: int, *, watching: bool = False) -> InlineKeyboardMarkup:
    label = texts.STOP_WATCHING_BUTTON if watching else texts.STOP_REQUEST_BUTTON
    return InlineKeyboardMarkup([[button(label, Action.CANCEL_REQUEST, request_id)]])


def watch(request_id: int) -> InlineKeyboardMarkup:
    """Watch for a cancellation, stopping when the member picks; the default (first) is 2 h before."""
    first, *others = WATCH_STOPS_MIN
    return InlineKeyboardMarkup(
        [
            [button(texts.WATCH_BUTTON, Action.WATCH, request_id, first)],
            [button(texts.watch_until_button(m), Action.WATCH, request_id, m) for m in others],
        ]
    )


def bookings(
    requests: Sequence[BookingRequest],
    site_bookings: Sequence[Booking],
    series: Sequence[SeriesEntry],
    page: int,
    pages: int,
) -> InlineKeyboardMarkup | None:
    """One page of /bookings: a cancel button for each request and booking on it, the series' rows, and
    ◀ ▶ to the other pages."""
    buttons = [
        button(texts.cancel_request_button(r), Action.CANCEL_REQUEST, r.id)
        for r in requests
        if r.id is not None
    ]
    buttons += [
        button(texts.cancel_booking_button(b), Action.CANCEL_BOOKING, b.reference)
        for b in site_bookings
        if fits(Action.CANCEL_BOOKING, b.reference)  # a reference too long for a button is listed only
    ]
    keyboard = [*rows(buttons, 1), *series_rows(series), pager(page, pages, Action.BOOKINGS_PAGE)]
    keyboard = [row for row in keyboard if row]
    return InlineKeyboardMarkup(keyboard) if keyboard else None


def pager(page: int, pages: int, action: Action) -> Row:
    """◀ and ▶ to the neighbouring pages (none on a one-page list)."""
    row = [button(texts.PREVIOUS_PAGE_BUTTON, action, page - 1)] if page > 0 else []
    if page < pages - 1:
        row.append(button(texts.NEXT_PAGE_BUTTON, action, page + 1))
    return row


def confirm_cancel_booking(reference: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(texts.CONFIRM_CANCEL_BUTTON, Action.CONFIRM_CANCEL_BOOKING, reference),
                button(texts.KEEP_BUTTON, Action.KEEP_BOOKING),
            ]
        ]
    )


# -- weekly series --------------------------------------------------------------------------------------


#: skipped weeks offered back by button, per series (the listing names them all)
UNSKIP_BUTTONS = 3


def series_rows(entries: Sequence[SeriesEntry]) -> list[Row]:
    """Per series: Pause or Resume (whichever applies), Skip next while active, and Delete; then Unskip
    for its soonest skipped weeks."""
    keyboard = []
    for entry in entries:
        series, series_id = entry.series, entry.series_id
        if series.status is SeriesStatus.PAUSED:
            row = [button(texts.resume_series_button(series), Action.RESUME_SERIES, series_id)]
        else:
            row = [
                button(texts.pause_series_button(series), Action.PAUSE_SERIES, series_id),
                button(
                    texts.skip_series_button(entry.next_day), Action.SKIP_SERIES, series_id, entry.next_day
                ),
            ]
        row.append(button(texts.DELETE_SERIES_BUTTON, Action.DELETE_SERIES, series_id))
        keyboard.append(row)
        unskip = [
            button(texts.unskip_series_button(day), Action.UNSKIP_SERIES, series_id, day)
            for day in entry.skipped[:UNSKIP_BUTTONS]
        ]
        if unskip:
            keyboard.append(unskip)
    return keyboard


def weekly(entries: Sequence[SeriesEntry]) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup(series_rows(entries)) if entries else None


def confirm_delete_series(series_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(texts.CONFIRM_DELETE_SERIES_BUTTON, Action.CONFIRM_DELETE_SERIES, series_id),
                button(texts.KEEP_BUTTON, Action.KEEP_SERIES),
            ]
        ]
    )

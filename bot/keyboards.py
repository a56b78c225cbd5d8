"""Inline keyboards: what each step offers, as buttons carrying typed callback data.

Every label fits a phone 390 px wide with two buttons to a row (the browser test checks it in Chromium);
rows of more hold only short labels (times, "‹ Back"). Two buttons never read the same: labels that
would are told apart (`distinct`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TypeVar
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from booking.models import BookingRequest, Member, SeriesStatus
from booking.sites.base import Booking, Court, Slot
from bot import formats, i18n, texts
from bot.callbacks import Action, Value, fits, pack
from bot.series import SeriesEntry

Row = list[InlineKeyboardButton]
T = TypeVar("T")

#: characters a label may have to sit beside another on a phone 390 px wide (measured in Chromium)
HALF_ROW = 20


def button(label: str, action: Action, *args: Value) -> InlineKeyboardButton:
    return InlineKeyboardButton(label, callback_data=pack(action, *args))


def rows(buttons: Sequence[InlineKeyboardButton], width: int) -> list[Row]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def fitting_rows(buttons: Sequence[InlineKeyboardButton]) -> list[Row]:
    """Two to a row where both labels fit half a phone's width, else one."""
    keyboard: list[Row] = []
    for item in buttons:
        last = keyboard[-1] if keyboard else None
        if last is not None and len(last) == 1 and _half(last[0].text) and _half(item.text):
            last.append(item)
        else:
            keyboard.append([item])
    return keyboard


def _half(label: str) -> bool:
    return len(label) <= HALF_ROW


def distinct(items: Sequence[T], short: Callable[[T], str], detailed: Callable[[T], str]) -> list[str]:
    """A label per item: the short one, or the detailed one where short ones would read the same, and a
    number after any that still do ("… (2)")."""
    shorts = Counter(short(item) for item in items)
    labels = [short(item) if shorts[short(item)] == 1 else detailed(item) for item in items]
    seen: Counter[str] = Counter()
    numbered = []
    for label in labels:
        seen[label] += 1
        numbered.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return numbered


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


def days(
    choices: Sequence[tuple[date, datetime | None]], today: date, page: int, pages: int
) -> InlineKeyboardMarkup:
    """One page of days: open days three to a row, then 🔒 days not open yet two to a row, then the way
    to the other page ("Later ▸", "◂ This week")."""
    open_days = [
        button(texts.day_button(d, today, False), Action.DAY, d) for d, opens in choices if not opens
    ]
    locked = [button(texts.day_button(d, today, True), Action.DAY, d) for d, opens in choices if opens]
    turn: Row = []
    if page > 0:
        turn.append(button(texts.EARLIER_DAYS_BUTTON, Action.DAY_PAGE, page - 1))
    if page < pages - 1:
        turn.append(button(texts.LATER_DAYS_BUTTON, Action.DAY_PAGE, page + 1))
    return InlineKeyboardMarkup([*rows(open_days, 3), *rows(locked, 2), [*turn, *navigation(back=False)]])


def times(
    day: date,
    starts: Sequence[time],
    chosen: Sequence[time],
    tz: ZoneInfo,
    full: frozenset[time],
    refresh: bool,
) -> InlineKeyboardMarkup:
    """Start times four to a row, ✖ on those with every court taken; `refresh`: offer ↻ (an open day)."""
    buttons = [
        button(
            texts.time_button(
                formats.slot_time(day, start, tz),
                chosen.index(start) + 1 if start in chosen else None,
                start in full,
            ),
            Action.TIME,
            start,
        )
        for start in starts
    ]
    again = [[button(texts.REFRESH_BUTTON, Action.REFRESH)]] if refresh else []
    return InlineKeyboardMarkup([*rows(buttons, 4), *again, navigation(next_step=Action.TIMES_DONE)])


def courts(
    club_courts: Sequence[Court],
    chosen: Sequence[int],
    wanted: Sequence[time],
    free_at: dict[int, list[time]] | None,
) -> InlineKeyboardMarkup:
    """Courts two to a row; `free_at`: of the member's times (`wanted`), those each court is free at
    (None: not known, and no ↻)."""
    buttons = [
        button(
            texts.court_button(
                court.name,
                chosen.index(court.number) + 1 if court.number in chosen else None,
                free_at.get(court.number, []) if free_at is not None else None,
                wanted,
            ),
            Action.COURT,
            court.number,
        )
        for court in club_courts
    ]
    top = [button(texts.ANY_COURT_BUTTON, Action.ANY_COURT)]
    if free_at is not None:
        top.append(button(texts.REFRESH_BUTTON, Action.REFRESH))
    return InlineKeyboardMarkup([top, *rows(buttons, 2), navigation(next_step=Action.COURTS_DONE)])


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


def watch(request_id: int, alternatives: Sequence[tuple[Slot, str]] = ()) -> InlineKeyboardMarkup:
    """Free courts to book instead (each with its court's name), two to a row; then watch for a
    cancellation, stopping when the member picks (the default, first, is 2 h before)."""
    first, *others = WATCH_STOPS_MIN
    offered = [
        button(
            texts.alternative_button(slot, court_name), Action.ALTERNATIVE, request_id, slot.court, slot.start
        )
        for slot, court_name in alternatives
    ]
    return InlineKeyboardMarkup(
        [
            *rows(offered, 2),
            [button(texts.WATCH_BUTTON, Action.WATCH, request_id, first)],
            [button(texts.watch_until_button(m), Action.WATCH, request_id, m) for m in others],
        ]
    )


def bookings(
    requests: Sequence[BookingRequest],
    site_bookings: Sequence[Booking],
    series: Sequence[SeriesEntry],
    court_names: dict[int, str],
    page: int,
    pages: int,
) -> InlineKeyboardMarkup | None:
    """One page of /bookings: a cancel button for each request and booking on it, the series' rows, and
    ◀ ▶ to the other pages."""
    waiting = [r for r in requests if r.id is not None]
    labels = distinct(
        waiting,
        texts.cancel_request_button,
        lambda r: f"{texts.cancel_request_button(r)} · {formats.courts(r.courts)}",
    )
    buttons = [button(label, Action.CANCEL_REQUEST, r.id) for label, r in zip(labels, waiting, strict=True)]
    listed = [b for b in site_bookings if fits(Action.CANCEL_BOOKING, b.reference)]  # else listed only

    def cancel_label(booking: Booking) -> str:
        return texts.cancel_booking_button(
            booking, court_names.get(booking.slot.court, str(booking.slot.court))
        )

    labels = distinct(listed, cancel_label, cancel_label)  # two alike (one court, one time) are numbered
    buttons += [
        button(label, Action.CANCEL_BOOKING, b.reference) for label, b in zip(labels, listed, strict=True)
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


@dataclass(frozen=True)
class _SeriesButton:
    series: int  # its series' place in the listing
    label: str
    detailed: str  # the label with the series' courts, where two labels would read the same
    action: Action
    args: tuple[Value, ...]


def series_rows(entries: Sequence[SeriesEntry]) -> list[Row]:
    """Per series: Pause or Resume (whichever applies), Skip next while active, Delete, and Unskip for its
    soonest skipped weeks, two to a row where they fit. Each names what it acts on ("Tue 18:00", a date),
    with the series' courts where two buttons would read the same."""
    shorts = distinct(
        entries,
        lambda e: texts.series_short(e.series),
        lambda e: texts.series_short(e.series, detailed=True),
    )
    planned: list[_SeriesButton] = []
    for place, (entry, short) in enumerate(zip(entries, shorts, strict=True)):
        series_id, courts_ = entry.series_id, formats.courts(entry.series.courts)

        def add(label: str, action: Action, *args: Value, place: int = place, courts_: str = courts_) -> None:
            planned.append(_SeriesButton(place, label, f"{label} · {courts_}", action, args))

        if entry.series.status is SeriesStatus.PAUSED:
            add(texts.resume_series_button(short), Action.RESUME_SERIES, series_id)
        else:
            add(texts.pause_series_button(short), Action.PAUSE_SERIES, series_id)
            add(texts.skip_series_button(entry.next_day), Action.SKIP_SERIES, series_id, entry.next_day)
        add(texts.delete_series_button(short), Action.DELETE_SERIES, series_id)
        for day in entry.skipped[:UNSKIP_BUTTONS]:
            add(texts.unskip_series_button(day), Action.UNSKIP_SERIES, series_id, day)
    labels = distinct(planned, lambda b: b.label, lambda b: b.detailed)
    keyboard: list[Row] = []
    for place in range(len(entries)):
        keyboard += fitting_rows(
            [
                button(label, b.action, *b.args)
                for label, b in zip(labels, planned, strict=True)
                if b.series == place
            ]
        )
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


# -- language -------------------------------------------------------------------------------------------


def languages(current: str) -> InlineKeyboardMarkup:
    """Each language courtbot speaks, named in its own words, two to a row; ✓ on the current one."""
    buttons = [
        button(texts.language_button(code, code == current), Action.LANGUAGE, code) for code in i18n.LANGUAGES
    ]
    return InlineKeyboardMarkup(rows(buttons, 2))

"""The club's HTML, as a real club system would render it.

People read the words; adapters read only the ids and data-* attributes promised in README.md, so the
words may change freely and the markup may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from html import escape
from urllib.parse import urlencode

from sim.club.config import ClubConfig, format_clock
from sim.club.model import Booking, Cell, Grid, Hold, Refusal

_CSS = """
body{font-family:system-ui,sans-serif;margin:0;background:#f4f7f2;color:#1d2a1d}
header{background:#2f6b3a;color:#fff;padding:.6em 1.2em;display:flex;gap:1.2em;align-items:center}
header a,header button{color:#fff;text-decoration:none;background:none;border:0;font:inherit;cursor:pointer}
header .club{font-weight:700;margin-right:auto}
main{max-width:60em;margin:1.5em auto;padding:0 1em}
table{border-collapse:collapse;background:#fff}
th,td{border:1px solid #c9d6c5;padding:.35em .7em;text-align:center}
td[data-state=free]{background:#e3f4df}td[data-state=mine]{background:#cfe3ff}
td[data-state=booked]{background:#f4dede}td[data-state=closed]{background:#eee;color:#777}
.error{background:#fde8e8;border:1px solid #d66;padding:.7em;margin:1em 0}
.notice{background:#e8f4fd;border:1px solid #69c;padding:.7em;margin:1em 0}
form.inline{display:inline}
""".strip()


def _data(attrs: dict[str, str | None]) -> str:
    """` data-key="value"` for each attribute given (underscores become hyphens), escaped."""
    return "".join(
        f' data-{key.replace("_", "-")}="{escape(value)}"'
        for key, value in attrs.items()
        if value is not None
    )


def _hhmm(t: dt.time) -> str:
    return t.strftime("%H:%M")


def _day(d: dt.date) -> str:
    return f"{d:%a} {d.day} {d:%b %Y}"


def _csrf_input(csrf: str) -> str:
    return f'<input type="hidden" name="csrf_token" value="{escape(csrf)}">'


def layout(title: str, page: str, content: str, *, member: str | None = None, csrf: str | None = None) -> str:
    """The page frame: a member page carries data-member and the session's CSRF token in a meta tag."""
    meta = f'<meta name="csrf-token" content="{escape(csrf)}">' if member and csrf else ""
    if member and csrf:
        nav = (
            '<a href="/courts">Courts</a><a href="/my-bookings">My bookings</a><a href="/rules">Rules</a>'
            f"<span>{escape(member)}</span>"
            f'<form class="inline" method="post" action="/logout">{_csrf_input(csrf)}'
            '<button type="submit">Log out</button></form>'
        )
    else:
        nav = '<a href="/rules">Rules</a><a href="/login">Log in</a>'
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)} · Democlub Tennis</title>{meta}<style>{_CSS}</style></head>"
        f"<body{_data({'page': page, 'member': member})}>"
        f'<header><a class="club" href="/">Democlub Tennis</a>{nav}</header>'
        f"<main><h1>{escape(title)}</h1>{content}</main></body></html>"
    )


def error_div(code: str, message: str, attrs: dict[str, str] | None = None) -> str:
    return f'<div class="error"{_data({"error": code, **(attrs or {})})}>{escape(message)}</div>'


def login(csrf: str, error: tuple[str, str] | None = None) -> str:
    """The login form; `error` is (code, message)."""
    problem = error_div(*error) if error else ""
    form = (
        f'<form id="login-form" method="post" action="/login">{_csrf_input(csrf)}'
        '<p><label>Username <input name="username" autocomplete="username"></label></p>'
        '<p><label>Password <input type="password" name="password" autocomplete="current-password">'
        '</label></p><p><button type="submit">Log in</button></p></form>'
    )
    return layout("Member login", "login", problem + form)


def rules(config: ClubConfig) -> str:
    attrs: dict[str, str | None] = {
        "window_days": str(config.window_days),
        "opens_at": format_clock(config.opens_at),
        "timezone": config.timezone,
        "slot_minutes": str(config.slot_minutes),
        "open_from": _hhmm(config.open_from),
        "open_until": _hhmm(config.open_until),
        "max_slots": str(config.max_slots),
        "max_per_day": str(config.max_per_day),
        "max_future": str(config.max_future),
        "partner_required": str(config.partner_required).lower(),
        "hold_before_open": str(config.hold_before_open).lower(),
        "hold_minutes": f"{config.hold_minutes:g}",
    }
    lengths = " or ".join(f"{d} minutes" for d in config.durations)
    items = [
        (
            "Booking window",
            f"Courts can be booked {config.window_days} days ahead, from "
            f"{format_clock(config.opens_at)} ({config.timezone} time).",
        ),
        (
            "Opening hours",
            f"{_hhmm(config.open_from)} to {_hhmm(config.open_until)}, "
            f"in {config.slot_minutes}-minute slots.",
        ),
        ("Length", f"A booking lasts {lengths}."),
        ("Limits", f"At most {config.max_per_day} booking(s) per day and {config.max_future} upcoming."),
        (
            "Partner",
            "Please name your partner." if config.partner_required else "Naming a partner is optional.",
        ),
        (
            "Reservations",
            f"A court is reserved for you for {config.hold_minutes:g} minutes while you confirm"
            + (", even before bookings open." if config.hold_before_open else "."),
        ),
    ]
    dl = "".join(f"<dt>{escape(term)}</dt><dd>{escape(text)}</dd>" for term, text in items)
    courts = "".join(
        f"<li{_data({'court_id': cid})}>{escape(name)}</li>" for cid, name in config.courts.items()
    )
    content = f'<dl id="rules"{_data(attrs)}>{dl}</dl><h2>Courts</h2><ul id="courts">{courts}</ul>'
    return layout("Club rules", "rules", content)


def _cell(court_id: str, day: dt.date, start: dt.time, cell: Cell, config: ClubConfig) -> str:
    attrs: dict[str, str | None] = {"court_id": court_id, "state": cell.state, "reason": cell.reason}
    if cell.state == "free":
        query = urlencode(
            {
                "court": court_id,
                "date": day.isoformat(),
                "time": _hhmm(start),
                "duration": config.slot_minutes,
            }
        )
        text = f'<a href="/book?{escape(query)}">Book</a>'
    elif cell.opens_at is not None:
        attrs["opens_at"] = cell.opens_at.isoformat()
        local = cell.opens_at.astimezone(config.zone)
        text = f"Opens {_day(local.date())} {local:%H:%M}"
    else:
        text = {"mine": "Yours", "booked": "Booked"}.get(cell.state, "–")
    return f"<td{_data(attrs)}>{text}</td>"


def courts(grid: Grid, config: ClubConfig, member: str, csrf: str) -> str:
    day = grid.day
    head = "".join(
        f"<th{_data({'court_id': cid})}>{escape(name)}</th>" for cid, name in config.courts.items()
    )
    rows = "".join(
        f"<tr{_data({'time': _hhmm(start)})}><th>{_hhmm(start)}</th>"
        + "".join(_cell(cid, day, start, cells[cid], config) for cid in config.courts)
        + "</tr>"
        for start, cells in grid.rows
    )
    prev_day, next_day = day - dt.timedelta(days=1), day + dt.timedelta(days=1)
    nav = (
        f'<p><a href="/courts?date={prev_day.isoformat()}">&larr; {_day(prev_day)}</a> · '
        f'<a href="/courts?date={next_day.isoformat()}">{_day(next_day)} &rarr;</a></p>'
    )
    table = f'<table id="grid"{_data({"date": day.isoformat()})}><tr><th></th>{head}</tr>{rows}</table>'
    return layout(f"Courts on {_day(day)}", "courts", nav + table, member=member, csrf=csrf)


def confirm(hold: Hold, config: ClubConfig, member: str, csrf: str) -> str:
    slot = hold.slot
    until = dt.datetime.fromtimestamp(hold.expires_at, config.zone)
    required = config.partner_required
    partner = (
        f'<input name="partner"{_data({"required": str(required).lower()})}'
        f'{" required" if required else ""} maxlength="80">'
    )
    content = (
        f"<p>{escape(config.courts[slot.court_id])}, {_day(slot.date)} at {_hhmm(slot.time)} for "
        f"{slot.duration} minutes. We are holding it for you until {until:%H:%M:%S}.</p>"
        f'<form id="confirm-form" method="post" action="/book">{_csrf_input(csrf)}'
        f'<input type="hidden" name="hold_id" value="{escape(hold.hold_id)}">'
        f"<p><label>Partner's name {partner}</label></p>"
        '<p><button type="submit">Confirm booking</button></p></form>'
    )
    return layout("Confirm your booking", "book", content, member=member, csrf=csrf)


def _slot_attrs(booking: Booking) -> dict[str, str | None]:
    slot = booking.slot
    return {
        "reference": booking.reference,
        "court_id": slot.court_id,
        "date": slot.date.isoformat(),
        "time": _hhmm(slot.time),
        "duration": str(slot.duration),
    }


def _slot_words(booking: Booking, config: ClubConfig) -> str:
    slot = booking.slot
    court = config.courts.get(slot.court_id, f"Court {slot.court_id}")
    return f"{escape(court)}, {_day(slot.date)} at {_hhmm(slot.time)} ({slot.duration} min)"


def booked(booking: Booking, config: ClubConfig, member: str, csrf: str) -> str:
    content = (
        f'<div id="confirmation"{_data(_slot_attrs(booking))}><p>You are booked: '
        f"{_slot_words(booking, config)}.</p><p>Your reference is "
        f"<strong>{escape(booking.reference)}</strong>.</p></div>"
    )
    return layout("Booking confirmed", "booked", content, member=member, csrf=csrf)


def my_bookings(
    bookings: Iterable[Booking], cancelled: str | None, config: ClubConfig, member: str, csrf: str
) -> str:
    notice = (
        f'<div class="notice"{_data({"notice": "cancelled", "reference": cancelled})}>'
        f"Booking {escape(cancelled)} has been cancelled.</div>"
        if cancelled
        else ""
    )
    rows = "".join(
        f"<tr{_data(_slot_attrs(b))}><td>{escape(b.reference)}</td><td>{_slot_words(b, config)}</td>"
        f'<td><form class="inline" method="post" action="/cancel">{_csrf_input(csrf)}'
        f'<input type="hidden" name="reference" value="{escape(b.reference)}">'
        '<button type="submit">Cancel</button></form></td></tr>'
        for b in bookings
    )
    table = f'<table id="my-bookings"><tr><th>Reference</th><th>Booking</th><th></th></tr>{rows}</table>'
    return layout("My bookings", "my-bookings", notice + table, member=member, csrf=csrf)


def refusal(problem: Refusal, member: str | None, csrf: str | None) -> str:
    content = error_div(problem.code, problem.message, problem.attrs)
    content += '<p><a href="/courts">Back to the courts</a></p>'
    return layout("Sorry", "error", content, member=member, csrf=csrf)

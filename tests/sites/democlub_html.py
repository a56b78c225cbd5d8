"""democlub pages as the contract (sim/club/README.md) describes them, written independently of the
simulator so parser tests do not inherit its quirks."""

from __future__ import annotations

from datetime import date
from html import escape

COURTS = (("5", "Court 1"), ("7", "Court 2"), ("9", "Court 3"), ("11", "Court 4"))
TIMES = tuple(f"{h:02d}:00" for h in range(7, 22))
DAY = date(2030, 6, 4)


def _attrs(**attrs: str) -> str:
    return "".join(f' data-{k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())


def page(name: str, content: str, *, member: str | None = "alice", csrf: str = "tok-1") -> str:
    meta = f'<meta name="csrf-token" content="{csrf}">' if member else ""
    who = f' data-member="{member}"' if member else ""
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>x</title>{meta}</head>'
        f'<body data-page="{name}"{who}><header>Democlub</header><main>{content}</main></body></html>'
    )


def login_page(csrf: str = "tok-1", error: str | None = None) -> str:
    problem = (
        f'<div class="error" data-error="{error}">Unknown username or wrong password.</div>' if error else ""
    )
    form = (
        f'<form id="login-form" method="post" action="/login"><input type="hidden" name="csrf_token" '
        f'value="{csrf}"><input name="username"><input type="password" name="password"></form>'
    )
    return page("login", problem + form, member=None)


def rules_page(courts: tuple[tuple[str, str], ...] = COURTS, **overrides: str) -> str:
    attrs = {
        "window_days": "7",
        "opens_at": "07:00",
        "timezone": "Europe/London",
        "slot_minutes": "60",
        "open_from": "07:00",
        "open_until": "22:00",
        "max_slots": "2",
        "max_per_day": "1",
        "max_future": "4",
        "partner_required": "false",
        "hold_before_open": "false",
        "hold_minutes": "5",
    } | overrides
    items = "".join(f'<li data-court-id="{cid}">{escape(name)}</li>' for cid, name in courts)
    content = (
        f'<dl id="rules"{_attrs(**attrs)}><dt>Window</dt><dd>7 days</dd></dl><ul id="courts">{items}</ul>'
    )
    return page("rules", content, member=None)


def grid_page(
    day: date = DAY, states: dict[tuple[str, str], str] | None = None, courts: tuple[str, ...] | None = None
) -> str:
    ids = courts or tuple(cid for cid, _ in COURTS)
    head = "".join(f'<th data-court-id="{cid}">Court {cid}</th>' for cid in ids)
    rows = "".join(
        f'<tr data-time="{t}"><th>{t}</th>'
        + "".join(
            f'<td data-court-id="{cid}" data-state="{(states or {}).get((cid, t), "free")}">x</td>'
            for cid in ids
        )
        + "</tr>"
        for t in TIMES
    )
    return page(
        "courts", f'<table id="grid" data-date="{day.isoformat()}"><tr><th></th>{head}</tr>{rows}</table>'
    )


def confirm_page(hold_id: str = "H-1", csrf: str = "tok-1", required: bool = False) -> str:
    form = (
        f'<form id="confirm-form" method="post" action="/book"><input type="hidden" name="csrf_token" '
        f'value="{csrf}"><input type="hidden" name="hold_id" value="{hold_id}">'
        f'<input name="partner" data-required="{str(required).lower()}"></form>'
    )
    return page("book", form)


def _booking_attrs(reference: str, court_id: str, day: date, time: str, duration: int) -> str:
    return _attrs(
        reference=reference, court_id=court_id, date=day.isoformat(), time=time, duration=str(duration)
    )


def booked_page(
    reference: str = "DC-1", court_id: str = "5", day: date = DAY, time: str = "18:00", duration: int = 60
) -> str:
    attrs = _booking_attrs(reference, court_id, day, time, duration)
    return page("booked", f'<div id="confirmation"{attrs}><p>You are booked.</p></div>')


def my_bookings_page(
    rows: tuple[tuple[str, str, date, str, int], ...] = (), cancelled: str | None = None
) -> str:
    notice = (
        f'<div class="notice" data-notice="cancelled" data-reference="{cancelled}">Done.</div>'
        if cancelled
        else ""
    )
    body = "".join(f"<tr{_booking_attrs(*row)}><td>{row[0]}</td><td>words</td></tr>" for row in rows)
    return page(
        "my-bookings", f'{notice}<table id="my-bookings"><tr><th>Ref</th><th>Booking</th></tr>{body}</table>'
    )


def error_page(code: str, **attrs: str) -> str:
    return page("error", f'<div class="error"{_attrs(error=code, **attrs)}>Sorry, that did not work.</div>')


def proxy_page(status: int = 502) -> str:
    return f"<html><head><title>{status} Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"

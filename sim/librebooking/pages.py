"""LibreBooking 2.8.6's web pages and AJAX fragments, with the markup its templates give them.

Only what a member's browser (or a bot) relies on is drawn: the login form (`email`, `password`, the
`login` button), the session's CSRF token input (`#csrf_token`, name `CSRF_TOKEN`), the schedule's slot
cells (`td.slot` with `data-resourceId`, `data-min`/`data-max` in Unix seconds), the member's own id on
reservation.php (`input#userId`), and the reservation_save/delete fragments.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from urllib.parse import quote

from sim.librebooking import texts
from sim.librebooking.state import LibreBookingState, WebSession

_HEAD = (
    '<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"><title>LibreBooking</title></head>\n'
)


def _page(lang: str, body: str, username: str | None = None) -> str:
    who = f'<div id="navbar"><span class="username">{escape(username)}</span></div>\n' if username else ""
    return _HEAD.format(lang=lang[:2]) + f"<body>\n{who}{body}\n</body>\n</html>\n"


def _csrf(session: WebSession) -> str:
    return f'<input type="hidden" id="csrf_token" name="CSRF_TOKEN" value="{escape(session.csrf or "")}"/>'


def login_page(lang: str, *, failed: bool = False, resume: str = "") -> str:
    error = (
        f'<div id="loginError" class="alert alert-danger">\n{texts.word(lang, "LoginError")}\n</div>\n'
        if failed
        else ""
    )
    form = f"""<form role="form" name="login" id="login" class="form-horizontal" method="post" action="/Web/index.php">
<input type="text" required="" class="form-control" id="email" name="email" placeholder="{texts.word(lang, "UsernameOrEmail")}"/>
<input type="password" required="" id="password" name="password" class="form-control" value="" placeholder="{texts.word(lang, "Password")}"/>
<input type="hidden" name="captcha" value=""/>
<button type="submit" class="btn btn-large btn-primary btn-block" name="login" value="submit">{texts.word(lang, "LogIn")}</button>
<input type="hidden" name="resume" value="{escape(resume)}"/>
<input id="rememberMe" type="checkbox" name="persistLogin">
</form>"""
    return _page(lang, f'<div id="page-login">\n{error}{form}\n</div>')


def schedule_page(
    state: LibreBookingState, lang: str, session: WebSession, schedule_id: int, first: dt.date, now: float
) -> str:
    """schedule.php: one table per day of the week from `first`; bookings are not drawn (the page's own
    script fetches them from `schedule.php?dr=reservations`)."""
    cfg = state.config
    username = state.username(session.user_id or 0)
    choice = ""
    if len(cfg.schedules) > 1:
        selected = ' selected="selected"'
        options = "".join(
            f'<option value="{sid}"{selected if sid == schedule_id else ""}>{escape(name)}</option>'
            for sid, name in cfg.schedules.items()
        )
        choice = f'<label for="schedules" class="no-show">Schedule</label>\n<select id="schedules" class="form-control">{options}</select>\n'
    resources = [(rid, r) for rid, r in cfg.resources.items() if r.schedule_id == schedule_id]
    days = [first + dt.timedelta(days=k) for k in range(cfg.days_visible)]
    tables = []
    for day in days:
        periods = state.periods(day)
        labels = "".join(
            f'<td class="reslabel" style="text-align:center" colspan="1">'
            f"{texts.period_time(lang, state.local(start))}</td>"
            for start, _, _ in periods
        )
        rows = []
        for rid, resource in resources:
            href = f"reservation.php?rid={rid}&amp;sid={schedule_id}&amp;rd={day.isoformat()}"
            cells = "".join(
                _cell(state, rid, href, start, end, reservable, now) for start, end, reservable in periods
            )
            rows.append(
                f'<tr class="slots" data-resourceid="{rid}">\n<td class="resourcename">'
                f'<a href="{href}" resourceId="{rid}" class="resourceNameSelector">{escape(resource.name)}</a></td>\n'
                f"{cells}</tr>"
            )
        tables.append(
            f'<table class="reservations" data-min="{periods[0][0]}" data-max="{periods[-1][1]}">\n'
            f'<thead><tr><td class="resdate">{day:%A}, {day.month}/{day.day}/{day:%y}</td>{labels}</tr></thead>\n'
            f"<tbody>\n{chr(10).join(rows)}\n</tbody>\n</table>"
        )
    body = (
        f'<div id="page-schedule">\n<div id="schedule-title" class="schedule_title">\n{choice}</div>\n'
        + "\n".join(tables)
        + f'\n<input type="hidden" value="{schedule_id}" id="scheduleId"/>\n</div>\n'
        f'<form id="moveReservationForm">\n<input id="moveReferenceNumber" type="hidden" name="referenceNumber" />\n'
        f"{_csrf(session)}\n</form>\n"
        f'<form id="fetchReservationsForm">\n'
        f'<input type="hidden" name="beginDate" value="{days[0].isoformat()}"/>\n'
        f'<input type="hidden" name="endDate" value="{(days[-1] + dt.timedelta(days=1)).isoformat()}"/>\n'
        f'<input type="hidden" name="scheduleId" value="{schedule_id}"/>\n{_csrf(session)}\n</form>'
    )
    return _page(lang, body, username)


def _cell(
    state: LibreBookingState, rid: int, href: str, start: int, end: int, reservable: bool, now: float
) -> str:
    """One slot's td, as displayPastTime / displayReservable / displayUnreservable draw it."""
    local = state.local(start)
    kind = (
        "pasttime slot" if start < now else "reservable clickres slot" if reservable else "unreservable slot"
    )
    return (
        f'<td class="{kind}" ref="{local:%Y%m%d%H%M%S}{rid}" data-href="{href}" '
        f'data-start="{quote(f"{local:%Y-%m-%d %H:%M:%S}")}" '
        f'data-end="{quote(f"{state.local(end):%Y-%m-%d %H:%M:%S}")}" '
        f'data-min="{start}" data-max="{end}" data-resourceId="{rid}">&nbsp;\n</td>\n'
    )


def reservation_page(state: LibreBookingState, lang: str, session: WebSession, resource_id: int) -> str:
    """reservation.php: the booking form, carrying the member's own id."""
    body = f"""<div id="page-reservation">
<h1>{texts.word(lang, "Reservation")}</h1>
<form id="form-reservation" method="post" enctype="multipart/form-data">
<input id="userId" type="hidden" name="userId" value="{session.user_id}"/>
<input id="primaryResourceId" type="hidden" name="resourceId" value="{resource_id}"/>
<input type="text" id="BeginDate" name="beginDate" value=""/>
<select id="BeginPeriod" name="beginPeriod"></select>
<input type="text" id="EndDate" name="endDate" value=""/>
<select id="EndPeriod" name="endPeriod"></select>
{_csrf(session)}
</form>
</div>"""
    return _page(lang, body, state.username(session.user_id or 0))


def created_fragment(lang: str, reference: str, day: str, resource: str) -> str:
    return f"""<div id="reservation-created" class="reservationResponseMessage">
	<div id="reservation-response-image">
		<span class="fa fa-check fa-5x success"></span>
	</div>

	<div id="created-message" class="reservation-message">{texts.word(lang, "ReservationCreated")}</div>
	<div id="reference-number">{texts.word(lang, "YourReferenceNumber", reference)}</div>

	<div class="dates"><span class="bold">{texts.word(lang, "Dates")}:</span> <span class="date">{escape(day)}</span></div>
	<div class="resources"><span class="bold">{texts.word(lang, "Resources")}:</span> <span class="resource">{escape(resource)}</span></div>

	<input type="button" id="btnSaveSuccessful" value="{texts.word(lang, "Close")}" class="btn btn-success" />
</div>
"""


def failed_fragment(lang: str, errors: list[str], *, saving: bool = True) -> str:
    """save_failed.tpl (div#reservation-failed) or delete_failed.tpl: each error with nl2br's `<br />`."""
    listed = "\n".join(f"\t\t\t<div>{escape(e).replace(chr(10), '<br />' + chr(10))}</div>" for e in errors)
    opening = '<div id="reservation-failed" class="reservationResponseMessage">' if saving else "<div>"
    return f"""{opening}
	<div id="reservation-response-image">
		<span class="fa fa-warning fa-5x error"></span>
	</div>

	<div id="failed-message" class="reservation-message">{texts.word(lang, "ReservationFailed")}</div>

	<div class="error">
{listed}
	</div>

	<div>
		<button id="btnSaveFailed" class="btn btn-warning"><span class="fa fa-arrow-circle-left"></span> {texts.word(lang, "ReservationErrors")}</button>
	</div>
</div>
"""


def critical_fragment(lang: str) -> str:
    return f"""<div>
	<div id="reservation-response-image">
		<span class="fa fa-warning fa-5x error"></span>
	</div>

	<div id="failed-message" class="reservation-message">{texts.word(lang, "ReservationCriticalError")}</div>

	<button id="btnSaveFailed" class="btn btn-warning"><span class="fa fa-arrow-circle-left"></span> {texts.word(lang, "ReservationErrors")}</button>
</div>
"""


def deleted_fragment(lang: str) -> str:
    return f"""<div>
	<div id="reservation-response-image">
		<span class="fa fa-check fa-5x success"></span>
	</div>

	<div id="deleted-message" class="reservation-message">{texts.word(lang, "ReservationRemoved")}</div>

	<input type="button" id="btnSaveSuccessful" value="{texts.word(lang, "Close")}" class="btn btn-success" />
</div>
"""

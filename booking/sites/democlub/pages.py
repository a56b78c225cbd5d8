"""democlub's pages, read into plain values or typed errors (pure: no I/O, no state).

Following the contract in sim/club/README.md, only structure and `data-*` attributes are read, never
English words. Anything that does not look exactly as expected raises `PageNotUnderstood` naming the
page: a misread page must never pass for a success. That includes a page cut short: it must end with
`</html>`, or the parser would read it as a complete page with fewer rows. Page labels (the `page` of
the error) are names a member would recognise: "login", "rules", "availability", "booking form",
"booking confirmation", "my bookings", "cancellation".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from html import unescape
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bs4 import BeautifulSoup, Tag

from booking.release import ReleaseRule, WindowKind
from booking.sites.base import CellState, ClubRules
from booking.sites.errors import (
    HoldExpired,
    InvalidRequest,
    LimitReached,
    LoginFailed,
    NotOpenYet,
    PageNotUnderstood,
    RefusedByClub,
    SessionExpired,
    SiteError,
    SlotTaken,
)

_TIME = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INT = re.compile(r"[0-9]{1,6}")
_END = re.compile(r"</html\s*>\Z", re.IGNORECASE)
_STATES = {s.value: s for s in CellState}
_LIMIT_MESSAGES = {
    "per-day": "You already have a booking on that day, the most the club allows.",
    "future": "You already have as many future bookings as the club allows.",
}


@dataclass(frozen=True)
class RulesPage:
    rules: ClubRules
    #: (site court id, name) in the site's order: the default numbering of our courts
    courts: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Grid:
    day: date
    court_ids: tuple[str, ...]
    cells: dict[tuple[str, time], CellState]  # (site court id, slot start) -> state
    csrf_token: str | None


@dataclass(frozen=True)
class ConfirmForm:
    csrf_token: str
    hold_id: str
    partner_required: bool


@dataclass(frozen=True)
class SiteBooking:
    """A booking as the site names it (its own court id)."""

    reference: str
    court_id: str
    day: date
    start: time
    duration_min: int


@dataclass(frozen=True)
class MyBookingsPage:
    bookings: tuple[SiteBooking, ...]
    #: the reference in a "cancelled" notice, when the page carries one
    cancelled: str | None
    csrf_token: str | None


def parse_login_form(html: str) -> str:
    """The login form's CSRF token."""
    page = "login"
    soup = _soup(html, page)
    _expect_page(soup, "login", page)
    form = _find(soup, page, "form", id="login-form")
    for name in ("username", "password"):
        if form.find("input", attrs={"name": name}) is None:
            raise PageNotUnderstood(page, f"the login form has no {name} field")
    return _input_value(form, "csrf_token", page)


def parse_login_result(html: str, username: str) -> str | None:
    """What `POST /login` led to: a member page for `username` (its CSRF token), or a typed error.

    A login form shown again without an error code is not read as either outcome.
    """
    page = "login"
    soup = _soup(html, page)
    _raise_for_error(soup)
    body = _find(soup, page, "body")
    if body.get("data-page") == "login":
        raise PageNotUnderstood(page, "the club showed its login form again without saying why")
    member = body.get("data-member")
    if not isinstance(member, str) or not member:
        raise PageNotUnderstood(page, "the page after logging in is not a member page")
    if member.casefold() != username.casefold():
        raise PageNotUnderstood(page, "the club says a different member is logged in")
    return _meta_csrf(soup)


def parse_rules(html: str) -> RulesPage:
    """`GET /rules`: the machine-readable rules and the court list."""
    page = "rules"
    soup = _soup(html, page)
    _raise_for_error(soup)
    dl = _find(soup, page, "dl", id="rules")
    rules = ClubRules(
        release=ReleaseRule(
            WindowKind.TIME_OF_DAY,
            _int(_attr(dl, "data-window-days", page), page),
            _time(dl, "opens-at", page),
        ),
        timezone=_zone(_attr(dl, "data-timezone", page), page),
        slot_minutes=_positive(_attr(dl, "data-slot-minutes", page), page),
        opens=_time(dl, "open-from", page),
        closes=_time(dl, "open-until", page),
        max_slots=_positive(_attr(dl, "data-max-slots", page), page),
        max_per_day=_optional_int(_attr(dl, "data-max-per-day", page, required=False), page),
        max_future=_optional_int(_attr(dl, "data-max-future", page, required=False), page),
        partner_required=_bool(_attr(dl, "data-partner-required", page), page),
        hold_before_open=_bool(_attr(dl, "data-hold-before-open", page), page),
    )
    ul = _find(soup, page, "ul", id="courts")
    courts: list[tuple[str, str]] = []
    for li in ul.find_all("li"):
        # Every entry must carry its id: one skipped would renumber the courts after it.
        site_id = _attr(li, "data-court-id", page)
        courts.append((site_id, li.get_text(" ", strip=True) or f"Court {site_id}"))
    if not courts:
        raise PageNotUnderstood(page, "the club lists no courts")
    _unique([c[0] for c in courts], "court ids", page)
    return RulesPage(rules, tuple(courts))


def parse_grid(html: str, day: date) -> Grid:
    """`GET /courts?date=day`: every (court, start) cell with its state; a free slot the club has not
    released yet (closed, "not-open") is free."""
    page = "availability"
    soup = _soup(html, page)
    _expect_page(soup, "courts", page)
    table = _find(soup, page, "table", id="grid")
    shown = _date(_attr(table, "data-date", page), page)
    if shown != day:
        raise PageNotUnderstood(page, f"the grid is for {shown.isoformat()}, not {day.isoformat()}")
    court_ids = tuple(
        _attr(th, "data-court-id", page) for th in table.find_all("th", attrs={"data-court-id": True})
    )
    if not court_ids:
        raise PageNotUnderstood(page, "the grid has no court columns")
    _unique(court_ids, "court columns", page)
    expected = set(court_ids)
    cells: dict[tuple[str, time], CellState] = {}
    for row in table.find_all("tr"):
        tds = row.find_all("td", attrs={"data-court-id": True})
        raw_time = row.get("data-time")
        if raw_time is None:
            if tds:
                raise PageNotUnderstood(page, "a row of the grid has no time")
            continue
        start = _time_value(_attr(row, "data-time", page), page)
        ids = [_attr(td, "data-court-id", page) for td in tds]
        if len(ids) != len(expected) or set(ids) != expected:
            raise PageNotUnderstood(page, f"the {start:%H:%M} row does not have one cell per court")
        for site_id, td in zip(ids, tds, strict=True):
            if (site_id, start) in cells:
                raise PageNotUnderstood(page, f"the {start:%H:%M} row appears twice")
            state = _STATES.get(_attr(td, "data-state", page))
            if state is None:
                raise PageNotUnderstood(page, f"a cell at {start:%H:%M} has an unknown state")
            if state is CellState.CLOSED and td.get("data-reason") == "not-open":
                # Free, only not released yet: whether it is released is the domain's to say (booking.grid).
                state = CellState.FREE
            cells[(site_id, start)] = state
    if not cells:
        raise PageNotUnderstood(page, "the grid has no time rows")
    return Grid(day, court_ids, cells, _meta_csrf(soup))


def parse_confirm_form(html: str) -> ConfirmForm:
    """`GET /book?...`: the confirm form's token and hold (the slot is now held for us).

    This page is read between the hold and the commit at the release instant, so a page exactly as the
    club draws it is read by a few strict patterns (~40x quicker); anything else goes to the full parser.
    """
    return _confirm_form_fast(html) or confirm_form_in_full(html)


def confirm_form_in_full(html: str) -> ConfirmForm:
    """The confirm form by the full parser: typed errors, and any page the patterns do not take."""
    page = "booking form"
    soup = _soup(html, page)
    _expect_page(soup, "book", page)
    form = _find(soup, page, "form", id="confirm-form")
    partner = form.find("input", attrs={"name": "partner"})
    if not isinstance(partner, Tag):
        raise PageNotUnderstood(page, "the form has no partner field")
    return ConfirmForm(
        csrf_token=_input_value(form, "csrf_token", page),
        hold_id=_input_value(form, "hold_id", page),
        partner_required=_bool(_attr(partner, "data-required", page), page),
    )


_FAST_HEAD = re.compile(
    r'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>[^<]*</title>'
    r'(?:<meta name="csrf-token" content="[^"<>]*">)?(?:<style>[^<]*</style>)?'
)
#: one well-formed tag: a name, then attributes with plain quoted values
_FAST_TAG = re.compile(r'</?([a-z][a-z0-9]*)(?: [a-z-]+(?:="[^"<>]*")?)*>')
_FAST_PLAIN = frozenset(
    (
        "body",
        "html",
        "header",
        "main",
        "nav",
        "a",
        "span",
        "form",
        "input",
        "button",
        "p",
        "label",
        "h1",
        "div",
    )
)
_FAST_BODY = re.compile(r'<body data-page="book"(?: data-member="[^"<>]*")?>')
_FAST_FORM = re.compile(r'<form id="confirm-form" method="post" action="/book">(.*?)</form>', re.DOTALL)
#: a value as the club escapes it (html.escape's entities only)
_FAST_VALUE = r'(?:[^&"<>]|&(?:amp|quot|lt|gt|#x27);)*'
_FAST_HIDDEN = re.compile(rf'<input type="hidden" name="(csrf_token|hold_id)" value="({_FAST_VALUE})">')
_FAST_PARTNER = re.compile(r'<input name="partner" data-required="(true|false)"[ >]')


def _confirm_form_fast(html: str) -> ConfirmForm | None:
    """The confirm form read by patterns when the page is exactly as the club draws it, else None.

    The head must be the club's own, and the body nothing but plain tags of a few kinds and escaped
    text: whatever a browser could read otherwise than the patterns do goes to the full parser.
    """
    head, closed, body = html.partition("</head>")
    if not closed or not _FAST_HEAD.fullmatch(head) or not body.endswith("</body></html>"):
        return None
    tags = _FAST_TAG.findall(body)
    if (
        "data-error" in body
        or any(name not in _FAST_PLAIN for name in tags)
        or body.count("<body") != 1
        or not _FAST_BODY.match(body)
        or any(mark in _FAST_TAG.sub("", body) for mark in "<>")
    ):
        return None
    forms = _FAST_FORM.findall(body)
    if len(forms) != 1:
        return None
    hidden = _FAST_HIDDEN.findall(forms[0])
    partner = _FAST_PARTNER.findall(forms[0])
    if sorted(name for name, _ in hidden) != ["csrf_token", "hold_id"] or len(partner) != 1:
        return None
    values = {name: unescape(value).strip() for name, value in hidden}
    if not values["hold_id"] or not values["csrf_token"]:
        return None
    return ConfirmForm(values["csrf_token"], values["hold_id"], partner[0] == "true")


def parse_confirmation(html: str) -> SiteBooking:
    """`POST /book`: the booking the club confirms, exactly as it states it."""
    page = "booking confirmation"
    soup = _soup(html, page)
    _expect_page(soup, "booked", page)
    return _site_booking(_find(soup, page, "div", id="confirmation"), page)


def parse_my_bookings(html: str, page: str = "my bookings") -> MyBookingsPage:
    """`GET /my-bookings` (also where `POST /cancel` lands, read as the "cancellation" page)."""
    soup = _soup(html, page)
    _expect_page(soup, "my-bookings", page)
    table = _find(soup, page, "table", id="my-bookings")
    bookings: list[SiteBooking] = []
    for row in table.find_all("tr"):
        if row.get("data-reference") is None:
            if row.find("td") is not None:
                raise PageNotUnderstood(page, "a booking row has no reference")
            continue
        bookings.append(_site_booking(row, page))
    _unique([b.reference for b in bookings], "references", page)
    cancelled = None
    notice = soup.find(attrs={"data-notice": "cancelled"})
    if isinstance(notice, Tag):
        cancelled = _attr(notice, "data-reference", page)
    return MyBookingsPage(tuple(bookings), cancelled, _meta_csrf(soup))


def _soup(html: str, page: str) -> BeautifulSoup:
    if not html.strip():
        raise PageNotUnderstood(page, "the page was empty")
    if not _END.search(html.rstrip()[-16:]):
        # A forgiving parser reads a cut-off page as a shorter one: a grid or list would silently lose rows.
        raise PageNotUnderstood(page, "the page is incomplete (it does not end with </html>)")
    try:
        return BeautifulSoup(html, "lxml")
    except Exception as exc:  # the parser may still reject some malformed markup outright
        raise PageNotUnderstood(page, "the markup could not be parsed") from exc


def _expect_page(soup: BeautifulSoup, name: str, page: str) -> None:
    """Typed error if the club said no; SessionExpired if it sent us to log in; otherwise the page must be
    `name` (a proxy's or a redesigned page is not understood)."""
    _raise_for_error(soup)
    body = soup.find("body")
    actual = body.get("data-page") if isinstance(body, Tag) else None
    if actual == "login" and name != "login":
        raise SessionExpired("Your club session has expired; logging in again fixes it.")
    if actual != name:
        what = f"the {actual!r} page" if isinstance(actual, str) else "a page without a page name"
        raise PageNotUnderstood(page, f"expected the {name!r} page but got {what}")


def _raise_for_error(soup: BeautifulSoup) -> None:
    """Raise the typed error for the first element carrying a `data-error` code, if any."""
    element = soup.find(attrs={"data-error": True})
    if not isinstance(element, Tag):
        return
    raise _error_for(element)


def _error_for(element: Tag) -> SiteError:
    """The typed error for one `data-error` element; codes we do not know keep the club's own words."""
    code = element.get("data-error")
    if code == "not-open":
        return NotOpenYet(
            "That slot is not open for booking yet.", _optional_instant(element.get("data-opens-at"))
        )
    if code == "taken":
        return SlotTaken("Someone else has booked or is holding that court at that time.")
    if code == "limit":
        which = element.get("data-limit")
        which = which if isinstance(which, str) and which else "unknown"
        return LimitReached(
            _LIMIT_MESSAGES.get(which, "You have reached one of the club's booking limits."), which
        )
    if code == "invalid":
        field = element.get("data-field")
        what = f"the {field}" if isinstance(field, str) and field.isalpha() else "that request"
        return InvalidRequest(f"The club says {what} is not valid.")
    if code == "hold-expired":
        return HoldExpired("The hold on that court lapsed before the booking was confirmed.")
    if code == "login-failed":
        return LoginFailed()
    if code == "csrf":
        # The token belongs to a session the club no longer knows: logging in again gives a fresh one.
        return SessionExpired("Your club session is no longer valid; logging in again fixes it.")
    words = " ".join(element.get_text(" ", strip=True).split())[:200]
    return RefusedByClub(
        f"The club refused the request: {words}" if words else "The club refused the request."
    )


def _site_booking(tag: Tag, page: str) -> SiteBooking:
    return SiteBooking(
        reference=_attr(tag, "data-reference", page),
        court_id=_attr(tag, "data-court-id", page),
        day=_date(_attr(tag, "data-date", page), page),
        start=_time_value(_attr(tag, "data-time", page), page),
        duration_min=_positive(_attr(tag, "data-duration", page), page),
    )


def _find(soup: BeautifulSoup | Tag, page: str, name: str, **attrs: str) -> Tag:
    found = soup.find(name, attrs=attrs)
    if not isinstance(found, Tag):
        where = f"{name}#{attrs['id']}" if "id" in attrs else name
        raise PageNotUnderstood(page, f"the page has no {where}")
    return found


def _attr(tag: Tag, name: str, page: str, *, required: bool = True) -> str:
    value = tag.get(name)
    if isinstance(value, str) and value.strip():
        return value.strip()
    if required:
        raise PageNotUnderstood(page, f"a <{tag.name}> lacks {name}")
    return ""


def _input_value(form: Tag, name: str, page: str) -> str:
    field = form.find("input", attrs={"name": name})
    if not isinstance(field, Tag):
        raise PageNotUnderstood(page, f"the form has no {name} field")
    return _attr(field, "value", page)


def _meta_csrf(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"name": "csrf-token"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    return content if isinstance(content, str) and content else None


def _unique(values: list[str] | tuple[str, ...], what: str, page: str) -> None:
    if len(set(values)) != len(values):
        raise PageNotUnderstood(page, f"the page repeats {what}")


def _int(value: str, page: str) -> int:
    if not _INT.fullmatch(value):
        raise PageNotUnderstood(page, f"{value[:20]!r} is not a whole number")
    return int(value)


def _positive(value: str, page: str) -> int:
    number = _int(value, page)
    if number < 1:
        raise PageNotUnderstood(page, f"{value[:20]!r} is not a positive number")
    return number


def _optional_int(value: str, page: str) -> int | None:
    """A limit; empty or "none" means the club sets none."""
    return None if value in ("", "none") else _int(value, page)


def _bool(value: str, page: str) -> bool:
    if value not in ("true", "false"):
        raise PageNotUnderstood(page, f"{value[:20]!r} is not true or false")
    return value == "true"


def _date(value: str, page: str) -> date:
    if _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise PageNotUnderstood(page, f"{value[:20]!r} is not a date")


def _time(tag: Tag, key: str, page: str) -> time:
    return _time_value(_attr(tag, f"data-{key}", page), page)


def _time_value(value: str, page: str) -> time:
    match = _TIME.fullmatch(value)
    if match:
        try:
            return time(int(match[1]), int(match[2]), int(match[3] or 0))
        except ValueError:
            pass
    raise PageNotUnderstood(page, f"{value[:20]!r} is not a time of day")


def _zone(value: str, page: str) -> ZoneInfo:
    try:
        return ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise PageNotUnderstood(page, f"{value[:40]!r} is not a time zone") from None


def _optional_instant(value: object) -> datetime | None:
    """An ISO-8601 instant as UTC; unreadable → None (the refusal itself is clear without it)."""
    if not isinstance(value, str):
        return None
    try:
        instant = datetime.fromisoformat(value.strip())
        return instant.replace(tzinfo=UTC) if instant.tzinfo is None else instant.astimezone(UTC)
    except (ValueError, OverflowError):
        return None

"""LibreBooking 2.8's web pages and AJAX answers, read into plain values or typed errors (pure).

Used when a club keeps LibreBooking's API switched off (its default). The pages speak the member's
language, so these readers go by ids, classes and `data-*` attributes (docs/platforms/librebooking.md);
refusal texts are left to `refusals`. A whole page must end with `</html>` (a page cut short
would silently lose courts or slots), and anything that does not look as expected raises
`PageNotUnderstood` naming the page: a misread page never passes for a success.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bs4 import BeautifulSoup, Tag

from booking.sites import markup
from booking.sites.errors import LoginFailed, PageNotUnderstood, SessionExpired

#: a reference number in its sentence ("Your reference number is 6b0d0d59ca64f343282205"): a word of
#: letters and digits with at least one digit
_REFERENCE = re.compile(r"(?<![0-9A-Za-z])(?=[A-Za-z]*[0-9])[0-9A-Za-z]{10,40}(?![0-9A-Za-z])")
_KINDS = {"reservable": "free", "unreservable": "closed", "restricted": "closed", "pasttime": "past"}


@dataclass(frozen=True)
class MemberForm:
    """reservation.php: the session's CSRF token and the member's own user id."""

    csrf_token: str
    user_id: int


@dataclass(frozen=True)
class Cell:
    resource_id: int
    start: int  # Unix seconds (data-min)
    end: int  # data-max
    kind: str  # "free" (reservable: free-looking, even beyond the window), "closed", "past"


@dataclass(frozen=True)
class SchedulePage:
    schedule_id: int
    #: the schedule list LibreBooking shows when there is more than one schedule
    schedules: dict[int, str] | None
    courts: tuple[tuple[int, str], ...]  # (resource id, name) in row order
    #: the data-min of each day's table: the start of its layout, which is midnight in the site's zone
    day_starts: tuple[int, ...]
    cells: tuple[Cell, ...]
    csrf_token: str


@dataclass(frozen=True)
class WebListed:
    """An item of `schedule.php?dr=reservations`."""

    reference: str
    resource_id: int
    start: int
    end: int
    mine: bool  # IsOwner: LibreBooking's own word that the viewer owns it
    reservation: bool  # False: a blackout, which blocks the slot too


@dataclass(frozen=True)
class SaveReply:
    """ajax/reservation_save.php: a reference when booked, else LibreBooking's words for why not."""

    reference: str | None
    errors: tuple[str, ...]


def parse_login_reply(html: str) -> None:
    """A 200 answer to the login POST (success is a redirect): the form with its error is LoginFailed."""
    page = "login"
    soup = markup.soup(html, page, whole=False)
    if isinstance(soup.find(id="loginError"), Tag):
        raise LoginFailed()
    if markup.login_form(soup) is not None:
        raise PageNotUnderstood(page, "the club showed its login form again without saying why")
    raise PageNotUnderstood(
        page, "the club answered the login with a page that is neither a welcome nor the form"
    )


def parse_member_form(html: str) -> MemberForm:
    """reservation.php: the member's own id (input#userId) and the session's token."""
    page = "booking form"
    soup = markup.soup(html, page)
    if markup.login_form(soup) is not None:
        raise SessionExpired("Your club session has expired; logging in again fixes it.")
    field = soup.find("input", id="userId")
    if not isinstance(field, Tag):
        raise PageNotUnderstood(page, "the page does not name the member (no input#userId)")
    return MemberForm(_csrf(soup, page), markup.whole_number(markup.attr(field, "value", page), page))


def parse_schedule(html: str) -> SchedulePage:
    """schedule.php: its schedule, the courts (rows) and every slot cell of the week shown."""
    page = "schedule"
    soup = markup.soup(html, page)
    if markup.login_form(soup) is not None:
        raise SessionExpired("Your club session has expired; logging in again fixes it.")
    shown = soup.find("input", id="scheduleId")
    if not isinstance(shown, Tag):
        raise PageNotUnderstood(page, "the page does not say which schedule it shows")
    courts: dict[int, str] = {}
    cells: list[Cell] = []
    day_starts: list[int] = []
    for table in soup.find_all("table", class_="reservations"):
        day_starts.append(markup.whole_number(markup.attr(table, "data-min", page), page))
        for row in table.find_all("tr", class_="slots"):
            resource_id = markup.whole_number(markup.attr(row, "data-resourceid", page), page)
            name_cell = row.find("td", class_="resourcename")
            name = markup.words(name_cell) if isinstance(name_cell, Tag) else ""
            if not name:
                raise PageNotUnderstood(page, f"court {resource_id} has no name")
            if courts.setdefault(resource_id, name) != name:
                raise PageNotUnderstood(page, f"court {resource_id} has two names")
            for td in row.find_all("td", class_="slot"):
                cells.append(_cell(td, resource_id, page))
    if not courts:
        raise PageNotUnderstood(page, "the schedule shows no courts")
    return SchedulePage(
        schedule_id=markup.whole_number(markup.attr(shown, "value", page), page),
        schedules=_schedules(soup, page),
        courts=tuple(courts.items()),
        day_starts=tuple(day_starts),
        cells=tuple(cells),
        csrf_token=_csrf(soup, page),
    )


def parse_reservations(text: str, page: str = "day") -> list[WebListed]:
    """`schedule.php?dr=reservations`: JSON, one item per booking (buffers left out)."""
    try:
        data = json.loads(text)
    except ValueError:
        raise PageNotUnderstood(page, "the club's list of bookings is not JSON") from None
    if not isinstance(data, list):
        raise PageNotUnderstood(page, "the club's list of bookings is not a list")
    listed = []
    for raw in data:
        if not isinstance(raw, dict):
            raise PageNotUnderstood(page, "an entry of the list of bookings is not an object")
        if raw.get("IsBuffer") is True:
            continue
        reservation = _flag(raw, "IsReservation", page)
        start, end = _number(raw.get("StartDate"), page), _number(raw.get("EndDate"), page)
        if end <= start:
            raise PageNotUnderstood(page, "a booking ends before it starts")
        reference = raw.get("ReferenceNumber")
        if reservation and not (isinstance(reference, str) and reference.strip()):
            raise PageNotUnderstood(page, "a booking has no reference number")
        mine = _flag(raw, "IsOwner", page) if reservation else False
        listed.append(
            WebListed(
                str(reference or "").strip(),
                _number(raw.get("ResourceId"), page),
                start,
                end,
                mine,
                reservation,
            )
        )
    return listed


def parse_save_reply(html: str) -> SaveReply:
    """ajax/reservation_save.php's fragment: div#reservation-created with the reference, or
    div#reservation-failed with the reasons. Its critical-error fragment is not understood: whether
    anything was stored is then for the club's records to say."""
    page = "booking"
    soup = markup.soup(html, page, whole=False)
    created = soup.find("div", id="reservation-created")
    if isinstance(created, Tag):
        _whole_fragment(created, "btnSaveSuccessful", page)
        holder = created.find("div", id="reference-number")
        found = _REFERENCE.findall(markup.words(holder)) if isinstance(holder, Tag) else []
        if len(found) != 1:
            raise PageNotUnderstood(page, "the club said it booked but showed no reference number")
        return SaveReply(found[0], ())
    failed = soup.find("div", id="reservation-failed")
    if isinstance(failed, Tag):
        _whole_fragment(failed, "btnSaveFailed", page)
        return SaveReply(None, _errors(failed.find("div", class_="error"), page))
    raise PageNotUnderstood(page, "the club answered the booking with neither a reference nor a reason")


def parse_delete_reply(html: str) -> tuple[str, ...]:
    """ajax/reservation_delete.php's fragment: () when the booking was removed (div#deleted-message), else
    LibreBooking's words for why not (its failure or critical-error message)."""
    page = "cancellation"
    soup = markup.soup(html, page, whole=False)
    if isinstance(soup.find("div", id="deleted-message"), Tag):
        _whole_fragment(soup, "btnSaveSuccessful", page)
        return ()
    block = soup.find("div", class_="error")
    if isinstance(block, Tag):
        return _errors(block, page)
    message = soup.find("div", id="failed-message")
    if isinstance(message, Tag) and markup.words(message):
        return (markup.words(message),)
    raise PageNotUnderstood(page, "the club answered the cancellation with neither a removal nor a reason")


# Small readers


def _cell(td: Tag, resource_id: int, page: str) -> Cell:
    classes = td.get("class") or []
    kinds = {_KINDS[c] for c in classes if c in _KINDS}
    if len(kinds) != 1:
        raise PageNotUnderstood(page, f"a slot of court {resource_id} is neither free, closed nor past")
    if markup.whole_number(markup.attr(td, "data-resourceid", page), page) != resource_id:
        raise PageNotUnderstood(page, f"a slot in the row of court {resource_id} names another court")
    start, end = (
        markup.whole_number(markup.attr(td, "data-min", page), page),
        markup.whole_number(markup.attr(td, "data-max", page), page),
    )
    if end <= start:
        raise PageNotUnderstood(page, f"a slot of court {resource_id} ends before it starts")
    return Cell(resource_id, start, end, kinds.pop())


def _schedules(soup: BeautifulSoup, page: str) -> dict[int, str] | None:
    select = soup.find("select", id="schedules")
    if not isinstance(select, Tag):
        return None
    return {
        markup.whole_number(markup.attr(o, "value", page), page): markup.words(o)
        for o in select.find_all("option")
    } or None


def _errors(block: object, page: str) -> tuple[str, ...]:
    """Each reason of an error block (`div.error > div`), its lines (`<br />`) joined by spaces."""
    reasons = (
        tuple(markup.words(div) for div in block.find_all("div", recursive=False) if markup.words(div))
        if isinstance(block, Tag)
        else ()
    )
    if not reasons:
        raise PageNotUnderstood(page, "the club refused without saying why")
    return reasons


def _whole_fragment(holder: Tag, button: str, page: str) -> None:
    """A fragment ends with its button: without it the answer was cut short (a reference could be too)."""
    if not isinstance(holder.find(id=button), Tag):
        raise PageNotUnderstood(page, "the club's answer is incomplete")


def _csrf(soup: BeautifulSoup, page: str) -> str:
    """The session's one CSRF token (a page may carry it in several forms, always the same)."""
    tokens = {
        value.strip()
        for field in soup.find_all("input", attrs={"name": "CSRF_TOKEN"})
        for value in [field.get("value")]
        if isinstance(value, str) and value.strip()
    }
    if len(tokens) != 1:
        raise PageNotUnderstood(page, "the page does not carry one CSRF token")
    return tokens.pop()


def _flag(raw: dict[str, Any], name: str, page: str) -> bool:
    value = raw.get(name)
    if not isinstance(value, bool):
        raise PageNotUnderstood(page, f"{name} is not true or false")
    return value


def _number(value: object, page: str) -> int:
    text = str(value) if isinstance(value, int | str) and not isinstance(value, bool) else ""
    return markup.whole_number(text, page)

"""MRBS 1.12's pages, read into plain values or typed errors (pure: no I/O, no state).

MRBS shows its words in the member's language, so these parsers read structure, `data-*` attributes and
link parameters (see docs/platforms/mrbs.md); words are read only where MRBS offers
nothing else - the policy a refusal names - and then in English and German, with anything unrecognised
passed on in the club's own words. Anything that does not look exactly as expected raises
`PageNotUnderstood` naming the page, a page cut short included (it must end with `</html>`): a misread
page must never pass for a success. Page labels are names a member would recognise: "day view", "login",
"booking", "booking confirmation", "my bookings", "cancellation".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date, time
from itertools import pairwise
from typing import Any
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from booking.sites import markup
from booking.sites.errors import (
    InvalidRequest,
    LimitReached,
    LoginFailed,
    LoginRequired,
    NotOpenYet,
    PageNotUnderstood,
    RefusedByClub,
    SessionExpired,
    SiteError,
    SlotTaken,
)

#: "Your session has expired." as MRBS writes it in English and German
_SESSION_EXPIRED = ("your session has expired", "ihre sitzung ist abgelaufen")
_LIMIT_PERIODS = {
    "day": "per-day", "tag": "per-day", "week": "per-week", "woche": "per-week",
    "month": "per-month", "monat": "per-month", "year": "per-year", "jahr": "per-year",
}  # fmt: skip
#: the policy texts of MRBS's lang.en and lang.de that name a refusal the engine acts on
_NOT_OPEN = (
    re.compile(r"you cannot create a booking which (?:ends|starts) in more than \d+"),
    re.compile(r"sie können keine buchung erstellen, die in mehr als \d+ \S+ (?:endet|beginnt)"),
)
_TOO_SOON = (
    re.compile(r"you cannot create a booking which starts in less than (\d+)"),
    re.compile(r"sie können keine buchung erstellen, die in weniger als (\d+) \S+ beginnt"),
)
_COUNT_LIMIT = (
    re.compile(
        r"the maximum number of (?:(?P<future>outstanding) bookings per user"
        r"|bookings per (?P<period>day|week|month|year))"
    ),
    re.compile(
        r"die maximale anzahl an (?:(?P<future>ausstehenden) buchungen pro benutzer"
        r"|buchungen pro (?P<period>tag|woche|monat|jahr))"
    ),
)
_TIME_LIMIT = (
    re.compile(
        r"the maximum total length of (?:(?P<future>outstanding) bookings per user"
        r"|bookings per (?P<period>day|week|month|year))"
    ),
    re.compile(
        r"die maximale buchungszeit pro (?P<period>tag|woche|monat|jahr)"
        r"|das (?P<future>maximale überschüssige) buchungsguthaben"
    ),
)
_MAX_DURATION = ("the maximum duration of a booking is", "die maximale dauer einer buchung beträgt")


@dataclass(frozen=True)
class Room:
    id: int
    name: str


@dataclass(frozen=True)
class EntryCover:
    """Where one entry shows in the day view: its room and the slots it covers."""

    entry_id: int
    room_id: int
    start: time
    minutes: int
    #: the viewer may edit it (`writable`): every booking of their own, but for an MRBS admin every
    #: booking at all - so False means "not theirs" and True does not mean "theirs"
    writable: bool


class NoRooms(InvalidRequest):
    """The day view of an area without rooms ("No rooms defined for this area"): a wrong area id."""


@dataclass(frozen=True)
class DayView:
    day: date
    area_id: int
    resolution_s: int
    starts: tuple[time, ...]  # the row of each slot start, in order
    rooms: tuple[Room, ...]  # in column order
    #: (room id, slot start) -> "free" | "booked" | "closed", as MRBS draws the cell
    cells: dict[tuple[int, time], str]
    entries: dict[int, EntryCover]
    first_slot_at: int | None  # Unix time of the day's first slot, from data-slots when it has one
    areas: dict[int, str] | None  # the area list MRBS shows when there is more than one area
    username: str | None
    csrf_token: str | None


@dataclass(frozen=True)
class SearchRow:
    entry_id: int
    creator: str  # as shown: the username, or "username (Display Name)"
    start: int  # Unix time
    area_id: int | None
    room_id: int


@dataclass(frozen=True)
class NavForm:
    """One of the search page's Previous/Next buttons: a form posting `fields`."""

    position: int
    enabled: bool
    fields: dict[str, str]


@dataclass(frozen=True)
class SearchPage:
    rows: tuple[SearchRow, ...]
    nav: tuple[NavForm, ...]
    username: str | None
    csrf_token: str | None


@dataclass(frozen=True)
class Refusal:
    """Why MRBS would not book, in the club's words: the broken policies and the clashing entries."""

    policies: tuple[str, ...]
    conflicts: tuple[str, ...]


def parse_day_view(html: str, day: date, area_id: int | None = None) -> DayView:
    """`index.php?view=day&area=…&page_date=day`; `area_id` None accepts the site's default area."""
    page = "day view"
    soup = markup.soup(html, page)
    if markup.login_form(soup) is not None and soup.find("table", id="day_main") is None:
        raise LoginRequired("The club's site shows its courts only to members who are logged in.")
    table = _find(soup, page, "table", id="day_main")
    resolution = markup.whole_number(markup.attr(table, "data-resolution", page), page)
    if resolution < 60 or resolution % 60:
        raise PageNotUnderstood(page, f"a slot length of {resolution} seconds is not whole minutes")
    tbody = _find(table, page, "tbody")
    if tbody.has_attr("data-empty"):  # MRBS's table for an area with no rooms (e.g. no such area)
        raise NoRooms(markup.words(tbody))
    thead = _find(table, page, "thead")
    rooms = tuple(
        Room(markup.whole_number(markup.attr(th, "data-room", page), page), _room_name(th))
        for th in thead.find_all("th", attrs={"data-room": True})
    )
    if not rooms:
        raise PageNotUnderstood(page, "the day has no court columns")
    _unique([r.id for r in rooms], "courts", page)
    shown_area = _check_links(table, day, area_id, page)
    rows = tbody.find_all("tr", recursive=False)
    starts = tuple(_row_start(row, page) for row in rows)
    if not starts:
        raise PageNotUnderstood(page, "the day has no time rows")
    step = resolution // 60
    minutes = [s.hour * 60 + s.minute for s in starts]
    if any(b - a != step for a, b in pairwise(minutes)):
        raise PageNotUnderstood(page, "the time rows are not one slot apart")
    cells, entries = _lay_out(rows, starts, rooms, resolution, page)
    return DayView(
        day=day,
        area_id=shown_area,
        resolution_s=resolution,
        starts=starts,
        rooms=rooms,
        cells=cells,
        entries=entries,
        first_slot_at=_first_slot(thead.get("data-slots")),
        areas=_areas(soup, page),
        username=_username(soup),
        csrf_token=_csrf(soup),
    )


def parse_search(html: str, page: str = "my bookings") -> SearchPage:
    """`search.php`: every result row (MRBS's columns: name, creator, start, description) and the paging."""
    soup = markup.soup(html, page)
    if markup.login_form(soup) is not None:  # search.php shows usernames, so MRBS asks for a login first
        raise SessionExpired("Your club session has expired; logging in again fixes it.")
    table = soup.find("table", id="search_results")
    rows: list[SearchRow] = []
    if not isinstance(table, Tag):
        if not isinstance(soup.find(id="nothing_found"), Tag):
            raise PageNotUnderstood(page, "the page has neither search results nor a 'nothing found' note")
    else:
        body = _find(table, page, "tbody")
        for tr in body.find_all("tr", recursive=False):
            rows.append(_search_row(tr, page))
        _unique([r.entry_id for r in rows], "entries", page)
    nav: list[NavForm] = []
    record_nav = soup.find(id="record_nav")
    if isinstance(record_nav, Tag):
        for form in record_nav.find_all("form"):
            fields = {
                name: value
                for field in form.find_all("input", attrs={"type": "hidden"})
                for name, value in [(field.get("name"), field.get("value", ""))]
                if isinstance(name, str) and isinstance(value, str)
            }
            submit = form.find("input", attrs={"type": "submit"})
            enabled = isinstance(submit, Tag) and not submit.has_attr("disabled")
            nav.append(NavForm(markup.whole_number(fields.get("search_pos", ""), page), enabled, fields))
    return SearchPage(tuple(rows), tuple(nav), _username(soup), _csrf(soup))


def parse_csrf(html: str, page: str) -> str:
    """The session's CSRF token, which every MRBS page carries (the login form of a private site too)."""
    token = _csrf(markup.soup(html, page))
    if token is None:
        raise PageNotUnderstood(page, "the page carries no csrf_token")
    return token


def is_creator(shown: str, username: str) -> bool:
    """Whether a creator as MRBS shows it is `username`: the username alone, or "username (Display
    Name)" (its compound_name, '%1$s (%2$s)', in English and German alike). Compared on the username
    MRBS shows, never on a display name, caselessly as MRBS compares usernames."""
    text, user = " ".join(shown.split()).casefold(), username.strip().casefold()
    return text == user or (text.startswith(f"{user} (") and text.endswith(")"))


def parse_login_reply(html: str) -> None:
    """What a 200 answer to the login POST means: the form again (LoginFailed), or a rejected token
    (SessionExpired: a fresh page gives a fresh token); anything else is not understood."""
    page = "login"
    soup = markup.soup(html, page)
    if markup.login_form(soup) is not None:
        raise LoginFailed()
    if _says_session_expired(soup):
        raise SessionExpired("The club did not accept its own login form; a fresh one is needed.")
    raise PageNotUnderstood(
        page, "the club answered the login with a page that is neither a welcome nor the form"
    )


def parse_booking_reply(html: str) -> Refusal:
    """A 200 answer to the booking POST: MRBS's "Scheduling Conflict" page, read into its reasons.

    The policies and the clashing entries are the `<ul>` lists between the page's heading and its
    buttons (`div#submit_buttons`); a clashing entry is the item that links to it (view_entry.php).
    """
    page = "booking"
    soup = markup.soup(html, page)
    _raise_if_logged_out(soup)
    buttons = soup.find("div", id="submit_buttons")
    if isinstance(buttons, Tag) and isinstance(buttons.parent, Tag):
        policies: list[str] = []
        conflicts: list[str] = []
        seen_heading = False
        for child in buttons.parent.children:
            if child is buttons:
                break
            if not isinstance(child, Tag):
                continue
            if child.name == "h2":
                seen_heading = True
            elif child.name == "ul" and seen_heading:
                for li in child.find_all("li"):
                    words = markup.words(li)
                    if _links_to_entry(li):
                        conflicts.append(words)
                    elif words:
                        policies.append(words)
        if policies or conflicts:
            return Refusal(tuple(policies), tuple(conflicts))
        raise PageNotUnderstood(page, "the club refused the booking without saying why")
    heading = soup.find("h1")
    if isinstance(heading, Tag) and _is_mrbs(soup):  # "Invalid booking", "Access Denied"
        raise RefusedByClub(f"refused by the club: {_message(heading)}")
    raise PageNotUnderstood(
        page, "the club answered the booking with a page that is neither a refusal nor a redirect"
    )


def parse_cancel_reply(html: str, reference: str) -> None:
    """A 200 answer to `del_entry.php`: MRBS's "Access Denied" (not ours, or gone), else not understood."""
    page = "cancellation"
    soup = markup.soup(html, page)
    _raise_if_logged_out(soup)
    heading = soup.find("h1")
    if isinstance(heading, Tag) and _is_mrbs(soup):
        raise InvalidRequest(
            f"The club did not cancel booking {reference}: {_message(heading)} "
            "(it is not a booking of yours, or it is gone)."
        )
    raise PageNotUnderstood(page, "the club answered the cancellation with a page that is not a redirect")


def refusal_error(refusal: Refusal) -> SiteError:
    """The typed error for a refusal, the most decisive reason first: a limit or a slot that can no
    longer be booked ends the request, a clash moves on to the next choice, "not open yet" waits."""
    kinds = [(_policy_kind(text), text) for text in refusal.policies]
    for kind, text in kinds:
        if kind.startswith("limit:"):
            which = kind.removeprefix("limit:")
            return LimitReached(f"The club's booking limit stops this: {_sentence(text)}", which)
    for kind, text in kinds:
        if kind in ("too-soon", "invalid"):
            return InvalidRequest(f"The club no longer takes this booking: {_sentence(text)}")
    if refusal.conflicts:
        return SlotTaken("Someone else has booked that court at that time.")
    if any(kind == "not-open" for kind, _ in kinds):
        # Whatever else the club objects to may well change once the slot opens: ask again then.
        return NotOpenYet("That slot is not open for booking yet.")
    return RefusedByClub(f"refused by the club: {' '.join(_sentence(text) for _, text in kinds)}")


# Reading the day view


def _check_links(table: Tag, day: date, area_id: int | None, page: str) -> int:
    """The area the table's links name (all must agree), and that every dated link is for `day`."""
    areas: set[int] = set()
    for a in table.find_all("a", href=True):
        query = _query(a)
        if "area" in query:
            areas.add(markup.whole_number(query["area"], page))
        linked = _linked_day(query, page)
        if linked is not None and linked != day:
            raise PageNotUnderstood(page, f"the day view is for {linked.isoformat()}, not {day.isoformat()}")
    if len(areas) != 1:
        raise PageNotUnderstood(page, "the day view's links do not name one area")
    shown = areas.pop()
    if area_id is not None and shown != area_id:
        raise PageNotUnderstood(page, f"the day view is of area {shown}, not area {area_id}")
    return shown


def _linked_day(query: dict[str, str], page: str) -> date | None:
    """The day a link names, as year/month/day or as page_date (MRBS uses both)."""
    try:
        if all(k in query for k in ("year", "month", "day")):
            return date(
                markup.whole_number(query["year"], page),
                markup.whole_number(query["month"], page),
                markup.whole_number(query["day"], page),
            )
        if "page_date" in query:
            return date.fromisoformat(query["page_date"])
    except ValueError:
        raise PageNotUnderstood(page, "a link names a date that does not exist") from None
    return None


def _row_start(row: Tag, page: str) -> time:
    th = row.find("th", attrs={"data-seconds": True}, recursive=False)
    if not isinstance(th, Tag):
        raise PageNotUnderstood(page, "a row of the day has no time")
    seconds = markup.whole_number(markup.attr(th, "data-seconds", page), page)
    if seconds % 60 or seconds >= 86400:
        raise PageNotUnderstood(page, f"{seconds} is not a time of day in whole minutes")
    return time(seconds // 3600, seconds % 3600 // 60)


@dataclass
class _Cell:
    kind: str  # "free" | "booked" | "closed"
    #: a booked cell's entries, each with whether the viewer may edit it (its div is `writable`)
    entries: dict[int, bool] = field(default_factory=dict)
    link: tuple[int, int, int] | None = None  # a free cell's (room, hour, minute)


def _lay_out(
    rows: list[Tag], starts: tuple[time, ...], rooms: tuple[Room, ...], resolution: int, page: str
) -> tuple[dict[tuple[int, time], str], dict[int, EntryCover]]:
    """Place every cell in its (row, column), as a browser lays out a table with rowspans.

    Booked cells carry no room, and a booking of several slots is one cell spanning rows, so a cell's
    court is only known from its column once the cells spanning down from rows above are accounted for.
    """
    grid: dict[tuple[int, int], _Cell] = {}  # (row, column) -> the cell covering it
    for r, row in enumerate(rows):
        column = 0
        for td in row.find_all("td", recursive=False):
            while (r, column) in grid:
                column += 1
            if column >= len(rooms):
                raise PageNotUnderstood(page, f"the {starts[r]:%H:%M} row has more cells than courts")
            span = markup.whole_number(str(td.get("rowspan") or "1"), page)
            if not 1 <= span <= len(rows) - r:
                raise PageNotUnderstood(page, f"a cell of the {starts[r]:%H:%M} row spans beyond the day")
            cell = _cell(td, starts[r], page)
            if cell.link is not None and cell.link != (rooms[column].id, starts[r].hour, starts[r].minute):
                raise PageNotUnderstood(
                    page, f"a free cell's link does not match its place at {starts[r]:%H:%M}"
                )
            for k in range(span):
                grid[(r + k, column)] = cell
            column += 1
        missing = [c for c in range(len(rooms)) if (r, c) not in grid]
        if missing:
            raise PageNotUnderstood(page, f"the {starts[r]:%H:%M} row has fewer cells than courts")
    cells: dict[tuple[int, time], str] = {}
    covered: dict[int, tuple[int, set[int]]] = {}  # entry id -> (column, rows)
    writable: dict[int, bool] = {}
    for (r, c), cell in grid.items():
        cells[(rooms[c].id, starts[r])] = cell.kind
        for entry_id, editable in cell.entries.items():
            where, slots = covered.setdefault(entry_id, (c, set()))
            if where != c:
                raise PageNotUnderstood(page, f"entry {entry_id} shows under two courts")
            slots.add(r)
            writable[entry_id] = writable.get(entry_id, False) or editable
    entries: dict[int, EntryCover] = {}
    for entry_id, (c, slots) in covered.items():
        first, last = min(slots), max(slots)
        if len(slots) != last - first + 1:
            raise PageNotUnderstood(page, f"entry {entry_id} is shown in slots that are not consecutive")
        minutes = (last - first + 1) * resolution // 60
        entries[entry_id] = EntryCover(entry_id, rooms[c].id, starts[first], minutes, writable[entry_id])
    return cells, entries


def _cell(td: Tag, start: time, page: str) -> _Cell:
    classes = td.get("class") or []
    if "booked" in classes:
        links = td.find_all("a", attrs={"data-id": True})
        entry_links = [a for a in td.find_all("a", href=True) if _path(a) == "view_entry.php"]
        if not links or any(not a.has_attr("data-id") for a in entry_links):
            raise PageNotUnderstood(
                page, f"a booked cell at {start:%H:%M} does not name each of its bookings"
            )
        entries = {markup.whole_number(markup.attr(a, "data-id", page), page): False for a in links}
        for div in td.find_all("div", class_="writable"):  # MRBS marks the booking's div
            for a in div.find_all("a", attrs={"data-id": True}):
                entries[markup.whole_number(markup.attr(a, "data-id", page), page)] = True
        return _Cell("booked", entries)
    if "new" in classes:
        link = td.find("a", href=True)
        if not isinstance(link, Tag):
            return _Cell("closed")  # MRBS offers no link where booking is not allowed
        if urlsplit(str(link["href"])).path.rsplit("/", 1)[-1] != "edit_entry.php":
            raise PageNotUnderstood(page, f"a free cell at {start:%H:%M} links somewhere unexpected")
        query = _query(link)
        try:
            place = (
                markup.whole_number(query["room"], page),
                markup.whole_number(query["hour"], page),
                markup.whole_number(query["minute"], page),
            )
        except KeyError:
            raise PageNotUnderstood(
                page, f"a free cell's link at {start:%H:%M} lacks its room or time"
            ) from None
        return _Cell("free", link=place)
    if "invalid" in classes:  # a slot that does not exist (the hour skipped when clocks go forward)
        return _Cell("closed")
    raise PageNotUnderstood(page, f"a cell at {start:%H:%M} is neither free nor booked")


def _room_name(th: Tag) -> str:
    """A court's name: the header link's own text, without the capacity MRBS puts in a span."""
    holder = th.find("a") if isinstance(th.find("a"), Tag) else th
    assert isinstance(holder, Tag)
    words = " ".join(s.strip() for s in holder.find_all(string=True, recursive=False) if s.strip())
    return words or markup.words(th)


def _first_slot(raw: object) -> int | None:
    """The earliest Unix time in data-slots (MRBS's JSON of slot [start, end] times), if it is readable."""
    if not isinstance(raw, str):
        return None
    try:
        data = json.loads(raw)
    except ValueError:
        return None
    numbers = list(_ints_in(data))
    return min(numbers) if numbers else None


def _ints_in(data: Any) -> list[int]:
    if isinstance(data, bool):
        return []
    if isinstance(data, int):
        return [data]
    if isinstance(data, list | dict):
        values = data.values() if isinstance(data, dict) else data
        return [n for item in values for n in _ints_in(item)]
    return []


def _areas(soup: BeautifulSoup, page: str) -> dict[int, str] | None:
    select = soup.find("select", attrs={"name": "area"})
    if not isinstance(select, Tag):
        return None
    areas: dict[int, str] = {}
    for option in select.find_all("option"):
        areas[markup.whole_number(markup.attr(option, "value", page), page)] = markup.words(option)
    return areas or None


# Reading search results


def _search_row(tr: Tag, page: str) -> SearchRow:
    tds = tr.find_all("td", recursive=False)
    if len(tds) < 3:
        raise PageNotUnderstood(page, "a search result has fewer columns than MRBS shows")
    entry_link = next((a for a in tr.find_all("a", href=True) if _path(a) == "view_entry.php"), None)
    if entry_link is None:
        raise PageNotUnderstood(page, "a search result does not link to its booking")
    entry_id = markup.whole_number(_query(entry_link).get("id", ""), page)
    span = tr.find("span", attrs={"title": True})
    if not isinstance(span, Tag):
        raise PageNotUnderstood(page, "a search result has no start time")
    start = markup.whole_number(markup.attr(span, "title", page), page)
    day_link = next((a for a in tr.find_all("a", href=True) if _path(a) == "index.php"), None)
    query = _query(day_link) if day_link is not None else {}
    if "room" not in query:
        raise PageNotUnderstood(page, "a search result does not say which court")
    area = markup.whole_number(query["area"], page) if "area" in query else None
    return SearchRow(entry_id, markup.words(tds[1]), start, area, markup.whole_number(query["room"], page))


# Refusals


def _policy_kind(text: str) -> str:
    words = " ".join(text.casefold().split())
    if any(p.search(words) for p in _NOT_OPEN):
        return "not-open"
    if any(p.search(words) for p in _TOO_SOON):
        return "too-soon"
    for patterns, prefix in ((_COUNT_LIMIT, "limit:"), (_TIME_LIMIT, "limit:time-")):
        for pattern in patterns:
            match = pattern.search(words)
            if match:
                return prefix + ("future" if match["future"] else _LIMIT_PERIODS[match["period"]])
    if any(phrase in words for phrase in _MAX_DURATION):
        return "invalid"
    return "other"


def _raise_if_logged_out(soup: BeautifulSoup) -> None:
    """MRBS logs a session off when it rejects its token, and asks an anonymous visitor to log in.

    Only positive evidence counts - the login form, MRBS's own words, or an MRBS page (it carries the
    CSRF token) showing nobody logged in: a stranger's page (a proxy's) must stay "not understood", so
    the engine looks for the booking instead of logging in and sending it again.
    """
    if (
        markup.login_form(soup) is not None
        or _says_session_expired(soup)
        or (_is_mrbs(soup) and _username(soup) is None)
    ):
        raise SessionExpired("Your club session has expired; logging in again fixes it.")


def _is_mrbs(soup: BeautifulSoup) -> bool:
    return _csrf(soup) is not None


def _says_session_expired(soup: BeautifulSoup) -> bool:
    words = " ".join(soup.get_text(" ").casefold().split())
    return any(phrase in words for phrase in _SESSION_EXPIRED)


def _links_to_entry(li: Tag) -> bool:
    return any(_path(a) == "view_entry.php" for a in li.find_all("a", href=True))


def _message(heading: Tag) -> str:
    """An MRBS error page's heading and the paragraph after it, in the club's words."""
    following = heading.find_next_sibling("p")
    detail = markup.words(following) if isinstance(following, Tag) else ""
    return " ".join(part for part in (_sentence(markup.words(heading)), detail) if part)[:300]


# Small readers


def _find(soup: BeautifulSoup | Tag, page: str, name: str, **attrs: str) -> Tag:
    found = soup.find(name, attrs=attrs)
    if not isinstance(found, Tag):
        where = f"{name}#{attrs['id']}" if "id" in attrs else name
        raise PageNotUnderstood(page, f"the page has no {where}")
    return found


def _unique(values: list[int], what: str, page: str) -> None:
    if len(set(values)) != len(values):
        raise PageNotUnderstood(page, f"the page repeats {what}")


def _query(a: Tag) -> dict[str, str]:
    """A link's query parameters (the first value of each)."""
    return {key: values[0] for key, values in parse_qs(urlsplit(str(a.get("href", ""))).query).items()}


def _path(a: Tag) -> str:
    return urlsplit(str(a.get("href", ""))).path.rsplit("/", 1)[-1]


def _username(soup: BeautifulSoup) -> str | None:
    body = soup.find("body")
    value = body.get("data-username") if isinstance(body, Tag) else None
    return value if isinstance(value, str) and value else None


def _csrf(soup: BeautifulSoup) -> str | None:
    meta = soup.find("meta", attrs={"name": "csrf_token"})
    content = meta.get("content") if isinstance(meta, Tag) else None
    return content if isinstance(content, str) and content else None


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text.endswith((".", "!", "?", ":")) else text + "."

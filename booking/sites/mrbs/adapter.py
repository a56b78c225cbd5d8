"""The MRBS adapter: MRBS 1.12 (Meeting Room Booking System) as tennis clubs run it, the area being the
club's courts and its rooms the courts (what it does over HTTP: docs/platforms/mrbs.md).

One instance is one member's conversation: its own aiohttp session (MRBS's two session cookies live in
its jar), CSRF token and keep-alive pool. Pages are read by `pages`; this module adds HTTP, court
numbering, the club's rules and session recovery.

- MRBS publishes no machine-readable rules: slot length and opening hours come from the day view; it
  shows no release rule (the platform's fallback, or the host's settings, decide it: booking.release).
- Booking is one POST, so `prepare` is local and there is no hold to take early: at the release instant
  the engine sends exactly one request, that POST, built and connected beforehand (`arm`), its answer
  read by `commit`. MRBS answers a booking it accepts with a redirect to the day view,
  which is then read for the entry id (the reference `cancel` needs). A redirect alone is not trusted:
  MRBS also redirects, booking nothing, when it cannot read the form's date.
- MRBS does not lock while booking, so a commit is never repeated here: after an unclear answer the
  engine reads `my_bookings` (search.php, filtered on the creator column) before anything is sent again.
- "Mine" is decided by the creator (search.php), never by `writable`, which MRBS sets on every booking
  an admin may edit. A booked cell that is writable but not found among ours is UNSURE.
- A club may hide everything from logged-out visitors ($auth['deny_public_access']): logging in then
  starts from the login form's token, and the courts and rules are read once logged in.
- Session recovery as in the democlub adapter: a member page that shows us logged out raises
  SessionExpired; the adapter logs in again once and repeats the call once, except a commit.

Settings (`SiteConfig.extra`, see the package's PLATFORM): area (id or name; default the site's default
area), description (what bookings are made under; default the username), language (sent as
Accept-Language), max_slots (2), max_per_day (none). The club's time zone is SiteConfig.timezone.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from urllib.parse import parse_qs, urlsplit

from yarl import URL

from booking.clocksync import estimate_offset
from booking.release import to_utc
from booking.sites.armed import ArmedCommit, ArmedRequest, sent_reply
from booking.sites.base import (
    ArmedPrepare,
    Booking,
    CellState,
    ClockSample,
    ClubRules,
    Court,
    DayGrid,
    Prepared,
    SiteConfig,
    Slot,
)
from booking.sites.court_map import mapped_court
from booking.sites.errors import InvalidRequest, LoginRequired, PageNotUnderstood, SessionExpired
from booking.sites.http import Reply, date_probe, fetch
from booking.sites.member import HttpMemberAdapter
from booking.sites.mrbs import pages
from booking.timebase import Clock

T = TypeVar("T")

_NUMBER = re.compile(r"[0-9]{1,9}")
_REDIRECTS = (301, 302, 303)
#: a small static file of MRBS's: a clock probe that starts no PHP session and renders no page
_PROBE_PATH = "images/check.png"
_BOOK_PATH = "edit_entry_handler.php"
#: how many pages of search results to follow at most (20 results a page by default)
_MAX_SEARCH_PAGES = 25
_STATES = {"free": CellState.FREE, "booked": CellState.BOOKED, "closed": CellState.CLOSED}


@dataclass(frozen=True)
class MrbsSettings:
    """The adapter's settings, read from `SiteConfig.extra` once and checked (ValueError names the key)."""

    area: str | None
    description: str | None
    language: str | None
    max_slots: int
    max_per_day: int | None

    @classmethod
    def from_extra(cls, extra: Mapping[str, str]) -> MrbsSettings:
        per_day = (extra.get("max_per_day") or "").strip()
        return cls(
            area=(extra.get("area") or "").strip() or None,
            description=(extra.get("description") or "").strip() or None,
            language=(extra.get("language") or "").strip() or None,
            max_slots=_whole(extra, "max_slots", 2, minimum=1),
            max_per_day=_whole(extra, "max_per_day", 0, minimum=0) if per_day else None,
        )


@dataclass(frozen=True)
class _Layout:
    """What a day view says about the area, the same every day: its courts and its slots."""

    area_id: int
    rooms: tuple[pages.Room, ...]
    starts: tuple[time, ...]
    slot_minutes: int
    day: date
    first_slot_at: int | None


class MrbsAdapter(HttpMemberAdapter):
    """MRBS over HTTP for one member."""

    def __init__(self, config: SiteConfig, clock: Clock | None = None) -> None:
        super().__init__(config, clock)
        self._settings = MrbsSettings.from_extra(config.extra)
        self._base = URL(config.base_url.rstrip("/") + "/")
        self._headers = {"Accept-Language": self._settings.language} if self._settings.language else {}
        self._area_id: int | None = (
            int(self._settings.area) if _NUMBER.fullmatch(self._settings.area or "") else None
        )
        self._layout: _Layout | None = None
        self._rules: ClubRules | None = None
        self._courts: list[Court] | None = None

    # -- the interface ---------------------------------------------------------------------------------

    async def rules(self) -> ClubRules:
        if self._rules is None:
            layout = await self._area_layout()
            zone = self._config.timezone
            first = to_utc(datetime.combine(layout.day, layout.starts[0]), zone)
            if layout.first_slot_at is not None and layout.first_slot_at != int(first.timestamp()):
                shown = datetime.fromtimestamp(layout.first_slot_at, UTC)
                raise InvalidRequest(
                    f"The club's site does not keep {zone.key} time: its day starts at {shown:%H:%M} UTC, "
                    f"not {first:%H:%M} UTC. Set the club's time zone (CLUB_TIMEZONE) to the site's."
                )
            closes_minutes = layout.starts[-1].hour * 60 + layout.starts[-1].minute + layout.slot_minutes
            self._rules = ClubRules(
                release=None,  # MRBS shows none
                timezone=zone,
                slot_minutes=layout.slot_minutes,
                opens=layout.starts[0],
                closes=time(closes_minutes // 60 % 24, closes_minutes % 60),
                max_slots=self._settings.max_slots,
                max_per_day=self._settings.max_per_day,
                max_future=None,
                partner_required=False,
                hold_before_open=False,  # no hold: the booking POST is the first request, armed
            )
        return self._rules

    async def server_clock(self) -> ClockSample:
        http = self._http()
        url = self._base / _PROBE_PATH
        return await estimate_offset(
            lambda: date_probe(http, url, self._clock), self._clock, time_budget_s=self._config.clock_budget_s
        )

    async def courts(self) -> list[Court]:
        if self._courts is None:
            rooms = (await self._area_layout()).rooms
            if self._config.court_map is None:
                self._courts = [Court(n, str(r.id), r.name) for n, r in enumerate(rooms, start=1)]
            else:
                listed = [(str(r.id), r.name) for r in rooms]
                self._courts = [
                    mapped_court(number, wanted, listed)
                    for number, wanted in sorted(self._config.court_map.items())
                ]
        return list(self._courts)

    async def availability(self, day: date) -> DayGrid:
        ours = {int(c.site_id): c.number for c in await self.courts()}
        zone = (await self.rules()).timezone
        if self._credentials is None:
            view, mine = await self._day_view(day), None
        else:
            view, mine = await self._member("day view", lambda: self._day_and_mine(day))
        holders: dict[tuple[int, time], list[pages.EntryCover]] = {}
        for entry in view.entries.values():
            for start in _covered(entry, view.starts, view.resolution_s):
                holders.setdefault((entry.room_id, start), []).append(entry)
        now = self._clock.now()
        cells: dict[tuple[int, time], CellState] = {}
        for (room, start), raw in view.cells.items():
            if room not in ours:
                continue
            state = _STATES[raw]
            if state is CellState.BOOKED and mine is not None:
                state = _whose(holders.get((room, start), []), mine)
            if to_utc(datetime.combine(day, start), zone).timestamp() <= now:
                state = CellState.CLOSED  # a slot that has begun, whatever it shows

            cells[(ours[room], start)] = state
        return DayGrid(day, cells)

    async def prepare(self, slot: Slot, partner: str | None = None) -> Prepared:
        """The booking form, checked against the grid (MRBS itself books any time it is sent)."""
        creds = self._credentials
        if creds is None:
            raise SessionExpired("Not logged in to the club yet.")
        rules = await self.rules()
        room = await self._room_id(slot.court)
        _check_on_grid(slot, rules)
        area = (await self._area_layout()).area_id
        start = slot.start.hour * 3600 + slot.start.minute * 60
        what = self._settings.description or creds.username
        form = {
            "create_by": creds.username,
            "name": what,
            "description": what,
            "start_date": slot.day.isoformat(),
            "start_seconds": str(start),
            "end_date": slot.day.isoformat(),
            "end_seconds": str(start + slot.duration_min * 60),
            "rooms[]": str(room),
            "type": "I",
            "confirmed": "1",  # as the browser's form sends it; without it the entry is only tentative
            "rep_type": "0",
            "rep_id": "0",
            "edit_series": "0",
            "returl": f"index.php?view=day&page_date={slot.day.isoformat()}&area={area}",
        }
        return Prepared(slot, {"form": form, "room": room})

    async def arm(self, slot: Slot, partner: str | None = None) -> ArmedPrepare:
        """The booking POST itself, ready to fire; `commit` reads its answer."""
        prepared = await self.prepare(slot, partner)
        form, _ = _commit_form(prepared.data)
        request = await ArmedRequest.open(
            self._http(),
            "POST",
            self._base / _BOOK_PATH,
            self._config.timeout_s,
            headers=self._headers,
            form=self._signed(form),
        )
        return ArmedCommit(request, prepared)

    async def commit(self, prepared: Prepared) -> Booking:
        form, room = _commit_form(prepared.data)
        logins = self._require_login()
        reply = sent_reply(prepared) or await self._post(_BOOK_PATH, self._signed(form))
        if reply.status in _REDIRECTS:
            return await self._confirm(prepared.slot, room, reply)
        try:
            refusal = self._parse(reply, pages.parse_booking_reply)
        except SessionExpired:
            await self._relogin(logins)
            raise SessionExpired(
                "Your club session had expired, so the booking was not made. "
                "You are logged in again; the booking has to be prepared again."
            ) from None
        raise pages.refusal_error(refusal)

    async def my_bookings(self) -> list[Booking]:
        return await self._member("my bookings", self._my_bookings)

    async def cancel(self, reference: str) -> None:
        entry = reference.strip()
        if not _NUMBER.fullmatch(entry):
            raise InvalidRequest(f"{reference!r} is not a booking reference of this club (they are numbers).")
        await self._member("cancellation", lambda: self._cancel(entry))

    # -- one round trip (or a few) each ------------------------------------------------------------------

    async def _login(self) -> None:
        """POST the login with a token from a fresh page; one retry if MRBS rejects its own fresh token."""
        creds = self._credentials
        assert creds is not None
        for attempt in (1, 2):
            with contextlib.suppress(LoginRequired, SessionExpired):  # a private site: its login form
                await self._day_view(self._today())  # starts the session and hands out its token
            form = {
                "csrf_token": self._csrf or "",
                "action": "SetName",
                "username": creds.username,
                "password": creds.password,
                "target_url": "index.php",
            }
            reply = await self._post("admin.php", form)
            if reply.status in _REDIRECTS:
                try:
                    view = await self._day_view(self._today())  # its courts are what booking needs next
                except (LoginRequired, SessionExpired):  # a private site still showing its login form
                    view = None
                if view is None or (view.username or "").casefold() != creds.username.casefold():
                    raise PageNotUnderstood(
                        "login", "the club's pages do not show you logged in after logging in"
                    )
                self._logins += 1
                return
            try:
                self._parse(reply, pages.parse_login_reply)
            except SessionExpired:
                if attempt == 2:
                    raise PageNotUnderstood("login", "the club rejected its own login form twice") from None

    async def _confirm(self, slot: Slot, room: int, reply: Reply) -> Booking:
        """After MRBS's redirect: find the new entry in the day view (its id is the reference).

        The booking has most likely been made, so nothing here may read as "not booked" (the engine would
        book again): a lost session is reported as a page not understood, which makes the engine look.
        """
        try:
            return await self._find_booked(slot, room, reply)
        except SessionExpired:
            raise PageNotUnderstood(
                "booking confirmation", "the club showed us logged out right after taking the booking"
            ) from None

    async def _find_booked(self, slot: Slot, room: int, reply: Reply) -> Booking:
        """The entry MRBS redirected after: at the slot, and among the member's own by its creator."""
        page = "booking confirmation"
        location = reply.headers.get("Location", "")
        target = urlsplit(location)
        query = {k: v[0] for k, v in parse_qs(target.query).items()}
        named = (query.get("year"), query.get("month"), query.get("day"))
        on_the_day = (
            named == (str(slot.day.year), str(slot.day.month), str(slot.day.day))
            or query.get("page_date") == slot.day.isoformat()
        )  # MRBS names a day either way
        if target.path.rsplit("/", 1)[-1] != "index.php" or not on_the_day:
            raise PageNotUnderstood(
                page, f"the club answered with a redirect to {location[:80]!r}, not to the day"
            )
        view, mine = await self._day_and_mine(slot.day)
        here = [e for e in view.entries.values() if e.room_id == room and _meets(e, slot)]
        ours = [e for e in here if e.entry_id in mine and e.start == slot.start]
        if len(ours) == 1 and ours[0].minutes == slot.duration_min:
            # MRBS does not lock: another booking may have passed its check alongside ours.
            return Booking(str(ours[0].entry_id), slot, double=len(here) > 1)
        raise PageNotUnderstood(
            page, "the club redirected as after a booking, but the day shows no booking of yours there"
        )

    async def _day_and_mine(self, day: date) -> tuple[pages.DayView, set[int]]:
        """A day as the member sees it, and the ids of the member's own entries (by their creator)."""
        view, rows = await asyncio.gather(self._own_day_view(day), self._my_rows())
        return view, {row.entry_id for row in rows}

    async def _my_rows(self) -> list[pages.SearchRow]:
        creds = self._credentials
        assert creds is not None
        return [
            row for row in await self._search(creds.username) if pages.is_creator(row.creator, creds.username)
        ]

    async def _my_bookings(self) -> list[Booking]:
        ours = {int(c.site_id): c.number for c in await self.courts()}
        zone = self._config.timezone
        now = self._clock.now()
        rows = [row for row in await self._my_rows() if row.room_id in ours and row.start > now]
        by_day: dict[date, list[pages.SearchRow]] = {}
        for row in rows:
            by_day.setdefault(datetime.fromtimestamp(row.start, zone).date(), []).append(row)
        days = sorted(by_day)
        views = await asyncio.gather(*(self._own_day_view(day) for day in days))
        bookings: list[Booking] = []
        for day, view in zip(days, views, strict=True):
            for row in by_day[day]:
                cover = view.entries.get(row.entry_id)
                if cover is None:
                    continue  # cancelled since the search
                slot = Slot(ours[row.room_id], day, cover.start, cover.minutes)
                bookings.append(Booking(str(row.entry_id), slot))
        return sorted(bookings, key=lambda b: (b.slot.day, b.slot.start, b.slot.court))

    async def _search(self, text: str) -> list[pages.SearchRow]:
        """search.php from yesterday on (club time; the server's date may differ from ours), every page."""
        since = self._today() - timedelta(days=1)
        reply = await self._get("search.php", {"search_str": text, "from_date": since.isoformat()})
        found = self._own(self._parse(reply, pages.parse_search))
        rows = list(found.rows)
        position = 0
        for _ in range(_MAX_SEARCH_PAGES):
            following = [f for f in found.nav if f.enabled and f.position > position]
            if not following:
                break
            step = min(following, key=lambda f: f.position)
            position = step.position
            found = self._own(self._parse(await self._post("search.php", step.fields), pages.parse_search))
            rows.extend(found.rows)
        return rows

    async def _cancel(self, entry: str) -> None:
        area = (await self._area_layout()).area_id
        form = {
            "csrf_token": self._csrf or "",
            "id": entry,
            "series": "0",
            "returl": f"index.php?view=day&area={area}",
        }
        reply = await self._post("del_entry.php", form)
        if reply.status in _REDIRECTS:
            if urlsplit(reply.headers.get("Location", "")).path.rsplit("/", 1)[-1] == "admin.php":
                raise SessionExpired("The club sent us to log in instead of cancelling.")
            return
        self._parse(reply, lambda html: pages.parse_cancel_reply(html, entry))

    # -- the area and its day views ----------------------------------------------------------------------

    async def _day_view(self, day: date) -> pages.DayView:
        """One day of our area (the site's default area until ours is known), remembering its layout.

        A private site's login form instead keeps its token (what logging in needs) and raises
        LoginRequired, or SessionExpired once we had logged in.
        """
        params = {"view": "day", "page_date": day.isoformat()}
        if self._area_id is not None:
            params["area"] = str(self._area_id)
        reply = await self._get("index.php", params)
        try:
            view = self._parse(reply, lambda html: pages.parse_day_view(html, day))
        except LoginRequired:
            self._csrf = self._parse(reply, lambda html: pages.parse_csrf(html, "login"))
            if self._logins:
                raise SessionExpired("Your club session has expired; logging in again fixes it.") from None
            raise
        except pages.NoRooms as empty:
            raise InvalidRequest(
                f"The club's site has no courts in area {self._area_id}: it says “{empty}”. "
                "Set MRBS_AREA to the id or name of the club's area of courts."
            ) from None
        if self._area_id is None:
            self._area_id = self._choose_area(view)
            if self._area_id != view.area_id:
                return await self._day_view(day)
        elif view.area_id != self._area_id:  # MRBS shows its default area for one it does not have
            raise InvalidRequest(
                f"The club's site has no area {self._area_id} (MRBS_AREA); it showed area {view.area_id}."
            )
        self._csrf = view.csrf_token or self._csrf
        self._layout = _Layout(
            view.area_id, view.rooms, view.starts, view.resolution_s // 60, view.day, view.first_slot_at
        )
        return view

    async def _own_day_view(self, day: date) -> pages.DayView:
        """A day view that must show us logged in (whose bookings are "mine")."""
        return self._own(await self._day_view(day))

    def _choose_area(self, view: pages.DayView) -> int:
        wanted = self._settings.area
        if wanted is None:
            return view.area_id
        if view.areas is None:
            # MRBS lists areas only when it has more than one: the area shown is the only one.
            return view.area_id
        for area_id, name in view.areas.items():
            if name.casefold() == wanted.casefold():
                return area_id
        names = ", ".join(f"{name} ({area_id})" for area_id, name in view.areas.items())
        raise InvalidRequest(f"The club's site has no area called {wanted!r}; it has {names}.")

    async def _area_layout(self) -> _Layout:
        if self._layout is None:
            await self._day_view(self._today())
        assert self._layout is not None
        return self._layout

    async def _room_id(self, court: int) -> int:
        site_id = next((c.site_id for c in await self.courts() if c.number == court), None)
        if site_id is None:
            raise InvalidRequest(f"The club has no court {court}.")
        return int(site_id)

    def _today(self) -> date:
        return datetime.fromtimestamp(self._clock.now(), self._config.timezone).date()

    # -- plumbing ------------------------------------------------------------------------------------

    def _signed(self, form: Mapping[str, str]) -> dict[str, str]:
        """A form with the session's CSRF token, as every MRBS POST needs."""
        return {**form, "csrf_token": self._csrf or ""}

    def _own(self, page: T) -> T:
        """A member page must show us logged in; MRBS shows every page to anyone, just logged out."""
        creds = self._credentials
        username = getattr(page, "username", None)
        if creds is not None and (username or "").casefold() != creds.username.casefold():
            raise SessionExpired("Your club session has expired; logging in again fixes it.")
        return page

    async def _get(self, path: str, params: Mapping[str, str]) -> Reply:
        return await fetch(self._http(), "GET", self._base / path, params=dict(params), headers=self._headers)

    async def _post(self, path: str, form: Mapping[str, str]) -> Reply:
        """A POST whose redirect is read, not followed: MRBS's redirects are its answers."""
        return await fetch(
            self._http(),
            "POST",
            self._base / path,
            data=dict(form),
            headers=self._headers,
            allow_redirects=False,
        )


def _check_on_grid(slot: Slot, rules: ClubRules) -> None:
    """MRBS books any times it is sent (widened to whole slots), so we check them against its grid."""
    opens = rules.opens.hour * 60 + rules.opens.minute
    closes = rules.closes.hour * 60 + rules.closes.minute or 24 * 60
    start = slot.start.hour * 60 + slot.start.minute
    if slot.start.second or start < opens or (start - opens) % rules.slot_minutes:
        raise InvalidRequest(f"{slot.start:%H:%M} is not a slot start at this club.")
    if slot.duration_min not in rules.durations:
        allowed = " or ".join(f"{d} min" for d in rules.durations)
        raise InvalidRequest(f"The club books {allowed}, not {slot.duration_min} min.")
    if start + slot.duration_min > closes:
        raise InvalidRequest(
            f"A booking at {slot.start:%H:%M} for {slot.duration_min} min would run past closing."
        )


def _commit_form(data: Mapping[str, Any]) -> tuple[dict[str, str], int]:
    """The booking POST from what prepare() stored; anything else was not prepared by us."""
    form, room = data.get("form"), data.get("room")
    if (
        not isinstance(form, dict)
        or not isinstance(room, int)
        or not all(isinstance(k, str) and isinstance(v, str) for k, v in form.items())
        or form.get("rooms[]") != str(room)
    ):
        raise InvalidRequest("This booking was not prepared for this club; prepare it again.")
    return dict(form), room


def _meets(entry: pages.EntryCover, slot: Slot) -> bool:
    """Whether an entry shown in the day view overlaps the slot's time."""
    start = entry.start.hour * 60 + entry.start.minute
    wanted = slot.start.hour * 60 + slot.start.minute
    return start < wanted + slot.duration_min and wanted < start + entry.minutes


def _covered(entry: pages.EntryCover, starts: Sequence[time], resolution_s: int) -> list[time]:
    """The slot starts of the day that an entry covers."""
    first = starts.index(entry.start)
    return list(starts[first : first + entry.minutes * 60 // resolution_s])


def _whose(entries: Sequence[pages.EntryCover], mine: set[int]) -> CellState:
    """A booked cell for a logged-in member: theirs by its creator; another's where they may not edit
    it; otherwise unsure (MRBS lets an admin edit every booking, so `writable` proves nothing)."""
    if any(e.entry_id in mine for e in entries):
        return CellState.MINE
    if entries and not any(e.writable for e in entries):
        return CellState.BOOKED
    return CellState.UNSURE


def _whole(extra: Mapping[str, str], key: str, default: int, *, minimum: int) -> int:
    raw = (extra.get(key) or "").strip()
    if not raw:
        return default
    if not _NUMBER.fullmatch(raw) or int(raw) < minimum:
        raise ValueError(f"MRBS setting {key} must be a whole number of at least {minimum}, not {raw!r}")
    return int(raw)

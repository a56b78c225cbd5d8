"""The LibreBooking adapter: LibreBooking 2.8 as tennis clubs run it, a schedule ("Tennis") whose resources
are the courts (what it does over HTTP: docs/platforms/librebooking.md).

One instance is one member's conversation: its own aiohttp session and keep-alive pool, and one of two
ways in.

- **Two ways in.** LibreBooking's REST API (`Services/index.php/...`, JSON) is simpler and sturdier, but
  clubs often leave it switched off (LibreBooking's default); then its web pages and their AJAX answers
  are used. Which one is found out at login - the API's login answers "API has been configured as
  disabled" on a club without it - or forced by the setting `api` (auto | on | off). A club that
  switches its API off later is noticed on the next call, which moves to the web pages (logging in there
  once); a booking request the disabled API turned away was certainly not made, so commit says
  SessionExpired and the engine prepares it again for the web form.
- **Refusals** come as words only (the API's `errors`, the web form's failure fragment), read in English
  and German by `refusals`; anything else is "refused by the club: <their words>".
- **No locking.** LibreBooking checks, then inserts, with nothing in between: one member's booking
  requests never overlap (the engine's member lock), a commit is never repeated here, and after an unclear
  answer the engine reads `my_bookings` - the member's own bookings, by their own user id - before anything
  is sent again. A booking read back alongside someone else's is reported as `double`.
- **Whose.** A booking is the member's only by their user id (API) or LibreBooking's IsOwner (web). No
  member id but their own is ever sent: the API body has no `userId` (LibreBooking would book in that
  member's name), the web form carries the id reservation.php shows the member.
- **The release rule** published is each court's maximum notice (API `maxNotice`), measured to the
  booking's end in elapsed seconds; courts with different notices use the shortest (every court is open by
  then). The web pages do not show it: there the adapter publishes none, and the domain decides
  (booking.release.ReleaseChoice: the platform's fallback of 7 days, or the host's BOOKING_WINDOW_DAYS).
- Booking is one request, so `prepare` is local and there is no hold to take early; `arm` builds that
  request (the API's JSON POST, or the web form) to be fired at the release, and `commit` reads its answer.
- Sessions: an expired one (API 401, or the web's redirect to its login page) is renewed once by the base
  class; at commit the adapter logs in again itself and says SessionExpired (the booking was not made).

Settings (`SiteConfig.extra`, see the package's PLATFORM): api (auto | on | off: LIBREBOOKING_API),
schedule (id or name: LIBREBOOKING_SCHEDULE; default the site's default schedule), language (sent as
LibreBooking's `language` cookie, e.g. de_de: LIBREBOOKING_LANGUAGE), max_slots (default: from the courts'
maximum length, else 2), max_per_day (none). The club's time zone is SiteConfig.timezone.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlsplit

import aiohttp
from yarl import URL

from booking.clocksync import estimate_offset
from booking.release import ReleaseRule, WindowKind, to_utc
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
from booking.sites.errors import (
    InvalidRequest,
    LoginRequired,
    PageNotUnderstood,
    SessionExpired,
    SiteError,
)
from booking.sites.http import Reply, date_probe, fetch
from booking.sites.librebooking import api, pages
from booking.sites.librebooking.refusals import refusal_error
from booking.sites.member import HttpMemberAdapter
from booking.timebase import Clock
from booking.validation import slot_starts

log = logging.getLogger(__name__)

T = TypeVar("T")

_NUMBER = re.compile(r"[0-9]{1,9}")
_REFERENCE = re.compile(r"[0-9A-Za-z]{6,40}")
_REDIRECTS = (301, 302, 303)
_API = "Services/index.php/"
#: a static file of LibreBooking's: a clock probe that starts no PHP session
_PROBE_PATH = "favicon.ico"
#: how far ahead the member's bookings are listed: LibreBooking lists what touches a date range, so it has
#: to end somewhere, but past every one the member holds - a season's lessons the club books for them too
_MINE_DAYS = 400
_API_SWITCHED_OFF = (
    "The club's LibreBooking has its API switched off, and courtbot is set to use only the API "
    "(LIBREBOOKING_API=on). Set LIBREBOOKING_API=auto (or off) to use the club's web pages."
)
_LOGGED_OUT_AT_COMMIT = (
    "Your club session had expired, so the booking was not made. "
    "You are logged in again; the booking has to be prepared again."
)


class Way(StrEnum):
    """The way into the club's LibreBooking: its REST API, or its web pages."""

    API = "api"
    WEB = "web"


@dataclass(frozen=True)
class LibreBookingSettings:
    """The adapter's settings, read from `SiteConfig.extra` once and checked (ValueError names the key)."""

    api: str  # "auto", "on" or "off"
    schedule: str | None
    language: str | None
    max_slots: int | None
    max_per_day: int | None

    @classmethod
    def from_extra(cls, extra: Mapping[str, str]) -> LibreBookingSettings:
        choice = (extra.get("api") or "auto").strip().lower()
        if choice not in ("auto", "on", "off"):
            raise ValueError(
                f"LibreBooking setting api (LIBREBOOKING_API) must be auto, on or off, not {choice!r}"
            )
        return cls(
            api=choice,
            schedule=(extra.get("schedule") or "").strip() or None,
            language=(extra.get("language") or "").strip() or None,
            max_slots=_count(extra, "max_slots", minimum=1),
            max_per_day=_count(extra, "max_per_day", minimum=0),
        )


@dataclass(frozen=True)
class _Site:
    """The schedule of courts as the club shows it to a member."""

    schedule_id: int
    courts: tuple[tuple[int, str], ...]  # (resource id, name), in the club's order
    #: (start, end) of each bookable slot of tomorrow, a day whose layout is all ahead (past slots look
    #: alike on the web, bookable or not)
    slots: tuple[tuple[int, int], ...]
    #: per resource: its maximum notice and maximum length in seconds (the API's; the web shows neither)
    notices: Mapping[int, int | None]
    lengths: Mapping[int, int | None]


@dataclass(frozen=True)
class _Request:
    """The one request that books, as the way in use sends it: a JSON body (API) or a form (web)."""

    url: URL
    headers: dict[str, str]
    json: dict[str, Any] | None
    form: dict[str, str] | None


@dataclass(frozen=True)
class _Booking:
    """What prepare() stored: the reservation to make, and the way in it was made for."""

    resource_id: int
    start: int  # Unix seconds
    end: int
    way: Way


class LibreBookingAdapter(HttpMemberAdapter):
    """LibreBooking over HTTP (its API or its web pages) for one member."""

    def __init__(self, config: SiteConfig, clock: Clock | None = None) -> None:
        super().__init__(config, clock)
        self._settings = LibreBookingSettings.from_extra(config.extra)
        self._base = URL(config.base_url.rstrip("/") + "/")
        self._way: Way | None = None  # decided at login
        self._token: str | None = None  # the API's session token
        self._user_id: int | None = None  # the member's own, as the club numbers them
        self._site: _Site | None = None
        self._rules: ClubRules | None = None
        self._courts: list[Court] | None = None

    # -- the interface ---------------------------------------------------------------------------------

    async def rules(self) -> ClubRules:
        if self._rules is None:
            site = await self._site_info()
            self._rules = self._club_rules(site, [int(c.site_id) for c in await self.courts()])
        return self._rules

    async def server_clock(self) -> ClockSample:
        http = self._http()
        url = self._base / _PROBE_PATH
        return await estimate_offset(lambda: date_probe(http, url, self._clock), self._clock)

    async def courts(self) -> list[Court]:
        if self._courts is None:
            site = await self._site_info()
            if self._config.court_map is None:
                self._courts = [
                    Court(n, str(rid), name) for n, (rid, name) in enumerate(site.courts, start=1)
                ]
            else:
                listed = [(str(rid), name) for rid, name in site.courts]
                self._courts = [
                    mapped_court(number, wanted, listed)
                    for number, wanted in sorted(self._config.court_map.items())
                ]
        return list(self._courts)

    async def availability(self, day: date) -> DayGrid:
        ours = {int(c.site_id): c.number for c in await self.courts()}
        rules = await self.rules()
        site = await self._site_info()
        cells, holders = await self._either(
            "day", lambda: self._api_day(site, day), lambda: self._web_day(site, day)
        )
        return self._grid(day, rules, ours, cells, holders)

    async def prepare(self, slot: Slot, partner: str | None = None) -> Prepared:
        """The reservation to make (LibreBooking books in one request: nothing is sent here)."""
        self._require_login()
        assert self._way is not None
        resource_id = await self._resource_id(slot.court)
        start = int(to_utc(datetime.combine(slot.day, slot.start), self._config.timezone).timestamp())
        booking = _Booking(resource_id, start, start + slot.duration_min * 60, self._way)
        return Prepared(slot, {"booking": booking})

    async def arm(self, slot: Slot, partner: str | None = None) -> ArmedPrepare:
        """The booking request itself (the API's JSON, or the web form), ready to fire; commit reads its
        answer."""
        prepared = await self.prepare(slot, partner)
        sending = self._booking_request(_booked(prepared.data))
        request = await ArmedRequest.open(
            self._http(),
            "POST",
            sending.url,
            self._config.timeout_s,
            headers=sending.headers,
            form=sending.form,
            json_body=sending.json,
        )
        return ArmedCommit(request, prepared)

    async def commit(self, prepared: Prepared) -> Booking:
        booking = _booked(prepared.data)
        logins = self._require_login()
        reply = sent_reply(prepared)
        way = booking.way if reply is not None else self._way
        try:
            if reply is None:
                sending = self._booking_request(booking)
                reply = await fetch(
                    self._http(),
                    "POST",
                    sending.url,
                    headers=sending.headers,
                    json=sending.json,
                    data=sending.form,
                    allow_redirects=False,
                )
            reference = self._reference(reply, way)
        except SessionExpired:
            await self._relogin(logins)
            raise SessionExpired(_LOGGED_OUT_AT_COMMIT) from None
        except api.ApiDisabled:
            await self._use_web()
            raise SessionExpired(
                "The club has switched its booking API off, so the booking was not made. courtbot uses the "
                "club's web pages now; the booking has to be prepared again."
            ) from None
        return Booking(reference, prepared.slot, double=await self._held_twice(booking, reference))

    async def my_bookings(self) -> list[Booking]:
        ours = {int(c.site_id): c.number for c in await self.courts()}
        site = await self._site_info()
        listed = await self._either("my bookings", lambda: self._api_mine(site), lambda: self._web_mine(site))
        now = self._clock.now()
        bookings = [
            Booking(reference, self._slot(ours[rid], start, end))
            for reference, rid, start, end in listed
            if rid in ours and start > now
        ]
        return sorted(bookings, key=lambda b: (b.slot.day, b.slot.start, b.slot.court))

    async def cancel(self, reference: str) -> None:
        ref = reference.strip()
        if not _REFERENCE.fullmatch(ref):
            raise InvalidRequest(f"{reference!r} is not a booking reference of this club.")
        await self._either("cancellation", lambda: self._api_cancel(ref), lambda: self._web_cancel(ref))

    # -- logging in, and which way in -------------------------------------------------------------------

    async def _login(self) -> None:
        """The API's login where the club has its API on (or `api` says so), else the web's."""
        if self._settings.api != "off":
            try:
                await self._api_login()
                return
            except api.ApiDisabled:
                if self._settings.api == "on":
                    raise InvalidRequest(_API_SWITCHED_OFF) from None
                log.info("the club's LibreBooking API is off; using its web pages")
        await self._web_login()

    async def _api_login(self) -> None:
        creds = self._credentials
        assert creds is not None
        body = {"username": creds.username, "password": creds.password}
        reply = await fetch(
            self._http(),
            "POST",
            self._api_url("Authentication/Authenticate"),
            json=body,
            allow_redirects=False,
        )
        if reply.status == 404 or api.is_disabled(reply.text):
            raise api.ApiDisabled("The club's site has no API switched on.")
        session = self._parse(reply, api.parse_authentication)
        self._token, self._user_id, self._way = session.token, session.user_id, Way.API
        self._logins += 1

    async def _web_login(self) -> None:
        """POST the login form (no token needed), then read the member's own id from reservation.php."""
        creds = self._credentials
        assert creds is not None
        form = {"email": creds.username, "password": creds.password, "login": "submit"}
        reply = await fetch(self._http(), "POST", self._base / "index.php", data=form, allow_redirects=False)
        if reply.status not in _REDIRECTS:
            self._parse(reply, pages.parse_login_reply)  # raises: a refusal, or a page we do not understand
        try:
            member = self._parse(await self._web("GET", "reservation.php", "login"), pages.parse_member_form)
        except SessionExpired:
            raise PageNotUnderstood(
                "login", "the club's pages do not show you logged in after logging in"
            ) from None
        self._csrf, self._user_id, self._way = member.csrf_token, member.user_id, Way.WEB
        self._token = None
        self._logins += 1

    async def _use_web(self) -> None:
        """The club has switched its API off since we logged in: move to its web pages (one login)."""
        if self._settings.api == "on":
            raise InvalidRequest(_API_SWITCHED_OFF)
        async with self._login_lock:
            if self._way is not Way.WEB:
                log.warning("the club's LibreBooking API was switched off; using its web pages")
                await self._web_login()

    async def _either(
        self, page: str, via_api: Callable[[], Awaitable[T]], via_web: Callable[[], Awaitable[T]]
    ) -> T:
        """A member call on the way in use; an API found switched off moves to the web pages."""
        if self._way is Way.WEB:
            return await self._member(page, via_web)
        try:
            # A session renewed in between may have found the API off and logged in on the web instead.
            return await self._member(page, lambda: via_web() if self._way is Way.WEB else via_api())
        except api.ApiDisabled:
            await self._use_web()
            return await self._member(page, via_web)

    # -- the schedule and its courts -------------------------------------------------------------------

    async def _site_info(self) -> _Site:
        if self._site is None:
            if self._credentials is None:
                raise LoginRequired(
                    "The club's LibreBooking shows its courts only to members who are logged in."
                )
            self._site = await self._either("schedule", self._api_site, self._web_site)
        return self._site

    async def _api_site(self) -> _Site:
        schedules = api.parse_schedules((await self._api_call("GET", "Schedules/", "schedules")).text)
        schedule = self._choose_schedule(
            {s.id: s.name for s in schedules}, next((s.id for s in schedules if s.default), schedules[0].id)
        )
        zone = next(s.timezone for s in schedules if s.id == schedule)
        if zone != self._config.timezone.key:
            raise InvalidRequest(
                f"The club's schedule keeps {zone} time, not {self._config.timezone.key}. "
                "Set the club's time zone (CLUB_TIMEZONE) to the schedule's."
            )
        resources = [
            r
            for r in api.parse_resources((await self._api_call("GET", "Resources/", "courts")).text)
            if r.schedule_id == schedule and r.available
        ]
        if not resources:
            raise InvalidRequest(f"The club's schedule {schedule} has no courts that can be booked.")
        day = self._tomorrow().isoformat()
        params = {"startDateTime": day, "endDateTime": day, "resourceId": str(resources[0].id)}
        reply = await self._api_call("GET", f"Schedules/{schedule}/Slots", "schedule", params)
        slots = [(s.start, s.end) for s in api.parse_slots(reply.text) if s.reservable and s.owner_id is None]
        return _Site(
            schedule,
            tuple((r.id, r.name) for r in resources),
            tuple(slots),
            {r.id: r.max_notice_s for r in resources},
            {r.id: r.max_length_s for r in resources},
        )

    async def _web_site(self) -> _Site:
        wanted = self._settings.schedule
        page = await self._schedule_page(
            self._tomorrow(), wanted if _NUMBER.fullmatch(wanted or "") else None
        )
        if page.schedules is not None:
            chosen = self._choose_schedule(page.schedules, page.schedule_id)
            if chosen != page.schedule_id:
                page = await self._schedule_page(self._tomorrow(), str(chosen))
        if wanted is not None and _NUMBER.fullmatch(wanted) and page.schedule_id != int(wanted):
            raise InvalidRequest(
                f"The club's site has no schedule {wanted} (LIBREBOOKING_SCHEDULE); it showed schedule "
                f"{page.schedule_id}."
            )
        self._check_zone_of(page)
        tomorrow, first = self._tomorrow(), page.courts[0][0]
        slots = [
            (c.start, c.end)
            for c in page.cells
            if c.resource_id == first and c.kind == "free" and self._local(c.start).date() == tomorrow
        ]
        return _Site(page.schedule_id, page.courts, tuple(slots), {}, {})

    def _choose_schedule(self, schedules: Mapping[int, str], default: int) -> int:
        wanted = self._settings.schedule
        if wanted is None:
            return default
        for schedule_id, name in schedules.items():
            if wanted == str(schedule_id) or wanted.casefold() == name.casefold():
                return schedule_id
        names = ", ".join(f"{name} ({sid})" for sid, name in schedules.items())
        raise InvalidRequest(
            f"The club's site has no schedule {wanted!r} (LIBREBOOKING_SCHEDULE); it has {names}."
        )

    def _check_zone_of(self, page: pages.SchedulePage) -> None:
        """Each day of the schedule starts at midnight in the site's zone: it must be the club's."""
        zone = self._config.timezone
        for start in page.day_starts:
            local = datetime.fromtimestamp(start, zone)
            if (local.hour, local.minute) != (0, 0):
                shown = datetime.fromtimestamp(start, UTC)
                raise InvalidRequest(
                    f"The club's site does not keep {zone.key} time: its day starts at {shown:%H:%M} UTC. "
                    "Set the club's time zone (CLUB_TIMEZONE) to the site's."
                )

    def _club_rules(self, site: _Site, ours: list[int]) -> ClubRules:
        slots = site.slots
        if not slots:
            raise PageNotUnderstood("schedule", "the schedule has no slots that can be booked")
        lengths = {end - start for start, end in slots}
        if len(lengths) != 1 or any(length % 60 for length in lengths):
            raise InvalidRequest(
                "courtbot books schedules whose slots are all one length; this one's are not."
            )
        slot_s = slots[0][1] - slots[0][0]
        opens, closes = (
            self._local(min(s for s, _ in slots)).time(),
            self._local(max(e for _, e in slots)).time(),
        )
        longest = [site.lengths.get(rid) for rid in ours]
        known = [n // slot_s for n in longest if n]
        max_slots = self._settings.max_slots or (max(1, min(known)) if known else 2)
        return ClubRules(
            release=self._release(site, ours),
            timezone=self._config.timezone,
            slot_minutes=slot_s // 60,
            opens=opens,
            closes=closes,
            max_slots=max_slots,
            max_per_day=self._settings.max_per_day,
            max_future=None,
            partner_required=False,
            hold_before_open=False,  # no hold: the booking request is the first request, armed
        )

    def _release(self, site: _Site, ours: list[int]) -> ReleaseRule | None:
        """The shortest maximum notice of our courts (by then every one of them is open), counted in elapsed
        seconds back from a booking's end; None where the club shows none (its web pages)."""
        notices = [n for n in (site.notices.get(rid) for rid in ours) if n]
        if not notices:
            return None
        return ReleaseRule(
            WindowKind.ROLLING_END_ELAPSED, min(notices) // 86400, seconds=min(notices) % 86400
        )

    async def _resource_id(self, court: int) -> int:
        site_id = next((c.site_id for c in await self.courts() if c.number == court), None)
        if site_id is None:
            raise InvalidRequest(f"The club has no court {court}.")
        return int(site_id)

    # -- a day ---------------------------------------------------------------------------------------

    async def _api_day(self, site: _Site, day: date) -> tuple[list[_Cell], list[_Held]]:
        params = {"startDateTime": day.isoformat(), "endDateTime": day.isoformat()}
        reply = await self._api_call("GET", f"Schedules/{site.schedule_id}/Slots", "day", params)
        cells: list[_Cell] = []
        held: list[_Held] = []
        for slot in api.parse_slots(reply.text):
            if slot.owner_id is not None:
                held.append((slot.resource_id, slot.start, slot.end, slot.owner_id == self._user_id))
            else:
                cells.append(
                    (slot.resource_id, slot.start, slot.end, "free" if slot.reservable else "closed")
                )
        return cells, held

    async def _web_day(self, site: _Site, day: date) -> tuple[list[_Cell], list[_Held]]:
        page = await self._schedule_page(day, str(site.schedule_id))
        listed = await self._web_reservations(site, day, day + timedelta(days=1), "day")
        cells = [(c.resource_id, c.start, c.end, c.kind) for c in page.cells]
        return cells, [(item.resource_id, item.start, item.end, item.mine) for item in listed]

    def _grid(
        self,
        day: date,
        rules: ClubRules,
        ours: Mapping[int, int],
        cells: Iterable[_Cell],
        held: Iterable[_Held],
    ) -> DayGrid:
        """Our courts' slots of `day`: held ones the member's or someone else's, free ones free, begun or
        closed-hour ones closed."""
        slot_s = rules.slot_minutes * 60
        states: dict[tuple[int, int], CellState] = {}
        for rid, start, end, kind in cells:
            for at in range(start, end, slot_s):
                states[(rid, at)] = CellState.FREE if kind == "free" else CellState.CLOSED
        for rid, start, end, mine in held:
            for at in range(start, end, slot_s):
                if states.get((rid, at)) is not CellState.MINE:  # two holders (no locking): ours wins
                    states[(rid, at)] = CellState.MINE if mine else CellState.BOOKED
        now = self._clock.now()
        starts = set(slot_starts(rules))
        grid: dict[tuple[int, time], CellState] = {}
        for (rid, at), state in states.items():
            local = self._local(at)
            if rid not in ours or local.date() != day or local.time() not in starts:
                continue
            if at <= now:
                state = CellState.CLOSED  # a slot that has begun, whatever it shows
            grid[(ours[rid], local.time())] = state
        return DayGrid(day, grid)

    # -- the member's bookings -----------------------------------------------------------------------

    async def _api_mine(self, site: _Site) -> list[tuple[str, int, int, int]]:
        first, last = self._today() - timedelta(days=1), self._today() + timedelta(days=_MINE_DAYS)
        params = {
            "userId": str(self._user_id),
            "scheduleId": str(site.schedule_id),
            "startDateTime": first.isoformat(),
            "endDateTime": last.isoformat(),
        }
        reply = await self._api_call("GET", "Reservations/", "my bookings", params)
        return [
            (r.reference, r.resource_id, r.start, r.end)
            for r in api.parse_reservations(reply.text)
            if r.user_id == self._user_id  # the member's own, whatever the filter did
        ]

    async def _web_mine(self, site: _Site) -> list[tuple[str, int, int, int]]:
        first, last = self._today() - timedelta(days=1), self._today() + timedelta(days=_MINE_DAYS)
        listed = await self._web_reservations(site, first, last, "my bookings", owner=True)
        return [(i.reference, i.resource_id, i.start, i.end) for i in listed if i.reservation and i.mine]

    async def _web_reservations(
        self, site: _Site, first: date, last: date, page: str, *, owner: bool = False
    ) -> list[pages.WebListed]:
        """The bookings touching `first`'s midnight to `last`'s, as the schedule page's script asks."""
        form = {
            "beginDate": first.isoformat(),
            "endDate": last.isoformat(),
            "scheduleId": str(site.schedule_id),
        }
        if owner:
            form["userId"] = str(self._user_id)
        reply = await self._web("POST", "schedule.php", page, params={"dr": "reservations"}, data=form)
        return self._parse(reply, lambda text: pages.parse_reservations(text, page))

    # -- booking -------------------------------------------------------------------------------------

    def _booking_request(self, booking: _Booking) -> _Request:
        """The one request that books, for the way in use: never naming any member but this one."""
        if self._way is Way.API:
            body = {
                "resourceId": booking.resource_id,
                "startDateTime": self._iso(booking.start),
                "endDateTime": self._iso(booking.end),
                "title": "",
                "description": "",
                "allowParticipation": False,
                "termsAccepted": False,
            }  # no userId: LibreBooking would book in the name of whichever member it names
            return _Request(self._api_url("Reservations/"), self._api_headers(), body, None)
        start, end = self._local(booking.start), self._local(booking.end)
        form = {
            "CSRF_TOKEN": self._csrf or "",
            "userId": str(self._user_id),  # the member's own, as reservation.php showed it
            "resourceId": str(booking.resource_id),
            "beginDate": start.date().isoformat(),
            "beginPeriod": start.strftime("%H:%M:%S"),
            "endDate": end.date().isoformat(),
            "endPeriod": end.strftime("%H:%M:%S"),
        }
        return _Request(self._base / "ajax/reservation_save.php", {}, None, form)

    def _reference(self, reply: Reply, way: Way | None) -> str:
        """The booking's reference from the club's answer, or the typed error its answer means."""
        page = "booking"
        if way is Way.API:
            self._check_api(reply)
            if reply.status == 201:
                return self._parse(reply, api.parse_created)
            if reply.status == 400:
                raise refusal_error(self._parse(reply, lambda text: api.parse_errors(text, page)))
            raise PageNotUnderstood(page, f"an unexpected answer (HTTP {reply.status})")
        self._check_web(reply, page)
        saved = self._parse(reply, pages.parse_save_reply)
        if saved.reference is None:
            raise refusal_error(saved.errors)
        return saved.reference

    async def _held_twice(self, booking: _Booking, reference: str) -> bool:
        """Whether the booking reads back alongside someone else's (LibreBooking does not lock). The
        booking stands either way: a failed read says no."""
        day = self._local(booking.start).date()
        try:
            if self._way is Way.API:
                params = {
                    "resourceId": str(booking.resource_id),
                    "startDateTime": day.isoformat(),
                    "endDateTime": (day + timedelta(days=1)).isoformat(),
                }
                reply = await self._api_call("GET", "Reservations/", "booking confirmation", params)
                others = [
                    (r.reference, r.resource_id, r.start, r.end) for r in api.parse_reservations(reply.text)
                ]
            else:
                site = await self._site_info()
                listed = await self._web_reservations(
                    site, day, day + timedelta(days=1), "booking confirmation"
                )
                others = [(i.reference, i.resource_id, i.start, i.end) for i in listed]
        except SiteError as error:
            log.info("booking %s made; whether it is held twice is unknown (%s)", reference, error)
            return False
        return any(
            ref != reference and rid == booking.resource_id and start < booking.end and booking.start < end
            for ref, rid, start, end in others
        )

    # -- cancelling ----------------------------------------------------------------------------------

    async def _api_cancel(self, reference: str) -> None:
        reply = await self._api_call("DELETE", f"Reservations/{reference}", "cancellation")
        if reply.status == 400:
            words = self._parse(reply, lambda text: api.parse_errors(text, "cancellation"))
            raise InvalidRequest(f"The club did not cancel booking {reference}: {' '.join(words)}")
        if reply.status != 200:
            raise PageNotUnderstood("cancellation", f"an unexpected answer (HTTP {reply.status})")
        if not self._parse(reply, api.parse_deleted):
            raise InvalidRequest(
                f"The club has no booking {reference} to cancel (it is gone, or was never yours)."
            )

    async def _web_cancel(self, reference: str) -> None:
        form = {"CSRF_TOKEN": self._csrf or "", "referenceNumber": reference, "seriesUpdateScope": "full"}
        reply = await self._web("POST", "ajax/reservation_delete.php", "cancellation", data=form)
        words = self._parse(reply, pages.parse_delete_reply)
        if words:
            raise InvalidRequest(f"The club did not cancel booking {reference}: {' '.join(words)}")

    # -- plumbing ------------------------------------------------------------------------------------

    def _http(self) -> aiohttp.ClientSession:
        """The member's session, with LibreBooking's `language` cookie where a language is set."""
        fresh = self._session is None
        session = super()._http()
        if fresh and self._settings.language:
            session.cookie_jar.update_cookies({"language": self._settings.language}, self._base)
        return session

    def _api_url(self, path: str) -> URL:
        return self._base / (_API + path)

    def _api_headers(self) -> dict[str, str]:
        return {"X-Booked-SessionToken": self._token or "", "X-Booked-UserId": str(self._user_id)}

    async def _api_call(
        self, method: str, path: str, page: str, params: Mapping[str, str] | None = None
    ) -> Reply:
        """An authenticated API call; its answer checked for a lost session or a switched-off API."""
        if self._token is None:  # logged in on the web: the API is not ours to call
            raise api.ApiDisabled("The club's site has no API switched on.")
        reply = await fetch(
            self._http(),
            method,
            self._api_url(path),
            params=params,
            headers=self._api_headers(),
            allow_redirects=False,
        )
        self._check_api(reply)
        return reply

    @staticmethod
    def _check_api(reply: Reply) -> None:
        if reply.status == 401:
            raise SessionExpired("Your club session has expired; logging in again fixes it.")
        if reply.status == 200 and api.is_disabled(reply.text):
            raise api.ApiDisabled("The club has switched its booking API off.")

    async def _web(self, method: str, path: str, page: str, **kwargs: Any) -> Reply:
        """A member page or AJAX call; a redirect to the login page is a lost session."""
        reply = await fetch(self._http(), method, self._base / path, allow_redirects=False, **kwargs)
        self._check_web(reply, page)
        return reply

    @staticmethod
    def _check_web(reply: Reply, page: str) -> None:
        if reply.status in _REDIRECTS:
            target = urlsplit(reply.headers.get("Location", "")).path.rsplit("/", 1)[-1]
            if target == "index.php":
                raise SessionExpired("Your club session has expired; logging in again fixes it.")
            raise PageNotUnderstood(page, f"an unexpected redirect (HTTP {reply.status})")

    async def _schedule_page(self, day: date, schedule: str | None) -> pages.SchedulePage:
        params = {"sd": day.isoformat(), **({"sid": schedule} if schedule else {})}
        page = self._parse(
            await self._web("GET", "schedule.php", "schedule", params=params), pages.parse_schedule
        )
        self._csrf = page.csrf_token
        return page

    def _slot(self, court: int, start: int, end: int) -> Slot:
        local = self._local(start)
        return Slot(court, local.date(), local.time(), (end - start) // 60)

    def _local(self, instant: float) -> datetime:
        return datetime.fromtimestamp(instant, self._config.timezone).replace(tzinfo=None)

    def _iso(self, instant: int) -> str:
        """A time as the API takes it: ISO 8601 with the club's offset (sent explicitly)."""
        return datetime.fromtimestamp(instant, self._config.timezone).isoformat()

    def _today(self) -> date:
        return datetime.fromtimestamp(self._clock.now(), self._config.timezone).date()

    def _tomorrow(self) -> date:
        """A day whose layout is all ahead: past slots look alike on the web, reservable or not."""
        return self._today() + timedelta(days=1)


#: a slot as either way in reports it: (resource id, start, end, "free" | "closed" | "past")
_Cell = tuple[int, int, int, str]
#: a booking holding a resource: (resource id, start, end, the member's own)
_Held = tuple[int, int, int, bool]


def _booked(data: Mapping[str, Any]) -> _Booking:
    """What prepare() stored; anything else was not prepared by us."""
    booking = data.get("booking")
    if not isinstance(booking, _Booking):
        raise InvalidRequest("This booking was not prepared for this club; prepare it again.")
    return booking


def _count(extra: Mapping[str, str], key: str, *, minimum: int) -> int | None:
    raw = (extra.get(key) or "").strip()
    if not raw:
        return None
    if not _NUMBER.fullmatch(raw) or int(raw) < minimum:
        raise ValueError(
            f"LibreBooking setting {key} must be a whole number of at least {minimum}, not {raw!r}"
        )
    return int(raw)

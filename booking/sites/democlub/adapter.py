"""The democlub adapter: the simulated club's HTML site (contract: sim/club/README.md).

One instance is one member's conversation: its own aiohttp session, cookie jar and keep-alive pool.
Pages are read by `pages`; this module adds HTTP, court numbering and session recovery.

Session recovery: a member page that comes back as the login page raises SessionExpired; the adapter
logs in again once with the credentials it keeps in memory and repeats the call once. `commit` is never
repeated (an expired session there means the booking was not made; the engine decides what next). A
login page right after a fresh login is not an expiry but a page we do not understand. Before `login`
has been called, member calls raise SessionExpired without touching the network.

At a release the hold is armed (booking.sites.armed), and so is its commit: a second connection opened
with it, given the hold's form as the hold's answer is read. The commit then leaves ~0.5 ms sooner than
through aiohttp, and the court is only ours once it arrives.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from yarl import URL

from booking.clocksync import estimate_offset
from booking.sites.armed import ArmedRequest
from booking.sites.base import (
    ArmedPrepare,
    Booking,
    ClockSample,
    ClubRules,
    Court,
    DayGrid,
    Prepared,
    SiteConfig,
    Slot,
)
from booking.sites.democlub import pages
from booking.sites.errors import InvalidRequest, PageNotUnderstood, SessionExpired, TemporarilyUnavailable
from booking.sites.http import Reply, date_probe, fetch
from booking.sites.member import HttpMemberAdapter
from booking.timebase import Clock


class DemoClubAdapter(HttpMemberAdapter):
    """democlub over HTTP for one member."""

    def __init__(self, config: SiteConfig, clock: Clock | None = None) -> None:
        super().__init__(config, clock)
        self._base = URL(config.base_url)
        self._rules_page: pages.RulesPage | None = None
        self._courts: list[Court] | None = None
        self._commit_lines: list[ArmedRequest] = []  # armed commits, closed with the adapter if unused

    # -- the interface ---------------------------------------------------------------------------------

    async def rules(self) -> ClubRules:
        return (await self._rules()).rules

    async def server_clock(self) -> ClockSample:
        http = self._http()
        url = self._url("rules")
        return await estimate_offset(
            lambda: date_probe(http, url, self._clock), self._clock, time_budget_s=self._config.clock_budget_s
        )

    async def courts(self) -> list[Court]:
        if self._courts is None:
            site = (await self._rules()).courts
            names = dict(site)
            if self._config.court_map is None:
                self._courts = [Court(n, sid, name) for n, (sid, name) in enumerate(site, start=1)]
            else:
                missing = [
                    f"{n}={sid}" for n, sid in sorted(self._config.court_map.items()) if sid not in names
                ]
                if missing:
                    raise InvalidRequest(
                        f"COURT_MAP ({', '.join(missing)}) names court ids the club does not list "
                        f"(it lists {', '.join(names)})."
                    )
                self._courts = [
                    Court(n, sid, names[sid]) for n, sid in sorted(self._config.court_map.items())
                ]
        return list(self._courts)

    async def availability(self, day: date) -> DayGrid:
        ours = await self._site_to_ours()
        grid = await self._member("availability", lambda: self._availability(day))
        absent = sorted(n for sid, n in ours.items() if sid not in grid.court_ids)
        if absent:
            raise PageNotUnderstood("availability", f"the grid has no column for court {absent[0]}")
        return DayGrid(day, {(ours[sid], start): s for (sid, start), s in grid.cells.items() if sid in ours})

    async def prepare(self, slot: Slot, partner: str | None = None) -> Prepared:
        params = await self._booking_params(slot, partner)
        form = await self._member("booking form", lambda: self._prepare(params))
        return _prepared(slot, form, partner)

    async def arm(self, slot: Slot, partner: str | None = None) -> ArmedPrepare:
        params = await self._booking_params(slot, partner)
        self._require_login()
        session, timeout = self._http(), self._config.timeout_s
        hold = await ArmedRequest.open(session, "GET", self._url("book").with_query(params), timeout)
        try:
            line: ArmedRequest | None = await ArmedRequest.open(session, "POST", self._url("book"), timeout)
        except TemporarilyUnavailable:
            line = None  # the commit goes the ordinary way
        else:
            self._commit_lines.append(line)
        return _ArmedBookingForm(hold, line, slot, partner)

    async def _booking_params(self, slot: Slot, partner: str | None) -> dict[str, str]:
        site_id = await self._site_id(slot.court)
        if not partner and self._rules_page is not None and self._rules_page.rules.partner_required:
            raise InvalidRequest("This club needs your partner's name for every booking.")
        return {
            "court": site_id,
            "date": slot.day.isoformat(),
            "time": slot.start.strftime("%H:%M"),
            "duration": str(slot.duration_min),
        }

    async def commit(self, prepared: Prepared) -> Booking:
        site_id = await self._site_id(prepared.slot.court)
        form = _commit_form(prepared.data)
        logins = self._require_login()
        try:
            confirmed = self._parse(await self._send_commit(prepared, form), pages.parse_confirmation)
        except SessionExpired:
            await self._relogin(logins)
            raise SessionExpired(
                "Your club session had expired, so the booking was not made. "
                "You are logged in again; the booking has to be prepared again."
            ) from None
        slot = prepared.slot
        stated = (confirmed.court_id, confirmed.day, confirmed.start, confirmed.duration_min)
        if stated != (site_id, slot.day, slot.start, slot.duration_min):
            raise PageNotUnderstood(
                "booking confirmation",
                f"it confirms court id {confirmed.court_id} on {confirmed.day} at {confirmed.start:%H:%M} for "
                f"{confirmed.duration_min} min, not the slot asked for",
            )
        return Booking(confirmed.reference, slot)

    async def _send_commit(self, prepared: Prepared, form: Mapping[str, str]) -> Reply:
        """POST /book: on the line armed with the hold, if it is still open (only the form is left to
        write), else the ordinary way."""
        line = prepared.data.get(_COMMIT_LINE)
        if isinstance(line, ArmedRequest) and line.ready:
            line.fire(form)
            return _not_redirected(await line.reply(), "booking confirmation")
        return await self._post("book", form)

    async def close(self) -> None:
        for line in self._commit_lines:
            line.close()
        self._commit_lines.clear()
        await super().close()

    async def my_bookings(self) -> list[Booking]:
        ours = await self._site_to_ours()
        listed = await self._member("my bookings", self._my_bookings)
        return [_booking(b, ours[b.court_id]) for b in listed.bookings if b.court_id in ours]

    async def cancel(self, reference: str) -> None:
        if not reference.strip():
            raise InvalidRequest("A booking reference is needed to cancel.")
        await self._member("cancellation", lambda: self._cancel(reference.strip()))

    # -- one round trip each ---------------------------------------------------------------------------

    async def _login(self) -> None:
        """GET the form, POST it; one retry if the club rejects its own fresh CSRF token."""
        creds = self._credentials
        assert creds is not None
        for attempt in (1, 2):
            token = self._parse(await self._get("login"), pages.parse_login_form)
            form = {"csrf_token": token, "username": creds.username, "password": creds.password}
            # The club answers a good login with a redirect to a member page; stopping there saves
            # loading (and parsing) a whole grid per member while hundreds warm up for one release.
            reply = await self._post("login", form, allow_redirects=False)
            if reply.status in (302, 303) and reply.headers.get("Location", "").split("?")[0] != "/login":
                self._csrf = token
                self._logins += 1
                return
            try:
                member_token = self._parse(reply, lambda html: pages.parse_login_result(html, creds.username))
            except SessionExpired:
                if attempt == 2:
                    raise PageNotUnderstood("login", "the club rejected its own login form twice") from None
                continue
            self._csrf = member_token or token
            self._logins += 1
            return

    async def _availability(self, day: date) -> pages.Grid:
        reply = await self._get("courts", {"date": day.isoformat()})
        grid = self._parse(reply, lambda html: pages.parse_grid(html, day))
        self._csrf = grid.csrf_token or self._csrf
        return grid

    async def _prepare(self, params: Mapping[str, str]) -> pages.ConfirmForm:
        return self._parse(await self._get("book", params), pages.parse_confirm_form)

    async def _my_bookings(self) -> pages.MyBookingsPage:
        listed = self._parse(await self._get("my-bookings"), pages.parse_my_bookings)
        self._csrf = listed.csrf_token or self._csrf
        return listed

    async def _cancel(self, reference: str) -> None:
        reply = await self._post("cancel", {"csrf_token": self._csrf or "", "reference": reference})
        listed = self._parse(reply, lambda html: pages.parse_my_bookings(html, "cancellation"))
        self._csrf = listed.csrf_token or self._csrf
        if listed.cancelled != reference or any(b.reference == reference for b in listed.bookings):
            raise PageNotUnderstood("cancellation", "the club did not confirm the cancellation")

    # -- plumbing ------------------------------------------------------------------------------------

    async def _rules(self) -> pages.RulesPage:
        if self._rules_page is None:
            self._rules_page = self._parse(await self._get("rules"), pages.parse_rules)
        return self._rules_page

    async def _site_to_ours(self) -> dict[str, int]:
        if self._config.court_map is not None:
            return {sid: n for n, sid in self._config.court_map.items()}
        return {c.site_id: c.number for c in await self.courts()}

    async def _site_id(self, court: int) -> str:
        if self._config.court_map is not None:
            site_id = self._config.court_map.get(court)
        else:
            site_id = next((c.site_id for c in await self.courts() if c.number == court), None)
        if site_id is None:
            raise InvalidRequest(f"The club has no court {court}.")
        return site_id

    def _url(self, path: str) -> URL:
        return self._base / path

    async def _get(self, path: str, params: Mapping[str, str] | None = None) -> Reply:
        return await fetch(self._http(), "GET", self._url(path), params=params)

    async def _post(self, path: str, form: Mapping[str, str], *, allow_redirects: bool = True) -> Reply:
        return await fetch(
            self._http(), "POST", self._url(path), data=dict(form), allow_redirects=allow_redirects
        )


def _prepared(slot: Slot, form: pages.ConfirmForm, partner: str | None) -> Prepared:
    if form.partner_required and not partner:
        # The hold lapses by itself after the club's hold time.
        raise InvalidRequest("This club needs your partner's name for every booking.")
    data = {
        "csrf_token": form.csrf_token,
        "hold_id": form.hold_id,
        "partner_required": form.partner_required,
        "partner": partner or "",
    }
    return Prepared(slot, data)


#: `Prepared.data` key of the connection armed for the commit of a hold armed with it
_COMMIT_LINE = "commit_line"


def _not_redirected(reply: Reply, page: str) -> Reply:
    """An armed request's answer, whose redirects are not followed: one to the login page means that the
    session had expired (nothing was done)."""
    if 300 <= reply.status < 400:
        if reply.headers.get("Location", "").split("?")[0].endswith("/login"):
            raise SessionExpired("The club session had expired.")
        raise PageNotUnderstood(page, f"an unexpected redirect (HTTP {reply.status})")
    return reply


class _ArmedBookingForm:
    """GET /book for the release instant: the booking form (and its hold) in one pre-built request, and a
    connection for its commit (None if it could not be opened)."""

    def __init__(
        self, request: ArmedRequest, line: ArmedRequest | None, slot: Slot, partner: str | None
    ) -> None:
        self._request = request
        self._line = line
        self._slot = slot
        self._partner = partner

    def fire(self) -> None:
        self._request.fire()

    async def prepared(self) -> Prepared:
        try:
            reply = _not_redirected(await self._request.reply(), "booking form")
            form = DemoClubAdapter._parse(reply, pages.parse_confirm_form)
            prepared = _prepared(self._slot, form, self._partner)
        except BaseException:
            self.close()
            raise
        if self._line is not None:
            prepared.data[_COMMIT_LINE] = self._line
        return prepared

    def close(self) -> None:
        self._request.close()
        if self._line is not None:
            self._line.close()


def _commit_form(data: Mapping[str, Any]) -> dict[str, str]:
    """The POST /book form from what prepare() stored; anything else was not prepared by us."""
    form: dict[str, str] = {}
    for key in ("csrf_token", "hold_id", "partner"):
        value = data.get(key)
        if not isinstance(value, str) or (key == "hold_id" and not value):
            raise InvalidRequest("This booking was not prepared for this club; prepare it again.")
        form[key] = value
    return form


def _booking(site: pages.SiteBooking, court: int) -> Booking:
    return Booking(site.reference, Slot(court, site.day, site.start, site.duration_min))

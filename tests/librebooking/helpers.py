"""Shared by the LibreBooking tests: a pinned clock, raw-HTTP clients for the stand-in, adapters on it."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp

from booking.sites.base import SiteConfig
from booking.sites.librebooking.adapter import LibreBookingAdapter
from booking.timebase import SystemClock
from sim.librebooking import RunningLibreBooking

LONDON = ZoneInfo("Europe/London")
#: the instant the tests' clocks read: Wednesday 10 June 2026, 12:00 club time (BST)
NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)
TODAY = NOON.date()
DAY = TODAY + dt.timedelta(days=2)
#: LibreBooking resource ids of our courts 1..4 in the stand-in's schedule
RESOURCE = {1: 4, 2: 5, 3: 7, 4: 8}
#: the stand-in's user ids
USER = {"alice": 2, "bob": 3, "carol": 4, "dave": 5}


def pin(server: RunningLibreBooking, instant: dt.datetime = NOON) -> SystemClock:
    """Set the server's clock to read `instant` now, and return a client clock that reads the same."""
    shift = instant.timestamp() - time.time()
    server.config.clock_offset_s = shift
    return SystemClock(shift)


def adapter(
    server: RunningLibreBooking,
    clock: SystemClock,
    court_map: dict[int, str] | None = None,
    timezone: ZoneInfo = LONDON,
    **extra: str,
) -> LibreBookingAdapter:
    config = SiteConfig(
        base_url=server.url, court_map=court_map, timeout_s=5.0, timezone=timezone, extra=extra
    )
    return LibreBookingAdapter(config, clock)


def iso(day: dt.date, at: dt.time) -> str:
    return dt.datetime.combine(day, at, LONDON).isoformat()


class Api:
    """A client of the stand-in's REST API over real HTTP."""

    def __init__(self, server: RunningLibreBooking, language: str | None = None) -> None:
        self.base = f"{server.url}/Services/index.php/"
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        if language:
            self.http.cookie_jar.update_cookies({"language": language})
        self.headers: dict[str, str] = {}

    async def call(
        self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None, **kwargs: Any
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        async with self.http.request(
            method, self.base + path, json=json, params=params, headers=headers, **kwargs
        ) as resp:
            return resp.status, await resp.text(), resp

    async def login(self, username: str, password: str | None = None) -> dict[str, Any]:
        _, text, resp = await self.call(
            "POST",
            "Authentication/Authenticate",
            json={"username": username, "password": password or f"{username}-pass"},
        )
        data = await resp.json(content_type=None) if text else {}
        if data.get("isAuthenticated"):
            self.headers = {"X-Booked-SessionToken": data["sessionToken"], "X-Booked-UserId": data["userId"]}
        return data

    async def book(
        self, resource: int, day: dt.date, start: dt.time, minutes: int = 60, **extra: Any
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
        body = {
            "resourceId": resource,
            "startDateTime": iso(day, start),
            "endDateTime": iso(day, end),
            "title": "",
            "description": "",
            "allowParticipation": False,
            "termsAccepted": False,
            **extra,
        }
        return await self.call("POST", "Reservations/", json=body)

    async def close(self) -> None:
        await self.http.close()


class Browser:
    """A member's browser on the stand-in's web pages: real HTTP, one cookie jar, the page's token kept."""

    def __init__(self, server: RunningLibreBooking, language: str | None = None) -> None:
        self.base = server.url
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        if language:
            self.http.cookie_jar.update_cookies({"language": language})
        self.csrf = ""

    async def get(self, path: str, **params: Any) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.get(f"{self.base}/{path}", params=params, allow_redirects=False) as resp:
            text = await resp.text()
        found = re.search(r'name="CSRF_TOKEN" value="([^"]+)"', text)
        if found:
            self.csrf = found[1]
        return resp.status, text, resp

    async def post(
        self, path: str, data: dict[str, str], *, params: dict[str, str] | None = None, token: bool = True
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        form = {"CSRF_TOKEN": self.csrf, **data} if token else data
        async with self.http.post(
            f"{self.base}/{path}", data=form, params=params, allow_redirects=False
        ) as resp:
            return resp.status, await resp.text(), resp

    async def login(
        self, username: str, password: str | None = None
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        form = {"email": username, "password": password or f"{username}-pass", "login": "submit"}
        answer = await self.post("index.php", form, token=False)
        await self.get("reservation.php")
        return answer

    async def book(
        self, resource: int, day: dt.date, start: dt.time, minutes: int = 60, user_id: int | None = None
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        end = (dt.datetime.combine(day, start) + dt.timedelta(minutes=minutes)).time()
        form = {
            "userId": str(user_id) if user_id is not None else "",
            "resourceId": str(resource),
            "beginDate": day.isoformat(),
            "beginPeriod": start.strftime("%H:%M:%S"),
            "endDate": day.isoformat(),
            "endPeriod": end.strftime("%H:%M:%S"),
        }
        return await self.post("ajax/reservation_save.php", form)

    async def close(self) -> None:
        await self.http.close()

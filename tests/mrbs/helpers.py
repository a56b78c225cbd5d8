"""Shared by the MRBS tests: a pinned clock, a raw-HTTP browser for the stand-in, adapters on it."""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from bs4 import BeautifulSoup

from booking.sites.base import SiteConfig
from booking.sites.mrbs.adapter import MrbsAdapter
from booking.timebase import SystemClock
from sim.mrbs import RunningMrbs

LONDON = ZoneInfo("Europe/London")
#: the instant the tests' clocks read: Wednesday 10 June 2026, 12:00 club time (BST)
NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)
TODAY = NOON.date()
#: the last day a one-hour slot starting before noon is open on: 7 days ahead, measured to its end
WINDOW_DAY = TODAY + dt.timedelta(days=7)
#: MRBS room ids of our courts 1..4 in the stand-in's default area
ROOM = {1: 3, 2: 4, 3: 6, 4: 8}


def pin(server: RunningMrbs, instant: dt.datetime = NOON) -> SystemClock:
    """Set the server's clock to read `instant` now, and return a client clock that reads the same."""
    shift = instant.timestamp() - time.time()
    server.config.clock_offset_s = shift
    return SystemClock(shift)


def adapter(server: RunningMrbs, clock: SystemClock, **extra: str) -> MrbsAdapter:
    return MrbsAdapter(SiteConfig(base_url=server.url, timeout_s=5.0, extra=extra), clock)


class Browser:
    """A member's browser on the stand-in: real HTTP, one cookie jar, the page's token kept."""

    def __init__(self, server: RunningMrbs, language: str | None = None) -> None:
        self.base = server.url
        headers = {"Accept-Language": language} if language else {}
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True), headers=headers)
        self.csrf = ""

    async def get(self, path: str, **params: Any) -> tuple[int, str, aiohttp.ClientResponse]:
        async with self.http.get(f"{self.base}/{path}", params=params, allow_redirects=False) as resp:
            text = (await resp.read()).decode("utf-8", "replace")
        found = re.search(r'<meta name="csrf_token" content="([^"]+)">', text)
        if found:
            self.csrf = found[1]
        return resp.status, text, resp

    async def post(
        self, path: str, data: Any, *, xhr: bool = False, token: bool = True
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        if isinstance(data, dict) and token:
            data = {"csrf_token": self.csrf, **data}
        headers = {"X-Requested-With": "XMLHttpRequest"} if xhr else {}
        async with self.http.post(
            f"{self.base}/{path}", data=data, headers=headers, allow_redirects=False
        ) as resp:
            text = await resp.text()
        return resp.status, text, resp

    async def login(
        self, username: str, password: str | None = None
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        await self.get("index.php")
        form = {"action": "SetName", "username": username, "password": password or f"{username}-pass"}
        return await self.post("admin.php", {**form, "target_url": "index.php"})

    async def book(
        self, room: int, day: dt.date, start: dt.time, minutes: int = 60, *, xhr: bool = False, **extra: Any
    ) -> tuple[int, str, aiohttp.ClientResponse]:
        seconds = start.hour * 3600 + start.minute * 60
        form = {
            "create_by": "",
            "name": "Tennis",
            "description": "",
            "start_date": day.isoformat(),
            "end_date": day.isoformat(),
            "start_seconds": str(seconds),
            "end_seconds": str(seconds + minutes * 60),
            "rooms[]": str(room),
            "type": "I",
            "rep_type": "0",
            "returl": "index.php?view=day",
            **extra,
        }
        return await self.post("edit_entry_handler.php", form, xhr=xhr)

    async def close(self) -> None:
        await self.http.close()


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")

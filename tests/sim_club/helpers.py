"""A tiny browser for the club: real HTTP, pages parsed the way an adapter would read them."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from bs4 import BeautifulSoup, Tag
from multidict import CIMultiDictProxy

from sim.club import RunningClub

LONDON = ZoneInfo("Europe/London")
#: the instant the tests' server clock is pinned to: Wednesday 10 June 2026, 12:00 club time
NOON = dt.datetime(2026, 6, 10, 12, 0, tzinfo=LONDON)


def pin(club: RunningClub, instant: dt.datetime, plus_s: float = 0.0) -> None:
    """Set the server clock so that it reads `instant` + `plus_s` now (and runs on from there)."""
    club.config.clock_offset_s = instant.timestamp() + plus_s - time.time()


@dataclass
class Page:
    status: int
    url: str
    headers: CIMultiDictProxy[str]
    text: str

    @property
    def soup(self) -> BeautifulSoup:
        return BeautifulSoup(self.text, "html.parser")

    @property
    def name(self) -> str | None:
        body = self.soup.find("body")
        value = body.get("data-page") if isinstance(body, Tag) else None
        return value if isinstance(value, str) else None

    @property
    def error(self) -> dict[str, Any] | None:
        """The data-* attributes of the page's error element (None when there is none)."""
        element = self.soup.find(attrs={"data-error": True})
        if not isinstance(element, Tag):
            return None
        return {
            key.removeprefix("data-"): value
            for key, value in element.attrs.items()
            if key.startswith("data-")
        }

    def one(self, selector: str) -> Tag:
        found = self.soup.select_one(selector)
        assert isinstance(found, Tag), f"no {selector} in the {self.name} page"
        return found

    def input(self, name: str) -> str:
        value = self.one(f'input[name="{name}"]').get("value")
        assert isinstance(value, str)
        return value

    @property
    def csrf(self) -> str:
        value = self.one('meta[name="csrf-token"]').get("content")
        assert isinstance(value, str)
        return value


class Browser:
    """One member's cookie session with the club."""

    def __init__(self, club: RunningClub) -> None:
        self.base = club.url
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""

    async def close(self) -> None:
        await self.http.close()

    async def request(self, method: str, path: str, **kwargs: Any) -> Page:
        async with self.http.request(method, self.base + path, **kwargs) as response:
            return Page(response.status, str(response.url), response.headers, await response.text())

    async def get(self, path: str, **kwargs: Any) -> Page:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, data: dict[str, str], **kwargs: Any) -> Page:
        return await self.request("POST", path, data=data, **kwargs)

    async def login(self, username: str, password: str | None = None) -> Page:
        form = await self.get("/login")
        self.csrf = form.input("csrf_token")
        data = {"csrf_token": self.csrf, "username": username, "password": password or f"{username}-pass"}
        return await self.post("/login", data)

    async def prepare(self, court: str, date: str, time: str, duration: int = 60) -> Page:
        query = {"court": court, "date": date, "time": time, "duration": str(duration)}
        return await self.get("/book", params=query)

    async def commit(self, hold_id: str, partner: str = "") -> Page:
        return await self.post("/book", {"csrf_token": self.csrf, "hold_id": hold_id, "partner": partner})

    async def book(self, court: str, date: str, time: str, duration: int = 60, partner: str = "") -> Page:
        """Both steps; the confirm form's page when the first step is refused."""
        form = await self.prepare(court, date, time, duration)
        if form.name != "book":
            return form
        return await self.commit(form.input("hold_id"), partner)

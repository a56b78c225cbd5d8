"""What every HTTP adapter shares: one member's session with the club, their login kept in memory (only
there) so an expired session can be renewed once, and pages we cannot read named as such."""

from __future__ import annotations

import asyncio
import logging
from abc import abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import aiohttp

from booking.sites.base import SiteAdapter, SiteConfig
from booking.sites.errors import LoginFailed, PageNotUnderstood, RefusedByClub, SessionExpired
from booking.sites.http import Reply, new_session
from booking.timebase import Clock, SystemClock

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class MemberLogin:
    username: str
    password: str = field(repr=False)


class HttpMemberAdapter(SiteAdapter):
    """Base of the adapters that talk HTTP to a club as one member."""

    def __init__(self, config: SiteConfig, clock: Clock | None = None) -> None:
        self._config = config
        self._clock: Clock = clock or SystemClock()
        self._session: aiohttp.ClientSession | None = None
        self._credentials: MemberLogin | None = None
        self._csrf: str | None = None
        self._login_lock = asyncio.Lock()
        self._logins = 0  # successful logins, so concurrent expiries log in again only once

    def __repr__(self) -> str:
        who = self._credentials.username if self._credentials else "nobody"
        return f"<{type(self).__name__} {self._config.base_url} as {who}>"

    async def login(self, username: str, password: str) -> None:
        self._credentials = MemberLogin(username, password)
        try:
            await self._login_unheard()
        except LoginFailed:
            self._credentials = None  # refused credentials must not be replayed by a later re-login
            raise

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    @abstractmethod
    async def _login(self) -> None:
        """Log in with self._credentials; counts a success in self._logins."""

    async def _login_unheard(self) -> None:
        """`_login()`, with whatever the club says at this step kept from the member and the logs: some
        clubs' refusals repeat the typed password. A refusal in the club's words is a refused login."""
        try:
            await self._login()
        except RefusedByClub:
            raise LoginFailed from None

    async def _member(self, page: str, call: Callable[[], Awaitable[T]]) -> T:
        """Run a member call; on an expired session log in again once and repeat it once."""
        logins = self._require_login()
        try:
            return await call()
        except SessionExpired:
            await self._relogin(logins)
        try:
            return await call()
        except SessionExpired:
            raise PageNotUnderstood(
                page, "the club showed us logged out again right after logging in"
            ) from None

    def _require_login(self) -> int:
        if self._credentials is None:
            raise SessionExpired("Not logged in to the club yet.")
        return self._logins

    async def _relogin(self, logins_seen: int) -> None:
        async with self._login_lock:
            if self._logins == logins_seen:  # nobody else has logged in again meanwhile
                assert self._credentials is not None
                log.info("club session of %s expired; logging in again", self._credentials.username)
                await self._login_unheard()

    def _http(self) -> aiohttp.ClientSession:
        # Created on first use: aiohttp sessions belong to the running event loop.
        if self._session is None:
            self._session = new_session(self._config.timeout_s)
        return self._session

    @staticmethod
    def _parse(reply: Reply, parse: Callable[[str], T]) -> T:
        """Parse a reply; a page we cannot read after a non-2xx status says so in the detail."""
        try:
            return parse(reply.text)
        except PageNotUnderstood as exc:
            if 200 <= reply.status < 300:
                raise
            raise PageNotUnderstood(exc.page, f"{exc.detail} (HTTP {reply.status})") from None

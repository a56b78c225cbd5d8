"""HTTP plumbing shared by site adapters.

Transport trouble means the same thing on every platform, so it is mapped to typed errors here once:
429 → `RateLimited` (with `Retry-After`), 5xx / timeouts / connection failures → `TemporarilyUnavailable`.
Every other status is handed back with its body, because club sites report refusals on pages served
with 200 (or 4xx), which only the adapter's page parser can read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy
from yarl import URL

from booking.sites.errors import PageNotUnderstood, RateLimited, TemporarilyUnavailable
from booking.timebase import Clock

USER_AGENT = "courtbot/0.1"
#: Used when a 429 comes without a readable Retry-After.
DEFAULT_RETRY_AFTER_S = 2.0


@dataclass(frozen=True)
class Reply:
    """A fetched page: enough for a parser, plus the status for error details."""

    status: int
    url: URL
    text: str
    headers: CIMultiDictProxy[str]


def new_session(timeout_s: float) -> aiohttp.ClientSession:
    """One member's session: its own cookie jar and keep-alive pool.

    `unsafe=True` lets the jar keep cookies from IP-address hosts (the simulator on 127.0.0.1, or a club
    reached by address); aiohttp drops them otherwise and every login would silently not stick.
    """
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=16, keepalive_timeout=60.0),
        cookie_jar=aiohttp.CookieJar(unsafe=True),
        timeout=aiohttp.ClientTimeout(total=timeout_s),
        headers={"User-Agent": USER_AGENT},
        raise_for_status=False,
    )


async def fetch(session: aiohttp.ClientSession, method: str, url: URL, **kwargs: Any) -> Reply:
    """One request, redirects followed; transport failures and 429/5xx raise typed errors."""
    try:
        async with session.request(method, url, **kwargs) as resp:
            body = await resp.read()
            check_status(resp.status, resp.headers)
            return Reply(resp.status, resp.url, decode(body, resp.charset), resp.headers)
    except TimeoutError as exc:
        raise TemporarilyUnavailable("The club's booking site took too long to answer.") from exc
    except aiohttp.ClientError as exc:
        raise TemporarilyUnavailable("The club's booking site could not be reached.") from exc


def check_status(status: int, headers: CIMultiDictProxy[str]) -> None:
    """Raise for the statuses that mean the same on every site; leave the rest to the page parser."""
    if status == 429:
        wait = retry_after_s(headers)
        raise RateLimited(f"The club's site asked us to slow down for {wait:g} s.", wait)
    if status >= 500:
        raise TemporarilyUnavailable(f"The club's booking site is having trouble (HTTP {status}).")


def retry_after_s(headers: CIMultiDictProxy[str]) -> float:
    """`Retry-After` as seconds: delta-seconds, or an HTTP-date measured against the reply's own `Date`
    (both are the server's clock, so our clock's offset does not matter)."""
    value = headers.get("Retry-After", "").strip()
    if not value:
        return DEFAULT_RETRY_AFTER_S
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        until = parsedate_to_datetime(value).timestamp()
        server_now = parsedate_to_datetime(headers["Date"]).timestamp() if "Date" in headers else time.time()
    except (TypeError, ValueError, IndexError, OverflowError):
        return DEFAULT_RETRY_AFTER_S
    return max(0.0, until - server_now)


async def date_probe(session: aiohttp.ClientSession, url: URL, clock: Clock) -> tuple[float, float, int]:
    """`HEAD url` → (t_send, t_recv, the server's whole second from `Date`): one clock-sync probe.

    t_recv is taken as soon as the headers are in, so the server stamped `Date` within [t_send, t_recv].
    """
    t_send = clock.now()
    try:
        async with session.head(url, allow_redirects=False) as resp:
            t_recv = clock.now()
            check_status(resp.status, resp.headers)
            stamp = resp.headers.get("Date", "")
    except TimeoutError as exc:
        raise TemporarilyUnavailable("The club's booking site took too long to answer.") from exc
    except aiohttp.ClientError as exc:
        raise TemporarilyUnavailable("The club's booking site could not be reached.") from exc
    try:
        server = parsedate_to_datetime(stamp)
    except (TypeError, ValueError, IndexError, OverflowError):
        raise PageNotUnderstood("clock", f"the Date header {stamp!r} is not an HTTP date") from None
    if server.tzinfo is None:
        raise PageNotUnderstood("clock", f"the Date header {stamp!r} has no time zone")
    return t_send, t_recv, int(server.timestamp())


def decode(body: bytes, charset: str | None) -> str:
    """Bytes to text without ever failing: a wrong or unknown charset still yields a page to reject."""
    try:
        return body.decode(charset or "utf-8", errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")

"""How much the democlub adapter adds on top of the bare HTTP requests it makes.

Starts the simulated club in this process (no faults), logs one member in through the adapter and another
through bare aiohttp (same keep-alive session reuse), then times, interleaved so drift hits both alike:
- availability: `adapter.availability(day)` against a bare `GET /courts?date=` read to the end;
- book: `adapter.prepare` + `adapter.commit` against bare `GET /book` + `POST /book`, the bare side
  pulling the token and hold id out with a regex. Each booking is cancelled outside the timing.
The club runs in the same event loop, so its own work is in both sides' times alike.

Run: .venv/bin/python bench/adapter.py [--iterations N]. The last line is key=value pairs.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import statistics
import time
from collections.abc import Awaitable, Callable
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import TypeVar

import aiohttp

from booking.sites.base import SiteConfig, Slot
from booking.sites.democlub import pages
from booking.sites.democlub.adapter import DemoClubAdapter
from sim.club import pages as club_pages
from sim.club.config import ClubConfig
from sim.club.runner import RunningClub, run_club

T = TypeVar("T")

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_HOLD = re.compile(r'name="hold_id" value="([^"]+)"')
_REFERENCE = re.compile(r'data-reference="([^"]+)"')


class BareMember:
    """The same requests as the adapter, with nothing on top: no parsing beyond what the next request needs."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.http = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=16, keepalive_timeout=60.0),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        self.csrf = ""

    async def login(self, username: str, password: str) -> None:
        async with self.http.get(f"{self.url}/login") as resp:
            self.csrf = _first(_CSRF, await resp.text())
        form = {"csrf_token": self.csrf, "username": username, "password": password}
        async with self.http.post(f"{self.url}/login", data=form) as resp:
            await resp.read()

    async def availability(self, day: date) -> None:
        async with self.http.get(f"{self.url}/courts", params={"date": day.isoformat()}) as resp:
            await resp.read()

    async def book(self, court_id: str, slot: Slot) -> str:
        params = {
            "court": court_id,
            "date": slot.day.isoformat(),
            "time": slot.start.strftime("%H:%M"),
            "duration": str(slot.duration_min),
        }
        async with self.http.get(f"{self.url}/book", params=params) as resp:
            text = await resp.text()
        form = {"csrf_token": _first(_CSRF, text), "hold_id": _first(_HOLD, text), "partner": ""}
        async with self.http.post(f"{self.url}/book", data=form) as resp:
            return _first(_REFERENCE, await resp.text())

    async def cancel(self, reference: str) -> None:
        form = {"csrf_token": self.csrf, "reference": reference}
        async with self.http.post(f"{self.url}/cancel", data=form) as resp:
            await resp.read()


def _first(pattern: re.Pattern[str], text: str) -> str:
    match = pattern.search(text)
    if match is None:
        raise RuntimeError(f"bare request: {pattern.pattern} not found")
    return match[1]


async def _timed(call: Callable[[], Awaitable[T]]) -> tuple[float, T]:
    started = time.perf_counter()
    result = await call()
    return (time.perf_counter() - started) * 1000, result


async def _adapter_book(adapter: DemoClubAdapter, slot: Slot) -> str:
    return (await adapter.commit(await adapter.prepare(slot))).reference


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _run(club: RunningClub, iterations: int, warmup: int) -> dict[str, list[float]]:
    today = datetime.fromtimestamp(club.state.now(), club.config.zone).date()
    day = today + timedelta(days=2)
    adapter_slot = Slot(1, day, clock_time(18), 60)
    bare_slot = Slot(2, day, clock_time(18), 60)
    adapter = DemoClubAdapter(SiteConfig(club.url))
    bare = BareMember(club.url)
    times: dict[str, list[float]] = {"availability": [], "bare_availability": [], "book": [], "bare_book": []}
    try:
        await adapter.login("alice", "alice-pass")
        await bare.login("bob", "bob-pass")
        await adapter.courts()  # the court list is read once per adapter, not per call
        for i in range(warmup + iterations):
            a, _ = await _timed(lambda: adapter.availability(day))
            b, _ = await _timed(lambda: bare.availability(day))
            if i >= warmup:
                times["availability"].append(a)
                times["bare_availability"].append(b)
        for i in range(warmup + iterations):
            a, reference = await _timed(lambda: _adapter_book(adapter, adapter_slot))
            b, bare_reference = await _timed(lambda: bare.book("7", bare_slot))
            await adapter.cancel(reference)
            await bare.cancel(bare_reference)
            if i >= warmup:
                times["book"].append(a)
                times["bare_book"].append(b)
    finally:
        await adapter.close()
        await bare.http.close()
    return times


def _parse_cost_ms(club: RunningClub, repeat: int = 200) -> float:
    """The grid parser alone on a real grid page, to show how much of the gap is parsing."""
    state = club.state
    day = datetime.fromtimestamp(state.now(), state.config.zone).date() + timedelta(days=2)
    html = club_pages.courts(state.grid("alice", day, state.now()), state.config, "alice", "token")
    started = time.perf_counter()
    for _ in range(repeat):
        pages.parse_grid(html, day)
    return (time.perf_counter() - started) * 1000 / repeat


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args()
    async with run_club(ClubConfig()) as club:
        times = await _run(club, args.iterations, args.warmup)
        parse_ms = _parse_cost_ms(club)

    print(f"democlub adapter vs bare aiohttp, {args.iterations} iterations each (ms)")
    print(f"{'operation':<22}{'p50':>8}{'p90':>8}{'p99':>8}{'mean':>8}")
    for name, samples in times.items():
        print(
            f"{name:<22}{_pct(samples, 0.5):>8.2f}{_pct(samples, 0.9):>8.2f}{_pct(samples, 0.99):>8.2f}"
            f"{statistics.fmean(samples):>8.2f}"
        )
    print(f"{'parse_grid alone':<22}{parse_ms:>8.2f}")
    p50 = {name: _pct(samples, 0.5) for name, samples in times.items()}
    p99 = {name: _pct(samples, 0.99) for name, samples in times.items()}
    print(
        f"availability_p50_ms={p50['availability']:.2f} availability_p99_ms={p99['availability']:.2f} "
        f"bare_availability_p50_ms={p50['bare_availability']:.2f} "
        f"availability_ratio={p50['availability'] / p50['bare_availability']:.2f} "
        f"book_p50_ms={p50['book']:.2f} book_p99_ms={p99['book']:.2f} bare_book_p50_ms={p50['bare_book']:.2f} "
        f"book_ratio={p50['book'] / p50['bare_book']:.2f}"
    )


if __name__ == "__main__":
    asyncio.run(main())

"""The server clock in the Date header, and the injected transport faults."""

from __future__ import annotations

import email.utils
import math
import time

import pytest
from multidict import CIMultiDictProxy

from sim.club import ClubConfig, RunningClub, run_club
from tests.sim_club.conftest import Login, OpenBrowser
from tests.sim_club.helpers import NOON, Browser, pin


def date_header(headers: CIMultiDictProxy[str]) -> float:
    value = headers["Date"]
    assert value.endswith(" GMT")
    return email.utils.parsedate_to_datetime(value).timestamp()


async def fetch_dated(club: RunningClub, session: Browser, method: str, path: str) -> float:
    """The answer's Date, checked to be the server clock at answering time rounded down to the second."""
    before = club.state.now()
    page = await session.request(method, path, allow_redirects=False)
    after = club.state.now()
    stamp = date_header(page.headers)
    assert math.floor(before) <= stamp <= after, (path, page.status)
    return stamp


@pytest.mark.parametrize("offset_s", [0.0, 3600.0, -1234.5, 86400 * 30 + 0.7])
async def test_date_header_is_the_server_clock_in_whole_seconds(
    browser: OpenBrowser, offset_s: float
) -> None:
    async with run_club(ClubConfig(clock_offset_s=offset_s)) as club:
        session = browser(club)
        for path in ("/rules", "/login", "/courts", "/nowhere", "/_sim/config"):  # 200, 303, 404, JSON
            stamp = await fetch_dated(club, session, "GET", path)
            assert abs(stamp - (time.time() + offset_s)) < 1.0
        await fetch_dated(club, session, "POST", "/book")  # a POST redirect
        await fetch_dated(club, session, "HEAD", "/rules")


async def test_faulted_answers_carry_the_server_date_too(club: RunningClub, browser: OpenBrowser) -> None:
    session = browser(club)
    club.config.error_rate = 1.0
    await fetch_dated(club, session, "GET", "/rules")
    club.config.error_rate, club.config.rate_limit_rate = 0.0, 1.0
    assert abs(await fetch_dated(club, session, "GET", "/rules") - NOON.timestamp()) < 1.5


async def test_error_rate_answers_5xx_proxy_pages_with_no_effect(
    club: RunningClub, browser: OpenBrowser
) -> None:
    alice = browser(club)
    token = (await alice.get("/login")).input("csrf_token")
    club.config.error_rate = 1.0
    statuses = set()
    for _ in range(30):
        page = await alice.get("/rules")
        statuses.add(page.status)
        assert page.name is None
        assert "nginx" in page.text
    assert statuses == {500, 502, 503}
    login = await alice.post("/login", {"csrf_token": token, "username": "alice", "password": "alice-pass"})
    assert login.status in (500, 502, 503)
    assert [s.member for s in club.state.sessions.all()] == [None]  # the login never happened


async def test_a_failed_booking_request_has_no_effect_but_is_logged(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    club.config.error_rate = 1.0
    page = await alice.prepare("5", "2026-06-12", "10:00")
    assert page.status in (500, 502, 503)
    assert club.state.holds() == []
    [arrival] = club.state.arrivals()
    assert (arrival.member, arrival.step, arrival.court_id, arrival.outcome) == (
        "alice",
        "prepare",
        "5",
        f"http-{page.status}",
    )


async def test_rate_limit_answers_429_with_retry_after(club: RunningClub, browser: OpenBrowser) -> None:
    club.config.rate_limit_rate = 1.0
    page = await browser(club).get("/rules")
    assert (page.status, page.headers["Retry-After"]) == (429, "1")
    club.config.retry_after_s = 7
    assert (await browser(club).get("/rules")).headers["Retry-After"] == "7"


async def test_sim_routes_are_never_faulted(club: RunningClub, browser: OpenBrowser) -> None:
    club.config.error_rate = 1.0
    club.config.latency_ms = 500
    started = time.monotonic()
    page = await browser(club).get("/_sim/arrivals")
    assert (page.status, page.text) == (200, "[]")
    assert time.monotonic() - started < 0.4


async def test_latency_and_jitter(club: RunningClub, browser: OpenBrowser) -> None:
    club.config.latency_ms, club.config.jitter_ms = 150, 50
    session = browser(club)
    for _ in range(3):
        started = time.monotonic()
        await session.request("HEAD", "/rules")
        assert 0.095 <= time.monotonic() - started < 0.5


async def test_decisions_are_made_at_arrival_before_the_latency(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    club.config.latency_ms = 300
    before = club.state.now()
    await alice.prepare("5", "2026-06-12", "10:00")
    after = club.state.now()
    [arrival] = club.state.arrivals()
    assert before <= arrival.arrived_at < before + 0.2
    assert after - arrival.arrived_at >= 0.3


async def test_spike_slows_answers_just_after_the_daily_release(
    club: RunningClub, browser: OpenBrowser
) -> None:
    club.config.spike_ms = 300
    release = club.release_instant("2026-06-18", "10:00")  # 07:00 club time on 2026-06-11
    session = browser(club)
    for plus_s, slow in ((-0.5, False), (0.1, True), (4.5, True), (5.2, False)):
        pin(club, release, plus_s)
        started = time.monotonic()
        await session.request("HEAD", "/rules")
        assert (time.monotonic() - started >= 0.3) is slow, plus_s


async def test_the_same_seed_gives_the_same_faults(browser: OpenBrowser) -> None:
    runs = []
    for _ in range(2):
        async with run_club(ClubConfig(error_rate=0.3, rate_limit_rate=0.3, seed=42)) as club:
            session = browser(club)
            runs.append([(await session.get("/rules")).status for _ in range(20)])
    assert runs[0] == runs[1]
    assert {200, 429} <= set(runs[0])

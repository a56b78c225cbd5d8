"""What benchmarks measure the club by: when a request's bytes arrived and its answer left, a garbage
collector kept quiet, and a clock set from another process."""

from __future__ import annotations

import asyncio
import gc
import time

import pytest
from yarl import URL

from sim.club import RunningClub
from tests.sim_club.conftest import Login, OpenBrowser


async def test_a_request_is_stamped_when_its_bytes_arrive_not_when_its_handler_runs(
    club: RunningClub,
) -> None:
    """The handler takes its instant once the form is in; the wire stamp is when the headers came."""
    url = URL(club.url)
    reader, writer = await asyncio.open_connection(url.host, url.port)
    body = b"hold_id=gone"
    writer.write(
        b"POST /book HTTP/1.1\r\nHost: club\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\n\r\n" % len(body)
    )
    await asyncio.sleep(0.3)
    writer.write(body)
    await reader.readuntil(b"\r\n\r\n")
    writer.close()
    [arrival] = club.state.arrivals()
    assert arrival.wire_at is not None
    assert arrival.arrived_at - arrival.wire_at >= 0.25
    assert abs(arrival.wire_at - club.state.now()) < 5  # on the server's clock


async def test_both_instants_are_in_the_arrival_log(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    await alice.prepare("5", "2026-06-12", "10:00")
    async with alice.http.get(club.url + "/_sim/arrivals") as response:
        [arrival] = await response.json()
    assert arrival["wire_at"] <= arrival["arrived_at"] < arrival["wire_at"] + 0.5


async def test_an_answer_is_stamped_when_it_is_handed_over(club: RunningClub, member: Login) -> None:
    """After the club's latency, not when it decided: the start of the member's next step."""
    alice = await member("alice")
    club.config.latency_ms = 200
    form = await alice.prepare("5", "2026-06-12", "10:00")
    received = club.state.now()
    club.config.latency_ms = 0
    await alice.commit(form.input("hold_id"))
    hold, commit = club.state.arrivals()
    assert hold.answered_at is not None and commit.wire_at is not None
    assert hold.arrived_at + 0.19 <= hold.answered_at <= received <= commit.wire_at
    assert commit.answered_at is not None and commit.answered_at >= commit.arrived_at


async def test_garbage_collection_is_off_through_the_named_window(
    club: RunningClub, browser: OpenBrowser
) -> None:
    assert gc.isenabled()
    start = club.state.now() + 0.1
    async with browser(club).http.post(
        club.url + "/_sim/gc-quiet", json={"from": start, "until": start + 0.3}
    ) as response:
        assert (response.status, await response.json()) == (200, {"from": start, "until": start + 0.3})
    assert gc.isenabled()
    await asyncio.sleep(0.2)
    assert not gc.isenabled()
    await asyncio.sleep(0.4)
    assert gc.isenabled()


async def test_a_quiet_window_ends_with_the_club(club: RunningClub, browser: OpenBrowser) -> None:
    async with browser(club).http.post(club.url + "/_sim/gc-quiet", json={"until": club.state.now() + 60}):
        pass
    await asyncio.sleep(0.05)
    assert not gc.isenabled()
    await club.stop()
    assert gc.isenabled()


async def test_a_window_must_say_when_it_ends(club: RunningClub, browser: OpenBrowser) -> None:
    async with browser(club).http.post(club.url + "/_sim/gc-quiet", json={"from": 1}) as response:
        assert response.status == 400
    assert gc.isenabled()


async def test_the_clock_is_set_from_outside(club: RunningClub, browser: OpenBrowser) -> None:
    """What a benchmark in another process moves so that a release is seconds away."""
    http = browser(club).http
    async with http.post(club.url + "/_sim/clock", json={"offset_s": -86400.5}) as response:
        assert (response.status, await response.json()) == (200, {"offset_s": -86400.5})
    assert club.state.now() - time.time() == pytest.approx(-86400.5, abs=1)
    async with http.post(club.url + "/_sim/clock", json={"offset": 1}) as response:
        assert response.status == 400

"""The simulator-only control surface: /_sim/ JSON and the same operations in Python."""

from __future__ import annotations

import json

import pytest

from sim.club import RunningClub
from tests.sim_club.conftest import Login, OpenBrowser
from tests.sim_club.helpers import NOON, Browser


async def sim_json(session: Browser, method: str, path: str, body: object = None) -> tuple[int, object]:
    async with session.http.request(method, session.base + path, json=body) as response:
        return response.status, await response.json()


async def test_arrivals_record_every_booking_request(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    form = await alice.prepare("5", "2026-06-12", "10:00")
    await alice.commit(form.input("hold_id"))
    await alice.prepare("5", "2026-06-12", "10:30")
    await alice.commit("gone")
    status, arrivals = await sim_json(alice, "GET", "/_sim/arrivals")
    assert status == 200
    assert isinstance(arrivals, list)
    release = club.release_instant("2026-06-12", "10:00").timestamp()
    slot = {"court_id": "5", "date": "2026-06-12", "time": "10:00", "duration": 60, "release_at": release}
    assert [{k: a[k] for k in ("member", "step", "outcome")} for a in arrivals] == [
        {"member": "alice", "step": "prepare", "outcome": "ok"},
        {"member": "alice", "step": "commit", "outcome": "ok"},
        {"member": "alice", "step": "prepare", "outcome": "invalid"},
        {"member": "alice", "step": "commit", "outcome": "hold-expired"},
    ]
    assert arrivals[0] | slot == arrivals[0]
    assert arrivals[1] | slot == arrivals[1]
    assert (arrivals[2]["time"], arrivals[2]["release_at"]) == ("10:30", None)
    assert all(abs(a["arrived_at"] - NOON.timestamp()) < 2 for a in arrivals)
    assert [a["arrived_at"] for a in arrivals] == sorted(a["arrived_at"] for a in arrivals)
    assert [a.to_json() for a in club.state.arrivals()] == arrivals


async def test_arrivals_of_requests_without_a_session(club: RunningClub, browser: OpenBrowser) -> None:
    await browser(club).get("/book?court=7&date=2026-06-12&time=09:00")
    [arrival] = club.state.arrivals()
    assert (arrival.member, arrival.court_id, arrival.outcome) == (None, "7", "session-expired")


async def test_bookings_json(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    seeded = club.state.book("bob", "9", "2026-06-13", "18:00", duration=120, partner="Ann")
    await alice.book("5", "2026-06-12", "10:00", partner="Joe")
    status, bookings = await sim_json(alice, "GET", "/_sim/bookings")
    assert status == 200
    assert bookings == [
        {
            "reference": seeded.reference,
            "member": "bob",
            "court_id": "9",
            "date": "2026-06-13",
            "time": "18:00",
            "duration": 120,
            "partner": "Ann",
            "created_at": seeded.created_at,
        },
        {**bookings[1], "member": "alice", "court_id": "5", "date": "2026-06-12", "partner": "Joe"},
    ]


async def test_config_changes_take_effect_at_once(club: RunningClub, browser: OpenBrowser) -> None:
    session = browser(club)
    status, config = await sim_json(
        session,
        "POST",
        "/_sim/config",
        {
            "partner_required": True,
            "opens_at": "08:30",
            "rivals": [{"court_id": "5", "date": "2026-06-18", "time": "10:00", "delay_ms": 40}],
        },
    )
    assert status == 200
    assert isinstance(config, dict)
    assert (config["partner_required"], config["opens_at"]) == (True, "08:30")
    assert club.config.rivals[0].delay_ms == 40.0
    rules = (await session.get("/rules")).one("dl#rules")
    assert (rules["data-partner-required"], rules["data-opens-at"]) == ("true", "08:30")
    status, current = await sim_json(session, "GET", "/_sim/config")
    assert (status, current) == (200, config)


@pytest.mark.parametrize(
    "body",
    [
        {"no_such_setting": 1},
        {"error_rate": 2},
        {"latency_ms": "slow"},
        {"opens_at": "7am"},
        {"rivals": [{}]},
        [1],
    ],
)
async def test_bad_config_is_refused_whole(club: RunningClub, browser: OpenBrowser, body: object) -> None:
    before = club.config.to_json()
    async with browser(club).http.post(club.url + "/_sim/config", json=body) as response:
        assert response.status == 400
    assert club.config.to_json() == before


async def test_members_can_be_added(club: RunningClub, browser: OpenBrowser) -> None:
    session = browser(club)
    status, answer = await sim_json(session, "POST", "/_sim/members", {"erin": "s3cret"})
    assert (status, answer) == (200, {"members": ["alice", "bob", "carol", "dave", "erin"]})
    assert (await session.login("erin", "s3cret")).name == "courts"
    club.state.add_members({"frank": "pw"})
    assert (await browser(club).login("frank", "pw")).name == "courts"


async def test_expire_sessions_and_reset(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    await alice.book("5", "2026-06-12", "10:00")
    await alice.prepare("7", "2026-06-13", "10:00")
    status, answer = await sim_json(alice, "POST", "/_sim/reset")
    assert (status, answer) == (200, {"reset": True})
    assert (club.state.bookings(), club.state.holds(), club.state.arrivals()) == ([], [], [])
    assert (await alice.get("/courts")).name == "courts"  # sessions survive a reset
    status, answer = await sim_json(alice, "POST", "/_sim/expire-sessions")
    assert (status, answer) == (200, {"expired": 1})
    assert (await alice.get("/courts")).name == "login"


async def test_python_api_seeds_and_cancels(club: RunningClub) -> None:
    booking = club.state.book("carol", "11", "2026-06-12", "07:00", duration=120)
    assert (booking.slot.court_id, booking.slot.duration) == ("11", 120)
    with pytest.raises(ValueError, match="already booked"):
        club.state.book("dave", "11", "2026-06-12", "08:00")
    with pytest.raises(ValueError, match="court"):
        club.state.book("dave", "4", "2026-06-12", "08:00")
    assert club.state.cancel(booking.reference) == booking
    with pytest.raises(KeyError):
        club.state.cancel(booking.reference)
    assert club.state.bookings() == []
    assert json.loads(json.dumps(club.config.to_json()))["courts"] == {
        "5": "Court 1",
        "7": "Court 2",
        "9": "Court 3",
        "11": "Court 4",
    }

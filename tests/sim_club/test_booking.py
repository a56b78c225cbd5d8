"""The two-step booking and every rule it enforces, over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time

import pytest

from sim.club import Rival, RunningClub
from sim.club.config import ANY_COURT
from tests.sim_club.conftest import Login
from tests.sim_club.helpers import Page, pin

UTC = dt.UTC


def confirmation(page: Page) -> dict[str, str]:
    div = page.one("div#confirmation")
    return {k.removeprefix("data-"): v for k, v in div.attrs.items() if k.startswith("data-")}


async def test_two_step_booking(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    form = await alice.prepare("5", "2026-06-12", "10:00")
    assert form.name == "book"
    confirm = form.one("form#confirm-form")
    assert (confirm["method"], confirm["action"]) == ("post", "/book")
    assert form.input("csrf_token") == form.csrf == alice.csrf
    assert form.one('input[name="partner"]')["data-required"] == "false"
    [hold] = club.state.holds()
    assert (hold.member, hold.hold_id) == ("alice", form.input("hold_id"))
    booked = await alice.commit(form.input("hold_id"), partner="Bob Smith")
    assert booked.name == "booked"
    details = confirmation(booked)
    assert details["reference"].startswith("DC-")
    assert details == {**details, "court-id": "5", "date": "2026-06-12", "time": "10:00", "duration": "60"}
    [booking] = club.state.bookings()
    assert (booking.reference, booking.member, booking.partner) == (
        details["reference"],
        "alice",
        "Bob Smith",
    )
    assert club.state.holds() == []


async def test_a_two_slot_booking_takes_both_slots(club: RunningClub, member: Login) -> None:
    alice, bob = await member("alice"), await member("bob")
    booked = await alice.book("7", "2026-06-12", "20:00", duration=120)
    assert confirmation(booked)["duration"] == "120"
    assert (await bob.prepare("7", "2026-06-12", "21:00")).error == {"error": "taken"}
    assert (await bob.prepare("7", "2026-06-12", "19:00", duration=120)).error == {"error": "taken"}
    assert (await bob.prepare("7", "2026-06-12", "18:00", duration=120)).name == "book"


async def test_not_open_before_the_release_and_open_after(club: RunningClub, member: Login) -> None:
    release = club.release_instant("2026-06-18", "10:00")
    assert release == dt.datetime(2026, 6, 11, 6, 0, tzinfo=UTC)  # 07:00 BST, 7 days before
    pin(club, release, -60)
    alice = await member("alice")
    pin(club, release, -0.5)
    early = await alice.prepare("5", "2026-06-18", "10:00")
    assert early.name == "error"
    assert early.error == {"error": "not-open", "opens-at": "2026-06-11T06:00:00+00:00"}
    pin(club, release, 0.01)
    assert (await alice.book("5", "2026-06-18", "10:00")).name == "booked"


async def test_hold_before_open_holds_but_commits_only_after_release(
    club: RunningClub, member: Login
) -> None:
    club.config.hold_before_open = True
    release = club.release_instant("2026-06-18", "10:00")
    pin(club, release, -60)
    alice, bob = await member("alice"), await member("bob")
    form = await alice.prepare("5", "2026-06-18", "10:00")
    assert form.name == "book"
    assert (await bob.prepare("5", "2026-06-18", "10:00")).error == {"error": "taken"}
    pin(club, release, -0.5)
    early = await alice.commit(form.input("hold_id"))
    assert early.error == {"error": "not-open", "opens-at": release.isoformat()}
    pin(club, release, 0.01)
    assert (await alice.commit(form.input("hold_id"))).name == "booked"


async def test_taken_by_a_booking_and_by_another_members_hold(club: RunningClub, member: Login) -> None:
    club.state.book("dave", "5", "2026-06-12", "10:00")
    alice, carol = await member("alice"), await member("carol")
    assert (await alice.prepare("5", "2026-06-12", "10:00")).error == {"error": "taken"}
    assert (await carol.prepare("7", "2026-06-12", "10:00")).name == "book"
    assert (await alice.prepare("7", "2026-06-12", "10:00")).error == {"error": "taken"}
    assert (await alice.prepare("7", "2026-06-12", "09:00", duration=120)).error == {"error": "taken"}
    pin(club, dt.datetime(2026, 6, 10, 11, 6, tzinfo=UTC))  # carol's 5-minute hold has lapsed
    assert (await alice.prepare("7", "2026-06-12", "10:00")).name == "book"


async def test_asking_again_replaces_the_members_own_hold(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    first = (await alice.prepare("9", "2026-06-12", "10:00")).input("hold_id")
    second = (await alice.prepare("9", "2026-06-12", "10:00")).input("hold_id")
    assert first != second
    assert [h.hold_id for h in club.state.holds()] == [second]
    assert (await alice.commit(first)).error == {"error": "hold-expired"}
    assert (await alice.commit(second)).name == "booked"


async def test_limit_per_day(club: RunningClub, member: Login) -> None:
    club.state.book("alice", "5", "2026-06-12", "08:00")
    alice = await member("alice")
    assert (await alice.prepare("7", "2026-06-12", "19:00")).error == {"error": "limit", "limit": "per-day"}
    club.config.max_per_day = 2
    assert (await alice.book("7", "2026-06-12", "19:00")).name == "booked"


async def test_limit_per_day_is_checked_again_at_commit(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    one = (await alice.prepare("5", "2026-06-13", "10:00")).input("hold_id")
    two = (await alice.prepare("7", "2026-06-13", "15:00")).input("hold_id")
    assert (await alice.commit(one)).name == "booked"
    assert (await alice.commit(two)).error == {"error": "limit", "limit": "per-day"}


async def test_limit_of_future_bookings(club: RunningClub, member: Login) -> None:
    for day in (11, 12, 13, 14):
        club.state.book("bob", "9", f"2026-06-{day}", "10:00")
    club.state.book("bob", "9", "2026-06-10", "08:00")  # played this morning: not a future booking
    bob = await member("bob")
    assert (await bob.prepare("5", "2026-06-15", "10:00")).error == {"error": "limit", "limit": "future"}
    club.state.cancel(club.state.bookings()[0].reference)
    assert (await bob.book("5", "2026-06-15", "10:00")).name == "booked"


async def test_partner_required(club: RunningClub, member: Login) -> None:
    club.config.partner_required = True
    alice = await member("alice")
    form = await alice.prepare("5", "2026-06-12", "10:00")
    assert form.one('input[name="partner"]')["data-required"] == "true"
    hold_id = form.input("hold_id")
    for partner in ("", "   ", "x" * 81):
        assert (await alice.commit(hold_id, partner)).error == {"error": "invalid", "field": "partner"}
    booked = await alice.commit(hold_id, "Maria")
    assert booked.name == "booked"
    assert club.state.bookings()[0].partner == "Maria"


async def test_hold_expired_or_unknown(club: RunningClub, member: Login) -> None:
    alice, bob = await member("alice"), await member("bob")
    assert (await alice.commit("no-such-hold")).error == {"error": "hold-expired"}
    assert (await alice.commit("")).error == {"error": "invalid", "field": "hold"}
    hold_id = (await alice.prepare("5", "2026-06-12", "10:00")).input("hold_id")
    assert (await bob.commit(hold_id)).error == {"error": "hold-expired"}  # not his
    pin(club, dt.datetime(2026, 6, 10, 11, 5, 1, tzinfo=UTC))
    assert (await alice.commit(hold_id)).error == {"error": "hold-expired"}
    assert club.state.bookings() == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"court": "1", "date": "2026-06-12", "time": "10:00"}, "court"),
        ({"date": "2026-06-12", "time": "10:00"}, "court"),
        ({"court": "5", "date": "12/06/2026", "time": "10:00"}, "date"),
        ({"court": "5", "date": "2026-02-30", "time": "10:00"}, "date"),
        ({"court": "5", "date": "2026-06-12", "time": "10:30"}, "time"),
        ({"court": "5", "date": "2026-06-12", "time": "06:00"}, "time"),
        ({"court": "5", "date": "2026-06-12", "time": "22:00"}, "time"),
        ({"court": "5", "date": "2026-06-12", "time": "1000"}, "time"),
        ({"court": "5", "date": "2026-06-10", "time": "09:00"}, "time"),  # in the past
        ({"court": "5", "date": "2026-06-12", "time": "10:00", "duration": "90"}, "duration"),
        ({"court": "5", "date": "2026-06-12", "time": "10:00", "duration": "180"}, "duration"),
        ({"court": "5", "date": "2026-06-12", "time": "10:00", "duration": "sixty"}, "duration"),
        ({"court": "5", "date": "2026-06-12", "time": "21:00", "duration": "120"}, "duration"),
    ],
)
async def test_invalid_requests_name_the_field(
    club: RunningClub, member: Login, query: dict[str, str], field: str
) -> None:
    alice = await member("alice")
    page = await alice.get("/book", params=query)
    assert (page.status, page.name) == (200, "error")
    assert page.error == {"error": "invalid", "field": field}
    assert club.state.holds() == []


async def test_duration_defaults_to_one_slot(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    page = await alice.get("/book", params={"court": "5", "date": "2026-06-12", "time": "10:00"})
    assert (await alice.commit(page.input("hold_id"))).one("div#confirmation")["data-duration"] == "60"


async def test_a_race_for_one_slot_has_exactly_one_winner(club: RunningClub, member: Login) -> None:
    racers = [await member(name) for name in ("alice", "bob", "carol", "dave")]
    pages = await asyncio.gather(*(r.book("11", "2026-06-12", "18:00") for r in racers))
    assert sorted(p.name or "" for p in pages) == ["booked", "error", "error", "error"]
    assert [p.error for p in pages if p.name == "error"] == [{"error": "taken"}] * 3
    assert len(club.state.bookings()) == 1


async def test_a_rival_books_at_release_plus_delay(club: RunningClub, member: Login) -> None:
    release = club.release_instant("2026-06-18", "10:00")
    club.config.rivals = [Rival("5", dt.date(2026, 6, 18), dt.time(10, 0), delay_ms=300)]
    pin(club, release, -60)
    alice = await member("alice")
    pin(club, release, 0.2)
    assert club.state.bookings() == []  # not yet its moment
    pin(club, release, 0.35)
    [rivals] = club.state.bookings()
    assert (rivals.member, rivals.created_at) == ("rival", release.timestamp() + 0.3)
    assert (await alice.prepare("5", "2026-06-18", "10:00")).error == {"error": "taken"}
    on_the_wire = await alice.get("/_sim/bookings")
    assert [b["member"] for b in json.loads(on_the_wire.text)] == ["rival"]


async def test_a_rival_loses_to_a_faster_member(club: RunningClub, member: Login) -> None:
    release = club.release_instant("2026-06-18", "10:00")
    club.config.rivals = [Rival("5", dt.date(2026, 6, 18), dt.time(10, 0), delay_ms=300)]
    pin(club, release, -60)
    alice = await member("alice")
    pin(club, release, 0.05)
    assert (await alice.book("5", "2026-06-18", "10:00")).name == "booked"
    pin(club, release, 1.0)
    assert [b.member for b in club.state.bookings()] == ["alice"]


async def test_rivals_for_any_court_each_take_the_first_free_one_at_their_moment(
    club: RunningClub, member: Login
) -> None:
    """Outside players every 30 ms: each picks the first court the grid shows free then (held is not)."""
    day, start = dt.date(2026, 6, 18), dt.time(10, 0)
    release = club.release_instant(day, start)
    club.config.rivals = [Rival(ANY_COURT, day, start, delay_ms=30 * k) for k in (3, 1, 2, 4, 5, 5)]
    pin(club, release, -60)
    alice, bob = await member("alice"), await member("bob")
    pin(club, release, 0.045)
    form = await alice.prepare("7", day.isoformat(), "10:00")
    assert form.name == "book"  # court 5 went to the first rival; court 7 is now held
    pin(club, release, 0.075)
    assert (await bob.book("11", day.isoformat(), "10:00")).name == "booked"
    pin(club, release, 1.0)
    # 60 ms: court 7 is held, so 9; from 90 ms on none is free, and those rivals book nothing
    booked = club.state.bookings()
    assert [(b.member, b.slot.court_id) for b in booked] == [("rival", "5"), ("rival", "9"), ("bob", "11")]
    rivals = [b.created_at - release.timestamp() for b in booked if b.member == "rival"]
    assert rivals == pytest.approx([0.03, 0.06])
    assert (await alice.commit(form.input("hold_id"))).name == "booked"


async def test_alike_rivals_for_any_court_are_two_players(club: RunningClub) -> None:
    day, start = dt.date(2026, 6, 18), dt.time(10, 0)
    club.config.rivals = [Rival(ANY_COURT, day, start, delay_ms=10)] * 2
    pin(club, club.release_instant(day, start), 1.0)
    assert [b.slot.court_id for b in club.state.bookings()] == ["5", "7"]


async def test_commit_store_then_fail_keeps_the_booking_but_loses_the_answer(
    club: RunningClub, member: Login
) -> None:
    club.config.commit_store_then_fail = 1
    alice = await member("alice")
    lost = await alice.book("5", "2026-06-12", "10:00")
    assert lost.status == 500
    assert lost.name is None
    [booking] = club.state.bookings()
    assert booking.member == "alice"
    assert club.config.commit_store_then_fail == 0
    listed = (await alice.get("/my-bookings")).one("table#my-bookings").select("tr[data-reference]")
    assert [row["data-reference"] for row in listed] == [booking.reference]
    assert club.state.arrivals()[-1].outcome == "ok"
    assert (await alice.book("7", "2026-06-13", "10:00")).name == "booked"


async def test_commit_latency_comes_after_the_booking_is_stored(club: RunningClub, member: Login) -> None:
    club.config.commit_latency_ms = 300
    alice = await member("alice")
    hold_id = (await alice.prepare("5", "2026-06-12", "10:00")).input("hold_id")
    started = time.monotonic()
    answer = asyncio.create_task(alice.commit(hold_id))
    await asyncio.sleep(0.1)
    assert not answer.done()
    assert [b.member for b in club.state.bookings()] == ["alice"]
    assert (await answer).name == "booked"
    assert time.monotonic() - started >= 0.3


@pytest.mark.parametrize(
    ("slot_day", "release_utc"),
    [
        (
            "2026-03-29",
            dt.datetime(2026, 3, 22, 7, 0, tzinfo=UTC),
        ),  # the slot's day springs forward; GMT then
        ("2026-04-05", dt.datetime(2026, 3, 29, 6, 0, tzinfo=UTC)),  # released on the spring-forward day, BST
        ("2026-10-25", dt.datetime(2026, 10, 18, 6, 0, tzinfo=UTC)),  # the slot's day falls back; BST then
        ("2026-11-01", dt.datetime(2026, 10, 25, 7, 0, tzinfo=UTC)),  # released on the fall-back day, GMT
    ],
)
async def test_release_instants_across_dst(
    club: RunningClub, member: Login, slot_day: str, release_utc: dt.datetime
) -> None:
    release = club.release_instant(slot_day, "10:00")
    assert release == release_utc
    pin(club, release, -60)
    alice = await member("alice")
    pin(club, release, -0.5)
    early = await alice.prepare("9", slot_day, "10:00")
    assert early.error == {"error": "not-open", "opens-at": release_utc.isoformat()}
    pin(club, release, 0.01)
    assert (await alice.book("9", slot_day, "10:00")).name == "booked"

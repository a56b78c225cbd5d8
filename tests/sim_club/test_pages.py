"""The pages' markup: what the adapter reads off /rules, /courts and /my-bookings."""

from __future__ import annotations

import datetime as dt

from sim.club import RunningClub
from tests.sim_club.conftest import Login, OpenBrowser
from tests.sim_club.helpers import Page


def cells(page: Page) -> dict[tuple[str, str], dict[str, str]]:
    """(court id, HH:MM) -> the cell's data-* attributes."""
    out = {}
    for row in page.one("table#grid").select("tr[data-time]"):
        for td in row.select("td[data-court-id]"):
            attrs = {k.removeprefix("data-"): v for k, v in td.attrs.items() if k.startswith("data-")}
            out[(attrs["court-id"], row["data-time"])] = attrs
    return out


async def test_rules_publish_every_rule_in_markup(club: RunningClub, browser: OpenBrowser) -> None:
    page = await browser(club).get("/rules")
    assert page.name == "rules"
    rules = {k: v for k, v in page.one("dl#rules").attrs.items() if k.startswith("data-")}
    assert rules == {
        "data-window-days": "7",
        "data-opens-at": "07:00",
        "data-timezone": "Europe/London",
        "data-slot-minutes": "60",
        "data-open-from": "07:00",
        "data-open-until": "22:00",
        "data-max-slots": "2",
        "data-max-per-day": "1",
        "data-max-future": "4",
        "data-partner-required": "false",
        "data-hold-before-open": "false",
        "data-hold-minutes": "5",
    }
    courts = [(li["data-court-id"], li.get_text()) for li in page.one("ul#courts").select("li")]
    assert courts == [("5", "Court 1"), ("7", "Court 2"), ("9", "Court 3"), ("11", "Court 4")]


async def test_rules_follow_the_settings_at_once(club: RunningClub, browser: OpenBrowser) -> None:
    club.config.partner_required = True
    club.config.hold_before_open = True
    club.config.window_days = 14
    club.config.update({"opens_at": "07:00:30"})
    dl = (await browser(club).get("/rules")).one("dl#rules")
    shown = (
        dl["data-partner-required"],
        dl["data-hold-before-open"],
        dl["data-window-days"],
        dl["data-opens-at"],
    )
    assert shown == ("true", "true", "14", "07:00:30")
    assert club.release_instant("2026-06-24", "10:00") == dt.datetime(2026, 6, 10, 6, 0, 30, tzinfo=dt.UTC)


async def test_head_works_on_get_routes(club: RunningClub, browser: OpenBrowser) -> None:
    page = await browser(club).request("HEAD", "/rules")
    assert page.status == 200
    assert page.text == ""
    assert "Date" in page.headers


async def test_index_leads_to_the_courts(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    page = await alice.get("/")
    assert page.name == "courts"


async def test_grid_shows_past_free_and_not_open(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    today = await alice.get("/courts")
    grid = today.one("table#grid")
    assert grid["data-date"] == "2026-06-10"
    assert [th["data-court-id"] for th in grid.select("th[data-court-id]")] == ["5", "7", "9", "11"]
    assert [tr["data-time"] for tr in grid.select("tr[data-time]")] == [f"{h:02d}:00" for h in range(7, 22)]
    state = cells(today)
    assert state[("5", "07:00")] == {"court-id": "5", "state": "closed", "reason": "past"}
    assert state[("11", "12:00")]["reason"] == "past"  # started a moment ago
    assert state[("9", "13:00")] == {"court-id": "9", "state": "free"}
    assert cells(await alice.get("/courts?date=2026-06-17"))[("5", "07:00")]["state"] == "free"
    later = cells(await alice.get("/courts?date=2026-06-18"))
    assert later[("7", "21:00")] == {
        "court-id": "7",
        "state": "closed",
        "reason": "not-open",
        "opens-at": "2026-06-11T06:00:00+00:00",
    }


async def test_grid_shows_booked_mine_and_held(club: RunningClub, member: Login) -> None:
    club.state.book("carol", "7", "2026-06-12", "10:00")
    club.state.book("alice", "5", "2026-06-12", "18:00", duration=120)
    alice, bob = await member("alice"), await member("bob")
    assert (await bob.prepare("9", "2026-06-12", "11:00")).name == "book"
    seen_by_alice = cells(await alice.get("/courts?date=2026-06-12"))
    assert seen_by_alice[("7", "10:00")]["state"] == "booked"
    assert seen_by_alice[("5", "18:00")]["state"] == "mine"
    assert seen_by_alice[("5", "19:00")]["state"] == "mine"
    assert seen_by_alice[("5", "20:00")]["state"] == "free"
    assert seen_by_alice[("9", "11:00")]["state"] == "booked"  # bob's hold
    seen_by_bob = cells(await bob.get("/courts?date=2026-06-12"))
    assert seen_by_bob[("7", "10:00")]["state"] == "booked"
    assert seen_by_bob[("5", "18:00")]["state"] == "booked"
    assert seen_by_bob[("9", "11:00")]["state"] == "free"  # his own hold


async def test_malformed_date_is_400_invalid(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    for bad in ("2026-13-01", "20260610", "tomorrow", "", "2026-6-1", "9999-12-31"):
        page = await alice.get("/courts", params={"date": bad})
        assert page.status == 400, bad
        assert page.error == {"error": "invalid", "field": "date"}


async def test_my_bookings_lists_future_bookings_and_cancels(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    empty = await alice.get("/my-bookings")
    assert empty.name == "my-bookings"
    assert empty.one("table#my-bookings").select("tr[data-reference]") == []
    club.state.book("alice", "5", "2026-06-10", "09:00")  # already played: not listed
    kept = club.state.book("alice", "9", "2026-06-13", "20:00", duration=120)
    dropped = club.state.book("alice", "11", "2026-06-12", "08:00")
    club.state.book("bob", "7", "2026-06-12", "08:00")
    rows = (await alice.get("/my-bookings")).one("table#my-bookings").select("tr[data-reference]")
    assert [(r["data-reference"], r["data-court-id"], r["data-date"], r["data-time"]) for r in rows] == [
        (dropped.reference, "11", "2026-06-12", "08:00"),
        (kept.reference, "9", "2026-06-13", "20:00"),
    ]
    assert rows[1]["data-duration"] == "120"
    answer = await alice.post(
        "/cancel", {"csrf_token": alice.csrf, "reference": dropped.reference}, allow_redirects=False
    )
    assert (answer.status, answer.headers["Location"]) == (303, f"/my-bookings?cancelled={dropped.reference}")
    page = await alice.get(answer.headers["Location"])
    notice = page.one('div.notice[data-notice="cancelled"]')
    assert notice["data-reference"] == dropped.reference
    assert [r["data-reference"] for r in page.one("table#my-bookings").select("tr[data-reference]")] == [
        kept.reference
    ]


async def test_cancel_refuses_unknown_foreign_and_past_references(club: RunningClub, member: Login) -> None:
    alice = await member("alice")
    bobs = club.state.book("bob", "7", "2026-06-12", "08:00")
    played = club.state.book("alice", "5", "2026-06-10", "09:00")
    for reference in ("DC-NOPE", bobs.reference, played.reference, ""):
        page = await alice.post("/cancel", {"csrf_token": alice.csrf, "reference": reference})
        assert page.name == "error"
        assert page.error == {"error": "invalid", "field": "reference"}
    forged = await alice.post("/cancel", {"csrf_token": "forged", "reference": bobs.reference})
    assert (forged.status, forged.error) == (403, {"error": "csrf"})
    assert len(club.state.bookings()) == 2

"""The MRBS stand-in over raw HTTP: it must behave as MRBS 1.12 does (docs/platforms/mrbs.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import time
from email.utils import parsedate_to_datetime

import pytest

from sim.mrbs import Area, MrbsConfig, RunningMrbs
from tests.mrbs.conftest import OpenBrowser
from tests.mrbs.helpers import NOON, TODAY, WINDOW_DAY, soup

DAY = TODAY + dt.timedelta(days=2)


async def test_every_answer_has_a_whole_second_date_of_the_server_clock(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    server.config.clock_offset_s += 0.73
    for path in ("index.php", "images/check.png", "search.php"):
        _, _, resp = await page.get(path)
        stamp = parsedate_to_datetime(resp.headers["Date"]).timestamp()
        assert abs(stamp - math.floor(server.state.now())) <= 1
    assert abs(stamp - (NOON.timestamp() + 0.73)) < 2


async def test_any_page_starts_a_session_with_two_cookies_and_one_token(browser: OpenBrowser) -> None:
    page = browser()
    _, text, resp = await page.get("index.php")
    assert {c.key for c in page.http.cookie_jar} == {"MRBS_SESSID", "KEY_MRBS_SESSID"}
    token = soup(text).select_one('meta[name="csrf_token"]')["content"]
    assert {i["value"] for i in soup(text).select('form input[name="csrf_token"]')} == {token}
    _, again, _ = await page.get("search.php")
    assert page.csrf == token, "one token per session"
    assert "Set-Cookie" not in resp.headers or again


async def test_logging_in_redirects_and_shows_the_username(browser: OpenBrowser) -> None:
    page = browser()
    status, _, resp = await page.login("alice")
    assert (status, resp.headers["Location"]) == (302, "index.php")
    _, text, _ = await page.get("index.php")
    assert soup(text).body["data-username"] == "alice"
    assert "logged_in" in soup(text).body["class"]


@pytest.mark.parametrize(("language", "words"), [(None, "Unknown user"), ("de", "Unbekannter Benutzer")])
async def test_a_wrong_password_shows_the_form_again(
    browser: OpenBrowser, language: str | None, words: str
) -> None:
    page = browser(language)
    status, text, _ = await page.login("alice", "nope")
    assert status == 200 and words in text
    assert soup(text).select_one('form#logon input[name="password"]') is not None
    assert not soup(text).body.has_attr("data-username")


@pytest.mark.parametrize(
    ("language", "words"), [(None, "Your session has expired."), ("de", "Ihre Sitzung ist abgelaufen.")]
)
async def test_a_bad_token_says_the_session_expired_and_logs_off(
    browser: OpenBrowser, language: str | None, words: str
) -> None:
    page = browser(language)
    await page.login("alice")
    status, text, _ = await page.post(
        "edit_entry_handler.php", {"csrf_token": "forged", "name": "x"}, token=False
    )
    assert status == 200 and words in text
    _, text, _ = await page.get("index.php")
    assert not soup(text).body.has_attr("data-username"), "MRBS logs the session off"


async def test_sending_only_the_first_cookie_wipes_the_session(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    key = next(c for c in page.http.cookie_jar if c.key == "KEY_MRBS_SESSID")
    page.http.cookie_jar.clear(lambda c: c.key == "KEY_MRBS_SESSID")
    _, text, _ = await page.get("index.php")
    assert not soup(text).body.has_attr("data-username")
    page.http.cookie_jar.update_cookies({"KEY_MRBS_SESSID": key.value})
    _, text, _ = await page.get("index.php")
    assert not soup(text).body.has_attr("data-username"), "the old session is gone for good"


async def test_the_day_view_shows_free_booked_mine_rowspans_and_double_bookings(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    mine = server.state.book("alice", 3, DAY, "18:00")
    long = server.state.book("bob", 4, DAY, "18:00", 120)
    first = server.state.book("bob", 6, DAY, "10:00")
    second = server.state.book("carol", 6, DAY, "10:00")
    _, text, _ = await page.get("index.php", view="day", area=1, page_date=DAY.isoformat())
    html = soup(text)
    table = html.select_one("table#day_main")
    assert table["data-resolution"] == "3600"
    assert [th["data-room"] for th in table.select("thead th[data-room]")] == ["3", "4", "6", "8"]
    assert table.select_one('th[data-room="3"] a').contents[0] == "Court 1"
    slots = json.loads(table.thead["data-slots"])
    assert slots[0][0][0] == int(dt.datetime(2026, 6, 12, 7, tzinfo=NOON.tzinfo).timestamp())
    assert [th["data-seconds"] for th in table.select("tbody th[data-seconds]")][:2] == ["25200", "28800"]
    assert html.select_one(f'a[data-id="{mine.id}"]').parent["class"] == ["I", "booking", "writable"]
    long_cell = html.select_one(f'a[data-id="{long.id}"]').find_parent("td")
    assert long_cell["rowspan"] == "2" and "writable" not in str(long_cell)
    double = html.select_one(f'a[data-id="{first.id}"]').find_parent("td")
    assert double["class"] == ["booked", "multiply"] and double.select_one(f'a[data-id="{second.id}"]')
    new = html.select_one("td.new a")["href"]
    assert new.startswith("edit_entry.php?") and "room=3" in new and "hour=7" in new and "minute=0" in new


async def test_the_refresh_variant_is_the_same_table_as_json(
    browser: OpenBrowser, server: RunningMrbs
) -> None:
    page = browser()
    server.state.book("bob", 4, DAY, "18:00")
    _, text, resp = await page.get("index.php", refresh=1, view="day", page_date=DAY.isoformat(), area=1)
    assert resp.content_type == "text/html"
    data = json.loads(text)
    assert set(data) == {"date_heading", "inner_html"}
    assert 'data-room="4"' in data["inner_html"] and "data-id=" in data["inner_html"]


async def test_german_pages_use_german_words_and_times(browser: OpenBrowser) -> None:
    page = browser("de-DE,de;q=0.9,en;q=0.5")
    _, text, _ = await page.get("index.php", page_date=DAY.isoformat())
    assert "Freitag, 12. Juni 2026" in text and ">07:00<" in text
    _, english, _ = await browser().get("index.php", page_date=DAY.isoformat())
    assert "Friday 12 June 2026" in english and ">7:00 AM<" in english


async def test_a_booking_redirects_to_the_day_view(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    status, _, resp = await page.book(3, DAY, dt.time(18), name="Singles", create_by="bob")
    assert status == 302
    assert resp.headers["Location"] == "index.php?view=day&year=2026&month=6&day=12&area=1&room=3"
    [entry] = server.state.bookings()
    assert (entry.create_by, entry.name, entry.room_id) == ("alice", "Singles", 3), "create_by is forced"
    assert entry.end - entry.start == 3600


async def test_odd_times_are_widened_to_whole_slots(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    await page.book(3, DAY, dt.time(18, 20), 10)
    [entry] = server.state.bookings()
    local = dt.datetime.fromtimestamp(entry.start, NOON.tzinfo)
    assert (local.hour, local.minute, entry.end - entry.start) == (18, 0, 3600)


@pytest.mark.parametrize(
    ("language", "heading", "policy", "entries"),
    [
        (None, "Scheduling Conflict", "The maximum number of bookings per day per user in this area is 1",
         "The new booking will conflict with the following entries"),
        ("de", "Konflikt in der Planung",
         "Die maximale Anzahl an Buchungen pro Tag und Benutzer in diesem Bereich beträgt 1",
         "Der neue Eintrag hat einen Konflikt mit folgenden Einträgen"),
    ],
)  # fmt: skip
async def test_refusals_list_policies_and_clashing_entries(
    server: RunningMrbs, browser: OpenBrowser, language: str | None, heading: str, policy: str, entries: str
) -> None:
    page = browser(language)
    await page.login("alice")
    server.state.book("alice", 3, DAY, "09:00")
    taken = server.state.book("bob", 4, DAY, "18:00")
    status, text, _ = await page.book(4, DAY, dt.time(18))
    html = soup(text)
    assert status == 200 and html.h2.get_text() == heading
    items = [li.get_text(" ", strip=True) for li in html.select("#contents ul li")]
    assert items[0] == policy
    assert html.select_one(f'li a[href="view_entry.php?id={taken.id}"]') is not None
    assert entries in text and html.select_one("div#submit_buttons form") is not None
    assert len(server.state.bookings()) == 2


@pytest.mark.parametrize(
    ("language", "day", "start", "words"),
    [
        (None, WINDOW_DAY, dt.time(12), "You cannot create a booking which ends in more than 1 weeks"),
        ("de", WINDOW_DAY, dt.time(12), "Sie können keine Buchung erstellen, die in mehr als 1 Wochen"),
        (None, TODAY, dt.time(11), "You cannot create a booking which starts in less than 0 seconds"),
        (
            "de",
            TODAY,
            dt.time(11),
            "Sie können keine Buchung erstellen, die in weniger als 0 Sekunden beginnt",
        ),
    ],
)
async def test_the_window_and_the_past_are_policies(
    browser: OpenBrowser, language: str | None, day: dt.date, start: dt.time, words: str
) -> None:
    page = browser(language)
    await page.login("alice")
    status, text, _ = await page.book(3, day, start)
    assert status == 200 and words in text


async def test_the_window_is_measured_to_the_end_to_the_second(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    server.config.max_per_day = None
    page = browser()
    await page.login("alice")
    # 11:00-12:00 in seven days ends exactly 7 days from NOON: open; 12:00-13:00 opens at 13:00 today.
    assert (await page.book(3, WINDOW_DAY, dt.time(11)))[0] == 302
    assert (await page.book(4, WINDOW_DAY, dt.time(12)))[0] == 200
    server.config.measure_to_start = True
    assert (await page.book(6, WINDOW_DAY, dt.time(12)))[0] == 302
    assert server.release_instant(WINDOW_DAY, dt.time(12)) == NOON.astimezone(dt.UTC)


async def test_a_fixed_opening_time_is_a_setting(server: RunningMrbs, browser: OpenBrowser) -> None:
    server.config.opens_at = dt.time(13)
    page = browser()
    await page.login("alice")
    status, text, _ = await page.book(3, WINDOW_DAY, dt.time(9))
    assert status == 200 and "ends in more than" in text
    server.config.opens_at = dt.time(11, 59, 59)
    assert (await page.book(3, WINDOW_DAY, dt.time(9)))[0] == 302


async def test_the_xhr_check_books_nothing(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser("de")
    await page.login("alice")
    taken = server.state.book("bob", 4, DAY, "18:00")
    status, text, _ = await page.book(4, DAY, dt.time(18), xhr=True)
    data = json.loads(text)
    assert status == 200 and data["valid_booking"] is False
    assert data["violations"]["errors"] == [] and f"id={taken.id}" in data["conflicts"][0]
    data = json.loads((await page.book(3, WINDOW_DAY, dt.time(12), xhr=True))[1])
    assert data["violations"]["errors"] and not data["conflicts"]
    assert json.loads((await page.book(3, DAY, dt.time(18), xhr=True))[1])["valid_booking"] is True
    assert [e.id for e in server.state.bookings()] == [taken.id]


async def test_a_form_without_a_readable_date_redirects_having_booked_nothing(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    status, _, resp = await page.book(3, DAY, dt.time(18), start_date="12/06/2026")
    assert (status, resp.headers["Location"]) == (302, "index.php")
    assert server.state.bookings() == []


async def test_a_booking_without_a_description_is_invalid(browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    status, text, _ = await page.book(3, DAY, dt.time(18), name="")
    assert status == 200 and soup(text).h1.get_text() == "Invalid booking"


async def test_search_lists_entries_with_their_creator_and_start(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    entry = server.state.book("alice", 3, DAY, "18:00")
    server.state.book("bob", 4, DAY, "09:00", name="Lesson with alice")
    server.state.book("alice", 3, TODAY - dt.timedelta(days=2), "18:00")
    page = browser()
    _, text, _ = await page.get("search.php", search_str="alice", from_date=TODAY.isoformat())
    assert soup(text).select_one("form#logon") is not None, "search shows usernames: members only"
    await page.login("bob")
    _, text, _ = await page.get("search.php", search_str="alice", from_date=TODAY.isoformat())
    rows = soup(text).select("table#search_results tbody tr")
    assert len(rows) == 2, "a substring search from the date on"
    cells = rows[1].find_all("td")
    assert cells[1].get_text(strip=True) == "alice (Alice Archer)", "MRBS writes the username first"
    assert cells[2].span["title"] == str(entry.start)
    assert f"id={entry.id}" in cells[0].a["href"] and "room=3" in cells[2].a["href"]
    _, text, _ = await page.get("search.php", search_str="nobody", from_date=TODAY.isoformat())
    assert soup(text).select_one("p#nothing_found") is not None


async def test_search_pages_through_many_results(server: RunningMrbs, browser: OpenBrowser) -> None:
    server.config.search_page_size = 2
    for offset in range(5):
        server.state.book("alice", 3, DAY + dt.timedelta(days=offset), "18:00")
    page = browser()
    await page.login("alice")
    _, text, _ = await page.get("search.php", search_str="alice", from_date=TODAY.isoformat())
    assert len(soup(text).select("table#search_results tbody tr")) == 2
    forms = soup(text).select("#record_nav form")
    assert forms[0].select_one('input[type="submit"]').has_attr("disabled")
    fields = {i["name"]: i["value"] for i in forms[1].select('input[type="hidden"]')}
    _, text, _ = await page.post("search.php", fields, token=False)
    assert len(soup(text).select("table#search_results tbody tr")) == 2
    assert fields["search_pos"] == "2"


async def test_members_delete_their_own_entries_only(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    mine = server.state.book("alice", 3, DAY, "18:00")
    theirs = server.state.book("bob", 4, DAY, "18:00")
    status, _, resp = await page.post(
        "del_entry.php", {"id": mine.id, "series": 0, "returl": "index.php?view=day"}
    )
    assert status == 302 and resp.headers["Location"].startswith("index.php")
    for entry_id in (theirs.id, mine.id):
        status, text, _ = await page.post(
            "del_entry.php", {"id": entry_id, "series": 0, "returl": "index.php"}
        )
        assert status == 200 and soup(text).h1.get_text() == "Access Denied"
    assert [e.id for e in server.state.bookings()] == [theirs.id]


async def test_without_locking_two_members_can_win_one_slot(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    alice, bob = browser(), browser()
    await alice.login("alice")
    await bob.login("bob")
    answers = await asyncio.gather(alice.book(3, DAY, dt.time(18)), bob.book(3, DAY, dt.time(18)))
    assert [a[0] for a in answers] == [302, 200], "a booking is checked and stored at once by default"
    server.state.reset()
    server.config.race_window_ms = 100
    answers = await asyncio.gather(alice.book(3, DAY, dt.time(19)), bob.book(3, DAY, dt.time(19)))
    assert [a[0] for a in answers] == [302, 302]
    assert len(server.state.bookings()) == 2


async def test_store_then_fail_keeps_the_booking_and_loses_the_answer(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    server.config.commit_store_then_fail = 1
    status, text, _ = await page.book(3, DAY, dt.time(18))
    assert status == 500 and "data-username" not in text
    assert len(server.state.bookings()) == 1 and server.config.commit_store_then_fail == 0
    assert [a.outcome for a in server.state.arrivals()] == ["booked"]


async def test_injected_errors_and_latency(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    server.config.error_rate = 1.0
    server.config.latency_ms = 150
    started = time.monotonic()
    status, _, _ = await page.book(3, DAY, dt.time(18))
    assert status in (500, 502, 503) and time.monotonic() - started >= 0.15
    assert server.state.bookings() == []
    [arrival] = server.state.arrivals()
    assert arrival.outcome.startswith("http-5") and arrival.username is None and arrival.room_id == 3


async def test_the_arrival_log_has_server_clock_times_and_release_instants(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    await page.book(3, WINDOW_DAY, dt.time(12))
    await page.book(3, DAY, dt.time(18))
    refused, booked = server.state.arrivals()
    assert (refused.outcome, booked.outcome) == ("policy", "booked")
    assert refused.release_at == dt.datetime(2026, 6, 10, 13, tzinfo=NOON.tzinfo).timestamp()
    assert abs(booked.arrived_at - NOON.timestamp()) < 2 and booked.username == "alice"
    # the handler's instant, and before it the one its bytes arrived at (what benchmarks measure)
    assert booked.wire_at is not None and booked.wire_at <= booked.arrived_at < booked.wire_at + 0.5


async def test_areas_are_listed_when_there_is_a_choice(browser: OpenBrowser, server: RunningMrbs) -> None:
    _, text, _ = await browser().get("index.php")
    assert soup(text).select_one('select[name="area"]') is None
    server.config.areas[2] = Area("Squash", {11: "Squash 1"})
    _, text, _ = await browser().get("index.php", area=2)
    options = {o["value"]: o.get_text() for o in soup(text).select('select[name="area"] option')}
    assert options == {"1": "Tennis", "2": "Squash"}
    assert [th["data-room"] for th in soup(text).select("th[data-room]")] == ["11"]


def test_settings_that_cannot_work_are_refused() -> None:
    with pytest.raises(ValueError, match="slot_minutes"):
        MrbsConfig(slot_minutes=7)
    with pytest.raises(ValueError, match="room ids"):
        MrbsConfig(areas={1: Area("A", {1: "x"}), 2: Area("B", {1: "y"})})


async def test_the_control_api_seeds_lists_cancels_and_wipes(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    seeded = server.state.book("bob", 4, DAY, "18:00", 120, name="Doubles")
    assert (seeded.end - seeded.start, seeded.name) == (7200, "Doubles")
    assert server.state.cancel(seeded.id) == seeded and server.state.bookings() == []
    with pytest.raises(KeyError):
        server.state.cancel(seeded.id)
    with pytest.raises(ValueError, match="no room 99"):
        server.state.book("bob", 99, DAY, "18:00")
    await page.book(3, DAY, dt.time(18))
    async with page.http.get(f"{server.url}/_sim/bookings") as resp:
        assert [b["create_by"] for b in await resp.json()] == ["alice"]
    async with page.http.get(f"{server.url}/_sim/arrivals") as resp:
        [arrival] = await resp.json()
        assert arrival["outcome"] == "booked" and arrival["wire_at"] <= arrival["arrived_at"]
    async with page.http.post(f"{server.url}/_sim/gc-quiet", json={"until": server.state.now()}) as resp:
        assert resp.status == 200
    async with page.http.post(f"{server.url}/_sim/clock", json={"offset_s": 3600}) as resp:
        assert await resp.json() == {"offset_s": 3600}
    assert server.state.now() - time.time() == pytest.approx(3600, abs=1)
    async with page.http.post(f"{server.url}/_sim/expire-sessions") as resp:
        assert (await resp.json())["expired"] >= 1
    _, text, _ = await page.get("index.php")
    assert not soup(text).body.has_attr("data-username")
    async with page.http.post(f"{server.url}/_sim/reset") as resp:
        assert resp.status == 200
    assert server.state.bookings() == [] and server.state.arrivals() == []


async def test_people_can_book_and_delete_from_the_pages(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    status, text, _ = await page.get("edit_entry.php", room=4, hour=18, minute=0, page_date=DAY.isoformat())
    assert soup(text).select_one("form#logon") is not None, "booking needs a login"
    await page.login("alice")
    _, text, _ = await page.get("edit_entry.php", room=4, hour=18, minute=0, page_date=DAY.isoformat())
    form = {
        i["name"]: i["value"] for i in soup(text).select("form#main input[name]") if i.get("type") != "submit"
    }
    status, _, _ = await page.post("edit_entry_handler.php", form, token=False)
    [entry] = server.state.bookings()
    assert status == 302 and entry.room_id == 4
    _, text, _ = await page.get("view_entry.php", id=entry.id)
    delete = {i["name"]: i["value"] for i in soup(text).select('form[action="del_entry.php"] input[name]')}
    assert (await page.post("del_entry.php", delete, token=False))[0] == 302
    assert server.state.bookings() == []


# As a real installation runs: tentative bookings, private sites, admins, areas without rooms


async def test_a_booking_without_confirmed_is_tentative(server: RunningMrbs, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    await page.book(3, DAY, dt.time(18))
    await page.book(4, DAY + dt.timedelta(days=1), dt.time(18), confirmed="1")
    tentative, confirmed = server.state.bookings()
    assert (tentative.tentative, confirmed.tentative) == (True, False)
    _, text, _ = await page.get("index.php", view="day", area=1, page_date=DAY.isoformat())
    assert "tentative" in soup(text).select_one(f'a[data-id="{tentative.id}"]').parent["class"]


async def test_a_private_site_shows_visitors_only_its_login_form(
    server: RunningMrbs, browser: OpenBrowser
) -> None:
    server.config.deny_public_access = True
    page = browser()
    status, text, _ = await page.get("index.php", view="day", area=1, page_date=DAY.isoformat())
    html = soup(text)
    assert status == 200 and html.select_one("table#day_main") is None
    assert html.select_one("form#logon input[name=password]") is not None and page.csrf
    status, _, resp = await page.post(
        "admin.php",
        {"action": "SetName", "username": "alice", "password": "alice-pass", "target_url": "index.php"},
    )
    assert (status, resp.headers["Location"]) == (302, "index.php")
    _, text, _ = await page.get("index.php", view="day", area=1, page_date=DAY.isoformat())
    assert soup(text).select_one("table#day_main") is not None


async def test_an_admin_may_edit_every_booking(server: RunningMrbs, browser: OpenBrowser) -> None:
    server.config.admins.add("carol")
    theirs = server.state.book("bob", 3, DAY, "18:00")
    page = browser()
    await page.login("carol")
    _, text, _ = await page.get("index.php", view="day", area=1, page_date=DAY.isoformat())
    assert "writable" in soup(text).select_one(f'a[data-id="{theirs.id}"]').parent["class"]
    status, _, _ = await page.post(
        "del_entry.php", {"id": str(theirs.id), "series": "0", "returl": "index.php"}
    )
    assert status == 302 and server.state.bookings() == []


async def test_an_area_the_site_does_not_have_is_a_table_of_no_rooms(browser: OpenBrowser) -> None:
    _, text, _ = await browser().get("index.php", view="day", area=9, page_date=DAY.isoformat())
    table = soup(text).select_one("table#day_main")
    assert table.thead is None and table.tbody["data-empty"] == "1"
    assert table.get_text(strip=True) == "No rooms defined for this area"

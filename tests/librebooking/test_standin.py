"""The LibreBooking stand-in over raw HTTP: it must behave as LibreBooking 2.8.6 does
(docs/platforms/librebooking.md)."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import math
import time
from email.utils import parsedate_to_datetime

import aiohttp
import pytest
from bs4 import BeautifulSoup

from sim.librebooking import LibreBookingConfig, Resource, RunningLibreBooking
from tests.librebooking.conftest import OpenApi, OpenBrowser
from tests.librebooking.helpers import DAY, LONDON, NOON, RESOURCE, TODAY, USER, iso

T18, T19 = dt.time(18), dt.time(19)


def soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


# Time


async def test_every_answer_has_a_whole_second_date_of_the_server_clock(
    server: RunningLibreBooking, api: OpenApi, browser: OpenBrowser
) -> None:
    server.config.clock_offset_s += 0.73
    client, page = api(), browser()
    answers = [
        (await client.call("GET", "Schedules/"))[2],
        (await page.get("favicon.ico"))[2],
        (await page.get("index.php"))[2],
    ]
    for resp in answers:
        stamp = parsedate_to_datetime(resp.headers["Date"]).timestamp()
        assert abs(stamp - math.floor(server.state.now())) <= 1
    assert abs(stamp - (NOON.timestamp() + 0.73)) < 2


# The API: sessions


async def test_authenticate_answers_a_token_and_the_member_s_id(api: OpenApi) -> None:
    data = await api().login("alice")
    assert data["isAuthenticated"] is True and data["userId"] == "2" and data["version"] == "2.8"
    assert len(data["sessionToken"]) == 50 and data["sessionExpires"].endswith("+0000")
    expires = dt.datetime.strptime(data["sessionExpires"], "%Y-%m-%dT%H:%M:%S%z")
    assert abs((expires - NOON).total_seconds() - 1800) < 3
    refused = await api().login("alice", "wrong")
    assert (refused["isAuthenticated"], refused["sessionToken"], refused["userId"]) == (False, None, None)
    assert refused["message"] == "Login failed. Invalid username or password."
    assert (await api().login("bob@club.example", "bob-pass"))["userId"] == "3", "an e-mail address works too"


async def test_a_form_encoded_login_is_a_500(api: OpenApi) -> None:
    status, text, resp = await api().call(
        "POST", "Authentication/Authenticate", data={"username": "alice", "password": "alice-pass"}
    )
    assert status == 500 and resp.content_type == "text/html" and "Fatal error" in text


@pytest.mark.parametrize("headers", ["none", "wrong", "mismatched"])
async def test_anything_wrong_with_the_two_headers_is_a_401_text(api: OpenApi, headers: str) -> None:
    client, other = api(), api()
    await client.login("alice")
    await other.login("bob")
    sent = {
        "none": {},
        "wrong": {**client.headers, "X-Booked-SessionToken": "0" * 50},
        "mismatched": {**client.headers, "X-Booked-UserId": other.headers["X-Booked-UserId"]},
    }[headers]
    client.headers = sent
    status, text, resp = await client.call("GET", "Schedules/")
    assert (status, resp.content_type) == (401, "text/html")
    assert text.startswith("You must be authenticated in order to access this service.<br/>http://")
    assert text.endswith("/Web/Services/index.php/Authentication/Authenticate")


async def test_a_token_lives_while_it_is_used_and_older_ones_stay_valid(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    server.config.token_lifetime_s = 100
    first, second = api(), api()
    await first.login("alice")
    await second.login("alice")
    assert first.headers != second.headers, "each login makes a new token"
    for _ in range(3):  # 240 s in all, each step within the token's life
        server.config.clock_offset_s += 80
        assert (await first.call("GET", "Schedules/"))[0] == 200
    assert (await second.call("GET", "Schedules/"))[0] == 401, "unused for 240 s"
    await first.call(
        "POST",
        "Authentication/SignOut",
        json={"userId": "2", "sessionToken": first.headers["X-Booked-SessionToken"]},
    )
    assert (await first.call("GET", "Schedules/"))[0] == 401


async def test_a_switched_off_api_answers_every_url_with_one_line(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    server.config.api_enabled = False
    client = api()
    for method, path in (("POST", "Authentication/Authenticate"), ("GET", "Schedules/"), ("GET", "nowhere")):
        status, text, resp = await client.call(method, path)
        assert (status, resp.content_type) == (200, "text/html")
        assert text.startswith("LibreBooking API has been configured as disabled.")


# The API: schedules, courts, slots, reservations


async def test_schedules_and_resources(api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    _, text, _ = await client.call("GET", "Schedules/")
    [tennis] = json.loads(text)["schedules"]
    assert (tennis["id"], tennis["name"], tennis["timezone"], tennis["isDefault"]) == (
        "1",
        "Tennis",
        "Europe/London",
        True,
    )
    _, text, _ = await client.call("GET", "Resources/")
    resources = json.loads(text)["resources"]
    assert [(r["resourceId"], r["name"]) for r in resources] == [
        (str(RESOURCE[n]), f"Court {n}") for n in (1, 2, 3, 4)
    ]
    assert {(r["maxNotice"], r["minLength"], r["maxLength"], r["statusId"]) for r in resources} == {
        ("7d0h0m", "0d1h0m", "0d1h0m", "1")
    }
    assert "\\/" in text, "JSON as PHP writes it: slashes escaped"


async def test_slots_show_a_day_as_its_layout_draws_it(server: RunningLibreBooking, api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    server.state.book("bob", RESOURCE[2], DAY, "18:00", 120)
    params = {
        "startDateTime": DAY.isoformat(),
        "endDateTime": DAY.isoformat(),
        "resourceId": str(RESOURCE[2]),
    }
    _, text, _ = await client.call("GET", "Schedules/1/Slots", params=params)
    [date] = json.loads(text)["dates"]
    [court] = date["resources"]
    slots = court["slots"]
    assert (slots[0]["startDateTime"], slots[0]["endDateTime"], slots[0]["isReservable"]) == (
        f"{DAY}T00:00:00+0100",
        f"{DAY}T07:00:00+0100",
        False,
    )
    assert (slots[-1]["startDateTime"], slots[-1]["isReservable"]) == (f"{DAY}T22:00:00+0100", False)
    [held] = [s for s in slots if s["isReserved"]]
    assert (held["startDateTime"], held["endDateTime"], held["slotSpan"]) == (
        f"{DAY}T18:00:00+0100",
        f"{DAY}T20:00:00+0100",
        2,
    )
    assert held["reservation"]["userId"] == str(USER["bob"])
    assert len(slots) == 2 + 15 - 1, "two closed periods, fifteen hours, the booking one slot"
    far = TODAY + dt.timedelta(days=20)  # beyond the window, and a past day: the layout still says reservable
    for day in (far, TODAY - dt.timedelta(days=1)):
        params = {"startDateTime": day.isoformat(), "endDateTime": day.isoformat()}
        _, text, _ = await client.call("GET", "Schedules/1/Slots", params=params)
        assert any(s["isReservable"] for r in json.loads(text)["dates"][0]["resources"] for s in r["slots"])
    status, text, _ = await client.call("GET", "Schedules/1/Slots", params={"startDateTime": DAY.isoformat()})
    assert (status, text) == (200, ""), "without both dates: an empty 200"


async def test_reservations_list_every_member_s_unless_filtered(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    client = api()
    await client.login("alice")
    server.state.book("alice", RESOURCE[1], DAY, "10:00")
    server.state.book("bob", RESOURCE[2], DAY, "10:00")
    day = {"startDateTime": DAY.isoformat(), "endDateTime": (DAY + dt.timedelta(days=1)).isoformat()}
    _, text, _ = await client.call("GET", "Reservations/", params=day)
    listed = json.loads(text)["reservations"]
    assert sorted((r["userId"], r["firstName"]) for r in listed) == [("2", "Alice"), ("3", "Bob")]
    _, text, _ = await client.call("GET", "Reservations/", params={**day, "userId": "2"})
    assert [r["userId"] for r in json.loads(text)["reservations"]] == ["2"]
    _, text, _ = await client.call(
        "GET", "Reservations/", params={"startDateTime": DAY.isoformat(), "endDateTime": DAY.isoformat()}
    )
    assert json.loads(text)["reservations"] == [], "start = end touches nothing"
    bad = {"startDateTime": f"{DAY}T00:00:00+01:00", "endDateTime": f"{DAY}T23:00:00+01:00"}  # '+' unescaped
    async with client.http.get(
        client.base + "Reservations/?" + "&".join(f"{k}={v}" for k, v in bad.items()), headers=client.headers
    ) as resp:
        data = json.loads(await resp.text())
    assert (data["reservations"], data["startDateTime"]) == ([], None), (
        "a date it cannot read is silently now"
    )


# The API: booking and its refusals


async def test_a_reservation_is_created_with_a_reference(server: RunningLibreBooking, api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    status, text, _ = await client.book(RESOURCE[2], DAY, T18)
    created = json.loads(text)
    assert (status, created["message"], created["isPendingApproval"]) == (
        201,
        "The reservation was created",
        False,
    )
    assert len(created["referenceNumber"]) == 22
    [stored] = server.state.bookings()
    assert (stored.reference, stored.user_id, stored.resource_id) == (
        created["referenceNumber"],
        USER["alice"],
        RESOURCE[2],
    )
    status, text, _ = await client.call("GET", f"Reservations/{stored.reference}")
    assert status == 200 and json.loads(text)["referenceNumber"] == stored.reference


async def test_a_user_id_in_the_body_books_in_that_member_s_name(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    client = api()
    await client.login("alice")
    assert (await client.book(RESOURCE[2], DAY, T18, userId=USER["bob"]))[0] == 201
    assert [r.user_id for r in server.state.bookings()] == [USER["bob"]]


async def test_a_body_short_of_a_key_is_refused_as_libre_booking_refuses_it(api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    start, end = iso(DAY, T18), iso(DAY, T19)
    whole = {"resourceId": RESOURCE[2], "startDateTime": start, "endDateTime": end, "title": "", "description": "",
             "allowParticipation": False, "termsAccepted": False}  # fmt: skip
    status, text, _ = await client.call(
        "POST", "Reservations/", json={k: v for k, v in whole.items() if k != "title"}
    )
    assert status == 500 and "Fatal error" in text
    status, text, _ = await client.call(
        "POST", "Reservations/", json={k: v for k, v in whole.items() if k != "endDateTime"}
    )
    assert status == 400 and json.loads(text)["errors"][0].startswith(
        "Could not process request.ErrorException: Undefined property"
    )
    status, text, _ = await client.call("POST", "Reservations/", json={**whole, "resourceId": None})
    assert (status, json.loads(text)["errors"]) == (400, ["Missing or invalid resourceId"])


async def _refusal(client, resource: int, day: dt.date, start: dt.time, minutes: int = 60) -> str:  # type: ignore[no-untyped-def]
    status, text, _ = await client.book(resource, day, start, minutes)
    data = json.loads(text)
    assert (status, data["message"]) == (400, "There were errors processing your request")
    [error] = data["errors"]
    return error


@pytest.mark.parametrize(
    ("language", "taken", "past", "far", "alignment", "length", "order"),
    [
        (
            None,
            f"There are conflicting reservations on the following dates:\n{DAY:%m/%d/%Y} - Court 2\n",
            "The start date and time cannot be in the past.",
            "This reservation cannot be made this far in the future. The latest date and time that can be "
            f"reserved is {TODAY + dt.timedelta(days=7):%m/%d/%Y} 12:00:00 PM.",
            "The start date and time requested is not valid.\nThe end date and time requested is not valid.\n",
            "This reservation cannot last longer than 1 hours.",
            "The start date and time must be before the end date and time.",
        ),
        (
            "de_de",
            f"Es gibt in Konflikt stehende Reservierungen an folgenden Tagen:\n{DAY:%d/%m/%Y} - Court 2\n",
            "Der Startzeitpunkt darf nicht in der Vergangenheit liegen",
            f"Die Reservierung liegt zu weit in der Zukunft. Der späteste Zeitpunkt ist {TODAY + dt.timedelta(days=7):%d/%m/%Y} 12:00:00.",
            "Die angeforderte Startzeit ist nicht gültig.\nDie angeforderte Endzeit ist nicht gültig.\n",
            "Diese Reservierung kann nicht länger als 1 Stunden dauern.",
            "Der Startzeitpunkt muss vor dem Endzeitpunkt liegen",
        ),
    ],
)
async def test_each_refusal_in_libre_booking_s_words(
    server: RunningLibreBooking,
    api: OpenApi,
    language: str | None,
    taken: str,
    past: str,
    far: str,
    alignment: str,
    length: str,
    order: str,
) -> None:
    client = api(language)
    await client.login("alice")
    server.state.book("bob", RESOURCE[2], DAY, "18:00")
    assert await _refusal(client, RESOURCE[2], DAY, T18) == taken
    assert await _refusal(client, RESOURCE[2], TODAY, dt.time(11)) == past
    assert await _refusal(client, RESOURCE[2], TODAY + dt.timedelta(days=7), dt.time(12)) == far
    assert await _refusal(client, RESOURCE[2], DAY, dt.time(10, 30)) == alignment
    assert await _refusal(client, RESOURCE[2], DAY, dt.time(10), 120) == length
    assert await _refusal(client, RESOURCE[2], DAY, dt.time(10), -60) == order


async def test_only_the_first_failing_rule_is_reported_quota_before_taken(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    client = api()
    await client.login("alice")
    server.state.book("alice", RESOURCE[1], DAY, "10:00")
    server.state.book("bob", RESOURCE[2], DAY, "18:00")
    assert await _refusal(client, RESOURCE[2], DAY, T18) == (
        "On Tennis for All Resources users in All Groups are limited to 1.00 reservations per day Including "
        "Completed Reservations. Enforced All Day Everyday"
    )


async def test_the_maximum_notice_is_measured_to_the_end_to_the_second(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    """A 7-day notice: the 12:00-13:00 slot a week ahead opens at 13:00:00 today, end minus 604 800 s."""
    week = TODAY + dt.timedelta(days=7)
    release = server.release_instant(RESOURCE[2], week, dt.time(12))
    assert release == dt.datetime.combine(TODAY, dt.time(13), LONDON)
    server.config.clock_offset_s += release.timestamp() - server.state.now() - 0.5  # 12:59:59.5
    client = api()
    await client.login("alice")
    assert "far in the future" in await _refusal(client, RESOURCE[2], week, dt.time(12))
    server.config.clock_offset_s += 0.55  # 13:00:00.05
    assert (await client.book(RESOURCE[2], week, dt.time(12)))[0] == 201


async def test_a_slot_can_be_booked_until_its_start_second_has_passed(
    server: RunningLibreBooking, api: OpenApi
) -> None:
    start = dt.datetime.combine(TODAY, dt.time(13), LONDON).timestamp()
    server.config.clock_offset_s += start - server.state.now() + 0.5  # 13:00:00.5
    client = api()
    await client.login("alice")
    assert (await client.book(RESOURCE[2], TODAY, dt.time(13)))[0] == 201
    server.config.clock_offset_s += 0.6  # 13:00:01.1
    assert "in the past" in await _refusal(client, RESOURCE[3], TODAY, dt.time(13))


async def test_cancelling(server: RunningLibreBooking, api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    own = server.state.book("alice", RESOURCE[2], DAY, "18:00")
    others = server.state.book("bob", RESOURCE[3], DAY, "18:00")
    started = server.state.book("alice", RESOURCE[1], TODAY, "11:00")
    status, text, _ = await client.call("DELETE", f"Reservations/{others.reference}")
    assert (status, json.loads(text)["errors"]) == (400, ["You are not allowed to change this reservation."])
    status, text, _ = await client.call("DELETE", f"Reservations/{started.reference}")
    assert (status, json.loads(text)["errors"]) == (400, ["The start date and time cannot be in the past."])
    status, text, _ = await client.call("DELETE", f"Reservations/{own.reference}")
    assert (status, json.loads(text)["message"]) == (200, "The item was deleted")
    assert (await client.call("DELETE", f"Reservations/{own.reference}"))[:2] == (200, ""), (
        "gone: an empty 200"
    )
    status, text, _ = await client.call("GET", f"Reservations/{own.reference}")
    assert (status, json.loads(text)["message"]) == (404, "The requested resource was not found")


async def test_users_by_username(api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    _, text, _ = await client.call("GET", "Users/", params={"username": "bob"})
    assert [u["id"] for u in json.loads(text)["users"]] == ["3"]


# No locking, and the faults


async def test_two_members_racing_one_slot_both_get_it(server: RunningLibreBooking, api: OpenApi) -> None:
    server.config.race_window_ms = 200
    alice, bob = api(), api()
    await alice.login("alice")
    await bob.login("bob")
    answers = await asyncio.gather(alice.book(RESOURCE[2], DAY, T18), bob.book(RESOURCE[2], DAY, T18))
    assert [status for status, _, _ in answers] == [201, 201]
    assert sorted(r.user_id for r in server.state.bookings()) == [USER["alice"], USER["bob"]]


async def test_store_then_fail_and_proxy_errors(server: RunningLibreBooking, api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    server.config.commit_store_then_fail = 1
    assert (await client.book(RESOURCE[2], DAY, T18))[0] == 500
    assert len(server.state.bookings()) == 1, "stored, though the answer is a 500"
    server.config.error_rate = 1.0
    assert (await client.book(RESOURCE[3], DAY + dt.timedelta(days=1), T18))[0] in (500, 502, 503)
    assert len(server.state.bookings()) == 1, "a proxy error has no effect"
    assert [a.outcome for a in server.state.arrivals()][-1].startswith("http-5")


# The web pages


async def test_logging_in_on_the_web(server: RunningLibreBooking, browser: OpenBrowser) -> None:
    page = browser()
    _, text, resp = await page.get("index.php")
    assert {c.key: c["path"] for c in page.http.cookie_jar} == {"PHPSESSID": "/Web"}
    form = soup(text).select_one("form#login")
    assert {i.get("name") for i in form.select("input, button")} >= {"email", "password", "login"}
    status, text, _ = await page.post(
        "index.php", {"email": "alice", "password": "nope", "login": "submit"}, token=False
    )
    assert (
        status == 200
        and "We could not match your username or password" in soup(text).select_one("#loginError").text
    )
    status, text, _ = await page.post("index.php", {"email": "alice", "password": "alice-pass"}, token=False)
    assert status == 200 and soup(text).select_one("#loginError") is None, "without `login` the page reloads"
    status, _, resp = await page.login("alice")
    assert (status, resp.headers["Location"]) == (302, "schedule.php")
    _, text, _ = await page.get("reservation.php")
    assert soup(text).select_one("input#userId")["value"] == str(USER["alice"])
    assert len(page.csrf) == 64


async def test_the_schedule_page_shows_slots_not_bookings(
    server: RunningLibreBooking, browser: OpenBrowser
) -> None:
    page = browser()
    await page.login("alice")
    server.state.book("bob", RESOURCE[2], DAY, "18:00")
    _, text, _ = await page.get("schedule.php", sd=DAY.isoformat())
    tables = soup(text).select("table.reservations")
    assert len(tables) == 7
    monday = TODAY - dt.timedelta(days=TODAY.weekday())
    assert int(tables[0]["data-min"]) == int(dt.datetime.combine(monday, dt.time(), LONDON).timestamp())
    rows = tables[DAY.weekday()].select("tr.slots")
    assert [(r["data-resourceid"], r.select_one("td.resourcename").text.strip()) for r in rows] == [
        (str(RESOURCE[n]), f"Court {n}") for n in (1, 2, 3, 4)
    ]
    cells = rows[1].select("td.slot")
    at_18 = int(dt.datetime.combine(DAY, T18, LONDON).timestamp())
    [cell] = [c for c in cells if int(c["data-min"]) == at_18]
    assert cell["class"] == ["reservable", "clickres", "slot"], (
        "a booked slot looks free: bookings come by JSON"
    )
    assert cells[0]["class"] == ["unreservable", "slot"]
    past = tables[TODAY.weekday()].select("tr.slots")[0].select("td.slot")[5]  # 11:00 today
    assert "pasttime" in past["class"]
    _, body, _ = await page.post(
        "schedule.php",
        {
            "beginDate": DAY.isoformat(),
            "endDate": (DAY + dt.timedelta(days=1)).isoformat(),
            "scheduleId": "1",
        },
        params={"dr": "reservations"},
        token=False,
    )
    [item] = json.loads(body)
    assert (item["StartDate"], item["ResourceId"], item["IsOwner"], item["Label"]) == (
        str(at_18),
        str(RESOURCE[2]),
        False,
        "Bob Baker",
    )


async def test_booking_and_cancelling_on_the_web(server: RunningLibreBooking, browser: OpenBrowser) -> None:
    page = browser()
    await page.login("alice")
    _, text, _ = await page.book(RESOURCE[2], DAY, T18, user_id=USER["alice"])
    created = soup(text).select_one("div#reservation-created")
    [stored] = server.state.bookings()
    assert created.select_one("#reference-number").text == f"Your reference number is {stored.reference}"
    _, text, _ = await page.book(RESOURCE[3], DAY, T18, user_id=USER["alice"])
    error = soup(text).select_one("div#reservation-failed div.error div")
    assert "reservations per day" in error.text
    others = server.state.book("bob", RESOURCE[4], DAY, "18:00")
    _, text, _ = await page.post(
        "ajax/reservation_delete.php", {"referenceNumber": others.reference, "seriesUpdateScope": "full"}
    )
    assert "You are not allowed to change this reservation." in text
    _, text, _ = await page.post("ajax/reservation_delete.php", {"referenceNumber": stored.reference})
    assert "There was a critical error" in text, "without seriesUpdateScope"
    _, text, _ = await page.post(
        "ajax/reservation_delete.php", {"referenceNumber": stored.reference, "seriesUpdateScope": "full"}
    )
    assert soup(text).select_one("#deleted-message").text == "Your reservation was removed"
    assert [r.user_id for r in server.state.bookings()] == [USER["bob"]]


async def test_the_web_form_s_guards(server: RunningLibreBooking, browser: OpenBrowser) -> None:
    page = browser()
    status, _, resp = await page.book(RESOURCE[2], DAY, T18, user_id=USER["alice"])
    assert (status, resp.headers["Location"]) == (
        302,
        "/Web/index.php?redirect=%2FWeb%2Fajax%2Freservation_save.php",
    )
    await page.login("alice")
    page.csrf = "forged"
    status, text, _ = await page.book(RESOURCE[2], DAY, T18, user_id=USER["alice"])
    assert (status, text) == (500, "Insecure request")
    assert server.state.bookings() == []
    assert [a.outcome for a in server.state.arrivals()] == ["session-expired", "csrf"]


@pytest.mark.parametrize(
    ("header", "words"),
    [("de-de,de;q=0.9", "Benutzername oder E-Mail"), ("de-DE,de;q=0.9", "Username or Email")],
)
async def test_the_login_page_reads_accept_language_as_libre_booking_does(
    browser: OpenBrowser, header: str, words: str
) -> None:
    page = browser()
    async with page.http.get(f"{page.base}/index.php", headers={"Accept-Language": header}) as resp:
        assert words in await resp.text()


async def test_the_language_cookie_sets_the_words(server: RunningLibreBooking, browser: OpenBrowser) -> None:
    page = browser("de_de")
    await page.login("alice")
    server.state.book("alice", RESOURCE[1], DAY, "10:00")
    _, text, _ = await page.book(RESOURCE[2], DAY, T18, user_id=USER["alice"])
    assert "sind limitiert auf 1.00 Reservierungen pro Tag" in text


async def test_sim_json(server: RunningLibreBooking, api: OpenApi) -> None:
    client = api()
    await client.login("alice")
    await client.book(RESOURCE[2], DAY, T18)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{server.url}/_sim/arrivals") as resp:
            [arrival] = await resp.json()
        assert (arrival["username"], arrival["outcome"], arrival["via"]) == ("alice", "booked", "api")
        assert arrival["release_at"] == arrival["end"] - 7 * 86400
        # the handler's instant, and before it the one its bytes arrived at (what benchmarks measure)
        assert arrival["wire_at"] <= arrival["arrived_at"] < arrival["wire_at"] + 0.5
        async with http.post(f"{server.url}/_sim/gc-quiet", json={"until": server.state.now()}) as resp:
            assert resp.status == 200
        async with http.post(f"{server.url}/_sim/clock", json={"offset_s": 3600}) as resp:
            assert await resp.json() == {"offset_s": 3600}
        assert server.state.now() - time.time() == pytest.approx(3600, abs=1)
        async with http.get(f"{server.url}/_sim/bookings") as resp:
            assert len(await resp.json()) == 1
        async with http.post(f"{server.url}/_sim/expire-sessions") as resp:
            assert (await resp.json())["expired"] == 1
        async with http.post(f"{server.url}/_sim/reset") as resp:
            assert await resp.json() == {"reset": True}
    assert server.state.bookings() == [] and server.state.arrivals() == []


def test_bad_settings_are_named() -> None:
    with pytest.raises(ValueError, match="resources"):
        LibreBookingConfig(resources={1: Resource("Court", schedule_id=9)})
    with pytest.raises(ValueError, match="default_language"):
        LibreBookingConfig(default_language="fr_fr")

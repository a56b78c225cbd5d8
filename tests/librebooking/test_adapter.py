"""The LibreBooking adapter against the stand-in over real HTTP: its API and its web pages, in English and
in German."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.grid import bookable_now
from booking.release import ReleaseRule, WindowKind
from booking.sites.base import Booking, CellState, Court, Slot
from booking.sites.errors import (
    InvalidRequest,
    LimitReached,
    LoginFailed,
    LoginRequired,
    NotOpenYet,
    RefusedByClub,
    SessionExpired,
    SlotTaken,
)
from booking.sites.librebooking.adapter import LibreBookingAdapter, LibreBookingSettings
from booking.sites.registry import SITE_NAMES, platform
from sim.librebooking import LibreBookingConfig, Resource, RunningLibreBooking, texts
from tests.librebooking.conftest import OpenAdapter
from tests.librebooking.helpers import DAY, LONDON, RESOURCE, TODAY, USER

#: the adapter's `api` setting for each path: forced on (the API) or off (the web pages)
PATHS = pytest.mark.parametrize("path", ["on", "off"])
LANGUAGES = pytest.mark.parametrize("language", ["en_us", "de_de"])
T18 = dt.time(18)


async def logged_in(
    open_adapter: OpenAdapter, username: str = "alice", court_map: dict[int, str] | None = None, **extra: str
) -> LibreBookingAdapter:
    site = open_adapter(court_map, **extra)
    await site.login(username, f"{username}-pass")
    return site


async def book(
    site: LibreBookingAdapter, court: int, day: dt.date, start: dt.time, minutes: int = 60
) -> Booking:
    return await site.commit(await site.prepare(Slot(court, day, start, minutes)))


# Logging in, and which path


async def test_the_path_is_found_out_at_login(server: RunningLibreBooking, open_adapter: OpenAdapter) -> None:
    assert (await logged_in(open_adapter))._way == "api"
    server.config.api_enabled = False
    assert (await logged_in(open_adapter))._way == "web"
    server.config.api_enabled = True
    assert (await logged_in(open_adapter, api="off"))._way == "web", "forced to the web pages"
    assert server.state.logins == ["alice", "alice", "alice"]


async def test_an_api_forced_on_at_a_club_without_one_says_so(
    server: RunningLibreBooking, open_adapter: OpenAdapter
) -> None:
    server.config.api_enabled = False
    with pytest.raises(InvalidRequest, match="LIBREBOOKING_API=on"):
        await logged_in(open_adapter, api="on")


@PATHS
async def test_a_wrong_password_is_login_failed(open_adapter: OpenAdapter, path: str) -> None:
    site = open_adapter(api=path)
    with pytest.raises(LoginFailed):
        await site.login("alice", "wrong")
    with pytest.raises(LoginRequired):
        await site.my_bookings()  # refused credentials are not kept for a later re-login


def test_settings_are_checked_and_the_adapter_is_registered() -> None:
    assert "librebooking" in SITE_NAMES
    with pytest.raises(ValueError, match="LIBREBOOKING_API"):
        LibreBookingSettings.from_extra({"api": "maybe"})
    with pytest.raises(ValueError, match="max_slots"):
        LibreBookingSettings.from_extra({"max_slots": "0"})
    with pytest.raises(ValueError, match=r"^LIBREBOOKING_API: must be auto, on or off"):
        platform("librebooking").options({"LIBREBOOKING_API": "maybe"})


# The schedule, its courts and its rules


@PATHS
async def test_courts_in_the_club_s_order_and_as_court_map_names_them(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    assert await site.courts() == [Court(n, str(RESOURCE[n]), f"Court {n}") for n in (1, 2, 3, 4)]
    mapped = await logged_in(open_adapter, court_map={1: "Court 3", 2: "8"}, api=path)
    assert await mapped.courts() == [Court(1, "7", "Court 3"), Court(2, "8", "Court 4")]
    wrong = await logged_in(open_adapter, court_map={1: "Court 9"}, api=path)
    with pytest.raises(InvalidRequest, match="COURT_MAP 1=Court 9 names no court"):
        await wrong.courts()


async def test_the_courts_are_only_for_members(open_adapter: OpenAdapter) -> None:
    with pytest.raises(LoginRequired):
        await open_adapter().rules()


@PATHS
async def test_the_rules_come_from_the_schedule_and_each_court_s_maximum_notice(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    rules = await (await logged_in(open_adapter, api=path)).rules()
    assert (rules.slot_minutes, rules.opens, rules.closes, rules.timezone) == (
        60,
        dt.time(7),
        dt.time(22),
        LONDON,
    )
    # the API publishes each court's maximum notice; the web pages show none (the domain decides then)
    assert rules.release == (ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 7) if path == "on" else None)
    assert (rules.hold_before_open, rules.partner_required) == (False, False)
    # the API reads each court's maximum length; the web pages do not show it
    assert rules.durations == ((60,) if path == "on" else (60, 120))


async def test_the_shortest_notice_of_our_courts_is_the_rule(
    server: RunningLibreBooking, open_adapter: OpenAdapter
) -> None:
    server.config.resources[RESOURCE[3]].max_notice_s = 2 * 86400 + 600  # "2d0h10m"
    rules = await (await logged_in(open_adapter)).rules()
    assert rules.release == ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 2, seconds=600)
    web = await (await logged_in(open_adapter, api="off")).rules()
    assert web.release is None, "the web pages show no notice"


@PATHS
async def test_a_club_in_another_time_zone_is_named(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path, timezone=ZoneInfo("Europe/Berlin"))
    with pytest.raises(InvalidRequest, match="CLUB_TIMEZONE"):
        await site.courts()


@pytest.fixture
def two_schedules(config: LibreBookingConfig) -> LibreBookingConfig:
    config.schedules[2] = "Squash"
    config.resources[9] = Resource("Squash Court", 2)
    return config


@PATHS
@pytest.mark.usefixtures("two_schedules")
async def test_the_schedule_by_name_or_id(open_adapter: OpenAdapter, path: str) -> None:
    first, *_ = await (await logged_in(open_adapter, api=path)).courts()
    assert first.name == "Court 1"
    for wanted in ("squash", "2"):
        site = await logged_in(open_adapter, api=path, schedule=wanted)
        assert await site.courts() == [Court(1, "9", "Squash Court")]
    with pytest.raises(InvalidRequest, match=r"no schedule 'Padel'.*Tennis \(1\), Squash \(2\)"):
        await (await logged_in(open_adapter, api=path, schedule="Padel")).courts()


# A day


@PATHS
async def test_a_day_shows_free_booked_mine_and_closed(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    server.state.book("alice", RESOURCE[1], DAY, "18:00")
    server.state.book("bob", RESOURCE[2], DAY, "18:00", 120)
    site = await logged_in(open_adapter, api=path)
    grid = await site.availability(DAY)
    assert grid.state(1, T18) is CellState.MINE
    assert grid.state(2, T18) is grid.state(2, dt.time(19)) is CellState.BOOKED
    assert grid.state(3, T18) is CellState.FREE
    assert grid.state(3, dt.time(6)) is CellState.CLOSED
    today = await site.availability(TODAY)
    assert today.state(1, dt.time(11)) is CellState.CLOSED, "started"
    assert today.state(1, dt.time(13)) is CellState.FREE
    week = await site.availability(TODAY + dt.timedelta(days=7))
    assert week.state(1, dt.time(12)) is CellState.FREE, "free, though not released: the domain's to say"
    rules = dataclasses.replace(await site.rules(), release=ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 7))
    bookable = bookable_now(week, rules, server.state.now())
    assert bookable.state(1, dt.time(11)) is CellState.FREE, "ends 12:00 a week ahead: open"
    assert bookable.state(1, dt.time(12)) is CellState.CLOSED, "ends 13:00: not released yet"


# Booking, refusals and cancelling


@PATHS
async def test_book_list_and_cancel(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    booking = await book(site, 2, DAY, T18)
    [stored] = server.state.bookings()
    assert (booking.reference, booking.double) == (stored.reference, False)
    assert (stored.user_id, stored.resource_id) == (USER["alice"], RESOURCE[2])
    assert [a.via for a in server.state.arrivals()] == ["api" if path == "on" else "web"]
    assert await site.my_bookings() == [Booking(stored.reference, Slot(2, DAY, T18, 60))]
    await site.cancel(booking.reference)
    assert server.state.bookings() == [] and await site.my_bookings() == []
    with pytest.raises(InvalidRequest, match=booking.reference):
        await site.cancel(booking.reference)


@PATHS
async def test_my_bookings_are_only_the_member_s_own_upcoming_ones(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    mine = server.state.book("alice", RESOURCE[1], DAY, "18:00")
    server.state.book("alice", RESOURCE[1], TODAY, "08:00")  # played already
    server.state.book("bob", RESOURCE[2], DAY, "18:00")
    server.state.book("carol", RESOURCE[3], DAY + dt.timedelta(days=1), "09:00")
    lesson = server.state.book("alice", RESOURCE[4], TODAY + dt.timedelta(days=365), "10:00")  # by the club
    site = await logged_in(open_adapter, api=path)
    assert [b.reference for b in await site.my_bookings()] == [mine.reference, lesson.reference]
    bob = await logged_in(open_adapter, "bob", api=path)
    with pytest.raises(InvalidRequest, match=r"not allowed to change this reservation|dürffen"):
        await bob.cancel(mine.reference)


@PATHS
@LANGUAGES
async def test_each_refusal_is_typed_in_english_and_german(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str, language: str
) -> None:
    server.config.default_language = language
    site = await logged_in(open_adapter, api=path)
    server.state.book("bob", RESOURCE[2], DAY, "18:00")
    with pytest.raises(SlotTaken):
        await book(site, 2, DAY, T18)
    far = Slot(2, TODAY + dt.timedelta(days=8), T18, 60)
    with pytest.raises(NotOpenYet):
        await site.commit(await site.prepare(far))
    with pytest.raises(InvalidRequest, match="no longer takes"):
        await book(site, 2, TODAY, dt.time(9))  # in the past
    with pytest.raises(InvalidRequest, match="does not take"):
        await book(site, 2, DAY, dt.time(10, 30))  # off the slot grid
    with pytest.raises(InvalidRequest, match="does not take"):
        await book(site, 3, DAY, dt.time(10), 120)  # two hours on a one-hour court
    server.state.book("alice", RESOURCE[1], DAY, "09:00")
    with pytest.raises(LimitReached) as limit:
        await book(site, 2, DAY, T18)  # at quota, and taken: the quota is what LibreBooking says
    assert limit.value.which == "per-day"
    assert [b.user_id for b in server.state.bookings()] == [USER["bob"], USER["alice"]], "nothing was booked"


@PATHS
async def test_a_refusal_it_does_not_know_is_passed_on_in_the_club_s_words(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(texts.VOCAB["en_us"], "StartIsInPast", "Bookings are closed for maintenance.")
    site = await logged_in(open_adapter, api=path)
    with pytest.raises(RefusedByClub, match=r"refused by the club: Bookings are closed for maintenance\."):
        await book(site, 2, TODAY, dt.time(9))


@PATHS
async def test_a_session_lost_at_the_commit_costs_one_login_and_books_nothing(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    prepared = await site.prepare(Slot(2, DAY, T18, 60))
    server.state.expire_sessions()
    with pytest.raises(SessionExpired, match="not made"):
        await site.commit(prepared)
    assert server.state.logins == ["alice", "alice"] and server.state.bookings() == []
    assert (await book(site, 2, DAY, T18)).slot.court == 2


@PATHS
async def test_an_expired_session_is_renewed_once_for_a_read(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    await site.courts()
    server.state.expire_sessions()
    assert await site.my_bookings() == []
    assert server.state.logins == ["alice", "alice"]


@PATHS
async def test_no_member_id_but_the_member_s_own_is_sent(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, "bob", api=path)
    prepared = await site.prepare(Slot(2, DAY, T18, 60))
    sending = site._booking_request(prepared.data["booking"])
    if path == "on":
        assert sending.json is not None and "userId" not in sending.json
    else:
        assert sending.form is not None and sending.form["userId"] == str(USER["bob"])
    await site.commit(prepared)
    assert [b.user_id for b in server.state.bookings()] == [USER["bob"]]


# No locking


@PATHS
async def test_a_booking_read_back_alongside_a_rival_s_is_reported_double(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    server.config.race_window_ms = 300
    alice, bob = await logged_in(open_adapter, api=path), await logged_in(open_adapter, "bob", api=path)
    slot = Slot(2, DAY, T18, 60)
    first, second = await asyncio.gather(
        alice.commit(await alice.prepare(slot)), bob.commit(await bob.prepare(slot))
    )
    assert len(server.state.bookings()) == 2, "LibreBooking stored both"
    assert first.double or second.double, "at least the later one reads back held twice"


# The API switched off while we are logged in


async def test_an_api_switched_off_mid_life_moves_reads_to_the_web_pages(
    server: RunningLibreBooking, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter)
    await site.courts()
    server.config.api_enabled = False
    assert (await site.availability(DAY)).state(2, T18) is CellState.FREE, "read from the web pages"
    assert site._way == "web" and server.state.logins == ["alice", "alice"], "one login on the web"
    await book(site, 2, DAY, T18)
    assert [a.via for a in server.state.arrivals()] == ["web"]


async def test_a_booking_the_switched_off_api_turned_away_is_prepared_again_for_the_web(
    server: RunningLibreBooking, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter)
    prepared = await site.prepare(Slot(2, DAY, T18, 60))  # for the API
    server.config.api_enabled = False
    with pytest.raises(SessionExpired, match="switched its booking API off"):
        await site.commit(prepared)
    assert site._way == "web" and server.state.bookings() == []
    assert (await book(site, 2, DAY, T18)).slot.court == 2
    assert [(a.via, a.outcome) for a in server.state.arrivals()] == [("api", "disabled"), ("web", "booked")]


async def test_an_api_forced_on_and_switched_off_mid_life_says_so(
    server: RunningLibreBooking, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter, api="on")
    await site.courts()
    server.config.api_enabled = False
    with pytest.raises(InvalidRequest, match="LIBREBOOKING_API"):
        await site.my_bookings()


# Armed: the booking request itself, fired at the release


@PATHS
async def test_the_armed_booking_request_books_once_when_fired(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    armed = await site.arm(Slot(2, DAY, T18, 60))
    await asyncio.sleep(0.05)
    assert server.state.arrivals() == [], "nothing is sent until it is fired"
    armed.fire()
    booking = await site.commit(await armed.prepared())
    [stored] = server.state.bookings()
    assert booking.reference == stored.reference and len(server.state.arrivals()) == 1


@PATHS
async def test_an_armed_refusal_is_the_commit_s_typed_error(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path)
    far = await site.arm(Slot(2, TODAY + dt.timedelta(days=8), T18, 60))
    far.fire()
    with pytest.raises(NotOpenYet):
        await site.commit(await far.prepared())
    armed = await site.arm(Slot(2, DAY, T18, 60))
    server.state.expire_sessions()
    armed.fire()
    with pytest.raises(SessionExpired):
        await site.commit(await armed.prepared())
    assert server.state.logins == ["alice", "alice"]


@PATHS
async def test_the_language_setting_is_sent_as_libre_booking_s_cookie(
    server: RunningLibreBooking, open_adapter: OpenAdapter, path: str
) -> None:
    site = await logged_in(open_adapter, api=path, language="de_de")
    server.state.book("alice", RESOURCE[1], DAY, "09:00")
    armed = await site.arm(Slot(2, DAY, T18, 60))  # the armed request carries the cookie too
    armed.fire()
    with pytest.raises(LimitReached, match="Reservierungen pro Tag"):
        await site.commit(await armed.prepared())
    with pytest.raises(LimitReached, match="Reservierungen pro Tag"):
        await book(site, 3, DAY, T18)

"""The MRBS adapter against the stand-in over real HTTP, in English and in German."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from booking.grid import bookable_now
from booking.release import ReleaseChoice
from booking.sites.base import Booking, CellState, Court, Prepared, SiteConfig, Slot
from booking.sites.errors import (
    InvalidRequest,
    LimitReached,
    LoginFailed,
    LoginRequired,
    NotOpenYet,
    PageNotUnderstood,
    SessionExpired,
    SlotTaken,
    TemporarilyUnavailable,
)
from booking.sites.mrbs.adapter import MrbsAdapter
from booking.sites.registry import SITE_NAMES, create_adapter, platform
from booking.timebase import SystemClock
from sim.mrbs import Area, RunningMrbs
from tests.mrbs.conftest import OpenAdapter
from tests.mrbs.helpers import LONDON, ROOM, TODAY, WINDOW_DAY, adapter, pin

DAY = TODAY + dt.timedelta(days=2)
LANGUAGES = pytest.mark.parametrize("language", ["en", "de"])


async def logged_in(open_adapter: OpenAdapter, username: str = "alice", **extra: str) -> MrbsAdapter:
    site = open_adapter(**extra)
    await site.login(username, f"{username}-pass")
    return site


async def book(site: MrbsAdapter, court: int, day: dt.date, start: int, minutes: int = 60) -> Booking:
    return await site.commit(await site.prepare(Slot(court, day, dt.time(start), minutes)))


# Logging in


@LANGUAGES
async def test_login_and_the_courts_in_column_order(open_adapter: OpenAdapter, language: str) -> None:
    site = await logged_in(open_adapter, language=language)
    assert await site.courts() == [Court(n, str(ROOM[n]), f"Court {n}") for n in (1, 2, 3, 4)]


@LANGUAGES
async def test_a_wrong_password_is_login_failed(open_adapter: OpenAdapter, language: str) -> None:
    site = open_adapter(language=language)
    with pytest.raises(LoginFailed):
        await site.login("alice", "wrong")
    with pytest.raises(SessionExpired):
        await site.my_bookings()  # refused credentials are not kept for a later re-login


async def test_a_rejected_login_token_is_fetched_again_once(
    open_adapter: OpenAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = open_adapter()
    sent = site._post
    forged: list[str] = []

    async def forge_first(path: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
        if path == "admin.php" and not forged:
            forged.append(path)
            form = {**form, "csrf_token": "stale"}
        return await sent(path, form)

    monkeypatch.setattr(site, "_post", forge_first)
    await site.login("alice", "alice-pass")
    assert forged and (await site.availability(DAY)).state(1, dt.time(18)) is CellState.FREE


async def test_a_login_token_rejected_twice_is_not_understood(
    open_adapter: OpenAdapter, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = open_adapter()
    sent = site._post

    async def forge(path: str, form: dict[str, str]):  # type: ignore[no-untyped-def]
        return await sent(path, {**form, "csrf_token": "stale"})

    monkeypatch.setattr(site, "_post", forge)
    with pytest.raises(PageNotUnderstood, match="rejected its own login form twice"):
        await site.login("alice", "alice-pass")


# Rules and settings


async def test_rules_come_from_the_day_view_and_the_settings(open_adapter: OpenAdapter) -> None:
    rules = await open_adapter().rules()
    assert (rules.slot_minutes, rules.opens, rules.closes) == (60, dt.time(7), dt.time(22))
    assert rules.release is None, "MRBS shows no release rule: the domain decides it"
    assert (rules.timezone, rules.hold_before_open, rules.partner_required) == (LONDON, False, False)
    assert rules.durations == (60, 120)
    assert (await open_adapter(max_slots="1").rules()).durations == (60,)
    assert (await open_adapter(max_per_day="1").rules()).max_per_day == 1


async def test_rules_follow_the_club_s_own_grid(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    server.config.slot_minutes = 30
    server.config.open_from, server.config.open_until = dt.time(8, 30), dt.time(21)
    rules = await open_adapter().rules()
    assert (rules.slot_minutes, rules.opens, rules.closes) == (30, dt.time(8, 30), dt.time(21))


async def test_a_site_on_another_time_zone_is_refused_unless_set(
    server: RunningMrbs, clock: SystemClock
) -> None:
    server.config.timezone = "Europe/Berlin"
    wrong = adapter(server, clock)
    right = MrbsAdapter(
        SiteConfig(base_url=server.url, timeout_s=5.0, timezone=ZoneInfo("Europe/Berlin")), clock
    )
    try:
        with pytest.raises(InvalidRequest, match="CLUB_TIMEZONE"):
            await wrong.rules()
        assert (await right.rules()).timezone.key == "Europe/Berlin"
    finally:
        await wrong.close()
        await right.close()


@pytest.mark.parametrize(
    ("extra", "key"),
    [
        ({"max_slots": "0"}, "max_slots"),
        ({"max_per_day": "many"}, "max_per_day"),
    ],
)
def test_bad_settings_name_the_setting(extra: dict[str, str], key: str) -> None:
    with pytest.raises(ValueError, match=key):
        MrbsAdapter(SiteConfig("http://127.0.0.1:1", extra=extra))


async def test_court_map_takes_room_ids_or_names(
    open_adapter: OpenAdapter, server: RunningMrbs, clock: SystemClock
) -> None:
    mapped = MrbsAdapter(SiteConfig(server.url, court_map={1: "6", 2: "court 1"}), clock)
    wrong = MrbsAdapter(SiteConfig(server.url, court_map={1: "Court 9"}), clock)
    try:
        assert await mapped.courts() == [Court(1, "6", "Court 3"), Court(2, "3", "Court 1")]
        with pytest.raises(InvalidRequest, match="Court 9"):
            await wrong.courts()
    finally:
        await mapped.close()
        await wrong.close()


async def test_an_area_is_chosen_by_name_or_number(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    server.config.areas[2] = Area("Padel", {21: "Padel A", 22: "Padel B"})
    by_name = await logged_in(open_adapter, area="padel")
    assert [c.name for c in await by_name.courts()] == ["Padel A", "Padel B"]
    booked = await book(by_name, 2, DAY, 18)
    assert server.state.entry(int(booked.reference)).room_id == 22
    by_number = open_adapter(area="2")
    assert [c.site_id for c in await by_number.courts()] == ["21", "22"]
    with pytest.raises(InvalidRequest, match="Tennis"):
        await open_adapter(area="Squash").courts()
    with pytest.raises(InvalidRequest, match=r"no courts in area 9: it says “No rooms defined .*MRBS_AREA"):
        await open_adapter(area="9").courts()


# Reading a day


@LANGUAGES
async def test_a_day_shows_free_booked_mine_and_past(
    server: RunningMrbs, open_adapter: OpenAdapter, language: str
) -> None:
    server.config.max_per_day = None
    server.state.book("alice", ROOM[1], TODAY, "18:00")
    server.state.book("bob", ROOM[2], TODAY, "17:00", 120)  # one cell spanning two rows
    server.state.book("bob", ROOM[3], TODAY, "09:00")  # in the past
    server.state.book("carol", ROOM[4], TODAY, "20:00")
    server.state.book("dave", ROOM[4], TODAY, "20:00")  # a double booking: MRBS does not lock
    site = await logged_in(open_adapter, language=language)
    grid = await site.availability(TODAY)
    assert grid.state(1, dt.time(18)) is CellState.MINE
    assert [grid.state(2, dt.time(h)) for h in (16, 17, 18, 19)] == [
        CellState.FREE, CellState.BOOKED, CellState.BOOKED, CellState.FREE,
    ]  # fmt: skip
    assert grid.state(3, dt.time(9)) is CellState.CLOSED and grid.state(3, dt.time(11)) is CellState.CLOSED
    assert grid.state(3, dt.time(13)) is CellState.FREE
    assert grid.state(4, dt.time(20)) is CellState.BOOKED
    assert len(grid.cells) == 4 * 15
    ahead = await site.availability(WINDOW_DAY)
    assert ahead.state(1, dt.time(12)) is CellState.FREE, "free, though not released: the domain's to say"
    rules = dataclasses.replace(await site.rules(), release=platform("mrbs").fallback_release)
    bookable = bookable_now(ahead, rules, server.state.now())
    assert bookable.state(1, dt.time(11)) is CellState.FREE
    assert bookable.state(1, dt.time(12)) is CellState.CLOSED, "not released until 13:00 today"


async def test_a_day_can_be_read_without_logging_in(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    server.state.book("alice", ROOM[1], DAY, "18:00")
    grid = await open_adapter().availability(DAY)
    assert grid.state(1, dt.time(18)) is CellState.BOOKED


# Booking, listing, cancelling


@LANGUAGES
async def test_book_list_and_cancel(server: RunningMrbs, open_adapter: OpenAdapter, language: str) -> None:
    site = await logged_in(open_adapter, language=language, description="Singles")
    booking = await book(site, 2, DAY, 18, 120)
    [entry] = server.state.bookings()
    assert booking == Booking(str(entry.id), Slot(2, DAY, dt.time(18), 120))
    assert (entry.name, entry.create_by, entry.room_id) == ("Singles", "alice", ROOM[2])
    assert await site.my_bookings() == [booking]
    assert (await site.availability(DAY)).state(2, dt.time(19)) is CellState.MINE
    await site.cancel(booking.reference)
    assert server.state.bookings() == [] and await site.my_bookings() == []
    with pytest.raises(InvalidRequest, match=booking.reference):
        await site.cancel(booking.reference)


async def test_the_booking_is_one_request_and_prepare_sends_nothing(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter)
    prepared = await site.prepare(Slot(1, WINDOW_DAY, dt.time(12), 60))
    assert server.state.arrivals() == []
    with pytest.raises(NotOpenYet):
        await site.commit(prepared)
    assert len(server.state.arrivals()) == 1


@LANGUAGES
async def test_a_taken_slot_is_slot_taken(
    server: RunningMrbs, open_adapter: OpenAdapter, language: str
) -> None:
    server.state.book("bob", ROOM[3], DAY, "18:00", 120)
    site = await logged_in(open_adapter, language=language)
    with pytest.raises(SlotTaken):
        await book(site, 3, DAY, 19)


@LANGUAGES
async def test_the_per_day_limit_is_limit_reached(
    server: RunningMrbs, open_adapter: OpenAdapter, language: str
) -> None:
    server.state.book("alice", ROOM[1], DAY, "09:00")
    site = await logged_in(open_adapter, language=language)
    with pytest.raises(LimitReached) as refused:
        await book(site, 2, DAY, 18)
    assert refused.value.which == "per-day"


@LANGUAGES
async def test_beyond_the_window_is_not_open_yet(
    server: RunningMrbs, open_adapter: OpenAdapter, language: str
) -> None:
    site = await logged_in(open_adapter, language=language)
    with pytest.raises(NotOpenYet) as refused:
        await book(site, 1, WINDOW_DAY, 18, 120)
    assert refused.value.opens_at is None, "MRBS does not say when; the domain's rule does"


@LANGUAGES
async def test_a_slot_that_has_started_is_invalid(open_adapter: OpenAdapter, language: str) -> None:
    site = await logged_in(open_adapter, language=language)
    with pytest.raises(InvalidRequest, match="no longer takes"):
        await book(site, 1, TODAY, 11)


@LANGUAGES
async def test_a_lost_session_is_logged_into_again(
    server: RunningMrbs, open_adapter: OpenAdapter, language: str
) -> None:
    site = await logged_in(open_adapter, language=language)
    prepared = await site.prepare(Slot(1, DAY, dt.time(18), 60))
    server.state.expire_sessions()
    with pytest.raises(SessionExpired, match="not made"):
        await site.commit(prepared)
    assert server.state.bookings() == []
    booking = await site.commit(await site.prepare(prepared.slot))  # what the engine does next
    server.state.expire_sessions()
    assert await site.my_bookings() == [booking], "a member call logs in again by itself"


async def test_a_server_error_on_commit_is_temporarily_unavailable(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter)
    server.config.commit_store_then_fail = 1
    with pytest.raises(TemporarilyUnavailable):
        await book(site, 1, DAY, 18)
    [found] = await site.my_bookings()
    assert found.slot == Slot(1, DAY, dt.time(18), 60)


async def test_a_redirect_that_booked_nothing_is_never_a_success(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    site = await logged_in(open_adapter)
    prepared = await site.prepare(Slot(1, DAY, dt.time(18), 60))
    broken = dataclasses.replace(
        prepared, data={**prepared.data, "form": {**prepared.data["form"], "start_date": "12.6.2026"}}
    )
    with pytest.raises(PageNotUnderstood, match="redirect"):
        await site.commit(broken)
    assert server.state.bookings() == []


async def test_a_double_booking_is_confirmed_by_its_creator(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.race_window_ms = 100
    alice, bob = await logged_in(open_adapter, "alice"), await logged_in(open_adapter, "bob")
    slot = Slot(1, DAY, dt.time(18), 60)
    mine, theirs = await asyncio.gather(
        alice.commit(await alice.prepare(slot)), bob.commit(await bob.prepare(slot))
    )
    by_creator = {e.create_by: str(e.id) for e in server.state.bookings()}
    assert (mine.reference, theirs.reference) == (by_creator["alice"], by_creator["bob"])


@pytest.mark.parametrize(
    ("court", "start", "minutes"),
    [(9, dt.time(18), 60), (1, dt.time(18, 30), 60), (1, dt.time(6), 60), (1, dt.time(18), 45),
     (1, dt.time(21), 120), (1, dt.time(18), 180)],
)  # fmt: skip
async def test_slots_off_the_grid_are_refused_before_sending(
    server: RunningMrbs, open_adapter: OpenAdapter, court: int, start: dt.time, minutes: int
) -> None:
    site = await logged_in(open_adapter)
    with pytest.raises(InvalidRequest):
        await site.prepare(Slot(court, DAY, start, minutes))
    assert server.state.arrivals() == []


async def test_only_what_we_prepared_is_committed(open_adapter: OpenAdapter) -> None:
    site = await logged_in(open_adapter)
    with pytest.raises(InvalidRequest, match="prepare it again"):
        await site.commit(Prepared(Slot(1, DAY, dt.time(18), 60), {"hold_id": "x"}))
    with pytest.raises(InvalidRequest, match="not a booking reference"):
        await site.cancel("DC-1234")


async def test_someone_else_s_booking_cannot_be_cancelled(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    theirs = server.state.book("bob", ROOM[1], DAY, "18:00")
    site = await logged_in(open_adapter)
    with pytest.raises(InvalidRequest):
        await site.cancel(str(theirs.id))
    assert server.state.entry(theirs.id) is not None


async def test_before_logging_in_member_calls_need_a_login(open_adapter: OpenAdapter) -> None:
    site = open_adapter()
    for call in (site.my_bookings(), site.cancel("101"), site.prepare(Slot(1, DAY, dt.time(18), 60))):
        with pytest.raises(SessionExpired):
            await call


# My bookings


async def test_my_bookings_are_filtered_on_the_creator_column(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.display_names["alice"] = "Alice Archer"
    mine = server.state.book("alice", ROOM[2], DAY, "18:00", 120)
    server.state.book("bob", ROOM[1], DAY, "09:00", name="Lesson for alice")
    server.state.book("malice", ROOM[3], DAY, "10:00")
    server.state.book("alice", ROOM[1], TODAY, "09:00")  # already played
    site = await logged_in(open_adapter)
    assert await site.my_bookings() == [Booking(str(mine.id), Slot(2, DAY, dt.time(18), 120))]


async def test_my_bookings_follow_every_search_page(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    server.config.search_page_size = 2
    for offset in range(5):
        server.state.book("alice", ROOM[1 + offset % 4], DAY + dt.timedelta(days=offset), "18:00")
    listed = await (await logged_in(open_adapter)).my_bookings()
    assert [b.slot.day for b in listed] == [DAY + dt.timedelta(days=n) for n in range(5)]
    assert [b.slot.court for b in listed] == [1, 2, 3, 4, 1]


async def test_my_bookings_leave_out_other_areas(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    server.config.areas[2] = Area("Padel", {21: "Padel A"})
    server.state.book("alice", 21, DAY, "18:00")
    assert await (await logged_in(open_adapter)).my_bookings() == []


# The clock


async def test_the_server_clock_is_estimated_from_the_date_header(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.clock_offset_s += 0.73
    sample = await open_adapter().server_clock()
    assert sample.offset_s == pytest.approx(0.73, abs=0.01)
    assert sample.error_s < 0.01


def test_the_registry_knows_mrbs() -> None:
    assert "mrbs" in SITE_NAMES
    assert isinstance(create_adapter("mrbs", SiteConfig("http://127.0.0.1:1")), MrbsAdapter)


# As clubs really run MRBS


async def test_a_member_with_a_display_name_books_sees_and_cancels(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    assert server.state.compound_name("alice") == "alice (Alice Archer)"
    site = await logged_in(open_adapter)
    booking = await book(site, 3, DAY, 18)
    assert await site.my_bookings() == [booking]
    assert (await site.availability(DAY)).state(3, dt.time(18)) is CellState.MINE
    await site.cancel(booking.reference)
    assert await site.my_bookings() == [] and server.state.bookings() == []


async def test_a_booking_is_confirmed_not_tentative(server: RunningMrbs, open_adapter: OpenAdapter) -> None:
    await book(await logged_in(open_adapter), 1, DAY, 18)
    [entry] = server.state.bookings()
    assert entry.tentative is False


async def test_a_private_site_is_logged_into_and_read_once_logged_in(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.deny_public_access = True
    with pytest.raises(LoginRequired):
        await open_adapter().courts()
    site = await logged_in(open_adapter)
    assert [c.name for c in await site.courts()] == ["Court 1", "Court 2", "Court 3", "Court 4"]
    assert (await site.rules()).slot_minutes == 60
    booking = await book(site, 2, DAY, 18)
    assert await site.my_bookings() == [booking]
    with pytest.raises(LoginFailed):
        await open_adapter().login("alice", "wrong")


async def test_a_lost_session_on_a_private_site_is_logged_into_again(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.deny_public_access = True
    site = await logged_in(open_adapter)
    server.state.expire_sessions()
    assert (await site.availability(DAY)).state(1, dt.time(18)) is CellState.FREE
    server.state.expire_sessions()
    assert await site.my_bookings() == []


async def test_an_admin_member_is_not_misled_by_writable(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.admins.add("alice")
    theirs = server.state.book("bob", ROOM[1], DAY, "18:00")
    site = await logged_in(open_adapter)
    grid = await site.availability(DAY)
    assert grid.state(1, dt.time(18)) is CellState.UNSURE, "editable by an admin, and not found as hers"
    assert await site.my_bookings() == []
    mine = await book(site, 2, DAY, 18)
    assert mine.reference != str(theirs.id) and await site.my_bookings() == [mine]
    assert (await site.availability(DAY)).state(2, dt.time(18)) is CellState.MINE


async def test_a_booking_the_search_cannot_see_is_never_called_booked(
    server: RunningMrbs, open_adapter: OpenAdapter
) -> None:
    server.config.search_hides.add("alice")
    site = await logged_in(open_adapter)
    with pytest.raises(PageNotUnderstood, match="no booking of yours"):
        await book(site, 2, DAY, 18)
    assert (await site.availability(DAY)).state(2, dt.time(18)) is CellState.UNSURE


@pytest.mark.parametrize(
    ("day", "start", "opens"),
    [
        # ends 01:00 on the night the clocks skip 01:00-02:00: opens a week before at 02:00 GMT
        (dt.date(2027, 3, 28), dt.time(0, 55), dt.datetime(2027, 3, 21, 2, 0, tzinfo=dt.UTC)),
        # ends 01:05 BST; a week before, 01:05 does not exist: opens as the clocks jump, 02:00 BST
        (dt.date(2027, 4, 4), dt.time(1, 0), dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)),
    ],
)
async def test_slots_next_to_the_skipped_hour_open_when_mrbs_opens_them(
    server: RunningMrbs, day: dt.date, start: dt.time, opens: dt.datetime
) -> None:
    server.config.slot_minutes, server.config.open_from = 5, dt.time(0, 0)
    server.config.open_until, server.config.max_per_day = dt.time(2, 0), None
    slot = Slot(1, day, start, 5)
    for instant, accepted in ((opens - dt.timedelta(seconds=1), False), (opens, True)):
        clock = pin(server, instant.astimezone(LONDON))
        site = adapter(server, clock)
        try:
            await site.login("alice", "alice-pass")
            rules = ReleaseChoice(fallback=platform("mrbs").fallback_release).decide(
                (await site.rules()).release
            )
            assert rules.release_instant(slot.day, slot.start, slot.duration_min, LONDON) == opens
            prepared = await site.prepare(slot)
            if accepted:
                assert (await site.commit(prepared)).slot == slot
            else:
                with pytest.raises(NotOpenYet):
                    await site.commit(prepared)
        finally:
            await site.close()

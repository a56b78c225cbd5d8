"""Watching for a cancellation through the emulator: an all-taken failure offers it, the press starts it,
a freed court is booked and told as usual, and /bookings (or the progress message) stops it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from booking.models import RequestStatus
from bot import texts
from bot.callbacks import Action, pack
from sim.botapi import MessageRecord
from sim.club.model import Booking as ClubBooking
from tests.bot.conftest import ALICE, BOB, BotWorld, button_data, days_ahead, logged_in
from tests.engine.harness import SITE_ID


async def _all_taken(world: BotWorld) -> tuple[date, ClubBooking, MessageRecord, MessageRecord]:
    """Tomorrow 18:00 on court 2 is Bob's at the club, so Alice's Book now fails: its day, Bob's booking,
    Alice's progress message and her failure notice."""
    await logged_in(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 1)
    rival = world.club.state.book("bob", SITE_ID[2], day, time(18))
    summary = await world.say(ALICE, "/book tomorrow 18:00 court 2", expect="Ready to book")
    await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
    notice = await world.api.wait_for_text(ALICE, "❌ I couldn't book", after=summary.message_id)
    return day, rival, summary, notice


async def test_watching_books_the_court_once_it_frees_up(world: BotWorld) -> None:
    day, rival, progress, notice = await _all_taken(world)
    assert "watch for a cancellation" in notice.text
    answer = await world.press(ALICE, notice, texts.WATCH_BUTTON)
    assert answer.text == f"Watching until {day:%a} 16:00 — I'll book the moment a court frees up"
    await world.shows(notice, f"👀 Watching for a cancellation until {day:%a} 16:00")
    assert notice.keyboard == []
    await world.shows(progress, f"👀 Watching for a cancellation until {day:%a} 16:00")
    assert "Every choice was taken" in progress.text, "the lines so far stay"
    assert button_data(progress, texts.STOP_WATCHING_BUTTON)
    [request] = await world.booking.requests(ALICE)
    assert request.status is RequestStatus.WATCHING

    world.club.state.cancel(rival.reference)
    booked = await world.api.wait_for_message(
        ALICE, lambda m: m.document is not None, after=notice.message_id
    )
    assert (booked.caption or "").startswith(f"✅ Booked! Court 2 · {day:%a %d %b} 18:00–19:00")
    await world.shows(progress, "Booked court 2")
    assert progress.keyboard == []
    [booking] = world.club.state.bookings()
    assert (booking.member, booking.slot.date) == ("alice", day)
    # The "couldn't book" notice, overtaken by the booking, now says so.
    await world.shows(notice, "✅ Update: booked after all, see below.")
    assert notice.keyboard == []


async def test_free_courts_nearby_are_offered_and_one_is_booked_instead(world: BotWorld) -> None:
    day, _, _, notice = await _all_taken(world)
    assert "🎾 Free right now: tap one to book it." in notice.text
    labels = [b.text for row in notice.keyboard for b in row]
    assert labels[:4] == [
        "🎾 Court 1 · 18:00",
        "🎾 Court 3 · 18:00",
        "🎾 Court 4 · 18:00",
        "🎾 Court 1 · 17:00",
    ]
    assert texts.WATCH_BUTTON in labels, "watching stays on offer next to them"
    answer = await world.press(ALICE, notice, "🎾 Court 3 · 18:00", expect="Booking Court 3 at 18:00 instead")
    assert answer.text == texts.BOOKING_NOW and notice.keyboard == []
    booked = await world.api.wait_for_message(
        ALICE, lambda m: m.document is not None, after=notice.message_id
    )
    assert (booked.caption or "").startswith(f"✅ Booked! Court 3 · {day:%a %d %b} 18:00–19:00")
    assert {(b.member, b.slot.court_id) for b in world.club.state.bookings()} == {
        ("bob", SITE_ID[2]),
        ("alice", SITE_ID[3]),
    }


async def test_watching_is_listed_and_stopped_from_bookings(world: BotWorld) -> None:
    day, _, progress, notice = await _all_taken(world)
    await world.press(ALICE, notice, texts.WATCH_BUTTON)
    listing = await world.say(ALICE, "/bookings", expect="Waiting to book")
    assert f"{day:%a %d %b} · 18:00 · court 2 · 1 h: 👀 watching for a cancellation until {day:%a} 16:00" in (
        listing.text
    )
    request = await world.booking.get(ALICE, 1)
    await world.press(
        ALICE, listing, f"👀 Stop watching {day:%a %d} 18:00", expect=texts.stopped_watching(request)
    )
    assert "Waiting to book" not in listing.text
    await world.shows(progress, "Stopped watching; nothing will be booked")
    assert (await world.booking.get(ALICE, 1)).status is RequestStatus.CANCELLED
    assert (await world.press_again(ALICE, notice, texts.WATCH_BUTTON)).text == texts.NOT_WATCHABLE


async def test_only_the_member_can_watch_their_request(world: BotWorld) -> None:
    _, _, _, notice = await _all_taken(world)
    bobs = await world.say(BOB, "/help", expect="what I can do")
    query_id = world.api.press_button(BOB, bobs.message_id, pack(Action.WATCH, 1, 120), force=True)
    assert (await world.api.wait_for_answer(query_id)).text == texts.NOT_YOURS
    assert (await world.booking.get(ALICE, 1)).status is RequestStatus.FAILED
    assert button_data(notice, texts.WATCH_BUTTON)


async def test_the_member_picks_when_watching_stops(world: BotWorld) -> None:
    day, _, _, notice = await _all_taken(world)
    answer = await world.press(ALICE, notice, texts.watch_until_button(30))
    assert answer.text == f"Watching until {day:%a} 17:30 — I'll book the moment a court frees up"
    [request] = await world.booking.requests(ALICE)
    assert request.status is RequestStatus.WATCHING
    starts = datetime.combine(day, time(18), tzinfo=ZoneInfo("Europe/London"))
    assert request.watch_until == starts - timedelta(minutes=30)

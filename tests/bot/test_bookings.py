"""/bookings and the ends of a request: waiting requests cancelled from the list or from their own
progress message, buttons that say what they do (and never two alike), and a failure told in plain words
with what to do next."""

from __future__ import annotations

from datetime import time

from booking.models import RequestStatus
from bot import texts
from sim.botapi import MessageRecord
from tests.bot.conftest import ALICE, BOB, BotWorld, days_ahead, logged_in
from tests.engine.harness import SITE_ID


async def _schedule(world: BotWorld, user_id: int, days: int, start: str) -> MessageRecord:
    summary = await world.say(user_id, f"/book {days_ahead(world, days).isoformat()} {start}", expect="Ready")
    await world.press(user_id, summary, "⏰ Schedule", expect="Scheduled for")
    return summary


async def test_a_waiting_request_is_listed_and_cancelled_from_the_list(world: BotWorld) -> None:
    await logged_in(world, BOB, "bob", "bob-pass")
    progress = await _schedule(world, BOB, 12, "18:00")
    listing = await world.say(BOB, "/bookings", expect="Waiting to book")
    day = days_ahead(world, 12)
    assert f"{day:%a %d %b} · 18:00 · any court · 1 h: opens " in listing.text and "07:00:00" in listing.text
    assert "#" not in listing.text and "fire" not in listing.text  # words of ours a member would not use
    [request] = await world.booking.requests(BOB)
    await world.press(BOB, listing, f"✖ Cancel {day:%a %d} 18:00", expect=texts.request_cancelled(request))
    assert "Waiting to book" not in listing.text
    await world.shows(progress, "Cancelled; nothing will be booked")
    [request] = await world.booking.requests(BOB)
    assert request.status is RequestStatus.CANCELLED


async def test_buttons_say_what_they_do_and_never_read_the_same(world: BotWorld) -> None:
    await logged_in(world, BOB, "bob", "bob-pass")
    day = days_ahead(world, 12)
    for line in (f"{day.isoformat()} 18:00 court 2", f"{day.isoformat()} 18:00 court 3"):
        summary = await world.say(BOB, f"/book {line}", expect="Ready")
        await world.press(BOB, summary, "⏰ Schedule", expect="Scheduled for")
    world.club.state.book("bob", SITE_ID[2], days_ahead(world, 1), time(20))
    listing = await world.say(BOB, "/bookings", expect="Booked at the club")
    labels = [button.text for row in listing.keyboard for button in row]
    assert (
        f"✖ Cancel {day:%a %d} 18:00 · court 2" in labels
        and f"✖ Cancel {day:%a %d} 18:00 · court 3" in labels
    )
    assert f"✖ Cancel {days_ahead(world, 1):%a %d} 20:00 · Court 2" in labels
    assert len(set(labels)) == len(labels)


async def test_a_waiting_request_is_cancelled_from_its_progress_message(world: BotWorld) -> None:
    await logged_in(world, BOB, "bob", "bob-pass")
    progress = await _schedule(world, BOB, 13, "09:00")
    answer = await world.press(
        BOB, progress, texts.STOP_REQUEST_BUTTON, expect="Cancelled; nothing will be booked"
    )
    assert answer.text == texts.CANCELLING
    assert progress.keyboard == []


async def test_a_failure_says_why_and_what_next(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 1)
    world.club.state.book("bob", SITE_ID[2], day, time(19))
    summary = await world.say(ALICE, "/book tomorrow 19:00 court 2", expect="Ready to book")
    await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
    notice = await world.api.wait_for_text(ALICE, "❌ I couldn't book", after=summary.message_id)
    assert "Every choice was taken (court 2 at 19:00). Nothing was booked." in notice.text
    assert "What next: /book another time or court" in notice.text
    await world.shows(summary, "❌ Every choice was taken")


async def test_bookings_without_a_login_asks_for_one(world: BotWorld) -> None:
    listing = await world.say(ALICE, "/bookings", expect=texts.NO_LOGIN_FOR_BOOKINGS)
    assert texts.NOTHING_BOOKED in listing.text and listing.keyboard == []

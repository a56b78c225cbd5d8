"""Weekly series through the emulator: made from the /book summary, listed by /weekly and /bookings,
paused, resumed, skipped a week and deleted (confirmed) by buttons, and never by anyone else's."""

from __future__ import annotations

from datetime import time, timedelta

from booking.events import EventKind
from booking.models import BookingRequest, RequestStatus, SeriesStatus
from bot import texts
from bot.callbacks import Action, pack
from tests.bot.conftest import ALICE, BOB, BotWorld, days_ahead, logged_in

WEEK = timedelta(days=7)


async def _series_with_a_waiting_week(world: BotWorld, member_id: int) -> tuple[int, BookingRequest]:
    """A series on tomorrow's weekday: tomorrow is open, so it is booked at once and next week planned."""
    series, first = await world.weekly.create(
        member_id, days_ahead(world, 1).weekday(), (time(18),), 60, (2,)
    )
    assert series.id is not None and first is not None
    planned = await world.events.wait_for(lambda e: e.kind is EventKind.SCHEDULED)
    return series.id, await world.booking.get(member_id, planned.request_id)


async def _open_requests(world: BotWorld, member_id: int) -> list[BookingRequest]:
    return await world.booking.requests(member_id, open_only=True)


async def test_every_weekday_from_the_summary_books_the_first_week_and_lists_the_series(
    world: BotWorld,
) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 8)  # past the club's window; its weekday comes round tomorrow, already open
    weekday = f"{day:%A}"
    form = await world.say(ALICE, "/book", expect="Which day")
    await world.press(ALICE, form, f"🔒 {day:%a %d %b}", expect="start time")
    await world.press(ALICE, form, "18:00", expect="Your order: 18:00")
    await world.press(ALICE, form, texts.NEXT_BUTTON, expect="Which court")
    await world.press(ALICE, form, "Court 2", expect="Your order: court 2")
    await world.press(ALICE, form, texts.NEXT_BUTTON, expect="How long")
    await world.press(ALICE, form, "1 h", expect="Ready to book")
    await world.press(
        ALICE, form, f"🔁 Every {weekday}", expect=f"Set up: Every {weekday} 18:00 · court 2 · 1 h"
    )
    await world.shows(form, "Booked court 2")  # the summary became the first week's progress message
    assert "Set up" in form.text and form.keyboard == []
    [series] = await world.weekly.series(ALICE)
    assert (series.weekday, series.times, series.courts, series.duration_min) == (
        day.weekday(),
        (time(18),),
        (2,),
        60,
    )
    [booked] = world.club.state.bookings()
    assert (booked.member, booked.slot.date) == ("alice", days_ahead(world, 1))

    planned = await world.events.wait_for(lambda e: e.kind is EventKind.SCHEDULED)
    assert (await world.booking.get(ALICE, planned.request_id)).day == day
    listing = await world.say(ALICE, "/weekly", expect="Your weekly bookings")
    assert (
        f"• Every {weekday} 18:00 · court 2 · 1 h\n  Next: {day:%a %d %b}, booked when it opens"
        in listing.text
    )
    rows = [[b.text for b in row] for row in listing.keyboard]
    assert rows == [
        [f"⏸ Pause {weekday[:3]} 18:00", f"⏭ Skip {day:%a %d %b}"],
        [f"🗑 Delete {weekday[:3]} 18:00"],
    ]


async def test_pause_resume_skip_and_delete_by_buttons(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    series_id, waiting = await _series_with_a_waiting_week(world, ALICE)
    listing = await world.say(ALICE, "/weekly", expect="Your weekly bookings")

    await world.press(ALICE, listing, "⏸ Pause", expect="⏸ Paused: Every")
    assert (await world.booking.get(ALICE, waiting.id or 0)).status is RequestStatus.CANCELLED
    assert listing.text.endswith("18:00 · court 2 · 1 h\n  ⏸ Paused")
    assert await _open_requests(world, ALICE) == []

    await world.press(ALICE, listing, "▶️ Resume", expect="▶️ Resumed")
    [resumed] = await _open_requests(world, ALICE)
    assert resumed.day == waiting.day  # the week the pause let go is planned again, not lost
    assert f"next: {resumed.day:%a %d %b}" in listing.text

    week = resumed.day
    await world.press(
        ALICE,
        listing,
        f"⏭ Skip {week:%a %d %b}",
        expect=f"⏭ {week:%a %d %b} skipped; next: {week + WEEK:%a %d %b}",
    )
    assert (await world.booking.get(ALICE, resumed.id or 0)).status is RequestStatus.CANCELLED
    assert {r.day for r in await _open_requests(world, ALICE)} == {week + WEEK}
    assert f"Skipping {week:%a %d %b}" in listing.text
    again = await world.press_again(ALICE, listing, f"⏭ Skip {week:%a %d %b}")
    assert again.text == texts.ALREADY_SKIPPED

    await world.press(ALICE, listing, f"↩ Unskip {week:%a %d %b}", expect=f"↩ {week:%a %d %b} is back")
    assert f"next: {week:%a %d %b}" in listing.text and "Skipping" not in listing.text
    assert {r.day for r in await _open_requests(world, ALICE)} == {week}  # the later week set aside for it
    stale = await world.press_again(ALICE, listing, f"↩ Unskip {week:%a %d %b}")
    assert stale.text == texts.NOT_SKIPPED

    await world.press(ALICE, listing, "🗑 Delete", expect="Delete this weekly booking?")
    await world.press(ALICE, listing, texts.KEEP_BUTTON, expect="Your weekly bookings")
    await world.press(ALICE, listing, "🗑 Delete", expect="Delete this weekly booking?")
    await world.press(ALICE, listing, texts.CONFIRM_DELETE_SERIES_BUTTON, expect="🗑 Deleted: Every")
    assert texts.WEEKLY_NONE in listing.text and listing.keyboard == []
    assert await world.weekly.series(ALICE) == [] and await _open_requests(world, ALICE) == []
    stale = await world.press_again(ALICE, listing, "⏸ Pause")
    assert stale.text == texts.SERIES_GONE
    assert (await world.storage.series.get(series_id)).status is SeriesStatus.DELETED  # type: ignore[union-attr]


async def test_bookings_shows_the_series_and_its_buttons_work_there(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    _, waiting = await _series_with_a_waiting_week(world, ALICE)
    listing = await world.say(ALICE, "/bookings", expect="🔁 Weekly:")
    assert f"{waiting.day:%a %d %b} · 18:00" in listing.text and "Booked at the club" in listing.text
    await world.press(ALICE, listing, "⏸ Pause", expect="⏸ Paused: Every")
    assert "Booked at the club" in listing.text, "still the /bookings listing"
    assert "Waiting to book" not in listing.text
    await world.press(ALICE, listing, "▶️ Resume", expect="▶️ Resumed")
    await world.press(ALICE, listing, "🗑 Delete", expect="Delete this weekly booking?")
    await world.press(ALICE, listing, texts.KEEP_BUTTON, expect="🔁 Weekly:")
    assert "Booked at the club" in listing.text and "Waiting to book" in listing.text


async def test_another_members_and_stale_series_buttons_change_nothing(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    series_id, waiting = await _series_with_a_waiting_week(world, ALICE)
    bobs = await world.say(BOB, "/weekly", expect=texts.WEEKLY_NONE)
    assert "/book" in bobs.text and "🔁" in bobs.text
    for data in (
        pack(Action.PAUSE_SERIES, series_id),
        pack(Action.RESUME_SERIES, series_id),
        pack(Action.SKIP_SERIES, series_id, waiting.day),
        pack(Action.DELETE_SERIES, series_id),
        pack(Action.CONFIRM_DELETE_SERIES, series_id),
    ):
        query_id = world.api.press_button(BOB, bobs.message_id, data, force=True)
        assert (await world.api.wait_for_answer(query_id)).text == texts.SERIES_GONE
    listing = await world.say(ALICE, "/weekly", expect="Your weekly bookings")
    a_later_week = pack(Action.SKIP_SERIES, series_id, waiting.day + 2 * WEEK)  # e.g. a button from before
    query_id = world.api.press_button(ALICE, listing.message_id, a_later_week, force=True)
    assert (await world.api.wait_for_answer(query_id)).text == texts.WEEK_MOVED_ON
    [series] = await world.weekly.series(ALICE)
    assert series.status is SeriesStatus.ACTIVE and series.skip_dates == ()
    assert (await world.booking.get(ALICE, waiting.id or 0)).status is RequestStatus.SCHEDULED
    assert bobs.text.startswith(texts.WEEKLY_NONE)


async def test_every_weekday_needs_a_login_first(world: BotWorld) -> None:
    await logged_in(world, BOB, "bob", "bob-pass")
    summary = await world.say(BOB, "/book tomorrow 18:00 court 2", expect="Ready to book")
    await world.members.logout(BOB)
    answer = await world.press(BOB, summary, "🔁 Every")
    assert answer.text == texts.NOT_SENT
    await world.api.wait_for_text(BOB, "I need your club login to book this", after=summary.message_id)
    assert await world.weekly.series(BOB) == []


async def test_two_series_at_one_time_have_buttons_told_apart(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    weekday = days_ahead(world, 9).weekday()
    for court in (2, 3):
        await world.weekly.create(ALICE, weekday, (time(18),), 60, (court,))
    listing = await world.say(ALICE, "/weekly", expect="Your weekly bookings")
    labels = [b.text for row in listing.keyboard for b in row]
    short = f"{days_ahead(world, 9):%a} 18:00"
    assert f"🗑 Delete {short} · court 2" in labels and f"🗑 Delete {short} · court 3" in labels
    assert len(set(labels)) == len(labels), labels


async def test_skip_next_leaves_one_waiting_request(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    _, waiting = await _series_with_a_waiting_week(world, ALICE)
    listing = await world.say(ALICE, "/weekly", expect="Your weekly bookings")
    await world.press(ALICE, listing, f"⏭ Skip {waiting.day:%a %d %b}", expect="skipped; next:")
    bookings = await world.say(ALICE, "/bookings", expect="Waiting to book")
    waiting_lines = bookings.text.split("⏰ Waiting to book:\n")[1].split("\n\n")[0].splitlines()
    assert len(waiting_lines) == 1, bookings.text

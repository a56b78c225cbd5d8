"""/book in one line, through the emulator: straight to the summary, days written as people write them,
bad words answered with examples, and the booking service's refusals shown in the member's words."""

from __future__ import annotations

from datetime import timedelta

from booking.models import RequestStatus
from bot import texts
from tests.bot.conftest import ALICE, BOB, BotWorld, days_ahead, has_login, logged_in


async def test_one_line_books_now_with_progress_and_notice(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tomorrow 19:00 any", expect="Ready to book")
    assert "Any court" in summary.text and "1 h" in summary.text and "open now" in summary.text
    await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON, expect="Booked court")
    notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None)
    assert "✅ Booked!" in (notice.caption or "") and "ms after" not in (notice.caption or "")
    [booking] = world.club.state.bookings()
    assert (booking.member, booking.slot.date, booking.slot.time.hour) == ("alice", days_ahead(world, 1), 19)


async def test_one_line_variants_reach_the_same_summary(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 3)
    month = f"{day:%b}".lower()
    for line in (
        f"/book {day:%d/%m} 18:00,19:00 court 2,1 2h",
        f"/book {day.isoformat()} 18:00 19:00 courts 2 1 120",
        f"/book {day:%A} at 6pm, 7pm c2 c1 for 120 min",
        f"/book {day.day} {month} 18:00,19:00 court 2,1 2h",
        f"/book {month} {day.day} 6 pm 7 pm court 2 1 2 hours",
    ):
        summary = await world.say(ALICE, line, expect="Ready to book")
        assert f"{day:%a %d %b}" in summary.text, line
        assert "18:00, then 19:00" in summary.text and "Court 2, then 1" in summary.text
        assert "2 h" in summary.text


async def test_today_tonight_and_a_time_alone(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    today = world.today()
    form = await world.say(ALICE, "/book tonight", expect="which start time")
    assert f"{today:%a %d %b}" in form.text
    # A time without a day opens the date keyboard with the time chosen, and keeps it on the day picked.
    picker = await world.say(ALICE, "/book 18:00", expect="Which day for 18:00?")
    await world.press(ALICE, picker, "Tomorrow", expect="Your order: 18:00")


async def test_a_past_day_says_it_is_past_and_next_year_shows_its_year(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    yesterday = world.today() - timedelta(days=1)
    cases = [
        ("/book yesterday 18:00", "“yesterday” is past"),
        (f"/book {yesterday.isoformat()} 18:00", f"“{yesterday.isoformat()}” is past"),
    ]
    if yesterday.year == world.today().year:  # "31 dec" on 1 January is next December's
        cases.append(
            (f"/book {yesterday.day} {yesterday:%b} 18:00", f"“{yesterday.day} {yesterday:%b}” is past")
        )
    for line, words in cases:
        answer = await world.say(ALICE, line, expect="is past")
        assert words.lower() in answer.text.lower(), answer.text
    next_year = world.today().replace(year=world.today().year + 1, month=1, day=5)
    lines = [f"/book {next_year.isoformat()} 18:00"]
    if world.today().month >= 3:  # then "5 jan" is long past this year: it means next year's
        lines.append("/book 5 jan 18:00")
    for line in lines:
        summary = await world.say(ALICE, line, expect=f"{next_year:%Y}")
        assert f"📅 {next_year:%a %d %b %Y}" in summary.text


async def test_what_the_club_does_not_allow_is_said_as_the_service_says_it(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, "/book tue 18:00 court 2 90m", expect="can't be booked as it is")
    assert not summary.text.startswith("Ready to book")
    assert "The club books 60 min or 120 min, not 90 min." in summary.text
    assert texts.BOOK_NOW_BUTTON not in str(summary.keyboard)  # nothing to submit; Back and Cancel remain
    summary = await world.say(ALICE, "/book tomorrow 18:00 court 7", expect="can't be booked")
    assert "There is no court 7; the club's courts are 1, 2, 3, 4." in summary.text


async def test_unreadable_lines_are_answered_with_a_working_example(world: BotWorld) -> None:
    for line, reason in (
        ("/book blah 18:00", "I couldn't read “blah”"),
        ("/book 31/02 18:00", "“31/02” isn't a date"),
        ("/book tue wed 18:00", "just one day"),
    ):
        answer = await world.say(ALICE, line, expect=reason)
        assert "For example:\n/book tue 18:00 court 2 60m" in answer.text


async def test_a_day_without_times_continues_with_the_keyboard(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    form = await world.say(ALICE, "/book tomorrow", expect="which start time")
    await world.press(ALICE, form, "09:00", expect="Your order: 09:00")


async def test_refusals_from_the_service_are_shown_in_words(world: BotWorld) -> None:
    await has_login(world, BOB, "bob", "bob-pass")
    line = f"/book {days_ahead(world, 12).isoformat()} 18:00 court 2"
    first = await world.say(BOB, line, expect="Ready to book")
    answer = await world.press(BOB, first, "⏰ Schedule", expect="Scheduled for")
    assert answer.text == texts.SCHEDULED_ANSWER
    again = await world.say(BOB, line, expect="Ready to book")
    answer = await world.press(BOB, again, "⏰ Schedule", expect="You already asked for exactly this")
    assert answer.text == texts.NOT_SENT, "no toast says something was sent when it was not"
    assert "#" not in again.text


async def test_at_most_ten_open_requests(world: BotWorld) -> None:
    await has_login(world, BOB, "bob", "bob-pass")
    for offset in range(10):
        summary = await world.say(
            BOB, f"/book {days_ahead(world, 9 + offset).isoformat()} 18:00", expect="Ready"
        )
        await world.press(BOB, summary, "⏰ Schedule", expect="Scheduled for")
    summary = await world.say(
        BOB, f"/book {(world.today() + timedelta(days=30)).isoformat()} 18:00", expect="Ready"
    )
    await world.press(BOB, summary, "⏰ Schedule", expect="You have 10 bookings waiting, the most allowed")
    assert len(await world.booking.requests(BOB, open_only=True)) == 10
    assert all(r.status is RequestStatus.SCHEDULED for r in await world.booking.requests(BOB))

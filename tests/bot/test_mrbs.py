"""The bot on a club's MRBS, through the emulator: a member whose MRBS user has a display name (as MRBS's
user form requires) books, sees the booking in /bookings and cancels it."""

from __future__ import annotations

from pathlib import Path

from booking.models import RequestStatus
from bot import texts
from tests.bot.conftest import ALICE, bot_world, days_ahead, logged_in


async def test_a_member_with_a_display_name_books_sees_and_cancels(tmp_path: Path, key: str) -> None:
    async with bot_world(tmp_path, key, site="mrbs", deny_public_access=True) as world:
        assert world.club.state.compound_name("alice") == "alice (Alice Archer)"
        await logged_in(world, ALICE, "alice", "alice-pass")
        day = days_ahead(world, 2)
        summary = await world.say(ALICE, f"/book {day.isoformat()} 18:00 court 2", expect="Ready to book")
        await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON, expect="Booked court 2")
        [entry] = world.club.state.bookings()
        assert (entry.create_by, entry.tentative) == ("alice", False)
        listing = await world.say(ALICE, "/bookings", expect="Booked at the club")
        assert listing.text.count(str(entry.id)) == 1
        await world.press(ALICE, listing, "✖ ", expect="Cancel this booking at the club?")
        await world.press(ALICE, listing, texts.CONFIRM_CANCEL_BUTTON, expect="Cancelled at the club")
        assert world.club.state.bookings() == []
        [request] = await world.booking.requests(ALICE)
        assert request.status is RequestStatus.CANCELLED

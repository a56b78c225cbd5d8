"""The bot on a club's MRBS, through the emulator: a member whose MRBS user has a display name (as MRBS's
user form requires) books, sees the booking in /bookings and cancels it; a booking the club's records
cannot show is told as unclear, to the member and then to the admins, and as booked once it shows."""

from __future__ import annotations

import asyncio
from datetime import time
from pathlib import Path

from booking.models import RequestStatus
from bot import texts
from tests.bot.conftest import ADMIN, ALICE, bot_world, days_ahead, logged_in
from tests.mrbs.helpers import ROOM, Browser


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


async def test_a_booking_the_club_cannot_show_is_told_as_unclear_not_as_failed(
    tmp_path: Path, key: str
) -> None:
    async with bot_world(
        tmp_path, key, site="mrbs", commit_store_then_fail=1, search_hides={"alice"}
    ) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        day = days_ahead(world, 2)
        summary = await world.say(
            ALICE, f"/book {day.isoformat()} 18:00 court 2 court 3", expect="Ready to book"
        )
        await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
        unclear = await world.api.wait_for_text(ALICE, "may or may not have gone through")
        assert "won't book anything else" in unclear.text and "nothing was booked" not in unclear.text
        alert = await world.api.wait_for_text(ADMIN, "can't tell whether the club booked")
        assert day.strftime("%a %d %b") in alert.text
        [entry] = world.club.state.bookings()  # court 3 was never tried
        world.club.config.search_hides.clear()
        notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None, timeout=8)
        assert "✅ Booked!" in (notice.caption or "") and str(entry.id) in (notice.caption or "")
        assert world.club.state.bookings() == [entry]


async def test_a_booking_read_back_held_twice_warns_the_member_and_the_admins(
    tmp_path: Path, key: str
) -> None:
    async with bot_world(tmp_path, key, site="mrbs", race_window_ms=1000) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        day = days_ahead(world, 2)
        summary = await world.say(ALICE, f"/book {day.isoformat()} 18:00 court 2", expect="Ready to book")
        rival = Browser(world.club)  # type: ignore[arg-type]
        try:
            await rival.login("bob")
            racing = asyncio.create_task(rival.book(ROOM[2], day, time(18)))
            await asyncio.sleep(0.05)
            await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
            await racing
        finally:
            await rival.close()
        notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None, timeout=8)
        assert "⚠️ Booked twice!" in (notice.caption or "") and "✅" not in (notice.caption or "")
        alert = await world.api.wait_for_text(ADMIN, "booked twice")
        assert "member 1001" in alert.text

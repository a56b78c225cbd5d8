"""/bookings a page at a time: 90 bookings are all there, each page within Telegram's limits, and a
booking cancelled from page 3 leaves the member on page 3."""

from __future__ import annotations

import re
from datetime import time

from bot import texts
from bot.callbacks import MAX_BYTES
from bot.limits import MAX_MESSAGE, length
from bot.paging import PER_PAGE, paginate
from sim.botapi import MessageRecord
from tests.bot.conftest import ALICE, BotWorld, days_ahead, logged_in
from tests.engine.harness import SITE_ID


def test_pages_hold_a_count_and_a_size_and_lose_nothing() -> None:
    assert paginate([], len) == [[]]
    words = ["a" * n for n in (5, 5, 5, 20, 1, 1, 1)]
    assert paginate(words, len, per_page=3, budget=12) == [words[:2], [words[2]], [words[3]], words[4:]]


async def test_ninety_bookings_are_paged_and_each_page_fits(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    references = set()
    for day in (1, 2):
        for court in SITE_ID.values():
            for hour in range(7, 22):
                if len(references) < 90:
                    booking = world.club.state.book("alice", court, days_ahead(world, day), time(hour))
                    references.add(booking.reference)

    listing = await world.say(ALICE, "/bookings", expect="Booked at the club", within=10)
    pages = int(re.search(r"Page 1 of (\d+)", listing.text)[1])
    assert pages == 9
    seen: list[str] = []
    for page in range(1, pages + 1):
        await world.shows(listing, f"Page {page} of {pages}")
        _fits(listing)
        seen += re.findall(r"ref (\S+)", listing.text)
        if page < pages:
            await world.press(ALICE, listing, texts.NEXT_PAGE_BUTTON)
    assert sorted(seen) == sorted(references)  # every booking once, none twice

    for page in range(pages - 1, 2, -1):
        await world.press(ALICE, listing, texts.PREVIOUS_PAGE_BUTTON, expect=f"Page {page} of {pages}")
    [cancel] = [b.text for row in listing.keyboard for b in row if b.text.startswith("✖")][:1]
    await world.press(ALICE, listing, cancel, expect="Cancel this booking at the club?")
    await world.press(ALICE, listing, texts.CONFIRM_CANCEL_BUTTON, expect="Cancelled at the club")
    await world.shows(listing, f"Page 3 of {pages}")
    assert len(world.club.state.bookings()) == 89


def _fits(message: MessageRecord) -> None:
    assert length(message.text) <= MAX_MESSAGE
    buttons = [b for row in message.keyboard for b in row]
    assert len([b for b in buttons if b.text.startswith("✖")]) <= PER_PAGE
    assert all(len((b.callback_data or "").encode()) <= MAX_BYTES for b in buttons)

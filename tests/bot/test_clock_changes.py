"""The nights the clocks change, through the bot: on 28 Mar 2027 (London) 01:00 and 01:30 are neither
offered nor accepted; on 31 Oct 2027 01:00 and 01:30 come with the offset of the first occurrence."""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from icalendar import Calendar

from booking.release import to_utc
from bot import texts
from bot.callbacks import Action, pack
from tests.bot.conftest import ALICE, bot_world, logged_in
from tests.engine.harness import LONDON

NIGHT_CLUB = {"open_from": time(0), "open_until": time(23), "slot_minutes": 30}


async def test_the_spring_forward_night_offers_and_accepts_no_skipped_time(tmp_path: Path, key: str) -> None:
    release = to_utc(datetime(2027, 3, 21, 7), LONDON)  # when Sun 28 Mar opens; a minute away
    async with bot_world(tmp_path, key, release=release, lead_s=60, **NIGHT_CLUB) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        form = await world.say(ALICE, "/book 2027-03-28", expect="which start time")
        labels = [b.text for row in form.keyboard for b in row]
        assert labels[:4] == ["00:00", "00:30", "02:00", "02:30"]
        query_id = world.api.press_button(ALICE, form.message_id, pack(Action.TIME, time(1, 30)), force=True)
        assert (await world.api.wait_for_answer(query_id)).text == texts.OPTION_GONE

        refused = await world.say(ALICE, "/book 2027-03-28 02:30,01:30", expect="can't be booked as it is")
        assert (
            "⚠️ 01:30 doesn't happen on Sun 28 Mar: the clocks go forward from 01:00 to 02:00." in refused.text
        )
        assert not any(b.text.startswith("⏰") for row in refused.keyboard for b in row)

        accepted = await world.say(ALICE, "/book 2027-03-28 02:30", expect="Ready to book")
        await world.press(ALICE, accepted, "⏰ Schedule", expect="Scheduled for")
        [request] = await world.booking.requests(ALICE)
        assert request.times == (time(2, 30),)


async def test_the_autumn_night_shows_the_offset_and_books_the_first_occurrence(
    tmp_path: Path, key: str
) -> None:
    release = to_utc(datetime(2027, 10, 24, 7), LONDON)  # Sun 31 Oct opened a second ago
    async with bot_world(tmp_path, key, release=release, lead_s=-1, **NIGHT_CLUB) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        form = await world.say(ALICE, "/book 2027-10-31", expect="which start time")
        labels = [b.text for row in form.keyboard for b in row]
        assert labels[:6] == ["00:00", "00:30", "01:00 +01:00", "01:30 +01:00", "02:00", "02:30"]

        summary = await world.say(ALICE, "/book 2027-10-31 01:30 court 1", expect="Ready to book")
        assert "🕕 01:30 +01:00" in summary.text
        await world.press(ALICE, summary, texts.BOOK_NOW_BUTTON)
        notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None, timeout=10)
        assert "Sun 31 Oct 01:30 +01:00–01:00 +00:00" in (notice.caption or "")  # 30 real minutes
        assert notice.document is not None
        event = Calendar.from_ical(notice.document.data).walk("VEVENT")[0]
        starts = event.decoded("dtstart")
        assert to_utc(starts.replace(tzinfo=None), LONDON) == to_utc(datetime(2027, 10, 31, 1, 30), LONDON)
        assert starts.utcoffset().total_seconds() == 3600  # BST: the first 01:30

"""Telegram's size limits: whatever the club or a member sends us, every message, caption and answer
fits, and nothing the member needs is lost to a refusal."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from bot import formats, texts
from bot.handlers.common import NOTIFIER
from bot.limits import MAX_ANSWER, MAX_CAPTION, MAX_MESSAGE, fit, length
from bot.progress import Notice
from tests.bot.conftest import ALICE, BotWorld, bot_world, days_ahead, logged_in

LONG_NAME = "Centre Court" + " with a view" * 416  # 5004 characters, as a club once named one


def test_fit_cuts_in_utf16_units_and_never_halves_a_character() -> None:
    assert fit("short", 10) == "short"
    assert fit("abcdefghij", 5) == "abcd…"
    emoji = fit("🎾" * 100, 9)  # each is two UTF-16 units
    assert emoji == "🎾" * 4 + "…" and length(emoji) == 9


async def test_a_5000_character_court_name_still_brings_the_booked_notice_and_its_file(
    tmp_path: Path, key: str
) -> None:
    courts = {"5": LONG_NAME, "7": "Court 2"}
    async with bot_world(tmp_path, key, courts=courts) as world:
        await logged_in(world, ALICE, "alice", "alice-pass")
        form = await world.say(ALICE, f"/book {days_ahead(world, 1).isoformat()}", expect="which start time")
        await world.press(ALICE, form, "10:00", expect="Your order: 10:00")
        await world.press(ALICE, form, texts.NEXT_BUTTON, expect="Which court")
        [name_button] = [b for row in form.keyboard for b in row if b.text.startswith("Centre Court")]
        assert name_button.text == formats.name(LONG_NAME) and len(name_button.text) == formats.MAX_NAME
        await world.press(ALICE, form, name_button.text, expect="Your order: court 1")
        await world.press(ALICE, form, texts.NEXT_BUTTON, expect="How long")
        await world.press(ALICE, form, "1 h", expect="Ready to book")
        await world.press(ALICE, form, texts.BOOK_NOW_BUTTON, expect="Booked")

        notice = await world.api.wait_for_message(ALICE, lambda m: m.document is not None)
        assert notice.caption is not None and notice.caption.startswith("✅ Booked! Centre Court with a view")
        assert length(notice.caption) <= MAX_CAPTION
        assert notice.document is not None
        event = Calendar.from_ical(notice.document.data).walk("VEVENT")[0]
        assert str(event["location"]) == LONG_NAME  # the calendar keeps the club's name whole
        listing = await world.say(ALICE, "/bookings", expect="Booked at the club")
        assert formats.name(LONG_NAME) in listing.text


async def test_a_notice_too_long_for_a_caption_comes_as_text_then_the_file(world: BotWorld) -> None:
    notifier = world.runner.application.bot_data[NOTIFIER]
    text = "✅ Booked! " + "a long story " * 100

    message_id = await notifier._send_notice(ALICE, Notice(text, b"BEGIN:VCALENDAR", "booking.ics"))

    told, document = world.api.transcript(ALICE)[-2:]
    assert told.message_id == message_id and told.text == text.strip()
    assert document.document is not None and document.document.file_name == "booking.ics"
    assert document.caption is None


async def test_one_4090_character_word_is_quoted_short(world: BotWorld) -> None:
    word = "x" * 4090
    answer = await world.say(ALICE, f"/book {word}", expect="couldn't read")
    assert answer.text.startswith(f"I couldn't read {formats.quoted(word)}. For example:")
    assert "/book tue 18:00 court 2 60m" in answer.text


async def test_the_bot_fits_whatever_a_handler_hands_it(world: BotWorld) -> None:
    bot = world.runner.application.bot
    sent = await bot.send_message(ALICE, "🎾" * 3000)
    assert length(sent.text) == MAX_MESSAGE - 1 and sent.text.endswith("…")  # no half a 🎾
    edited = await bot.edit_message_text("y" * 5000, chat_id=ALICE, message_id=sent.message_id)
    assert len(edited.text) == MAX_MESSAGE
    document = await bot.send_document(ALICE, b"data", filename="a.txt", caption="z" * 2000)
    assert len(document.caption) == MAX_CAPTION
    assert fit("w" * 300, MAX_ANSWER) == "w" * (MAX_ANSWER - 1) + "…"

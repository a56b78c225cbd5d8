"""The whole journey through the emulator: a stranger is let in, logs in, schedules a court by buttons,
it is booked at the release instant with live progress and a calendar file, and cancelled again."""

from __future__ import annotations

import logging
import re
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from booking.models import Access, RequestStatus
from bot import texts
from sim.botapi import MessageRecord
from tests.bot.conftest import ADMIN, STRANGER, BotWorld, bot_world
from tests.engine.harness import LONDON, SITE_ID, next_release

RELEASE = next_release()
SLOT_DAY = (RELEASE.astimezone(LONDON) + timedelta(days=7)).date()
PASSWORD = "carol-pass"


async def test_stranger_to_booked_and_cancelled(
    tmp_path: Path, key: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with bot_world(tmp_path, key, release=RELEASE, lead_s=3.0, allowed=frozenset()) as world:
        await _let_in(world)
        await _log_in(world)
        form = await _schedule_by_buttons(world)
        notice = await _booked_at_release(world, form)
        await _cancel_from_bookings(world, notice)
        transcript = [
            m.text or m.caption or ""
            for chat in world.api.chats()
            for m in world.api.transcript(chat.id)
            if m.from_bot
        ]
        sent = [repr(call.params) for call in world.api.calls()]
        kept = repr(world.runner.application.user_data) + repr(world.runner.application.chat_data)
        kept += repr(world.runner.application.bot_data)
    logged = [record.getMessage() + (record.exc_text or "") for record in caplog.records]
    assert logged, "the journey was logged at DEBUG"
    assert not [line for line in logged + transcript + sent if PASSWORD in line]
    assert PASSWORD not in kept
    assert not [line for line in logged if world.api.token in line], "the bot token is never logged"


async def _let_in(world: BotWorld) -> None:
    api = world.api
    hello = await world.say(STRANGER, "/start", expect="not on its list")
    await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")
    ask = await api.wait_for_text(ADMIN, "asks to use courtbot")
    await world.press(ADMIN, ask, texts.APPROVE_BUTTON, expect="You let Sam in")
    await api.wait_for_text(STRANGER, "let you in")
    member = await world.members.get(STRANGER)
    assert member is not None and member.access is Access.ALLOWED


async def _log_in(world: BotWorld) -> None:
    api = world.api
    await world.say(STRANGER, "/login", expect="username")
    await world.say(STRANGER, "carol", expect="password")
    secret = api.send_text(STRANGER, PASSWORD)
    await api.wait_for_text(STRANGER, "Logged in at the club as carol", after=secret.message_id)
    assert secret.deleted
    stored = b"".join(path.read_bytes() for path in world.data_dir.rglob("*") if path.is_file())
    assert b"credentials" in stored  # the database is there...
    assert PASSWORD.encode() not in stored and b"carol" not in stored  # ...and holds no clear text


async def _schedule_by_buttons(world: BotWorld) -> MessageRecord:
    form = await world.say(STRANGER, "/book", expect="Which day")
    await world.press(STRANGER, form, f"🔒 {SLOT_DAY:%a %d %b}", expect="start time")
    await world.press(STRANGER, form, "19:00", expect="Your order: 19:00")
    await world.press(STRANGER, form, "18:00", expect="Your order: 19:00, then 18:00")
    await world.press(STRANGER, form, "1· 19:00", expect="Your order: 18:00")  # tap again: removed
    await world.press(STRANGER, form, texts.NEXT_BUTTON, expect="Which court")
    await world.press(STRANGER, form, "Court 2", expect="Your order: court 2")
    await world.press(STRANGER, form, texts.NEXT_BUTTON, expect="How long")
    await world.press(STRANGER, form, "1 h", expect="Ready to book")
    release = RELEASE.astimezone(LONDON).strftime("%a %d %b 07:00:00")
    assert f"It opens {release}" in form.text
    await world.press(STRANGER, form, f"⏰ Schedule for {release}", expect="Scheduled for")
    [request] = await world.booking.requests(STRANGER)
    assert request.status in (RequestStatus.SCHEDULED, RequestStatus.RUNNING)  # RUNNING: warming up already
    assert await world.storage.progress.get(request.id or 0) == (STRANGER, form.message_id)
    return form


async def _booked_at_release(world: BotWorld, form: MessageRecord) -> MessageRecord:
    api = world.api
    notice = await api.wait_for_message(STRANGER, lambda m: m.document is not None, timeout=12)
    await world.shows(form, "Booked court 2 at 18:00")
    assert form.keyboard == []
    shown = [revision.text for revision in form.history] + [form.text]
    assert any("Logged in" in text for text in shown), "progress edits in between"
    assert re.search(r"⚡ Booked (\d+ ms after|right at) 07:00:00, club clock\.", notice.caption or "")
    document = notice.document
    assert (
        document is not None and document.file_name.endswith(".ics") and document.mime_type == "text/calendar"
    )
    [event] = Calendar.from_ical(document.data).walk("VEVENT")
    assert event.decoded("dtstart") == datetime.combine(SLOT_DAY, time(18), tzinfo=LONDON)
    assert event.decoded("duration") == timedelta(hours=1)
    [booking] = world.club.state.bookings()
    assert (booking.member, booking.slot.court_id, booking.slot.date) == ("carol", SITE_ID[2], SLOT_DAY)
    assert booking.reference in str(event.get("description")) and "Court 2" in str(event.get("summary"))
    return notice


async def _cancel_from_bookings(world: BotWorld, notice: MessageRecord) -> None:
    [booking] = world.club.state.bookings()
    listing = await world.say(STRANGER, "/bookings", expect="Booked at the club")
    assert listing.text.count(booking.reference) == 1, "a booked request's booking is shown once"
    await world.press(STRANGER, listing, "✖ ", expect="Cancel this booking at the club?")
    await world.press(STRANGER, listing, texts.CONFIRM_CANCEL_BUTTON, expect="Cancelled at the club")
    assert world.club.state.bookings() == []
    [request] = await world.booking.requests(STRANGER)
    assert request.status is RequestStatus.CANCELLED

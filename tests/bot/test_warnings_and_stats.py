"""The night-before check's warning as a notice (so the phone rings) and a progress line; /stats for
admins and a polite no for everyone else."""

from __future__ import annotations

from datetime import time

from booking.events import EventKind
from booking.reasons import Code, Reason
from bot import texts
from tests.bot.conftest import ADMIN, ALICE, STRANGER, BotWorld, button_data, days_ahead, logged_in


async def test_a_night_before_warning_arrives_as_a_notice_and_on_the_progress_message(
    world: BotWorld,
) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 12)
    progress = await world.say(ALICE, f"/book {day.isoformat()} 18:00 court 2", expect="Ready to book")
    await world.press(ALICE, progress, "⏰ Schedule", expect="Scheduled for")
    [request] = await world.booking.requests(ALICE)
    world.club.config.members["alice"] = "new"
    [problem] = await world.booking.night_before_check(request)
    assert problem == Reason(Code.NIGHT_LOGIN_REFUSED, {"day": day})  # the domain says what, the bot how
    notice = await world.api.wait_for_text(ALICE, "⚠️ About your booking", after=progress.message_id)
    words = f"The club refused your stored login - has your password changed? Your booking for {day:%a %d %b}"
    assert notice.text.startswith(f"⚠️ About your booking for {day:%a %d %b} 18:00: {words}")
    await world.shows(progress, f"⚠️ {words}")
    assert button_data(progress, texts.STOP_REQUEST_BUTTON), "still waiting, still cancellable"


async def test_stats_for_admins_and_a_polite_no_for_others(world: BotWorld) -> None:
    await logged_in(world, ALICE, "alice", "alice-pass")
    summary = await world.say(ALICE, f"/book {days_ahead(world, 12).isoformat()} 18:00", expect="Ready")
    await world.press(ALICE, summary, "⏰ Schedule", expect="Scheduled for")
    _, first = await world.weekly.create(ALICE, days_ahead(world, 1).weekday(), (time(19),), 60, (1,))
    assert first is not None
    await world.events.wait_for(lambda e: e.kind is EventKind.BOOKED)
    await world.events.wait_for(lambda e: e.kind is EventKind.SCHEDULED and e.request_id > (first.id or 0))
    hello = await world.say(STRANGER, "/start", expect="not on its list")
    await world.press(STRANGER, hello, texts.ASK_ACCESS_BUTTON, expect="asked the admins")

    stats = await world.say(ADMIN, "/stats", expect="📊")
    assert (
        "👥 Members: 3 with access, 1 waiting for approval" in stats.text
    )  # Alice, Bob (never wrote) and Ada
    assert "🎾 Requests: 2 scheduled, 1 booked" in stats.text
    assert "⏰ Scheduled now, waiting for their release: 2" in stats.text
    assert "🔁 Active weekly series: 1" in stats.text
    assert "/stats" in (await world.say(ADMIN, "/help", expect="what I can do")).text

    await world.say(ALICE, "/stats", expect=texts.ADMINS_ONLY)
    assert "/stats" not in (await world.say(ALICE, "/help", expect="what I can do")).text

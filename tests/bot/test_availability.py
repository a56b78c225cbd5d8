"""What is free, where the member chooses: the time and court pickers mark what the club's grid shows
taken (not hide it), ↻ reads the grid again, one read serves a while, and a day not open yet says when
it opens."""

from __future__ import annotations

from datetime import time, timedelta

from bot import texts
from tests.bot.conftest import ALICE, BotWorld, days_ahead, has_login
from tests.engine.harness import SITE_ID


def _labels(message: object) -> list[str]:
    return [b.text for row in message.keyboard for b in row]  # type: ignore[attr-defined]


async def test_the_pickers_mark_taken_slots_from_the_clubs_grid(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 1)
    state = world.club.state
    state.book("bob", SITE_ID[2], day, time(18))
    for court in (1, 2, 3, 4):
        state.book("carol" if court % 2 else "dave", SITE_ID[court], day, time(20))
    form = await world.say(ALICE, "/book tomorrow", expect="which start time")
    assert "✖ marks a time with every court taken" in form.text
    labels = _labels(form)
    assert "✖ 20:00" in labels and "18:00" in labels and "19:00" in labels, "taken is marked, not hidden"
    assert texts.REFRESH_BUTTON in labels

    await world.press(ALICE, form, "18:00", expect="Your order: 18:00")
    await world.press(ALICE, form, "19:00", expect="Your order: 18:00, then 19:00")
    await world.press(ALICE, form, texts.NEXT_BUTTON, expect="Which court")
    labels = _labels(form)
    assert "Court 2 · 19:00" in labels, "free only at the second time: it says which"
    assert {"Court 1", "Court 3", "Court 4"} <= set(labels)

    # Someone books court 3 at both times; the grid read a moment ago is shown until ↻ reads it again.
    state.book("carol", SITE_ID[3], day, time(18), duration=120)
    await world.press(ALICE, form, texts.BACK_BUTTON, expect="which start")
    await world.press(ALICE, form, texts.NEXT_BUTTON, expect="Which court")
    assert "Court 3" in _labels(form)
    answer = await world.press(ALICE, form, texts.REFRESH_BUTTON)
    assert answer.text == texts.REFRESHED
    await world.api.wait_for(lambda: "✖ Court 3" in _labels(form), what="court 3 marked taken")


async def test_a_day_not_open_yet_says_when_it_opens(world: BotWorld) -> None:
    await has_login(world, ALICE, "alice", "alice-pass")
    day = days_ahead(world, 9)
    form = await world.say(ALICE, f"/book {day.isoformat()}", expect="which start time")
    assert f"🔒 {day:%a %d %b} opens {day - timedelta(days=7):%a %d %b} 07:00" in form.text
    labels = [label for label in _labels(form) if label != texts.ABORT_BUTTON]
    assert texts.REFRESH_BUTTON not in labels and not any(label.startswith("✖") for label in labels)

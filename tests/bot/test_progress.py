"""The progress outbox on its own: coalescing to the latest state, pacing, skipping what is shown,
waiting out a RetryAfter and then sending only the latest, and notices sent once each."""

from __future__ import annotations

import asyncio
from datetime import date, time, timedelta

from telegram.error import BadRequest, RetryAfter

from booking.models import BookingRequest
from bot.progress import MAX_LINES, ChatOutbox, Notice, ProgressView

INTERVAL = 0.2


class FakeChat:
    """Records what the outbox sends; fails the next sends as scripted."""

    def __init__(self) -> None:
        self.edits: list[tuple[int, str, float]] = []
        self.notices: list[str] = []
        self.failures: list[Exception] = []
        self.loop = asyncio.get_running_loop()

    async def edit(self, chat_id: int, message_id: int, state: str) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.edits.append((message_id, state, self.loop.time()))

    async def notice(self, chat_id: int, notice: Notice) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.notices.append(notice.text)

    def outbox(self) -> ChatOutbox[str]:
        return ChatOutbox(7, self.edit, self.notice, min_interval_s=INTERVAL)


async def test_a_burst_is_coalesced_to_the_first_and_the_latest() -> None:
    chat = FakeChat()
    outbox = chat.outbox()
    for step in range(10):
        outbox.edit(1, f"state {step}")
        await asyncio.sleep(0.005)
    await outbox.drained()
    assert [state for _, state, _ in chat.edits] == ["state 0", "state 9"]
    assert chat.edits[1][2] - chat.edits[0][2] >= INTERVAL * 0.95


async def test_an_unchanged_state_is_never_sent() -> None:
    chat = FakeChat()
    outbox = chat.outbox()
    outbox.edit(1, "same")
    await outbox.drained()
    outbox.edit(1, "same")
    outbox.sent(2, "shown elsewhere")
    outbox.edit(2, "shown elsewhere")
    await outbox.drained()
    assert [state for _, state, _ in chat.edits] == ["same"]


async def test_after_retry_after_only_the_latest_state_goes_out() -> None:
    chat = FakeChat()
    chat.failures.append(RetryAfter(timedelta(seconds=0.3)))
    outbox = chat.outbox()
    started = chat.loop.time()
    outbox.edit(1, "first")
    await asyncio.sleep(0.05)
    outbox.edit(1, "second")
    outbox.edit(1, "latest")
    await outbox.drained()
    [(_, state, at)] = chat.edits
    assert state == "latest" and at - started >= 0.3


async def test_not_modified_counts_as_shown_and_other_messages_interleave() -> None:
    chat = FakeChat()
    chat.failures.append(BadRequest("Bad Request: message is not modified"))
    outbox = chat.outbox()
    outbox.edit(1, "a")
    outbox.edit(2, "b")
    await outbox.drained()
    outbox.edit(1, "a")
    await outbox.drained()
    assert [(message, state) for message, state, _ in chat.edits] == [(2, "b")]


async def test_notices_are_sent_once_each_without_waiting_for_edit_pacing() -> None:
    chat = FakeChat()
    outbox = chat.outbox()
    outbox.edit(1, "x")
    await asyncio.sleep(0.01)
    outbox.edit(1, "y")
    outbox.notify(Notice("booked!"))
    await asyncio.sleep(0.05)
    assert chat.notices == ["booked!"] and [s for _, s, _ in chat.edits] == ["x"]  # "y" waits its turn
    await outbox.drained()
    assert [s for _, s, _ in chat.edits] == ["x", "y"]
    chat.failures.append(RetryAfter(timedelta(seconds=0.1)))
    outbox.notify(Notice("failed"))
    await outbox.drained()
    assert chat.notices == ["booked!", "failed"]


async def test_close_flushes_without_pacing() -> None:
    chat = FakeChat()
    outbox = ChatOutbox(7, chat.edit, chat.notice, min_interval_s=60.0)
    outbox.edit(1, "first")
    await asyncio.sleep(0.01)
    outbox.edit(1, "final")
    outbox.close()
    async with asyncio.timeout(1.0):
        await outbox.drained()
    assert [s for _, s, _ in chat.edits] == ["first", "final"]


def test_a_long_run_keeps_its_first_line_and_the_latest() -> None:
    request = BookingRequest(1, date(2026, 12, 1), (time(18),), 60, (2,), id=5)
    view = ProgressView(request)
    for n in range(40):
        view.add(f"line {n}")
    view.add("line 39")  # the same line twice is shown once
    lines = view.rendering().text.split("\n\n", 1)[1].split("\n")
    assert lines[0] == "line 0" and lines[1] == "…" and lines[-1] == "line 39" and len(lines) == MAX_LINES
    assert view.rendering().text.startswith("🎾 Tue 01 Dec · 18:00 · court 2 · 1 h")

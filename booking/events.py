"""Progress events: what the engine tells whoever listens (the bot renders them, tests assert on them).

Publishing never waits: each subscriber has its own unbounded queue, so a slow chat can never hold back
a booking that is firing.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import datetime, time
from enum import StrEnum

from booking.reasons import Reason


class EventKind(StrEnum):
    SCHEDULED = "scheduled"
    WARMING_UP = "warming-up"
    LOGGED_IN = "logged-in"
    CLOCK_SYNCED = "clock-synced"
    FIRING = "firing"
    ATTEMPT = "attempt"
    RETRYING = "retrying"
    BOOKED = "booked"
    FAILED = "failed"
    CANCELLED = "cancelled"
    WATCHING = "watching"  # watching for a cancellation until a deadline
    #: unclear whether a booking landed; being checked (outcome STILL_UNCLEAR: for the admins too)
    CHECKING = "checking"
    WARNING = "warning"  # the night-before check found something that would make the booking fail

    @property
    def is_final(self) -> bool:
        return self in (EventKind.BOOKED, EventKind.FAILED, EventKind.CANCELLED)


@dataclass(frozen=True)
class ProgressEvent:
    request_id: int
    member_id: int
    kind: EventKind
    at: float  # our clock
    #: what happened, for the bot to word ("court 2 at 18:00 was taken"); never a secret
    reason: Reason | None = None
    court: int | None = None
    start: time | None = None
    reference: str | None = None
    release_at: datetime | None = None
    #: BOOKED: how long after the release instant, by the club's clock, our winning request arrived
    after_release_ms: float | None = None
    clock_offset_ms: float | None = None
    outcome: str | None = None


Listener = Callable[[ProgressEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._queues: set[asyncio.Queue[ProgressEvent]] = set()
        self._listeners: list[Listener] = []

    def publish(self, event: ProgressEvent) -> None:
        for queue in self._queues:
            queue.put_nowait(event)
        for listener in self._listeners:
            listener(event)

    def listen(self, listener: Listener) -> None:
        """Call `listener` synchronously for every event (it must not block)."""
        self._listeners.append(listener)

    async def subscribe(self) -> AsyncIterator[ProgressEvent]:
        """Every event published from now on, until the consumer stops iterating."""
        queue: asyncio.Queue[ProgressEvent] = asyncio.Queue()
        self._queues.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self._queues.discard(queue)

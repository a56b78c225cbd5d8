"""The bot's update queue and getUpdates' long poll, with Telegram's semantics.

An update stays queued until a later getUpdates confirms it by passing an offset above its id, so an
update delivered to a poll the bot abandoned (it cancels its poll when it stops) is delivered again.
A poll with nothing to return holds until an update arrives or its timeout passes: answering [] at once
would make the bot spin. A second poll terminates the one still waiting with 409 Conflict, which is
how Telegram tells two running bot instances apart.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from sim.botapi.errors import POLL_CONFLICT, ApiError

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
# What a bot receives until it asks otherwise (an empty allowed_updates list also means this).
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {"chat_member", "message_reaction", "message_reaction_count"}
MAX_LIMIT = 100


class Signal:
    """Wakes everything waiting on it at once; waiters then re-check the state they care about."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return when fired or after `seconds`, whichever is first."""
        event = self._event
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await event.wait()


class UpdateQueue:
    """Unconfirmed updates in order, and the long polls waiting for them."""

    def __init__(self, on_hold_change: Callable[[], None], first_update_id: int = 1) -> None:
        """`on_hold_change` is called when a poll starts or stops holding (see `holding`)."""
        self._on_hold_change = on_hold_change
        self.holding = 0  # polls waiting for an update right now
        self._pending: list[dict[str, Any]] = []
        self._next_id = first_update_id
        self._allowed = DEFAULT_UPDATE_TYPES
        self._arrived = Signal()
        self._poll_generation = 0
        self._closed = False

    @property
    def pending(self) -> list[dict[str, Any]]:
        """The updates not yet confirmed by the bot."""
        return list(self._pending)

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any] | None:
        """Queue an update of type `kind`; None if the bot's allowed_updates excludes that type."""
        if kind not in self._allowed:
            return None
        update = {"update_id": self._next_id, kind: payload}
        self._next_id += 1
        self._pending.append(update)
        self._arrived.fire()
        return update

    def drop_pending(self) -> None:
        self._pending.clear()

    def close(self) -> None:
        """Release every poll now (with what is queued) and answer later ones at once."""
        self._closed = True
        self._arrived.fire()

    async def poll(
        self, offset: int | None, limit: int | None, hold: int, allowed_updates: Iterable[str] | None
    ) -> list[dict[str, Any]]:
        """getUpdates: confirm below `offset`, then return up to `limit` updates, holding up to `hold` s."""
        if offset:
            self._confirm(offset)
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) & ALL_UPDATE_TYPES or DEFAULT_UPDATE_TYPES
        limit = limit if limit and 0 < limit <= MAX_LIMIT else MAX_LIMIT
        self._poll_generation += 1
        generation = self._poll_generation
        self._arrived.fire()  # a poll still waiting is now the older one, and is terminated
        loop = asyncio.get_running_loop()
        deadline = loop.time() + max(hold, 0)
        held = False
        try:
            while True:
                if generation != self._poll_generation:
                    raise ApiError(409, POLL_CONFLICT)
                remaining = deadline - loop.time()
                if self._pending or self._closed or remaining <= 0:
                    return self._pending[:limit]
                if not held:
                    held = True
                    self._set_holding(+1)
                await self._arrived.wait(remaining)
        finally:
            if held:
                self._set_holding(-1)

    def _set_holding(self, change: int) -> None:
        self.holding += change
        self._on_hold_change()

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        else:  # a negative offset keeps only the last -offset updates
            self._pending = self._pending[offset:]

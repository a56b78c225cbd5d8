"""Programmable failures: scripted error answers and an optional per-chat flood limiter.

The bot must survive Telegram saying no: 429 with retry_after when it edits too often, 5xx when Telegram
has a bad minute. Rules answer chosen calls with chosen errors, before the call takes effect or (with
`after_effect`) after it, the nasty case where the message was sent but the bot hears a failure.
"""

from __future__ import annotations

import itertools
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

from sim.botapi.errors import ApiError

EDIT_METHODS = frozenset({"editMessageText", "editMessageCaption", "editMessageReplyMarkup"})
_rule_ids = itertools.count(1)


@dataclass
class FaultRule:
    """Answer the next `remaining` matching calls (None: every one) with this error.

    `method` None matches every method except getUpdates, whose constant polling would otherwise
    swallow the rule; name getUpdates to fault the poll. `chat_id` None matches any chat.
    """

    status: int
    description: str
    method: str | None = None
    chat_id: int | None = None
    remaining: int | None = 1
    retry_after: int | None = None
    after_effect: bool = False
    hits: int = 0
    id: int = field(default_factory=lambda: next(_rule_ids))

    def matches(self, method: str, chat_id: int | str | None) -> bool:
        if self.remaining == 0:
            return False
        if self.method is None:
            if method == "getUpdates":
                return False
        elif self.method.lower() != method.lower():
            return False
        return self.chat_id is None or self.chat_id == chat_id

    def error(self) -> ApiError:
        return ApiError(self.status, self.description, retry_after=self.retry_after)


@dataclass
class FloodLimit:
    """More than `max_calls` of `methods` to one chat within `window` seconds answers 429."""

    max_calls: int
    window: float
    methods: frozenset[str] = EDIT_METHODS
    _recent: dict[int | str | None, deque[float]] = field(default_factory=dict)

    def check(self, method: str, chat_id: int | str | None, now: float) -> None:
        """Count this call, or raise the 429 Telegram would give, with the wait until a slot frees."""
        if method not in self.methods:
            return
        recent = self._recent.setdefault(chat_id, deque())
        while recent and recent[0] <= now - self.window:
            recent.popleft()
        if len(recent) >= self.max_calls:
            raise ApiError.flood(max(1, math.ceil(recent[0] + self.window - now)))
        recent.append(now)


class Faults:
    """The active rules, first match wins, and the flood limiter (off until set)."""

    def __init__(self) -> None:
        self.rules: list[FaultRule] = []
        self.flood: FloodLimit | None = None

    def add(self, rule: FaultRule) -> FaultRule:
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()
        self.flood = None

    def set_flood_limit(self, max_calls: int | None, window: float, methods: Iterable[str] | None) -> None:
        self.flood = (
            None
            if max_calls is None
            else FloodLimit(max_calls, window, frozenset(methods) if methods else EDIT_METHODS)
        )

    def take(self, method: str, chat_id: int | str | None) -> FaultRule | None:
        """The rule that answers this call, now used up by one; None if no rule applies."""
        for rule in self.rules:
            if rule.matches(method, chat_id):
                rule.hits += 1
                if rule.remaining is not None:
                    rule.remaining -= 1
                return rule
        return None

    def check_flood(self, method: str, chat_id: int | str | None, now: float) -> None:
        if self.flood is not None:
            self.flood.check(method, chat_id, now)

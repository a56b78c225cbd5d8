"""How every Bot API call of ours survives Telegram's faults: 429 honoured, 5xx and network errors retried.

Installed as python-telegram-bot's rate limiter, so it wraps each call the bot makes (getUpdates has its
own retry loop in the Updater). A caller that coalesces its own retries (the progress notifier) passes
`rate_limit_args=NO_RETRY_AFTER` and gets the RetryAfter back, to send only its latest state later.
"""

from __future__ import annotations

import asyncio
import logging
import random
import warnings
from collections.abc import Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger(__name__)

#: rate_limit_args for a call whose RetryAfter the caller handles itself
NO_RETRY_AFTER: dict[str, bool] = {"retry_after": False}

FIRST_BACKOFF_S = 0.25
MAX_BACKOFF_S = 8.0
NETWORK_ATTEMPTS = 6
#: beyond this much total waiting for 429s, the error reaches the caller
MAX_FLOOD_WAIT_S = 120.0


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait Telegram asked for, in seconds (PTB 22 is moving it from int to timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class DeliveryPolicy(BaseRateLimiter[dict[str, bool]]):
    """React only when Telegram complains: wait out a 429, back off and retry 5xx and network errors.

    A 5xx or a timeout may hide a call that took effect, so a retried send can, rarely, arrive twice;
    we prefer that to losing a booking notice. 400/403 are never retried: they will not change.
    """

    def __init__(self, *, first_backoff_s: float = FIRST_BACKOFF_S, attempts: int = NETWORK_ATTEMPTS) -> None:
        self._first_backoff_s = first_backoff_s
        self._attempts = attempts
        self._rng = random.Random()

    async def initialize(self) -> None:
        """Nothing to set up: no throttling state is kept."""

    async def shutdown(self) -> None:
        """Nothing to release."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: dict[str, bool] | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        honour_retry_after = (rate_limit_args or {}).get("retry_after", True)
        backoff = self._first_backoff_s
        failures = 0
        flood_waited = 0.0
        while True:
            try:
                return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = retry_after_seconds(error)
                if not honour_retry_after or flood_waited + wait > MAX_FLOOD_WAIT_S:
                    raise
                log.warning("Telegram asked us to wait %.0f s before %s", wait, endpoint)
                flood_waited += wait
                await asyncio.sleep(wait)
            except BadRequest:
                raise
            except NetworkError as error:
                failures += 1
                if failures >= self._attempts:
                    raise
                log.warning("%s failed (%s); retrying in %.2f s", endpoint, type(error).__name__, backoff)
                await asyncio.sleep(backoff * (0.5 + self._rng.random()))
                backoff = min(backoff * 2, MAX_BACKOFF_S)

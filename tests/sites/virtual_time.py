"""An event loop whose time passes only when nothing is ready, and a `Clock` on it.

Concurrent probes need real concurrency to test (a burst of them in flight at once, answered out of
order), but not real waiting: here a sleep of a second returns at once, with every other sleeper woken
in the right order on the way. Runs are deterministic and take microseconds of wall time.
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


class _Selector(selectors.DefaultSelector):
    """Never blocks: a wait for `timeout` with nothing to read moves the loop's time on by `timeout`."""

    def __init__(self, loop: VirtualTimeLoop) -> None:
        super().__init__()
        self._loop = loop

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)
        if not ready and timeout:
            self._loop.advance(timeout)
        return ready


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._virtual_now = 0.0
        super().__init__(_Selector(self))

    def time(self) -> float:
        return self._virtual_now

    def advance(self, seconds: float) -> None:
        self._virtual_now += seconds


class VirtualClock:
    """Epoch seconds on the running `VirtualTimeLoop`, starting at `start`."""

    def __init__(self, start: float) -> None:
        self._start = start

    def now(self) -> float:
        return self._start + asyncio.get_running_loop().time()

    async def sleep_until(self, instant: float) -> None:
        await asyncio.sleep(max(0.0, instant - self.now()))


def run_virtual(coro: Coroutine[Any, Any, T]) -> T:
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(coro)

"""Release-time jobs on APScheduler's AsyncIOScheduler.

SQLite is the truth and this is only the alarm clock: jobs live in memory and are rebuilt from the
database at start-up. APScheduler counts in real time, so instants on our (possibly shifted) clock are
converted at the moment a job is added.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from booking.timebase import Clock

Job = Callable[[int], Awaitable[None]]
Chore = Callable[[], Awaitable[None]]
_EVERY = "every:"
_ONCE = "once:"
FIRE = "fire"  # a request's release-time run
CHECK = "check"  # its night-before check
RECHECK = "recheck"  # another look at a booking whose outcome is unclear


class ReleaseScheduler:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._scheduler = AsyncIOScheduler(timezone=UTC, job_defaults={"misfire_grace_time": None})

    def start(self) -> None:
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler.running:
            self._scheduler.shutdown(wait=False)

    @property
    def running(self) -> bool:
        return bool(self._scheduler.running)

    def schedule(self, request_id: int, at: float, job: Job, kind: str = FIRE) -> None:
        """Run `job(request_id)` at `at` on our clock (replacing the request's job of that kind)."""
        self._scheduler.add_job(
            job,
            "date",
            run_date=self._real(at),
            args=[request_id],
            id=f"{kind}:{request_id}",
            replace_existing=True,
        )

    def every(self, interval_s: float, chore: Chore, name: str) -> None:
        """A recurring housekeeping job (e.g. the daily prune), on the same single scheduler."""
        self._scheduler.add_job(
            _awaited(chore), "interval", seconds=interval_s, id=f"{_EVERY}{name}", replace_existing=True
        )

    def once(self, at: float, chore: Chore, name: str) -> None:
        """A housekeeping job at `at` on our clock (replacing one of that name still waiting)."""
        self._scheduler.add_job(
            _awaited(chore), "date", run_date=self._real(at), id=f"{_ONCE}{name}", replace_existing=True
        )

    def _real(self, at: float) -> datetime:
        """An instant on our clock as APScheduler's real time."""
        return datetime.fromtimestamp(at - (self._clock.now() - time.time()), UTC)

    def unschedule(self, request_id: int) -> bool:
        """Drop every job of the request; whether it had a release-time run waiting."""
        had_fire = False
        for kind in (FIRE, CHECK, RECHECK):
            try:
                self._scheduler.remove_job(f"{kind}:{request_id}")
            except JobLookupError:
                continue
            had_fire = had_fire or kind == FIRE
        return had_fire

    def is_scheduled(self, request_id: int, kind: str = FIRE) -> bool:
        return self._scheduler.get_job(f"{kind}:{request_id}") is not None

    def count(self, kind: str = FIRE) -> int:
        """Jobs of one kind (by default: requests waiting for their release)."""
        prefix = f"{kind}:"
        return sum(1 for job in self._scheduler.get_jobs() if job.id.startswith(prefix))


def _awaited(chore: Chore) -> Callable[[], Awaitable[None]]:
    """`chore` as a coroutine function, which APScheduler awaits on the loop; a lambda returning a
    coroutine it would call on a worker thread and never await."""

    async def run() -> None:
        await chore()

    return run

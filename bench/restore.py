"""Memory with 10,000 scheduled requests, and the time to restore them at start-up: in a fresh process,
as `courtbot run` starts.

    python -m bench.restore     (fills a database, then restores it in a child process)
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from bench.spawn import ROOT
from booking.models import Access, BookingRequest, Member, RequestStatus
from booking.service import BookingService
from booking.sites.base import SiteConfig
from booking.sites.registry import create_adapter
from booking.timebase import SystemClock
from storage import Storage
from storage.crypto import new_key

RESTORE_N = 10_000


async def fill(data: Path, key: str) -> None:
    storage = await Storage.open(data, (key,))
    release = datetime.now(UTC) + timedelta(days=20)
    for m in range(100):
        await storage.members.upsert(Member(m + 1, f"m{m}", access=Access.ALLOWED))
    for i in range(RESTORE_N):
        await storage.requests.create(
            BookingRequest(
                member_id=i % 100 + 1,
                day=(release + timedelta(days=7)).date(),
                times=(clock_time(7 + i % 15),),
                duration_min=60,
                courts=(i % 4 + 1,),
                status=RequestStatus.SCHEDULED,
                release_at=release,
            )
        )
    await storage.close()


async def restore(data: Path, key: str) -> None:
    """Start-up as `courtbot run` does it, then report RSS and time as one JSON line."""
    import psutil

    started = time.perf_counter()
    storage = await Storage.open(data, (key,))
    clock = SystemClock()
    service = BookingService(
        storage, lambda: create_adapter("democlub", SiteConfig(base_url="http://127.0.0.1:9"), clock), clock
    )
    restored = await service.start()
    elapsed = time.perf_counter() - started
    rss_mb = psutil.Process().memory_info().rss / 2**20
    assert restored == RESTORE_N and service.scheduled_count == RESTORE_N, (restored, service.scheduled_count)
    await service.stop()
    await storage.close()
    print(json.dumps({"rss_mb": rss_mb, "restore_s": elapsed}))


def restore_bench() -> list[str]:
    with tempfile.TemporaryDirectory() as data:
        key = new_key()
        asyncio.run(fill(Path(data), key))
        out = subprocess.run(
            [sys.executable, "-m", "bench.restore", data, key],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"restore of {RESTORE_N} scheduled requests: {result['restore_s']:.2f} s, RSS {result['rss_mb']:.0f} MB"
    )
    return [f"restore n={RESTORE_N} rss_mb={result['rss_mb']:.0f} restore_s={result['restore_s']:.2f}"]


if __name__ == "__main__":
    if len(sys.argv) == 3:
        asyncio.run(restore(Path(sys.argv[1]), sys.argv[2]))
    else:
        print("\n".join(restore_bench()))

"""How close to the release instant do our bookings land, for 1, 50 and 200 members at once?

The simulated club runs in its own process (as a real club would, on its own CPU) with its clock set
730 ms ahead of ours; our clock and the club's are shifted together so that a 07:00 release is seconds
away. From the club's arrival log: for each member the first request's arrival minus the release
instant (club clock), as p50 / p99 / max, how many arrived too early, and how many booked. The same for
a naive baseline: an APScheduler job at our local release time that logs in and then books.

Then: memory with 10,000 scheduled requests, and the time to restore them at start-up (a fresh process).

    .venv/bin/python bench/release.py [--sizes 1,50,200]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import aiohttp
from apscheduler.schedulers.asyncio import AsyncIOScheduler

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from booking.events import EventKind  # noqa: E402
from booking.models import Access, BookingRequest, Credentials, Member, RequestStatus  # noqa: E402
from booking.release import to_utc  # noqa: E402
from booking.run import Policy  # noqa: E402
from booking.service import BookingService  # noqa: E402
from booking.sites.base import SiteConfig, Slot  # noqa: E402
from booking.sites.registry import create_adapter  # noqa: E402
from booking.timebase import SystemClock  # noqa: E402
from storage import Storage  # noqa: E402
from storage.crypto import new_key  # noqa: E402

CLUB_OFFSET_S = 0.730
LEAD_S = 8.0  # our clock starts this long before the release
POLICY = Policy(warmup_s=6.0)
COURTS = 50  # enough courts that 200 members can each book their own slot on one day
HOURS = range(7, 22)


class ClubProcess:
    """`courtbot club` in a subprocess, configured through its /_sim/ control API."""

    def __init__(self) -> None:
        self.proc: asyncio.subprocess.Process | None = None
        self.url = ""

    async def __aenter__(self) -> ClubProcess:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-c",
            "from bot.cli import main; main()",
            "club",
            "--port",
            "0",
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        assert self.proc.stdout is not None
        async for raw in self.proc.stdout:
            line = raw.decode()
            if "http://" in line:
                self.url = line[line.index("http://") :].split()[0].rstrip(".,")
                break
        if not self.url:
            raise RuntimeError("the club did not start")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.proc is not None
        self.proc.terminate()
        await self.proc.wait()

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.url + path, json=body) as response,
        ):
            response.raise_for_status()
            return await response.json()


def members(n: int) -> dict[str, str]:
    return {f"member{i:03d}": f"pw-{i:03d}" for i in range(n)}


def slot_of(i: int) -> tuple[int, clock_time]:
    """Member i's own slot: court i % COURTS + 1 at a distinct hour."""
    return i % COURTS + 1, clock_time(HOURS[i // COURTS])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(arrivals: list[dict[str, Any]], release: float, booked: int, n: int) -> dict[str, Any]:
    first: dict[str, float] = {}
    for arrival in arrivals:
        first.setdefault(arrival["member"], arrival["arrived_at"])
    late = [(t - release) * 1000 for t in first.values()]
    early = sum(1 for a in arrivals if a["arrived_at"] < release)
    return {
        "p50_ms": statistics.median(late) if late else float("nan"),
        "p99_ms": percentile(late, 0.99) if late else float("nan"),
        "max_ms": max(late) if late else float("nan"),
        "early": early,
        "booked": f"{booked}/{n}",
    }


async def shift_world(club: ClubProcess, days_ahead: int) -> tuple[SystemClock, datetime]:
    """Shift our clock and the club's so that a release is LEAD_S away; the club runs 730 ms ahead."""
    from zoneinfo import ZoneInfo

    london = ZoneInfo("Europe/London")
    today = datetime.now(london).date()
    release = to_utc(datetime.combine(today + timedelta(days=days_ahead), clock_time(7)), london)
    shift = release.timestamp() - LEAD_S - time.time()
    await club.call("POST", "/_sim/reset")
    await club.call("POST", "/_sim/config", {"clock_offset_s": shift + CLUB_OFFSET_S})
    return SystemClock(shift), release


async def engine_run(club: ClubProcess, n: int, days_ahead: int) -> dict[str, Any]:
    clock, release = await shift_world(club, days_ahead)
    slot_day = (release + timedelta(days=7)).date()
    with tempfile.TemporaryDirectory() as data:
        storage = await Storage.open(Path(data), (new_key(),))
        service = BookingService(
            storage,
            lambda: create_adapter("democlub", SiteConfig(base_url=club.url, timeout_s=30), clock),
            clock,
            policy=POLICY,
        )
        done = asyncio.Event()
        finished: list[EventKind] = []

        def on_event(event: Any) -> None:
            if event.kind.is_final:
                finished.append(event.kind)
                if len(finished) == n:
                    done.set()

        service.bus.listen(on_event)
        await service.start()
        for i, (username, password) in enumerate(members(n).items()):
            await storage.members.upsert(Member(i + 1, username, access=Access.ALLOWED))
            await storage.credentials.save(i + 1, Credentials(username, password))
            court, start = slot_of(i)
            await service.submit(i + 1, slot_day, (start,), 60, (court,))
        await asyncio.wait_for(done.wait(), LEAD_S + 60)
        await service.stop()
        await storage.close()
    arrivals = await club.call("GET", "/_sim/arrivals")
    return figures(arrivals, release.timestamp(), finished.count(EventKind.BOOKED), n)


async def baseline_run(club: ClubProcess, n: int, days_ahead: int) -> dict[str, Any]:
    """The naive way: a job at our local release time logs in, then prepares and commits."""
    clock, release = await shift_world(club, days_ahead)
    slot_day = (release + timedelta(days=7)).date()
    booked, ended = 0, 0
    all_ended = asyncio.Event()

    async def book(i: int, username: str, password: str) -> None:
        nonlocal booked, ended
        court, start = slot_of(i)
        adapter = create_adapter("democlub", SiteConfig(base_url=club.url, timeout_s=30), clock)
        try:
            await adapter.login(username, password)
            prepared = await adapter.prepare(Slot(court, slot_day, start, 60))
            await adapter.commit(prepared)
            booked += 1
        except Exception as error:  # the baseline reports what it got, it does not retry
            print(f"  baseline {username}: {type(error).__name__}", file=sys.stderr)
        finally:
            await adapter.close()
            ended += 1
            if ended == n:
                all_ended.set()

    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start()
    local_release = datetime.fromtimestamp(release.timestamp() - clock.shift_s, UTC)
    for i, (username, password) in enumerate(members(n).items()):
        scheduler.add_job(
            book, "date", run_date=local_release, args=[i, username, password], misfire_grace_time=None
        )
    await asyncio.wait_for(all_ended.wait(), LEAD_S + 60)
    scheduler.shutdown(wait=False)
    arrivals = await club.call("GET", "/_sim/arrivals")
    return figures(arrivals, release.timestamp(), booked, n)


async def release_bench(sizes: list[int]) -> list[str]:
    lines = []
    async with ClubProcess() as club:
        courts = {str(100 + c): f"Court {c + 1}" for c in range(COURTS)}
        await club.call("POST", "/_sim/config", {"courts": courts, "max_future": 10})
        await club.call("POST", "/_sim/members", members(max(sizes)))
        print(
            f"{'N':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'early':>6} {'booked':>8}   baseline p50/p99"
        )
        for round_, n in enumerate(sizes):
            ours = await engine_run(club, n, days_ahead=1 + 2 * round_)
            base = await baseline_run(club, n, days_ahead=2 + 2 * round_)
            print(
                f"{n:>4} {ours['p50_ms']:>8.1f} {ours['p99_ms']:>8.1f} {ours['max_ms']:>8.1f} {ours['early']:>6}"
                f" {ours['booked']:>8}   {base['p50_ms']:.1f}/{base['p99_ms']:.1f} (booked {base['booked']})"
            )
            lines.append(
                f"release N={n} p50_ms={ours['p50_ms']:.1f} p99_ms={ours['p99_ms']:.1f} "
                f"max_ms={ours['max_ms']:.1f} early={ours['early']} booked={ours['booked']} "
                f"baseline_p50_ms={base['p50_ms']:.1f} baseline_p99_ms={base['p99_ms']:.1f}"
            )
    return lines


# -- restore -----------------------------------------------------------------------------------------

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
    """Run in a fresh process: start-up as `courtbot run` does it, then report RSS and time."""
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


def restore_bench() -> str:
    with tempfile.TemporaryDirectory() as data:
        key = new_key()
        asyncio.run(fill(Path(data), key))
        out = subprocess.run(
            [sys.executable, __file__, "--restore-from", data, "--key", key],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result = json.loads(out.strip().splitlines()[-1])
    print(
        f"restore of {RESTORE_N} scheduled requests: {result['restore_s']:.2f} s, RSS {result['rss_mb']:.0f} MB"
    )
    return f"restore n={RESTORE_N} rss_mb={result['rss_mb']:.0f} restore_s={result['restore_s']:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1,50,200")
    parser.add_argument("--restore-from")
    parser.add_argument("--key")
    args = parser.parse_args()
    if args.restore_from:
        asyncio.run(restore(Path(args.restore_from), args.key))
        return
    lines = asyncio.run(release_bench([int(n) for n in args.sizes.split(",")]))
    lines.append(restore_bench())
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

"""How soon after the release instant do courtbot's first requests reach the club: 1, 50 and 200 members
sharing one release, on loopback and over a 40 ms round trip?

What is measured, so that it is courtbot and not the simulator:
- The club (`courtbot club`) runs in its own process, as a real club runs on its own machine, with its
  clock 730 ms ahead of ours; both clocks are shifted so that a 07:00 release is seconds away.
- Arrival is the club's wire stamp: when a request's bytes reached the club's process, before its one
  event loop got to them (handling 200 requests takes it ~25 ms; that queue is the club's, not the
  sender's). Its garbage collector is off through the release window (`/_sim/gc-quiet`): a collection
  pauses it ~20 ms, which would otherwise be measured as lateness.
- wan: a delay proxy process (`python -m sim.netem`) between courtbot and the club, 20 ± 5 ms each way
  (a 40 ms round trip jittering by 20 ms): a club across the internet.

Per member, the first request's arrival minus the release (club clock), as p50 / p99 / max; how many
requests arrived before the release (early); how many members booked.

The baseline is what a member does without courtbot, by hand with an alarm or with a naive script: at
the release by their own clock (730 ms behind the club's, the same skew as courtbot's), log in, open the
booking form and book, once, through the same path.

Then: memory with 10,000 scheduled requests, and the time to restore them at start-up (a fresh process).

    .venv/bin/python bench/release.py [--sizes 1,50,200] [--modes loopback,wan] [--repeat R]

`--repeat R` runs each size R times and reports the figures over all of them (e.g. `--modes wan --sizes 1
--repeat 20`: is a first request ever early?).
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
from dataclasses import dataclass, field
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
#: one-way delay and jitter (ms) of each way to the club, per mode; None: straight to it on loopback
MODES: dict[str, tuple[float, float] | None] = {"loopback": None, "wan": (20.0, 5.0)}
#: the warm-up measures the club's clock (up to 6 s over a jittery path), then logs everyone in
POLICY = Policy(warmup_s=10.0)
LEAD_S = POLICY.warmup_s + 2.0  # our clock starts this long before the release
BASELINE_LEAD_S = 2.0
#: garbage collection is off at the club from this long before the release until this long after
QUIET_BEFORE_S, QUIET_AFTER_S = 2.0, 5.0
COURTS = 50  # enough courts that 200 members can each book their own slot on one day
HOURS = range(7, 22)


class Spawned:
    """A command in a subprocess that prints its URL once it serves; stopped with SIGTERM."""

    def __init__(self, *argv: str) -> None:
        self._argv = argv
        self._proc: asyncio.subprocess.Process | None = None
        self.url = ""

    async def __aenter__(self) -> Spawned:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, *self._argv, cwd=ROOT, stdout=asyncio.subprocess.PIPE
        )
        assert self._proc.stdout is not None
        async for raw in self._proc.stdout:
            line = raw.decode()
            if "http://" in line:
                self.url = line[line.index("http://") :].split()[0].rstrip(".,")
                break
        if not self.url:
            raise RuntimeError(f"{' '.join(self._argv)} did not start")
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._proc is not None
        self._proc.terminate()
        await self._proc.wait()


class Club(Spawned):
    """`courtbot club` in its own process, configured through its /_sim/ control API."""

    def __init__(self) -> None:
        super().__init__("-c", "from bot.cli import main; main()", "club", "--port", "0")

    async def call(self, method: str, path: str, body: Any = None) -> Any:
        async with (
            aiohttp.ClientSession() as session,
            session.request(method, self.url + path, json=body) as response,
        ):
            response.raise_for_status()
            return await response.json()


def delay_proxy(club: Club, delay_ms: float, jitter_ms: float) -> Spawned:
    target = club.url.removeprefix("http://")
    return Spawned(
        "-m", "sim.netem", "--to", target, "--delay-ms", f"{delay_ms}", "--jitter-ms", f"{jitter_ms}"
    )


def members(n: int) -> dict[str, str]:
    return {f"member{i:03d}": f"pw-{i:03d}" for i in range(n)}


def slot_of(i: int) -> tuple[int, clock_time]:
    """Member i's own slot: court i % COURTS + 1 at a distinct hour."""
    return i % COURTS + 1, clock_time(HOURS[i // COURTS])


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Figures:
    """First-request lateness (ms, wire stamps) of every member over one or more runs."""

    late_ms: list[float] = field(default_factory=list)
    early: int = 0
    booked: int = 0
    members: int = 0

    def add(self, arrivals: list[dict[str, Any]], release: float, booked: int, n: int) -> None:
        first: dict[str, float] = {}
        for arrival in sorted(arrivals, key=lambda a: a["wire_at"]):
            first.setdefault(arrival["member"], arrival["wire_at"])
        self.late_ms += [(t - release) * 1000 for t in first.values()]
        self.early += sum(1 for a in arrivals if a["wire_at"] < release)
        self.booked += booked
        self.members += n

    def line(self, label: str, n: int, rtt_ms: float) -> str:
        p50, p99, worst = (
            (statistics.median(self.late_ms), percentile(self.late_ms, 0.99), max(self.late_ms))
            if self.late_ms
            else (float("nan"),) * 3
        )
        return (
            f"{label} N={n} rtt_ms={rtt_ms:g} p50_ms={p50:.1f} p99_ms={p99:.1f} max_ms={worst:.1f} "
            f"early={self.early} booked={self.booked}/{self.members}"
        )


class Releases:
    """A fresh release day for every run, so that no run's bookings or limits meet another's."""

    def __init__(self) -> None:
        self._days_ahead = 0

    async def next(self, club: Club, lead_s: float) -> tuple[SystemClock, datetime]:
        """Shift our clock and the club's so that the next release is `lead_s` away (the club's clock
        730 ms ahead), with the club's garbage collector quiet around it."""
        from zoneinfo import ZoneInfo

        self._days_ahead += 1
        london = ZoneInfo("Europe/London")
        today = datetime.now(london).date()
        release = to_utc(datetime.combine(today + timedelta(days=self._days_ahead), clock_time(7)), london)
        shift = release.timestamp() - lead_s - time.time()
        await club.call("POST", "/_sim/reset")
        await club.call("POST", "/_sim/config", {"clock_offset_s": shift + CLUB_OFFSET_S})
        window = {"from": release.timestamp() - QUIET_BEFORE_S, "until": release.timestamp() + QUIET_AFTER_S}
        await club.call("POST", "/_sim/gc-quiet", window)
        return SystemClock(shift), release


async def engine_run(club: Club, site_url: str, n: int, releases: Releases, into: Figures) -> None:
    clock, release = await releases.next(club, LEAD_S)
    slot_day = (release + timedelta(days=7)).date()
    with tempfile.TemporaryDirectory() as data:
        storage = await Storage.open(Path(data), (new_key(),))
        service = BookingService(
            storage,
            lambda: create_adapter("democlub", SiteConfig(base_url=site_url, timeout_s=30), clock),
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
    into.add(
        await club.call("GET", "/_sim/arrivals"), release.timestamp(), finished.count(EventKind.BOOKED), n
    )


async def baseline_run(club: Club, site_url: str, n: int, releases: Releases, into: Figures) -> None:
    """At the release by our clock: log in, open the booking form, book; one attempt each."""
    clock, release = await releases.next(club, BASELINE_LEAD_S)
    slot_day = (release + timedelta(days=7)).date()
    booked, ended = 0, 0
    all_ended = asyncio.Event()

    async def book(i: int, username: str, password: str) -> None:
        nonlocal booked, ended
        court, start = slot_of(i)
        adapter = create_adapter("democlub", SiteConfig(base_url=site_url, timeout_s=30), clock)
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
    await asyncio.wait_for(all_ended.wait(), BASELINE_LEAD_S + 60)
    scheduler.shutdown(wait=False)
    into.add(await club.call("GET", "/_sim/arrivals"), release.timestamp(), booked, n)


async def release_bench(sizes: list[int], modes: list[str], repeat: int) -> list[str]:
    lines: list[str] = []
    releases = Releases()
    async with Club() as club:
        courts = {str(100 + c): f"Court {c + 1}" for c in range(COURTS)}
        await club.call("POST", "/_sim/config", {"courts": courts, "max_future": 10})
        await club.call("POST", "/_sim/members", members(max(sizes)))
        print(
            f"{'':9}{'N':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'early':>6} {'booked':>9}   baseline p50/p99"
        )
        for mode in modes:
            path = MODES[mode]
            rtt_ms = 0.0 if path is None else 4 * path[0] / 2
            for n in sizes:
                ours, base = Figures(), Figures()
                if path is None:
                    await _runs(club, club.url, n, releases, repeat, ours, base)
                else:
                    async with delay_proxy(club, *path) as proxy:
                        await _runs(club, proxy.url, n, releases, repeat, ours, base)
                p50, p99, worst = (
                    statistics.median(ours.late_ms),
                    percentile(ours.late_ms, 0.99),
                    max(ours.late_ms),
                )
                base_p50, base_p99 = statistics.median(base.late_ms), percentile(base.late_ms, 0.99)
                print(
                    f"{mode:9}{n:>4} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} {ours.early:>6} "
                    f"{ours.booked:>4}/{ours.members:<4}   {base_p50:.1f}/{base_p99:.1f} "
                    f"(booked {base.booked}/{base.members})",
                    flush=True,
                )
                lines += [ours.line("release", n, rtt_ms), base.line("baseline", n, rtt_ms)]
    return lines


async def _runs(
    club: Club, site_url: str, n: int, releases: Releases, repeat: int, ours: Figures, base: Figures
) -> None:
    for _ in range(repeat):
        await engine_run(club, site_url, n, releases, ours)
        await baseline_run(club, site_url, n, releases, base)


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
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--restore-from")
    parser.add_argument("--key")
    args = parser.parse_args()
    if args.restore_from:
        asyncio.run(restore(Path(args.restore_from), args.key))
        return
    sizes = [int(n) for n in args.sizes.split(",")]
    modes = args.modes.split(",")
    unknown = sorted(set(modes) - set(MODES))
    if unknown:
        parser.error(f"unknown modes: {', '.join(unknown)} (known: {', '.join(MODES)})")
    lines = asyncio.run(release_bench(sizes, modes, args.repeat))
    if args.sizes == parser.get_default("sizes") and args.modes == parser.get_default("modes"):
        lines.append(restore_bench())
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

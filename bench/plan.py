"""What the release plan is worth: 20 of our members want 18:00 at a 6-court democlub 40 ms away, with
preference lists as members give them (most put court 1 first), while outside players take one free
court every 30 ms after the release (rivals for any court: sim/club/README.md).

democlub books in two steps, a hold and then a commit, so a member's first request holds a court ~10 ms
after the release and a second try costs a round trip: 40 ms, by which time another outside player has
taken a court. With the plan, club-mates fire at six different courts at once and hold them all before
the first outsider comes; without it, most send for court 1 and each fallback costs a round trip, in
which outsiders take more courts.
"""

from __future__ import annotations

from bench.runs import Releases, engine_run, lead_s
from bench.sites import START
from bench.spawn import delay_proxy
from bench.standin import Standin
from booking.run import Policy

COURTS = 6
#: each member's courts in order of preference (empty: any court, which is the club's order): 16 of the
#: 20 want court 1 first, as members do (the court by the clubhouse)
PREFERENCES: tuple[tuple[int, ...], ...] = (
    *[(1, 2, 3, 4, 5, 6)] * 8,
    *[(1, 3, 2, 4, 5, 6)] * 4,
    *[(2, 1, 3, 4, 5, 6)] * 3,
    *[(1, 2, 4, 3, 6, 5)] * 2,
    (3, 1, 2, 4, 5, 6),
    *[()] * 2,
)
MEMBERS = len(PREFERENCES)
RIVAL_EVERY_MS = 30
PATH = (20.0, 5.0)  # one-way delay and jitter (ms): a 40 ms round trip


async def plan_bench(runs: int) -> list[str]:
    """One line per run: the courts our members won with the plan and without it."""
    lines: list[str] = []
    releases = Releases()
    async with Standin("democlub", COURTS, MEMBERS) as standin, delay_proxy(standin.url, *PATH) as proxy:
        for _ in range(runs):
            with_plan = await _won(standin, proxy.url, releases, plan=True)
            without = await _won(standin, proxy.url, releases, plan=False)
            line = (
                f"plan members={MEMBERS} courts={COURTS} won={with_plan} without_plan_won={without} "
                f"rtt_ms={2 * PATH[0]:g} rival_every_ms={RIVAL_EVERY_MS}"
            )
            print(line, flush=True)
            lines.append(line)
    return lines


async def _won(standin: Standin, site_url: str, releases: Releases, *, plan: bool) -> int:
    """How many courts our members booked at one release, the plan on or off."""
    policy = Policy(warmup_s=standin.site.warmup_s, plan_releases=plan)
    release = await releases.next(standin, lead_s(policy))
    slot = {"date": release.day.isoformat(), "time": START.strftime("%H:%M")}
    rivals = [{"court_id": "any", **slot, "delay_ms": RIVAL_EVERY_MS * k} for k in range(1, COURTS + 1)]
    await standin.call("POST", "/_sim/config", {"rivals": rivals})
    await engine_run(standin, site_url, PREFERENCES, policy, release)
    bookings = await standin.call("GET", "/_sim/bookings")
    return sum(1 for b in bookings if b["member"] != "rival" and b["date"] == slot["date"])

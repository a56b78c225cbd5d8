"""How soon after the release instant do courtbot's first requests reach the club: 1, 50 and 200 members
sharing one release, on loopback and over a 40 ms round trip; what the release plan is worth against
outside players; how long courtbot takes between a hold's answer and its commit; and memory and restore
time with 10,000 scheduled requests.

What is measured, so that it is courtbot and not the simulator:
- The club is a platform's stand-in (`--site`: democlub, MRBS or LibreBooking) in its own process, as a
  real club runs on its own machine, with its clock 730 ms ahead of ours; both clocks are shifted so that
  a release is seconds away (bench.runs).
- Arrival is the club's wire stamp: when a request's bytes reached the club's process, before its one
  event loop got to them (handling 200 requests takes it ~25 ms; that queue is the club's, not the
  sender's). Its garbage collector is off through the release window (`/_sim/gc-quiet`): a collection
  pauses it ~20 ms, which would otherwise be measured as lateness.
- wan: a delay proxy process (`python -m sim.netem`) between courtbot and the club, 20 ± 5 ms each way
  (a 40 ms round trip jittering by 20 ms): a club across the internet.

Per member, the first request's arrival minus the release (club clock), as p50 / p99 / max; the spread
of the first requests (the last one's arrival minus the first's, in the widest run); how many requests
arrived before the release (early); how many members booked. Member i books court i + 1 at 18:00: one
release on every platform (democlub releases the day at 07:00; MRBS and LibreBooking each slot a week
before its end).

The baseline is what a member does without courtbot, by hand with an alarm or with a naive script: at
the release by their own clock (730 ms behind the club's, the same skew as courtbot's), log in, open the
booking form and book, once, through the same path.

democlub only: the release plan's worth (bench.plan) and the step between the hold's answer and the
commit (bench.step). Then memory and restore time (bench.restore).

    .venv/bin/python bench/release.py [--site democlub|mrbs|librebooking] [--sizes 1,50,200]
        [--modes loopback,wan] [--repeat R] [--parts release,plan,step,restore] [--plan-runs R]
        [--step-runs R]

`--repeat R` runs each size R times and reports the figures over all of them (e.g. `--modes wan --sizes 1
--repeat 20`: is a first request ever early?). `--parts` picks what runs (default: all there is for the
site: MRBS and LibreBooking have the release only).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from yarl import URL

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.figures import Figures  # noqa: E402
from bench.plan import plan_bench  # noqa: E402
from bench.restore import restore_bench  # noqa: E402
from bench.runs import Releases, baseline_run, engine_run, lead_s  # noqa: E402
from bench.sites import SITES  # noqa: E402
from bench.spawn import delay_proxy  # noqa: E402
from bench.standin import Standin  # noqa: E402
from bench.step import step_bench  # noqa: E402
from booking.run import Policy  # noqa: E402

#: one-way delay and jitter (ms) of each way to the club, per mode; None: straight to it on loopback
MODES: dict[str, tuple[float, float] | None] = {"loopback": None, "wan": (20.0, 5.0)}
BASELINE_LEAD_S = 2.0
#: what each site has to measure (the plan and the step are democlub's: its rivals, its hold and commit)
PARTS = {
    "democlub": ("release", "plan", "step", "restore"),
    "mrbs": ("release",),
    "librebooking": ("release",),
}


async def release_bench(site: str, sizes: list[int], modes: list[str], repeat: int) -> list[str]:
    lines: list[str] = []
    releases = Releases()
    async with Standin(site, max(sizes), max(sizes)) as standin:
        print(
            f"{site:13}{'N':>4} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'spread':>7} {'early':>6} "
            f"{'booked':>9}   baseline p50/p99"
        )
        for mode in modes:
            path = MODES[mode]
            rtt_ms = 0.0 if path is None else 2 * path[0]
            for n in sizes:
                ours, base = Figures(standin.site.member_key), Figures(standin.site.member_key)
                if path is None:
                    await _runs(standin, standin.url, n, releases, repeat, ours, base)
                else:
                    async with delay_proxy(standin.url, *path) as proxy:
                        site_url = proxy.url + URL(standin.url).path  # LibreBooking's is its Web/ folder
                        await _runs(standin, site_url, n, releases, repeat, ours, base)
                p50, p99, worst = ours.quantiles()
                base_p50, base_p99, _ = base.quantiles()
                print(
                    f"{mode:13}{n:>4} {p50:>8.1f} {p99:>8.1f} {worst:>8.1f} {ours.spread_ms:>7.1f} "
                    f"{ours.early:>6} {ours.booked:>4}/{ours.members:<4}   {base_p50:.1f}/{base_p99:.1f} "
                    f"(booked {base.booked}/{base.members})",
                    flush=True,
                )
                lines += [ours.line("release", site, n, rtt_ms), base.line("baseline", site, n, rtt_ms)]
    return lines


async def _runs(
    standin: Standin, site_url: str, n: int, releases: Releases, repeat: int, ours: Figures, base: Figures
) -> None:
    wants = [(i + 1,) for i in range(n)]
    policy = Policy(warmup_s=standin.site.warmup_s)
    for _ in range(repeat):
        release = await releases.next(standin, lead_s(policy))
        booked = await engine_run(standin, site_url, wants, policy, release)
        ours.add(await standin.call("GET", "/_sim/arrivals"), release.at_s, booked, n)
        release = await releases.next(standin, BASELINE_LEAD_S)
        booked = await baseline_run(standin, site_url, n, release)
        base.add(await standin.call("GET", "/_sim/arrivals"), release.at_s, booked, n)


async def measure(args: argparse.Namespace, parts: list[str]) -> list[str]:
    lines: list[str] = []
    if "release" in parts:
        sizes = [int(n) for n in args.sizes.split(",")]
        lines += await release_bench(args.site, sizes, args.modes.split(","), args.repeat)
    if "plan" in parts:
        lines += await plan_bench(args.plan_runs)
    if "step" in parts:
        lines += await step_bench(args.step_runs)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", choices=tuple(SITES), default="democlub")
    parser.add_argument("--sizes", default="1,50,200")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--parts", help="what to measure, comma-separated (default: all the site has)")
    parser.add_argument(
        "--plan-runs", type=int, default=1, help="releases with the plan, and as many without"
    )
    parser.add_argument("--step-runs", type=int, default=10)
    args = parser.parse_args()
    unknown = sorted(set(args.modes.split(",")) - set(MODES))
    if unknown:
        parser.error(f"unknown modes: {', '.join(unknown)} (known: {', '.join(MODES)})")
    parts = args.parts.split(",") if args.parts else list(PARTS[args.site])
    unknown = sorted(set(parts) - set(PARTS[args.site]))
    if unknown:
        parser.error(
            f"{args.site} has no {', '.join(unknown)} to measure (it has: {', '.join(PARTS[args.site])})"
        )
    lines = asyncio.run(measure(args, parts))
    if "restore" in parts:
        lines += restore_bench()
    print()
    print("\n".join(lines))


if __name__ == "__main__":
    main()

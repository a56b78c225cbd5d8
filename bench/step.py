"""The step between the hold's answer and the commit: democlub books in two requests (GET /book holds the
court, POST /book commits it), and a court is only ours once the commit arrives, so whatever courtbot
does between the two - reading the answer, parsing the form, building and sending the commit - is added
to every booking at the release.

Measured at the club, one member alone at a release on loopback: from the moment the club handed the
hold's answer over to be written (`answered_at`, just before its write) to the moment the commit's bytes
reached it (their kernel stamp), less two crossings of loopback at their fastest, measured in the same
run: requests stamped by our clock as they are written and by the club's kernel as they arrive (one wall
clock; the club's is shifted by an offset we set). A crossing sometimes waits ~0.25 ms for the kernel to
get to the packet; such a wait is left in, counted against courtbot. Only runs whose hold was fired at
the release count.
"""

from __future__ import annotations

import asyncio
import statistics
import time

from yarl import URL

from bench.figures import percentile
from bench.runs import CLUB_OFFSET_S, Release, Releases, engine_run, lead_s
from bench.standin import Standin
from booking.run import Policy

#: the warm-up has time for the clock's measurement (up to 6 s) before arming
POLICY = Policy(warmup_s=8.0)
#: a hold that reached the club this soon after the release was fired at it
AT_RELEASE_S = 0.1
CROSSING_PROBES = 5


async def step_bench(runs: int) -> list[str]:
    steps_ms: list[float] = []
    crossings_ms: list[float] = []
    releases = Releases()
    async with Standin("democlub", 1, 1) as standin:
        for _ in range(runs):
            release = await releases.next(standin, lead_s(POLICY))
            await engine_run(standin, standin.url, [(1,)], POLICY, release)
            crossing_ms = await _crossing_ms(standin, release)
            arrivals = await standin.call("GET", "/_sim/arrivals")
            hold = next(a for a in arrivals if a["step"] == "prepare" and a["member"])
            commit = next(a for a in arrivals if a["step"] == "commit")
            if hold["wire_at"] - release.at_s > AT_RELEASE_S:
                print("  step: the hold was not fired at the release; run left out", flush=True)
                continue
            steps_ms.append((commit["wire_at"] - hold["answered_at"]) * 1000 - 2 * crossing_ms)
            crossings_ms.append(crossing_ms)
            print(f"  step {steps_ms[-1]:.2f} ms (loopback crossing {crossing_ms:.3f} ms)", flush=True)
    if not steps_ms:
        return ["step hold_answer_to_commit_ms p50=nan p99=nan runs=0"]
    line = (
        f"step hold_answer_to_commit_ms p50={statistics.median(steps_ms):.2f} "
        f"p99={percentile(steps_ms, 0.99):.2f} max={max(steps_ms):.2f} runs={len(steps_ms)} "
        f"loopback_crossing_ms={statistics.median(crossings_ms):.3f}"
    )
    print(line, flush=True)
    return [line]


async def _crossing_ms(standin: Standin, release: Release) -> float:
    """One way across loopback at its fastest: requests from no member (logged, with their wire stamp),
    each stamped by our clock as it is written; the least of the differences."""
    url = URL(standin.url)
    offset = release.clock.shift_s + CLUB_OFFSET_S
    sent: list[float] = []
    for _ in range(CROSSING_PROBES):
        reader, writer = await asyncio.open_connection(url.host, url.port)
        request = b"GET /book?court=probe HTTP/1.1\r\nHost: club\r\nConnection: close\r\n\r\n"
        sent.append(time.time() + offset)
        writer.write(request)
        await reader.read()
        writer.close()
    arrivals = await standin.call("GET", "/_sim/arrivals")
    stamps = [a["wire_at"] for a in arrivals if a["court_id"] == "probe"]
    return min(w - s for w, s in zip(stamps, sent, strict=True)) * 1000

"""How a release went for our members, from the stand-in's arrival log (wire stamps, server clock)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from typing import Any


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Figures:
    """Each member's first request over one or more runs: how late after the release it arrived (ms), how
    far apart one run's first requests arrived (spread), how many arrived early, how many booked."""

    member_key: str  # who sent a request, in the arrival log
    late_ms: list[float] = field(default_factory=list)
    spread_ms: float = 0.0  # the widest run's
    early: int = 0
    booked: int = 0
    members: int = 0

    def add(self, arrivals: list[dict[str, Any]], release: float, booked: int, n: int) -> None:
        first: dict[str, float] = {}
        for arrival in sorted(arrivals, key=lambda a: a["wire_at"]):
            first.setdefault(arrival[self.member_key], arrival["wire_at"])
        if first:
            self.spread_ms = max(self.spread_ms, (max(first.values()) - min(first.values())) * 1000)
        self.late_ms += [(t - release) * 1000 for t in first.values()]
        self.early += sum(1 for a in arrivals if a["wire_at"] < release)
        self.booked += booked
        self.members += n

    def quantiles(self) -> tuple[float, float, float]:
        """p50, p99 and max of the lateness (NaN without any arrival)."""
        if not self.late_ms:
            return (float("nan"),) * 3
        return statistics.median(self.late_ms), percentile(self.late_ms, 0.99), max(self.late_ms)

    def line(self, label: str, site: str, n: int, rtt_ms: float) -> str:
        p50, p99, worst = self.quantiles()
        return (
            f"{label} site={site} N={n} rtt_ms={rtt_ms:g} p50_ms={p50:.1f} p99_ms={p99:.1f} "
            f"max_ms={worst:.1f} spread_ms={self.spread_ms:.1f} early={self.early} "
            f"booked={self.booked}/{self.members}"
        )

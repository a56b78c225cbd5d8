"""Each platform's stand-in as the benchmarks set it up: as many courts and members as a run needs, and
what differs between them that a benchmark must know (its release rule, its arrival log's keys).

Court c (from 1) is the site's court id 100 + c - 1, named "Court c"; member i is `member{i:03d}` with
password `pw-{i:03d}`. The clubs open for one hour, 18:00-19:00, the slot every benchmark books: a day of
200 courts is then 200 cells, not 3,000 (MRBS's login reads the day view twice, and 3,000 cells take it
~0.3 s each time). Everything else is the stand-in's defaults: Europe/London, 60-minute slots; democlub
releases a whole day at 07:00 seven days ahead, MRBS and LibreBooking each slot seven days before its end
(their windows roll by the slot).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from booking.release import ReleaseRule
from sim.club.config import ClubConfig
from sim.librebooking.config import LibreBookingConfig, Resource
from sim.mrbs.config import Area, MrbsConfig

#: the one slot the clubs have each day, and what every benchmark books
START, MINUTES = time(18), 60
OPEN_UNTIL = time(19)


def members(n: int) -> dict[str, str]:
    return {f"member{i:03d}": f"pw-{i:03d}" for i in range(n)}


def court_names(n: int) -> dict[int, str]:
    """Site court id -> name, in the site's order (so court c is the c-th)."""
    return {100 + c: f"Court {c + 1}" for c in range(n)}


def _democlub(courts: int, n: int) -> ClubConfig:
    names = {str(site_id): name for site_id, name in court_names(courts).items()}
    return ClubConfig(courts=names, open_from=START, open_until=OPEN_UNTIL, members=members(n), max_future=10)


def _mrbs(courts: int, n: int) -> MrbsConfig:
    areas = {1: Area("Tennis", court_names(courts))}
    return MrbsConfig(areas=areas, open_from=START, open_until=OPEN_UNTIL, members=members(n))


def _librebooking(courts: int, n: int) -> LibreBookingConfig:
    resources = {site_id: Resource(name, 1) for site_id, name in court_names(courts).items()}
    return LibreBookingConfig(resources=resources, open_from=START, open_until=OPEN_UNTIL, members=members(n))


@dataclass(frozen=True)
class BenchSite:
    name: str  # the platform's name (booking.sites.registry)
    #: the stand-in's settings with this many courts and members
    config: Callable[[int, int], Any]
    #: the stand-in's release rule, from its settings
    rule: Callable[[Any], ReleaseRule]
    #: who sent a request, in the arrival log (/_sim/arrivals)
    member_key: str
    #: courtbot's warm-up for 200 members here: the club's clock measured (up to 16 s over a jittery
    #: path), then everyone logged in (MRBS's login reads the day view twice: ~20 s for 200 here)
    warmup_s: float

    def release(self, courts: int, day: date, start: time) -> datetime:
        """The UTC instant the stand-in opens `day` `start` (the same for every court)."""
        config = self.config(courts, 0)
        return self.rule(config).release_instant(day, start, MINUTES, config.zone)


SITES: dict[str, BenchSite] = {
    site.name: site
    for site in (
        BenchSite("democlub", _democlub, lambda c: c.release_rule, "member", 20.0),
        BenchSite("mrbs", _mrbs, lambda c: c.release_rule, "username", 40.0),
        BenchSite(
            "librebooking", _librebooking, lambda c: c.release_rule(next(iter(c.resources))), "username", 20.0
        ),
    )
}

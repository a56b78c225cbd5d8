"""The club on a CPU of its own, and courtbot on the others, as on two machines.

On one machine the club's process, woken by courtbot's requests, may be put on courtbot's CPU and stop
it for a scheduler tick (~4 ms) in the middle of a burst: a stall that a real club, on its own machine,
never causes, and one that would be measured as courtbot's. So while a stand-in runs, it has the last of
the CPUs the benchmark may use and courtbot (the benchmark's own process) the rest; any other helper
(the delay proxy) may run anywhere. With one CPU, or without CPU affinity (not Linux), nothing changes.
"""

from __future__ import annotations

import os

#: the CPUs the benchmark may use, as it started
_ALL: frozenset[int] = frozenset(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else frozenset()


def apart(club_pid: int) -> None:
    """The club's process on the last CPU, this one on the others."""
    if len(_ALL) > 1:
        club = max(_ALL)
        os.sched_setaffinity(club_pid, {club})
        os.sched_setaffinity(0, _ALL - {club})


def together() -> None:
    """This process on every CPU again (the club has stopped)."""
    if len(_ALL) > 1:
        os.sched_setaffinity(0, _ALL)


def anywhere(pid: int) -> None:
    """A helper process on every CPU, whatever this one is narrowed to (a child inherits it)."""
    if len(_ALL) > 1:
        os.sched_setaffinity(pid, _ALL)

"""Processes a benchmark talks to over loopback, each on its own CPU time as a club and a network path
have theirs: a command that prints its URL once it serves, stopped with SIGTERM (bench.cpus: on which
CPUs)."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bench import cpus

ROOT = Path(__file__).resolve().parents[1]


class Spawned:
    """`python ARGV…` in a subprocess, started from the repository; `url` is the first URL it prints."""

    def __init__(self, *argv: str) -> None:
        self._argv = argv
        self._proc: asyncio.subprocess.Process | None = None
        self.url = ""

    async def __aenter__(self) -> Spawned:
        self._proc = await asyncio.create_subprocess_exec(
            sys.executable, *self._argv, cwd=ROOT, stdout=asyncio.subprocess.PIPE
        )
        cpus.anywhere(self._proc.pid)
        assert self._proc.stdout is not None
        async for raw in self._proc.stdout:
            line = raw.decode()
            if "http://" in line:
                self.url = line[line.index("http://") :].split()[0].rstrip(".,")
                break
        if not self.url:
            raise RuntimeError(f"{' '.join(self._argv)} did not start")
        return self

    @property
    def pid(self) -> int:
        assert self._proc is not None
        return self._proc.pid

    async def __aexit__(self, *exc: object) -> None:
        assert self._proc is not None
        self._proc.terminate()
        await self._proc.wait()


def delay_proxy(target_url: str, delay_ms: float, jitter_ms: float) -> Spawned:
    """A network path to `target_url`: `sim.netem` holding each direction's bytes delay ± jitter ms."""
    target = target_url.removeprefix("http://").split("/")[0]
    return Spawned(
        "-m", "sim.netem", "--to", target, "--delay-ms", f"{delay_ms}", "--jitter-ms", f"{jitter_ms}"
    )

"""`courtbot club` for the CLI tests of every flavour: its flags parsed as the command parses them, and the
command run as a process of its own until interrupted (SIGINT), as a person runs it."""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from sim.club.cli import add_arguments

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = (
    "import argparse, sys\n"
    "from sim.club.cli import add_arguments, run\n"
    "parser = argparse.ArgumentParser()\n"
    "add_arguments(parser)\n"
    "run(parser.parse_args(sys.argv[1:]))\n"
)


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    return parser.parse_args(argv)


@dataclass
class Served:
    process: asyncio.subprocess.Process
    out: str = ""  # all it printed, once it has stopped
    err: str = ""

    async def line(self) -> str:
        """Its next line of output (its banner first)."""
        assert self.process.stdout is not None
        return (await asyncio.wait_for(self.process.stdout.readline(), 5)).decode()


@asynccontextmanager
async def serving(*argv: str) -> AsyncIterator[Served]:
    """The command with `argv`, interrupted on leaving; its output is read to the end then."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SCRIPT, *argv,
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    served = Served(process)
    try:
        yield served
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 5)
        served.out, served.err = out.decode(), err.decode()

"""A real bot (a TELEGRAM_BOT_TOKEN) runs on a real club only: it never starts, nor even loads, the
simulators, which belong to the playground."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from sim.botapi.runner import RunningBotApi
from sim.club.runner import RunningClub
from tests.ops.conftest import environment, free_port
from tests.ops.process import ROOT, courtbot_process

#: written to stderr when the process exits: every module of sim/ it ever loaded
REPORT_SIM_MODULES = """
import atexit, sys
atexit.register(lambda: print("sim modules:", sorted(m for m in sys.modules if m.split(".")[0] == "sim"),
                              file=sys.stderr))
"""


async def test_a_real_bot_never_loads_the_simulators(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = environment(tmp_path, club, botapi, key, free_port())
    log = tmp_path / "run.log"
    async with courtbot_process(env, log, prelude=REPORT_SIM_MODULES):
        await botapi.wait_for_poll()  # started all the way: polling Telegram
    assert "sim modules: []" in log.read_text()


async def test_check_warns_when_nobody_can_approve_access(
    tmp_path: Path, key: str, club: RunningClub, botapi: RunningBotApi
) -> None:
    env = {**environment(tmp_path, club, botapi, key, free_port()), "ADMIN_USERS": ""}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        "from bot.cli import main; main()",
        "check",
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
    )
    said = (await process.communicate())[0].decode()
    assert process.returncode == 0
    assert "warning: ADMIN_USERS is empty: nobody can approve access requests" in said
    assert said.rstrip().endswith("settings are valid")

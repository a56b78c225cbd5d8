"""`courtbot club --flavour mrbs`: the shared flags become the MRBS stand-in's settings."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import signal
import sys
from pathlib import Path

import aiohttp
import pytest

from sim.club.cli import add_arguments, config_from, mrbs_config_from, run

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


def test_shared_flags_become_mrbs_settings() -> None:
    config = mrbs_config_from(
        parse(
            "--flavour", "mrbs", "--member", "erin:pw", "--window-days", "3", "--window-measure", "start",
            "--timezone", "Europe/Paris", "--clock-offset-ms", "-1500", "--latency-ms", "20",
            "--jitter-ms", "5", "--error-rate", "0.1", "--seed", "9",
        )
    )  # fmt: skip
    assert config.members == {"erin": "pw"}
    assert (config.window_days, config.measure_to_start, config.opens_at) == (3, True, None)
    assert (config.timezone, config.clock_offset_s, config.latency_ms, config.jitter_ms) == (
        "Europe/Paris",
        -1.5,
        20,
        5,
    )
    assert (config.error_rate, config.seed) == (0.1, 9)


def test_mrbs_defaults_are_mrbs_s_and_democlub_s_stay() -> None:
    mrbs = mrbs_config_from(parse("--flavour", "mrbs"))
    assert (mrbs.window_days, mrbs.measure_to_start, mrbs.opens_at) == (7, False, None)
    assert sorted(mrbs.members) == ["alice", "bob", "carol", "dave"]
    assert mrbs_config_from(parse("--flavour", "mrbs", "--opens-at", "08:00")).opens_at == dt.time(8)
    assert config_from(parse()).opens_at == dt.time(7)


@pytest.mark.parametrize(
    "argv",
    [
        ["--flavour", "mrbs", "--partner-required"],
        ["--flavour", "mrbs", "--spike-ms", "300"],
        ["--window-measure", "start"],
    ],
)
def test_flags_the_flavour_has_no_use_for_stop_it(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(parse(*argv))
    assert "courtbot club:" in str(stopped.value)


def test_an_unknown_flavour_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse("--flavour", "bookteq")
    assert stopped.value.code == 2 and "error:" in capsys.readouterr().err


async def test_serves_mrbs_until_interrupted() -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SCRIPT, "--flavour", "mrbs", "--port", "0", "--member", "erin:pw",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    try:
        banner = (await asyncio.wait_for(process.stdout.readline(), 5)).decode()
        assert banner.startswith("mrbs is serving at ")
        url = banner.split("serving at ")[1].split()[0]
        assert "member erin / password pw" in (await process.stdout.readline()).decode()
        async with aiohttp.ClientSession() as http, http.get(url + "/index.php") as response:
            assert 'id="day_main"' in await response.text()
    finally:
        process.send_signal(signal.SIGINT)
        out, err = await asyncio.wait_for(process.communicate(), 5)
    assert process.returncode == 0, err.decode()
    assert "mrbs stopped" in out.decode()

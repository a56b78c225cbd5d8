"""`courtbot club`: its flags, and the server it runs until interrupted."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from sim.club.cli import config_from
from tests.sim_club.cli_process import parse, serving


def test_flags_become_settings() -> None:
    config = config_from(
        parse(
            "--member", "erin:pw", "--member", "finn:pw:with:colons", "--window-days", "3", "--opens-at", "08:15:30",
            "--timezone", "Europe/Paris", "--clock-offset-ms", "-1500", "--latency-ms", "20", "--jitter-ms", "5",
            "--spike-ms", "400", "--error-rate", "0.1", "--rate-limit-rate", "0.2", "--partner-required",
            "--hold-before-open", "--seed", "9",
        )
    )  # fmt: skip
    assert config.members == {"erin": "pw", "finn": "pw:with:colons"}
    assert (config.window_days, config.opens_at, config.timezone) == (3, dt.time(8, 15, 30), "Europe/Paris")
    assert (config.clock_offset_s, config.latency_ms, config.jitter_ms, config.spike_ms) == (-1.5, 20, 5, 400)
    assert (config.error_rate, config.rate_limit_rate, config.seed) == (0.1, 0.2, 9)
    assert config.partner_required and config.hold_before_open


def test_defaults_are_the_demo_club() -> None:
    config = config_from(parse())
    assert sorted(config.members) == ["alice", "bob", "carol", "dave"]
    assert (config.window_days, config.opens_at, config.error_rate) == (7, dt.time(7, 0), 0.0)


@pytest.mark.parametrize(
    "argv",
    [
        ["--member", "nopassword"],
        ["--member", ":pw"],
        ["--opens-at", "7am"],
        ["--timezone", "Mars/Olympus"],
        ["--error-rate", "1.5"],
        ["--window-days", "x"],
    ],
)
def test_bad_flags_stop_with_a_usage_error(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        parse(*argv)
    assert stopped.value.code == 2
    assert "error:" in capsys.readouterr().err


async def test_serves_until_interrupted() -> None:
    async with serving("--port", "0", "--member", "erin:pw", "--window-days", "3") as served:
        banner = await served.line()
        url = banner.split("serving at ")[1].split()[0]
        assert "member erin / password pw" in await served.line()
        async with aiohttp.ClientSession() as http, http.get(url + "/rules") as response:
            assert 'data-window-days="3"' in await response.text()
    assert served.process.returncode == 0, served.err
    assert "democlub stopped" in served.out

"""`courtbot club --flavour mrbs`: the shared flags become the MRBS stand-in's settings."""

from __future__ import annotations

import datetime as dt

import aiohttp
import pytest

from sim.club.cli import config_from, mrbs_config_from, run
from tests.sim_club.cli_process import parse, serving


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
    async with serving("--flavour", "mrbs", "--port", "0", "--member", "erin:pw") as served:
        banner = await served.line()
        assert banner.startswith("mrbs is serving at ")
        url = banner.split("serving at ")[1].split()[0]
        assert "member erin / password pw" in await served.line()
        async with aiohttp.ClientSession() as http, http.get(url + "/index.php") as response:
            assert 'id="day_main"' in await response.text()
    assert served.process.returncode == 0, served.err
    assert "mrbs stopped" in served.out

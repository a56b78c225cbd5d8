"""`courtbot club --flavour librebooking`: the shared flags become the LibreBooking stand-in's settings."""

from __future__ import annotations

import aiohttp
import pytest

from sim.club.cli import librebooking_config_from, run
from tests.sim_club.cli_process import parse, serving


def test_shared_flags_become_librebooking_settings() -> None:
    config = librebooking_config_from(
        parse(
            "--flavour", "librebooking", "--member", "erin:pw", "--window-days", "3", "--api", "off",
            "--timezone", "Europe/Berlin", "--clock-offset-ms", "250", "--latency-ms", "20",
            "--error-rate", "0.1", "--seed", "4",
        )
    )  # fmt: skip
    assert config.members == {"erin": "pw"} and not config.api_enabled
    assert {r.max_notice_s for r in config.resources.values()} == {3 * 86400}
    assert (config.timezone, config.clock_offset_s, config.latency_ms, config.error_rate, config.seed) == (
        "Europe/Berlin",
        0.25,
        20,
        0.1,
        4,
    )
    assert librebooking_config_from(parse("--flavour", "librebooking")).api_enabled


@pytest.mark.parametrize(
    "argv",
    [
        ["--flavour", "librebooking", "--opens-at", "07:00"],
        ["--flavour", "librebooking", "--window-measure", "end"],
        ["--flavour", "librebooking", "--partner-required"],
        ["--flavour", "mrbs", "--api", "off"],
        ["--api", "on"],
    ],
)
def test_flags_the_flavour_has_no_use_for_stop_it(argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        run(parse(*argv))
    assert "courtbot club:" in str(stopped.value)


async def test_serves_librebooking_until_interrupted() -> None:
    async with serving("--flavour", "librebooking", "--port", "0", "--api", "off") as served:
        banner = await served.line()
        assert banner.startswith("librebooking is serving at ")
        url = banner.split("serving at ")[1].split()[0]
        assert url.endswith("/Web")
        async with aiohttp.ClientSession() as http:
            async with http.post(
                url + "/Services/index.php/Authentication/Authenticate", json={}
            ) as response:
                assert (await response.text()).startswith("LibreBooking API has been configured as disabled.")
            async with http.get(url + "/index.php") as response:
                assert 'name="login"' in await response.text()
    assert served.process.returncode == 0, served.err
    assert "librebooking stopped" in served.out

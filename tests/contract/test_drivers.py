"""Every registered platform is held to the contract: each needs a driver for its stand-in."""

from __future__ import annotations

from booking.sites.registry import PLATFORMS
from tests.contract.drivers import DRIVERS


def test_every_registered_platform_has_a_driver() -> None:
    missing = sorted(set(PLATFORMS) - set(DRIVERS))
    assert not missing, f"no contract driver for {', '.join(missing)}: add one to tests/contract/drivers"
    unknown = sorted(set(DRIVERS) - set(PLATFORMS))
    assert not unknown, f"contract drivers for platforms the registry does not know: {', '.join(unknown)}"

"""The contract's drivers by platform name: a platform in booking.sites.registry.PLATFORMS without one here
fails the contract (tests/contract/test_drivers.py)."""

from tests.contract.driver import Driver
from tests.contract.drivers.democlub import DemoClubDriver
from tests.contract.drivers.librebooking import LibreBookingDriver
from tests.contract.drivers.mrbs import MrbsDriver

DRIVERS: dict[str, type[Driver]] = {d.platform: d for d in (DemoClubDriver, MrbsDriver, LibreBookingDriver)}

"""democlub, courtbot's own simulated club (docs/platforms/democlub.md): it publishes its release rule."""

from booking.sites.democlub.adapter import DemoClubAdapter
from booking.sites.platform import Platform

PLATFORM = Platform(
    name="democlub",
    adapter=DemoClubAdapter,
    fallback_release=None,  # /rules states it
    standin="sim.club.runner:start_club",
)

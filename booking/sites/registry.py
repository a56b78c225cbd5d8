"""The booking platforms courtbot knows, by the name CLUB_SITE gives them (each one's package declares its
`Platform`: booking/sites/platform.py). The composition root and the general settings name none."""

from __future__ import annotations

from booking.sites import democlub, librebooking, mrbs
from booking.sites.base import SiteAdapter, SiteConfig
from booking.sites.platform import Platform
from booking.timebase import Clock

PLATFORMS: dict[str, Platform] = {
    p.name: p for p in (democlub.PLATFORM, mrbs.PLATFORM, librebooking.PLATFORM)
}

#: Every platform's name, for settings validation and help texts.
SITE_NAMES: tuple[str, ...] = tuple(PLATFORMS)


def platform(name: str) -> Platform:
    found = PLATFORMS.get(name)
    if found is None:
        raise ValueError(f"unknown club site {name!r}; known sites: {', '.join(SITE_NAMES)}")
    return found


def create_adapter(site: str, config: SiteConfig, clock: Clock | None = None) -> SiteAdapter:
    """A new adapter (one member's session) for the club site called `site`."""
    return platform(site).adapter(config, clock)

"""Site adapters by the name CLUB_SITE gives them."""

from __future__ import annotations

from collections.abc import Callable

from booking.sites.base import SiteAdapter, SiteConfig
from booking.sites.democlub import DemoClubAdapter
from booking.sites.librebooking import LibreBookingAdapter
from booking.sites.mrbs import MrbsAdapter
from booking.timebase import Clock

_FACTORIES: dict[str, Callable[[SiteConfig, Clock | None], SiteAdapter]] = {
    "democlub": DemoClubAdapter,
    "mrbs": MrbsAdapter,
    "librebooking": LibreBookingAdapter,
}

#: Every name `create_adapter` knows, for settings validation and help texts.
SITE_NAMES: tuple[str, ...] = tuple(_FACTORIES)


def create_adapter(site: str, config: SiteConfig, clock: Clock | None = None) -> SiteAdapter:
    """A new adapter (one member's session) for the club site called `site`."""
    factory = _FACTORIES.get(site)
    if factory is None:
        raise ValueError(f"unknown club site {site!r}; known sites: {', '.join(SITE_NAMES)}")
    return factory(config, clock)

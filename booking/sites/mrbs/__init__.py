"""MRBS 1.12 as clubs run it (docs/platforms/mrbs.md)."""

from booking.release import ReleaseRule, WindowKind
from booking.sites.mrbs.adapter import MrbsAdapter
from booking.sites.platform import Platform, PlatformSetting

PLATFORM = Platform(
    name="mrbs",
    adapter=MrbsAdapter,
    # MRBS shows no rule; clubs' max_create_ahead is typically a week, measured to the booking's end.
    fallback_release=ReleaseRule(WindowKind.ROLLING_END, 7),
    standin="sim.mrbs.runner:start_mrbs",
    settings=(
        PlatformSetting("MRBS_AREA", "area", "the area holding the courts, by id or name"),
        PlatformSetting("MRBS_DESCRIPTION", "description", "the description bookings are made under"),
        PlatformSetting("MRBS_LANGUAGE", "language", "the language MRBS is asked for (Accept-Language)"),
    ),
)

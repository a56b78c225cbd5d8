"""LibreBooking 2.8.6 as clubs run it, through its API or its web pages (docs/platforms/librebooking.md)."""

from booking.release import ReleaseRule, WindowKind
from booking.sites.librebooking.adapter import LibreBookingAdapter
from booking.sites.platform import Platform, PlatformSetting


def _api(value: str) -> str:
    choice = value.strip().lower()
    if choice not in ("auto", "on", "off"):
        raise ValueError(f"must be auto, on or off, not {value!r}")
    return choice


PLATFORM = Platform(
    name="librebooking",
    adapter=LibreBookingAdapter,
    # The API publishes each court's maximum notice; the web pages show none (LibreBooking's own default
    # notice is none at all, clubs set a week).
    fallback_release=ReleaseRule(WindowKind.ROLLING_END_ELAPSED, 7),
    standin="sim.librebooking.runner:start_librebooking",
    settings=(
        PlatformSetting("LIBREBOOKING_API", "api", "auto, on or off: the REST API, or the web pages", _api),
        PlatformSetting("LIBREBOOKING_SCHEDULE", "schedule", "the schedule of the courts, by id or name"),
        PlatformSetting("LIBREBOOKING_LANGUAGE", "language", "LibreBooking's language cookie, e.g. de_de"),
    ),
)

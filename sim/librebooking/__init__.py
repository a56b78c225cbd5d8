"""A stand-in for LibreBooking 2.8.6 as tennis clubs run it: a real aiohttp site, REST API and web pages."""

from sim.librebooking.config import LibreBookingConfig, Resource
from sim.librebooking.runner import RunningLibreBooking, run_librebooking, start_librebooking
from sim.librebooking.state import Arrival, LibreBookingState, Reservation

__all__ = [
    "Arrival",
    "LibreBookingConfig",
    "LibreBookingState",
    "Reservation",
    "Resource",
    "RunningLibreBooking",
    "run_librebooking",
    "start_librebooking",
]

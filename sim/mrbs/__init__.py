"""A stand-in for MRBS 1.12 (Meeting Room Booking System) as tennis clubs run it: a real aiohttp site."""

from sim.mrbs.config import Area, MrbsConfig
from sim.mrbs.runner import RunningMrbs, run_mrbs, start_mrbs
from sim.mrbs.state import Arrival, Entry, MrbsState

__all__ = ["Area", "Arrival", "Entry", "MrbsConfig", "MrbsState", "RunningMrbs", "run_mrbs", "start_mrbs"]

"""The simulated club ("democlub"): a real aiohttp site with configurable rules and faults."""

from sim.club.config import ClubConfig, Rival
from sim.club.runner import RunningClub, run_club, start_club
from sim.club.state import ClubState

__all__ = ["ClubConfig", "ClubState", "Rival", "RunningClub", "run_club", "start_club"]

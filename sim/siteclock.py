"""The server clock and the fault dice that every simulated site keeps the same way."""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import Protocol
from zoneinfo import ZoneInfo


class _Settings(Protocol):
    clock_offset_s: float
    seed: int

    @property
    def zone(self) -> ZoneInfo: ...


class SiteClock:
    """Base of a simulated site's state: its clock (settably off real time) and reproducible dice."""

    def __init__(self, config: _Settings) -> None:
        self.config = config
        self.reseed()

    def now(self) -> float:
        """The server clock: what every decision and the Date header use."""
        return time.time() + self.config.clock_offset_s

    @property
    def rng(self) -> random.Random:
        """The fault dice, reseeded whenever `config.seed` changes so runs are reproducible."""
        if self._rng_seed != self.config.seed:
            self.reseed()
        return self._rng

    def reseed(self) -> None:
        self._rng = random.Random(self.config.seed)
        self._rng_seed = self.config.seed

    def today(self, now: float) -> dt.date:
        return dt.datetime.fromtimestamp(now, self.config.zone).date()

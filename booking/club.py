"""What the engine knows of the club: its rules and its courts, as read from the site."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from booking.sites.base import ClubRules, Court


@dataclass(frozen=True)
class Club:
    rules: ClubRules
    courts: list[Court]

    @property
    def court_numbers(self) -> list[int]:
        return [c.number for c in self.courts]


ClubSource = Callable[[], Awaitable[Club]]

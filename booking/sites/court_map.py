"""COURT_MAP entries that name a site's court by its id or by its name (MRBS rooms, LibreBooking resources)."""

from __future__ import annotations

from collections.abc import Iterable

from booking.sites.base import Court
from booking.sites.errors import InvalidRequest


def mapped_court(number: int, wanted: str, listed: Iterable[tuple[str, str]]) -> Court:
    """Our court `number` as COURT_MAP names it, among the site's (id, name) courts: by id, or by name
    whatever its case; a name the site does not have is named, with the courts it does have."""
    text = wanted.strip()
    courts = list(listed)
    for site_id, name in courts:
        if text == site_id or text.casefold() == name.casefold():
            return Court(number, site_id, name)
    names = ", ".join(f"{name} ({site_id})" for site_id, name in courts)
    raise InvalidRequest(f"COURT_MAP {number}={wanted} names no court of the club's (it has {names}).")

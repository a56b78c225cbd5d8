"""The calendar event sent with a booking: an RFC 5545 file written by the icalendar library.

Times are the club's wall-clock times with its time zone attached (and a VTIMEZONE for it), so the
booking shows at the right hour on any phone, whatever zone the phone is in.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from bot import texts

PRODID = "-//courtbot//booking//EN"
MIME_TYPE = "text/calendar"


def booking_event(
    day: date,
    start: time,
    duration_min: int,
    tz: ZoneInfo,
    court_name: str,
    reference: str,
    partner: str | None = None,
) -> bytes:
    event = Event()
    event.add("uid", f"{reference}@courtbot")
    event.add("dtstamp", datetime.now(UTC))
    # A local start the clocks read twice means its first occurrence (RFC 5545), as it does to courtbot;
    # a duration, unlike a local end, stays right across a change of the clocks.
    event.add("dtstart", datetime.combine(day, start, tzinfo=tz))
    event.add("duration", timedelta(minutes=duration_min))
    event.add("summary", texts.calendar_summary(court_name))
    event.add("location", court_name)
    event.add("description", texts.calendar_description(reference, partner))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add_component(event)
    # The zone's rules around the booking only: a year either side keeps the file small.
    calendar.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    return calendar.to_ical()


def filename(reference: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference)
    return f"court-booking-{safe}.ics"

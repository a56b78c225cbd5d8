"""A request's end and its notice are one write: both or neither, and the notice waits until delivered."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from pathlib import Path

from booking.events import EventBus, EventKind, ProgressEvent
from booking.models import BookingRequest, Member, RequestStatus
from booking.outcomes import Outcomes
from booking.reasons import Code, CourtTime, Reason
from booking.sites.base import Booking, Slot
from booking.timebase import SystemClock
from storage import Storage
from storage.notices import decode, encode


async def test_the_final_status_and_its_notice_are_stored_together(tmp_path: Path, key: str) -> None:
    storage = await Storage.open(tmp_path, (key,))
    try:
        await storage.members.upsert(Member(1, "Alice"))
        request = await storage.requests.create(
            BookingRequest(1, date(2027, 1, 5), (time(18),), 60, (2,), status=RequestStatus.RUNNING)
        )
        bus, heard = EventBus(), []
        bus.listen(heard.append)
        outcomes = Outcomes(storage, bus, SystemClock())
        booking = Booking("R-1", Slot(2, request.day, time(18), 60))
        booked = Reason(Code.BOOKED, {"slot": CourtTime(2, time(18)), "day": request.day})
        assert await outcomes.end(request, RequestStatus.BOOKED, booked, booking=booking)
        [stored] = await storage.notices.pending()
        assert stored.event == heard[0] and stored.sent_message_id is None
        assert (stored.event.kind, stored.event.reference, stored.event.start) == (
            EventKind.BOOKED,
            "R-1",
            time(18),
        )
        again = await outcomes.end(
            request,
            RequestStatus.FAILED,
            Reason(Code.WATCH_ENDED),
            only_if=(RequestStatus.RUNNING,),
            reason=Code.WATCH_ENDED,
        )
        assert not again and len(await storage.notices.pending()) == 1 and len(heard) == 1
        ended = await storage.requests.get(request.id or 0)
        assert ended is not None and (ended.status, ended.reference) == (RequestStatus.BOOKED, "R-1")
        await storage.notices.sent(stored.id, 42)
        assert (await storage.notices.pending())[0].sent_message_id == 42
        await storage.notices.delivered(stored.id)
        assert await storage.notices.pending() == []
    finally:
        await storage.close()


def test_a_stored_event_reads_back_as_it_was() -> None:
    said = Reason(
        Code.ALL_TAKEN,
        {"taken": (CourtTime(2, time(18)), CourtTime(1, time(19))), "to_mates": (), "day": date(2027, 1, 8)},
    )
    event = ProgressEvent(
        7, 1, EventKind.FAILED, 12.5, said, court=2, start=time(18), reference="R",
        release_at=datetime(2027, 1, 1, 7, tzinfo=UTC), after_release_ms=3.2, outcome="all-taken",
    )  # fmt: skip
    assert decode(encode(event)) == event
    instant = Reason(Code.WATCH_DEADLINE, {"starts": datetime(2027, 1, 8, 18, tzinfo=UTC), "n": 2.5})
    assert decode(encode(replace(event, reason=instant))).reason == instant


def test_an_event_stored_by_an_older_courtbot_keeps_its_words() -> None:
    """Notices stored before reasons had codes still say what they said."""
    older = (
        '{"request_id": 7, "member_id": 1, "kind": "failed", "at": 1.0, "text": "Every choice was taken."}'
    )
    assert decode(older).reason == Reason(Code.SAID, {"text": "Every choice was taken."})

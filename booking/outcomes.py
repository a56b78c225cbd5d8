"""How a request ends: its final status and the member's final notice, stored in one transaction (the
bot's outbox delivers the notice whatever restarts or Telegram faults come between), then published."""

from __future__ import annotations

from booking.events import EventBus, EventKind, ProgressEvent
from booking.models import BookingRequest, RequestStatus
from booking.reasons import Reason
from booking.sites.base import Booking
from booking.timebase import Clock
from storage import Storage

_KINDS = {
    RequestStatus.BOOKED: EventKind.BOOKED,
    RequestStatus.FAILED: EventKind.FAILED,
    RequestStatus.CANCELLED: EventKind.CANCELLED,
}


class Outcomes:
    def __init__(self, storage: Storage, bus: EventBus, clock: Clock) -> None:
        self._storage = storage
        self._bus = bus
        self._clock = clock

    async def end(
        self,
        request: BookingRequest,
        status: RequestStatus,
        said: Reason,
        *,
        only_if: tuple[RequestStatus, ...] = (),
        reason: str | None = None,
        booking: Booking | None = None,
        after_release_ms: float | None = None,
        outcome: str | None = None,
    ) -> bool:
        """End `request` as `status` (with `only_if`, only from one of those), telling the member `said`;
        `reason` is kept with the request (why it ended). False if it did not move."""
        assert request.id is not None
        slot = booking.slot if booking is not None else None
        event = ProgressEvent(
            request_id=request.id,
            member_id=request.member_id,
            kind=_KINDS[status],
            at=self._clock.now(),
            reason=said,
            court=slot.court if slot else None,
            start=slot.start if slot else None,
            reference=booking.reference if booking else None,
            after_release_ms=after_release_ms,
            outcome=outcome,
        )
        moved = await self._storage.requests.update(
            request.id,
            status,
            only_if=only_if,
            booked_court=slot.court if slot else None,
            booked_time=slot.start if slot else None,
            reference=booking.reference if booking else None,
            reason=reason,
            notice=event,
        )
        if moved:
            self._bus.publish(event)
        return moved

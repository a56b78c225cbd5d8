"""Live progress: one message per request, edited in place from the engine's events.

Telegram allows about one edit per second per chat and answers bursts with 429, so each chat has an
outbox that keeps only the latest state of each message, sends at most one edit per `min_interval_s`,
skips a state the message already shows, and after a RetryAfter waits as told and then sends only what
is latest. A request's end also arrives as a new message (so the phone notifies), with the calendar file
when it booked, or, when every choice was taken, with the free courts nearest them to book instead and a
button to watch for a cancellation; so does a warning from the night-before check. A "couldn't book"
notice that events overtook (a watch booked it after all) is edited to say so. Every message speaks its
member's language. Nothing here waits on the engine: events are read from the bus's own queue.

A request's end is durable: the engine stores its notice with the final status (storage.notices), and
this module delivers what is stored - at start, after every final event, and every minute - bringing
the progress message to its final state first, then sending the notice, then marking it delivered. A
restart, kill -9 or a run of Telegram errors can at worst send a notice twice (if it dies between the
send and the record of it), never lose one.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Generic, TypeVar
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, RetryAfter, TelegramError
from telegram.ext import ExtBot

from booking.events import EventKind, ProgressEvent
from booking.models import BookingRequest, RequestStatus
from booking.run import ALL_TAKEN, DOUBLE_BOOKED, STILL_UNCLEAR
from booking.service import BookingService, NotFound, NotLoggedIn
from booking.sites.base import Slot
from booking.sites.errors import SiteError
from bot import i18n, ics, keyboards, texts
from bot.delivery import NO_RETRY_AFTER, retry_after_seconds
from bot.limits import MAX_CAPTION, length
from storage.notices import NoticeRepo, StoredNotice
from storage.progress import ProgressMessageRepo

log = logging.getLogger(__name__)

#: Telegram's comfortable pace for edits in one chat
MIN_EDIT_INTERVAL_S = 1.5
#: after a failure other than 429 (the delivery policy has already retried it), wait this long
FAILURE_PAUSE_S = 3.0
NOTICE_ATTEMPTS = 3
MAX_LINES = 14
#: messages per chat whose last shown state we remember (to skip unchanged edits)
SHOWN_MEMORY = 64
#: views of requests nobody has claimed a message for yet (submitted a moment ago, or not from us)
UNCLAIMED_VIEWS = 1000
#: views kept after an all-taken failure, so a watch started later goes on with the same lines
WATCHABLE_VIEWS = 1000
#: how often stored notices that could not be delivered yet are tried again
SWEEP_S = 60.0

LanguageOf = Callable[[int], Awaitable[str]]


async def _english(_: int) -> str:
    return i18n.DEFAULT


S = TypeVar("S", bound=Hashable)


@dataclass(frozen=True)
class Notice:
    """A new message: text, and optionally a file sent with it as a document (text as its caption, or
    just before it when too long for one), or buttons under it."""

    text: str
    document: bytes | None = None
    filename: str | None = None
    keyboard: InlineKeyboardMarkup | None = None


@dataclass
class Delivery(Generic[S]):
    """A stored notice's delivery: the progress message's final state first (so a restart cannot leave
    it showing an earlier one), then the notice unless it was sent already, each step reported back."""

    final_edit: tuple[int, S] | None
    sent: Callable[[int], Awaitable[None]]  # the notice's message id, once it is out
    delivered: Callable[[], Awaitable[None]]
    #: Telegram will never take it (why), or it failed for now (None: the next sweep tries again)
    dropped: Callable[[str | None], Awaitable[None]]
    already_sent: bool = False


@dataclass
class _PendingNotice(Generic[S]):
    notice: Notice | None  # None: only the final edit is due (a cancellation, or sent before a restart)
    delivery: Delivery[S] | None = None
    failures: int = 0


class ChatOutbox(Generic[S]):
    """One chat's outgoing progress: the latest state per message, paced; notices, each sent once."""

    def __init__(
        self,
        chat_id: int,
        send_edit: Callable[[int, int, S], Awaitable[object]],
        send_notice: Callable[[int, Notice], Awaitable[int]],
        *,
        min_interval_s: float = MIN_EDIT_INTERVAL_S,
    ) -> None:
        self.chat_id = chat_id
        self._send_edit = send_edit
        self._send_notice = send_notice
        self._min_interval_s = min_interval_s
        self._pending: dict[int, S] = {}  # message id -> latest state, oldest first
        self._shown: dict[int, S] = {}
        self._notices: deque[_PendingNotice[S]] = deque()
        self._edit_after = 0.0  # pacing: no edit before this (loop time)
        self._paused_until = 0.0  # Telegram's RetryAfter: nothing before this
        self._closing = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    # -- what callers do ------------------------------------------------------------------------------

    def edit(self, message_id: int, state: S) -> None:
        """Show `state` on the message soon; a newer state replaces one not sent yet."""
        self._pending[message_id] = state
        self._kick()

    def sent(self, message_id: int, state: S) -> None:
        """Someone else just showed `state` on the message: count it for pacing and skipping."""
        self._remember(message_id, state)
        self._edit_after = max(self._edit_after, self._now() + self._min_interval_s)

    def notify(self, notice: Notice | None, delivery: Delivery[S] | None = None) -> None:
        self._notices.append(_PendingNotice(notice, delivery))
        self._kick()

    @property
    def busy(self) -> bool:
        return bool(self._pending or self._notices)

    def close(self) -> None:
        """Send what is pending without pacing (still honouring Telegram's RetryAfter)."""
        self._closing = True
        self._wake.set()

    async def drained(self) -> None:
        while self._task is not None and not self._task.done():
            await asyncio.shield(self._task)

    def abandon(self) -> None:
        if self._task is not None:
            self._task.cancel()

    # -- the sending loop -----------------------------------------------------------------------------

    def _kick(self) -> None:
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._drain(), name=f"progress-chat-{self.chat_id}")

    def _now(self) -> float:
        return asyncio.get_running_loop().time()

    async def _drain(self) -> None:
        while self.busy:
            delay = self._delay()
            if delay > 0:
                await self._sleep(delay)
            elif self._notices:
                await self._notice()
            else:
                await self._edit()

    def _delay(self) -> float:
        now = self._now()
        if self._paused_until > now:
            return self._paused_until - now
        if self._notices or self._closing:
            return 0.0
        return max(self._edit_after - now, 0.0)

    async def _sleep(self, delay: float) -> None:
        """Sleep, but wake for a notice or close() (a new edit state needs no earlier wake-up)."""
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), delay)

    async def _edit(self) -> None:
        message_id, state = next(iter(self._pending.items()))
        del self._pending[message_id]
        if self._shown.get(message_id) == state:
            return  # "message is not modified" is never worth a call
        try:
            await self._send_edit(self.chat_id, message_id, state)
        except RetryAfter as error:
            self._paused_until = self._now() + retry_after_seconds(error)
            self._pending.setdefault(message_id, state)  # a state that came meanwhile is newer: it wins
            return
        except BadRequest as error:
            if "not modified" in error.message.lower():
                self._remember(message_id, state)
            else:
                log.warning(
                    "progress message %s in chat %s not editable: %s", message_id, self.chat_id, error
                )
        except Forbidden:
            await self._give_up("the member blocked the bot")
        except TelegramError as error:
            log.warning(
                "progress edit in chat %s failed (%s); will retry", self.chat_id, type(error).__name__
            )
            self._pending.setdefault(message_id, state)
            self._paused_until = self._now() + FAILURE_PAUSE_S
        else:
            self._remember(message_id, state)
        self._edit_after = self._now() + self._min_interval_s

    async def _notice(self) -> None:
        pending = self._notices[0]
        delivery = pending.delivery
        try:
            if delivery is not None and delivery.final_edit is not None:
                await self._final_edit(*delivery.final_edit)
                delivery.final_edit = None
            if pending.notice is not None and not (delivery and delivery.already_sent):
                message_id = await self._send_notice(self.chat_id, pending.notice)
                if delivery is not None:
                    delivery.already_sent = True
                    await delivery.sent(message_id)
        except RetryAfter as error:
            self._paused_until = self._now() + retry_after_seconds(error)
            return
        except Forbidden:
            await self._give_up("the member blocked the bot")
            return
        except TelegramError as error:
            pending.failures += 1
            if pending.failures < NOTICE_ATTEMPTS and not isinstance(error, BadRequest):
                log.warning("notice to chat %s failed (%s); will retry", self.chat_id, type(error).__name__)
                self._paused_until = self._now() + FAILURE_PAUSE_S
                return
            log.error("notice to chat %s not delivered: %s", self.chat_id, type(error).__name__)
            self._notices.popleft()
            if delivery is not None:  # a bad request never succeeds; anything else may later
                await delivery.dropped(error.message if isinstance(error, BadRequest) else None)
            return
        self._notices.popleft()
        if delivery is not None:
            await delivery.delivered()

    async def _final_edit(self, message_id: int, state: S) -> None:
        """The progress message's last state, sent now (a notice follows it at once)."""
        self._pending.pop(message_id, None)
        if self._shown.get(message_id) == state:
            return
        try:
            await self._send_edit(self.chat_id, message_id, state)
        except BadRequest as error:  # not modified, or the message is gone: nothing more to show there
            log.info(
                "progress message %s in chat %s: final state not shown (%s)", message_id, self.chat_id, error
            )
        self._remember(message_id, state)

    def _remember(self, message_id: int, state: S) -> None:
        self._shown.pop(message_id, None)
        self._shown[message_id] = state
        while len(self._shown) > SHOWN_MEMORY:
            del self._shown[next(iter(self._shown))]

    async def _give_up(self, why: str) -> None:
        log.info("chat %s: dropping progress because %s", self.chat_id, why)
        self._pending.clear()
        dropped = [p.delivery for p in self._notices if p.delivery is not None]
        self._notices.clear()
        for delivery in dropped:
            await delivery.dropped(why)


@dataclass(frozen=True)
class Rendering:
    """What a progress message shows: its text, and a cancel button while the request only waits (for
    its release, or for a cancellation)."""

    text: str
    cancel_request_id: int | None = None
    watching: bool = False


@dataclass
class ProgressView:
    request: BookingRequest
    lines: list[str] = field(default_factory=list)
    cancellable: bool = False
    final: bool = False
    #: watching for a cancellation: stays cancellable until the end, through any grab lost on the way
    watching: bool = False
    intro: str | None = None

    @classmethod
    def of(cls, request: BookingRequest) -> ProgressView:
        """A view of a request first met through an event (after a restart, or submitted elsewhere)."""
        watching = request.status is RequestStatus.WATCHING
        return cls(
            request, cancellable=watching or request.status is RequestStatus.SCHEDULED, watching=watching
        )

    def add(self, line: str, *, cancellable: bool = False, final: bool = False) -> None:
        if not self.lines or self.lines[-1] != line:
            self.lines.append(line)
        self.cancellable = cancellable
        self.final = final

    def apply(self, event: ProgressEvent, line: str) -> None:
        """Add the event's line; a warning leaves the request as it was (still waiting, as a rule)."""
        kind = event.kind
        if kind is EventKind.WARNING:
            self.add(line, cancellable=self.cancellable, final=self.final)
            return
        self.watching = kind is EventKind.WATCHING or (self.watching and not kind.is_final)
        self.add(line, cancellable=kind is EventKind.SCHEDULED or self.watching, final=kind.is_final)

    def rendering(self) -> Rendering:
        lines = self.lines
        if len(lines) > MAX_LINES:
            lines = [lines[0], "…", *lines[-(MAX_LINES - 2) :]]
        text = texts.progress(texts.progress_header(self.request), lines, self.intro)
        return Rendering(text, self.request.id if self.cancellable else None, self.watching)


@dataclass(frozen=True)
class _Target:
    chat_id: int
    message_id: int


class ProgressNotifier:
    """Turns the booking bus's events into progress edits and final notices, per chat."""

    def __init__(
        self,
        bot: ExtBot[None],
        booking: BookingService,
        messages: ProgressMessageRepo,
        notices: NoticeRepo,
        *,
        admin_ids: frozenset[int] = frozenset(),
        language_of: LanguageOf = _english,
        min_interval_s: float = MIN_EDIT_INTERVAL_S,
        sweep_s: float = SWEEP_S,
    ) -> None:
        """`language_of`: the language a member (or admin) is spoken to in."""
        self._bot = bot
        self._language_of = language_of
        self._booking = booking
        self._messages = messages
        self._notices = notices
        self._admin_ids = admin_ids
        self._sweep_s = sweep_s
        self._queued: set[int] = set()  # stored notices in a chat's outbox now
        self._min_interval_s = min_interval_s
        self._views: dict[int, ProgressView] = {}
        self._targets: dict[int, _Target] = {}
        self._watchable: dict[int, None] = {}  # request ids, oldest first (an ordered set)
        self._outboxes: dict[int, ChatOutbox[Rendering]] = {}
        self._consumer: asyncio.Task[None] | None = None
        self._sweeper: asyncio.Task[None] | None = None

    # -- life cycle -----------------------------------------------------------------------------------

    async def start(self) -> None:
        self._consumer = asyncio.create_task(self._consume(), name="progress-events")
        self._sweeper = asyncio.create_task(self._sweep_every(), name="progress-notices")
        await asyncio.sleep(0)  # let the consumer subscribe before anything is published

    async def stop(self, flush_timeout_s: float = 5.0) -> None:
        """Stop reading events, then send what is pending (without pacing) for up to `flush_timeout_s`;
        stored notices left undelivered go out after the next start."""
        for task in (self._consumer, self._sweeper):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._consumer = self._sweeper = None
        outboxes = list(self._outboxes.values())
        for outbox in outboxes:
            outbox.close()
        try:
            async with asyncio.timeout(flush_timeout_s):
                await asyncio.gather(*(outbox.drained() for outbox in outboxes))
        except TimeoutError:
            log.warning("progress not fully flushed within %.0f s", flush_timeout_s)
            for outbox in outboxes:
                outbox.abandon()

    # -- a request's message --------------------------------------------------------------------------

    async def track(
        self, request: BookingRequest, chat_id: int, message_id: int, *, intro: str | None = None
    ) -> None:
        """Make `message_id` the request's progress message (stored, so edits survive a restart), with
        `intro` above it while this process runs.

        The first state is shown at once, as the answer to the member's press; later ones are paced.
        """
        assert request.id is not None
        view = self._views.get(request.id)
        if view is None:
            view = self._views[request.id] = ProgressView(request)
            tz = await self._timezone()
            opens_later = (
                request.release_at is not None and request.release_at.timestamp() > self._booking.clock.now()
            )
            line = texts.progress_initial(request.status, request.release_at if opens_later else None, tz)
            view.add(line, cancellable=opens_later, final=not request.status.is_open)
        view.intro = intro
        outbox = self._outbox(chat_id)
        first = view.rendering()
        try:
            await self._send_edit(chat_id, message_id, first, patient=True)
        except TelegramError as error:
            log.warning("progress message %s: first edit failed (%s)", message_id, type(error).__name__)
        else:
            outbox.sent(message_id, first)
        # Only now may events reach this message: an edit racing the one above could be overtaken by it.
        self._targets[request.id] = _Target(chat_id, message_id)
        await self._messages.put(request.id, chat_id, message_id)
        outbox.edit(message_id, view.rendering())  # skipped if it is still the first state
        if view.final:
            self._forget(request.id)

    def tell(self, chat_id: int, text: str) -> None:
        """A message of its own (no request's), sent through the chat's outbox: paced, and retried."""
        self._outbox(chat_id).notify(Notice(text))

    # -- events ---------------------------------------------------------------------------------------

    async def _consume(self) -> None:
        async for event in self._booking.bus.subscribe():
            try:
                await self._on_event(event)
            except Exception:
                log.exception("progress of request %s (%s) not shown", event.request_id, event.kind.value)

    async def _on_event(self, event: ProgressEvent) -> None:
        tz = await self._timezone()
        language = await self._language_of(event.member_id)
        view = self._views.get(event.request_id)
        if view is None:
            try:
                request = await self._booking.get(event.member_id, event.request_id)
            except NotFound:
                return
            view = self._views[event.request_id] = ProgressView.of(request)
            self._trim_unclaimed()
        with i18n.speaking(language):  # no await before the line is added: track() may read the view
            view.apply(event, texts.progress_line(event, tz))
        target = await self._target(event.request_id)
        chat_id = target.chat_id if target is not None else event.member_id
        with i18n.speaking(language):
            if target is not None:
                self._outbox(target.chat_id).edit(target.message_id, view.rendering())
            if event.kind is EventKind.WARNING:
                self._outbox(chat_id).notify(
                    Notice(texts.warning_notice(view.request, self._said(event, tz)))
                )
            if event.kind is EventKind.CHECKING and event.outcome != STILL_UNCLEAR:
                self._outbox(chat_id).notify(
                    Notice(texts.unclear_notice(view.request, self._said(event, tz)))
                )
            if event.kind is EventKind.BOOKED:
                await self._overtaken(event, view.request, chat_id, tz)
        if event.outcome in (STILL_UNCLEAR, DOUBLE_BOOKED):
            for admin_id in self._admin_ids:
                with i18n.speaking(await self._language_of(admin_id)):
                    alert = (
                        texts.unclear_admin_alert(view.request, self._said(event, tz))
                        if event.outcome == STILL_UNCLEAR
                        else texts.double_booked_admin_alert(view.request, event)
                    )
                    self._outbox(admin_id).notify(Notice(alert))
        if event.kind.is_final:
            await self._sweep()  # its notice was stored with the final status
            if event.outcome == ALL_TAKEN:
                self._keep_watchable(event.request_id)
            elif target is not None:
                self._forget(event.request_id)

    @staticmethod
    def _said(event: ProgressEvent, tz: ZoneInfo) -> str:
        return texts.reason(event.reason, tz) if event.reason is not None else ""

    async def _overtaken(
        self, event: ProgressEvent, request: BookingRequest, chat_id: int, tz: ZoneInfo
    ) -> None:
        """A booking landed after all (a watch, or a later look): the "couldn't book" notices sent for the
        request earlier are edited to say so, their buttons gone."""
        for failed, message_id in await self._notices.sent_failures(event.request_id):
            earlier = texts.failed_notice(request, self._said(failed, tz))
            self._outbox(chat_id).edit(message_id, Rendering(texts.overtaken_by_booking(earlier)))

    async def _target(self, request_id: int) -> _Target | None:
        target = self._targets.get(request_id)
        if target is None:
            stored = await self._messages.get(request_id)
            if stored is not None:
                target = self._targets[request_id] = _Target(*stored)
        return target

    # -- stored notices -------------------------------------------------------------------------------

    async def _sweep_every(self) -> None:
        while True:
            try:
                await self._sweep()
            except Exception:
                log.exception("stored notices not delivered this time")
            await asyncio.sleep(self._sweep_s)

    async def _sweep(self) -> None:
        """Queue every stored notice not yet delivered (nor queued already)."""
        for stored in await self._notices.pending():
            if stored.id not in self._queued:
                await self._queue(stored)

    async def _queue(self, stored: StoredNotice) -> None:
        event = stored.event
        try:
            request = await self._booking.get(event.member_id, event.request_id)
        except NotFound:
            await self._notices.gave_up(stored.id, "the request is gone")
            return
        target = await self._target(event.request_id)
        final_edit: tuple[int, Rendering] | None = None
        with i18n.speaking(await self._language_of(event.member_id)):
            if target is not None:
                view = self._views.get(event.request_id)
                if view is None or not view.final:  # after a restart: the message still shows a past state
                    view = ProgressView.of(request)
                    view.apply(event, texts.progress_line(event, await self._timezone()))
                final_edit = (target.message_id, view.rendering())
            notice = None if event.kind is EventKind.CANCELLED else await self._final_notice(request, event)
        self._queued.add(stored.id)

        async def sent(message_id: int) -> None:
            await self._notices.sent(stored.id, message_id)

        async def delivered() -> None:
            self._queued.discard(stored.id)
            await self._notices.delivered(stored.id)

        async def dropped(why: str | None) -> None:
            self._queued.discard(stored.id)
            if why is not None:
                log.warning("notice of request %s never deliverable: %s", event.request_id, why)
                await self._notices.gave_up(stored.id, why)

        chat_id = target.chat_id if target is not None else event.member_id
        delivery = Delivery(
            final_edit, sent, delivered, dropped, already_sent=stored.sent_message_id is not None
        )
        self._outbox(chat_id).notify(notice, delivery)

    async def _final_notice(self, request: BookingRequest, event: ProgressEvent) -> Notice:
        club = await self._booking.club()
        tz = club.rules.timezone
        if event.kind is EventKind.FAILED:
            why = self._said(event, tz)
            if event.outcome == STILL_UNCLEAR:
                return Notice(texts.unclear_notice(request, why, final=True))
            if event.outcome == ALL_TAKEN:
                assert request.id is not None
                names = {c.number: c.name for c in club.courts}
                offered = [
                    (slot, names.get(slot.court, str(slot.court)))
                    for slot in await self._free_instead(request)
                ]
                text = texts.failed_notice(request, why, watchable=True, offered=bool(offered))
                return Notice(text, keyboard=keyboards.watch(request.id, offered))
            return Notice(texts.failed_notice(request, why))
        court_name = next((c.name for c in club.courts if c.number == event.court), str(event.court))
        text = texts.booked_notice(request, event, court_name, tz)
        if event.reference is None or event.start is None:
            return Notice(text)
        document = ics.booking_event(
            request.day, event.start, request.duration_min, tz, court_name, event.reference, request.partner
        )
        return Notice(text, document, ics.filename(event.reference))

    async def _free_instead(self, request: BookingRequest) -> list[Slot]:
        """The free courts nearest a request whose choices were all taken (none if the club's grid
        cannot be read now: the notice goes out without them)."""
        try:
            return await self._booking.alternatives(request)
        except (NotLoggedIn, SiteError) as error:
            log.info("request %s: no alternatives offered (%s)", request.id, type(error).__name__)
            return []

    # -- plumbing -------------------------------------------------------------------------------------

    async def _timezone(self) -> ZoneInfo:
        return (await self._booking.club()).rules.timezone

    def _forget(self, request_id: int) -> None:
        self._views.pop(request_id, None)
        self._targets.pop(request_id, None)
        self._watchable.pop(request_id, None)

    def _keep_watchable(self, request_id: int) -> None:
        """Keep an all-taken request's view for a while: the member may yet start watching it."""
        self._watchable.pop(request_id, None)
        self._watchable[request_id] = None
        while len(self._watchable) > WATCHABLE_VIEWS:
            self._forget(next(iter(self._watchable)))

    def _trim_unclaimed(self) -> None:
        unclaimed = [request_id for request_id in self._views if request_id not in self._targets]
        for request_id in unclaimed[: max(len(unclaimed) - UNCLAIMED_VIEWS, 0)]:
            del self._views[request_id]

    def _outbox(self, chat_id: int) -> ChatOutbox[Rendering]:
        outbox = self._outboxes.get(chat_id)
        if outbox is None:
            outbox = self._outboxes[chat_id] = ChatOutbox(
                chat_id, self._send_edit, self._send_notice, min_interval_s=self._min_interval_s
            )
        return outbox

    async def _send_edit(
        self, chat_id: int, message_id: int, rendering: Rendering, *, patient: bool = False
    ) -> None:
        """`patient`: let the delivery policy wait out a 429 (the outbox handles its own instead)."""
        markup = (
            keyboards.stop_request(rendering.cancel_request_id, watching=rendering.watching)
            if rendering.cancel_request_id
            else None
        )
        await self._bot.edit_message_text(
            rendering.text,
            chat_id=chat_id,
            message_id=message_id,
            reply_markup=markup,
            rate_limit_args=None if patient else NO_RETRY_AFTER,
        )

    async def _send_notice(self, chat_id: int, notice: Notice) -> int:
        """The notice's message id; a text too long to be the file's caption goes first, on its own."""
        captioned = notice.document is not None and length(notice.text) <= MAX_CAPTION
        message = None
        if not captioned:
            message = await self._bot.send_message(
                chat_id, notice.text, reply_markup=notice.keyboard, rate_limit_args=NO_RETRY_AFTER
            )
        if notice.document is not None:
            document = await self._bot.send_document(
                chat_id,
                notice.document,
                filename=notice.filename,
                caption=notice.text if captioned else None,
                rate_limit_args=NO_RETRY_AFTER,
            )
            message = message or document
        assert message is not None
        return message.message_id

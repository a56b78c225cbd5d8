"""Prometheus metrics, fed by the engine's progress events; one registry per running courtbot."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from booking.events import EventKind, ProgressEvent


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "courtbot_requests",
            "Booking requests by the status they reached",
            ["status"],
            registry=self.registry,
        )
        self.attempts = Counter(
            "courtbot_attempts", "Booking attempts by outcome", ["outcome"], registry=self.registry
        )
        self.fire_latency = Histogram(
            "courtbot_fire_latency_seconds",
            "How long after the release instant (club clock) a winning request arrived",
            buckets=(0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0),
            registry=self.registry,
        )
        self.scheduled = Gauge(
            "courtbot_scheduled_requests", "Requests waiting for their release", registry=self.registry
        )
        self.telegram_errors = Counter(
            "courtbot_telegram_errors",
            "Errors talking to the Telegram Bot API",
            ["kind"],
            registry=self.registry,
        )

    def observe(self, event: ProgressEvent) -> None:
        """A bus listener: counts what the engine reports."""
        if event.kind in (EventKind.SCHEDULED, EventKind.BOOKED, EventKind.FAILED, EventKind.CANCELLED):
            self.requests.labels(event.kind.value).inc()
        if event.kind is EventKind.ATTEMPT and event.outcome:
            self.attempts.labels(event.outcome).inc()
        if event.kind is EventKind.BOOKED:
            self.attempts.labels("booked").inc()
            if event.after_release_ms is not None:
                self.fire_latency.observe(max(event.after_release_ms, 0.0) / 1000)

    def exposition(self, scheduled_now: int) -> bytes:
        self.scheduled.set(scheduled_now)
        return generate_latest(self.registry)

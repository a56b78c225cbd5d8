"""Logging: one line per event, plain or JSON, with known secrets masked whatever logs them."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from booking.events import ProgressEvent

log = logging.getLogger("courtbot.events")


class SecretMask(logging.Filter):
    """Masks the bot token and keys in every record: libraries log URLs that carry the token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = message
        for secret in self._secrets:
            masked = masked.replace(secret, "***")
        if masked != message:
            record.msg, record.args = masked, None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in ("request_id", "member_id", "event"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, as_json: bool, secrets: list[str]) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if as_json else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(SecretMask(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every Bot API URL at INFO, and those URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def log_event(event: ProgressEvent) -> None:
    """A bus listener: one line per engine event, with the request and member ids."""
    extra = {"request_id": event.request_id, "member_id": event.member_id, "event": event.kind.value}
    log.info(
        "request=%s member=%s %s %s",
        event.request_id,
        event.member_id,
        event.kind.value,
        event.text,
        extra=extra,
    )

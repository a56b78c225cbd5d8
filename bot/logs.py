"""Logging: one line per event, plain or JSON, and everything written to stderr with the known secrets
(booking.masking) masked, whatever logs or raises them."""

from __future__ import annotations

import json
import logging
import sys
import threading
import traceback
from datetime import UTC, datetime
from types import TracebackType

from booking.events import ProgressEvent
from booking.masking import mask

log = logging.getLogger("courtbot.events")


class MaskedFormatter(logging.Formatter):
    """Plain lines, masked whole: the message, and any exception and traceback under it."""

    def format(self, record: logging.LogRecord) -> str:
        return mask(super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line; the message and the exception are masked before encoding, where a
    secret still reads as itself."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask(record.getMessage()),
        }
        for key in ("request_id", "member_id", "event"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        exception = self.formatException(record.exc_info) if record.exc_info else record.exc_text
        if exception:
            entry["exception"] = mask(exception)
        if record.stack_info:
            entry["stack"] = mask(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def configure(level: str, as_json: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if as_json else MaskedFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.captureWarnings(True)  # warnings reach stderr through the masked handler too
    # httpx logs every Bot API URL at INFO, and those URLs carry the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def mask_uncaught() -> None:
    """Print uncaught exceptions (of the main thread and any other) masked, as Python would otherwise
    print them: a token in an exception's text must not reach stderr that way either."""

    def excepthook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        sys.stderr.write(mask("".join(traceback.format_exception(kind, error, trace))))

    def thread_excepthook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is not SystemExit:  # as threading's own hook: a thread may exit quietly
            sys.stderr.write(f"Exception in thread {args.thread.name if args.thread else '?'}:\n")
            excepthook(args.exc_type, args.exc_value or args.exc_type(), args.exc_traceback)

    sys.excepthook = excepthook
    threading.excepthook = thread_excepthook


def log_event(event: ProgressEvent) -> None:
    """A bus listener: one line per engine event, with the request and member ids."""
    extra = {"request_id": event.request_id, "member_id": event.member_id, "event": event.kind.value}
    log.info(
        "request=%s member=%s %s %s",
        event.request_id,
        event.member_id,
        event.kind.value,
        event.reason or "",
        extra=extra,
    )

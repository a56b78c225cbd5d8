"""Keep secrets out of the logs of the libraries we talk to Telegram through.

At DEBUG, python-telegram-bot logs every update it fetches and processes, and a password typed to /login
is in one of them; httpx logs each request's URL, which carries the bot token. These filters sit on the
loggers that emit those records (a logger's filter runs before any handler sees the record) and rewrite
them: update contents become their ids, the token becomes "<token>".
"""

from __future__ import annotations

import logging

#: loggers whose records may carry updates or the token
LOGGER_NAMES = ("telegram.Bot", "telegram.ext.ExtBot", "telegram.ext.Application", "httpx")
_CONTENT_PREFIXES = ("Call to Bot API endpoint", "Processing update", "Dropping pending update")


class SecretRedactor(logging.Filter):
    def __init__(self, token: str) -> None:
        super().__init__()
        self._token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and record.msg.startswith(_CONTENT_PREFIXES):
            record.msg, record.args = _without_contents(record)
        elif self._token:
            message = record.getMessage()
            if self._token in message:
                record.msg, record.args = message.replace(self._token, "<token>"), None
        return True


def _without_contents(record: logging.LogRecord) -> tuple[str, tuple[object, ...]]:
    args = record.args if isinstance(record.args, tuple) else ()
    if record.msg.startswith("Call to Bot API endpoint") and args:
        return "Call to Bot API endpoint `%s` finished (result not logged)", (args[0],)
    update_id = getattr(args[0], "update_id", "?") if args else "?"
    return record.msg.replace("%s", "%s (contents not logged)"), (update_id,)


def install(token: str) -> SecretRedactor:
    """Attach one redactor for `token` to every logger that needs it (again on each call: idempotent)."""
    redactor = SecretRedactor(token)
    for name in LOGGER_NAMES:
        logger = logging.getLogger(name)
        for existing in [f for f in logger.filters if isinstance(f, SecretRedactor)]:
            logger.removeFilter(existing)
        logger.addFilter(redactor)
    return redactor

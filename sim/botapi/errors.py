"""Bot API errors as Telegram words them, and the emulator's own control-API error.

The bot's error handling keys on Telegram's exact descriptions (python-telegram-bot passes them through,
minus the "Bad Request: " prefix), so every description here is copied from the real server.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CHAT_ID_EMPTY = "Bad Request: chat_id is empty"
CHAT_NOT_FOUND = "Bad Request: chat not found"
BLOCKED = "Forbidden: bot was blocked by the user"
CANT_INITIATE = "Forbidden: bot can't initiate conversation with a user"
TEXT_EMPTY = "Bad Request: message text is empty"
TEXT_TOO_LONG = "Bad Request: message is too long"
CAPTION_TOO_LONG = "Bad Request: message caption is too long"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
NO_MESSAGE_ID = "Bad Request: message identifier is not specified"
EDIT_NOT_FOUND = "Bad Request: message to edit not found"
DELETE_NOT_FOUND = "Bad Request: message to delete not found"
CANT_DELETE = "Bad Request: message can't be deleted"
USER_NOT_FOUND = "Bad Request: user not found"
CANT_EDIT = "Bad Request: message can't be edited"
NO_TEXT_TO_EDIT = "Bad Request: there is no text in the message to edit"
INLINE_MESSAGE_ID_INVALID = "Bad Request: MESSAGE_ID_INVALID"
REPLY_NOT_FOUND = "Bad Request: message to be replied not found"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
BUTTON_URL_INVALID = "Bad Request: BUTTON_URL_INVALID"
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"
ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
NO_DOCUMENT = "Bad Request: there is no document in the request"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"
URL_UNREACHABLE = "Bad Request: failed to get HTTP URL content"
EMPTY_FILE = "Bad Request: file must be non-empty"
INVALID_FILE_ID = "Bad Request: invalid file_id"
UNSUPPORTED_PARSE_MODE = "Bad Request: unsupported parse_mode"
BAD_CHAT_ACTION = "Bad Request: wrong parameter action in request"
POLL_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)
UNAUTHORIZED = "Unauthorized"
NOT_FOUND = "Not Found"
METHOD_NOT_FOUND = "Not Found: method not found"

# What Telegram's nginx front answers when the Bot API backend is down: an HTML page, not JSON.
_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx/1.18.0</center>\r\n</body>\r\n</html>\r\n"
)
_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Time-out",
}


@dataclass(frozen=True)
class ApiReply:
    """One HTTP answer of the Bot API: a JSON envelope, or (for gateway errors) an HTML page."""

    status: int
    body: dict[str, Any] | str

    @classmethod
    def ok(cls, result: Any) -> ApiReply:
        return cls(200, {"ok": True, "result": result})


class ApiError(Exception):
    """A Bot API failure: raised by method handlers, turned into Telegram's error envelope."""

    def __init__(self, status: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.retry_after = retry_after

    @classmethod
    def bad_request(cls, description: str) -> ApiError:
        return cls(400, description)

    @classmethod
    def flood(cls, retry_after: int) -> ApiError:
        return cls(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    @classmethod
    def server(cls, status: int) -> ApiError:
        return cls(status, _REASONS.get(status, "Internal Server Error"))

    def reply(self) -> ApiReply:
        if self.status in (502, 503, 504):
            return ApiReply(self.status, _GATEWAY_PAGE.format(status=self.status, reason=self.description))
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return ApiReply(self.status, body)


class ControlError(ValueError):
    """A control-API request that cannot be carried out (unknown chat, no such button, ...)."""

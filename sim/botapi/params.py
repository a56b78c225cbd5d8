"""Request parameters, read the way the Bot API server reads them.

python-telegram-bot posts form fields (multipart when files are attached) in which strings are sent as
they are and every other value is JSON-encoded: the integer 5 arrives as "5", True as "true", a reply
markup as a JSON string. Other clients post a JSON body with typed values. A field therefore carries no
type of its own: each method decides how to read it, as Telegram does. Integers follow tdlib's
`to_integer` (leading digits, else 0), so a malformed message_id reads as "not specified", not as a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sim.botapi.errors import ApiError

_INTEGER_PREFIX = re.compile(r"-?\d+")
_ATTACH = "attach://"


@dataclass(frozen=True)
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str | None
    data: bytes


def to_integer(text: str) -> int:
    """tdlib's string-to-integer: the leading optional minus and digits, 0 when there are none."""
    match = _INTEGER_PREFIX.match(text)
    return int(match.group()) if match else 0


class Params:
    """The parameters of one call, with typed readers; remembers what each reader made of a field."""

    def __init__(
        self, values: Mapping[str, Any] | None = None, files: Mapping[str, UploadedFile] | None = None
    ):
        self._values = {name: value for name, value in (values or {}).items() if value is not None}
        self._files = dict(files or {})
        self._read: dict[str, Any] = {}

    def has(self, name: str) -> bool:
        return name in self._values or name in self._files

    def text(self, name: str) -> str | None:
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            result = value
        elif isinstance(value, bool):
            result = "true" if value else "false"
        elif isinstance(value, dict | list):
            result = json.dumps(value, ensure_ascii=False)
        else:
            result = str(value)
        self._read[name] = result
        return result

    def integer(self, name: str) -> int | None:
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, int | float):
            result = int(value)
        elif isinstance(value, str):
            result = to_integer(value)
        else:
            result = 0
        self._read[name] = result
        return result

    def flag(self, name: str) -> bool:
        value = self._values.get(name)
        if isinstance(value, str):
            result = value.lower() == "true" or value == "1"
        elif isinstance(value, bool | int | float):
            result = bool(value)
        else:
            result = False
        if name in self._values:
            self._read[name] = result
        return result

    def json_value(self, name: str, error: str) -> Any:
        """A JSON-encoded field (already decoded in a JSON body); `error` is Telegram's words for bad JSON."""
        value = self._values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError as exc:
                raise ApiError.bad_request(error) from exc
        self._read[name] = value
        return value

    def chat_id(self) -> int | str | None:
        """An integer chat id, or an "@username" (or other text, which names no chat) as given."""
        value = self._values.get("chat_id")
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            result: int | str = str(value)
        elif isinstance(value, int):
            result = value
        else:
            text = str(value).strip()
            result = int(text) if re.fullmatch(r"-?\d+", text) else text
        self._read["chat_id"] = result
        return result

    def upload(self, name: str) -> UploadedFile | str | None:
        """A file input: an uploaded part (directly or via "attach://<part>"), or a file_id/URL string."""
        if name in self._files:
            return self._files[name]
        value = self.text(name)
        if value is not None and value.startswith(_ATTACH):
            return self._files.get(value[len(_ATTACH) :])
        return value

    def for_log(self) -> dict[str, Any]:
        """Every field as the handler read it (raw where it was not read); files as name, type and size."""
        logged: dict[str, Any] = {name: self._read.get(name, value) for name, value in self._values.items()}
        for name, upload in self._files.items():
            logged[name] = {
                "filename": upload.filename,
                "content_type": upload.content_type,
                "size": len(upload.data),
            }
        return logged

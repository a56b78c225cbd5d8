"""Telegram's size limits, kept by construction: every text the bot sends goes through `fit`.

Telegram refuses a message over 4096 characters, a caption over 1024 and a button's answer over 200
(counted in UTF-16 units, as its entities are), and a refused notice is a lost one. `LimitedBot` is the
bot the application uses: each call that carries text fits it on the way out, so no handler can forget.
Callers that know better first make their texts short (a club's long names, a member's long words), page
long lists, or split a caption that cannot fit; `fit` is the last resort that cuts the end off.
"""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import ExtBot

MAX_MESSAGE = 4096
MAX_CAPTION = 1024
MAX_ANSWER = 200
ELLIPSIS = "…"


def length(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji beyond the BMP is two)."""
    return len(text.encode("utf-16-le")) // 2


def fit(text: str, limit: int) -> str:
    """`text` if it fits in `limit`, else its start cut to fit with "…" (never half a character)."""
    if length(text) <= limit:
        return text
    room = limit - length(ELLIPSIS)
    kept = text.encode("utf-16-le")[: room * 2].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + ELLIPSIS


class LimitedBot(ExtBot[None]):
    """The application's bot: every text, caption and answer fits Telegram's limits when it is sent."""

    async def send_message(self, chat_id: int | str, text: str, *args: Any, **kwargs: Any) -> Message:
        return await super().send_message(chat_id, fit(text, MAX_MESSAGE), *args, **kwargs)

    async def edit_message_text(self, text: str, *args: Any, **kwargs: Any) -> Message | bool:
        return await super().edit_message_text(fit(text, MAX_MESSAGE), *args, **kwargs)

    async def send_document(
        self, chat_id: int | str, document: Any, caption: str | None = None, *args: Any, **kwargs: Any
    ) -> Message:
        caption = fit(caption, MAX_CAPTION) if caption else caption
        return await super().send_document(chat_id, document, caption, *args, **kwargs)

    async def answer_callback_query(
        self, callback_query_id: str, text: str | None = None, *args: Any, **kwargs: Any
    ) -> bool:
        text = fit(text, MAX_ANSWER) if text else text
        return await super().answer_callback_query(callback_query_id, text, *args, **kwargs)

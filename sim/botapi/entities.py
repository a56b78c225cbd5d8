"""Message entities: Telegram's formatting spans, and the link rules shared by every way of making them.

Spans are kept over code points, which slice Python strings directly; the API counts UTF-16 code units,
so offsets are converted only when a message is serialised (an emoji before a bold word shifts it by 2).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

UserLookup = Callable[[int], dict[str, Any] | None]

# tdlib's order among entities sharing a start and length.
PRIORITY = {
    "mention": 50,
    "hashtag": 50,
    "bot_command": 50,
    "url": 50,
    "bold": 90,
    "italic": 91,
    "code": 20,
    "pre": 11,
    "text_link": 49,
    "text_mention": 49,
    "underline": 92,
    "strikethrough": 93,
    "blockquote": 0,
    "expandable_blockquote": 0,
    "spoiler": 94,
    "custom_emoji": 99,
}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "ftp"})
_TG_USER = re.compile(r"tg://user\?id=(\d+)", re.IGNORECASE)
_ENTITY_FIELDS = ("url", "language", "user", "custom_emoji_id")


class ParseError(Exception):
    """Markup Telegram refuses; the message is tdlib's, to follow "can't parse entities: "."""


@dataclass
class Entity:
    """A formatting span over code points [start, end) of a text; the API counts UTF-16 units instead."""

    type: str
    start: int
    end: int
    url: str | None = None
    language: str | None = None
    user: dict[str, Any] | None = None
    custom_emoji_id: str | None = None

    def to_api(self, offsets: Sequence[int]) -> dict[str, Any]:
        """The MessageEntity object; `offsets` maps code point index to UTF-16 offset (utf16_offsets)."""
        entity: dict[str, Any] = {
            "type": self.type,
            "offset": offsets[self.start],
            "length": offsets[self.end] - offsets[self.start],
        }
        for name in _ENTITY_FIELDS:
            value = getattr(self, name)
            if value is not None:
                entity[name] = value
        return entity


def utf16_offsets(text: str) -> list[int]:
    """UTF-16 offset of every code point index of `text`, and of its end."""
    offsets = [0]
    for char in text:
        offsets.append(offsets[-1] + (2 if ord(char) > 0xFFFF else 1))
    return offsets


def utf16_length(text: str) -> int:
    return sum(2 if ord(char) > 0xFFFF else 1 for char in text)


def entities_to_api(text: str, entities: Sequence[Entity]) -> list[dict[str, Any]]:
    offsets = utf16_offsets(text)
    return [entity.to_api(offsets) for entity in entities]


def sort_key(entity: Entity) -> tuple[int, int, int]:
    """tdlib's entity order: by start, longer first, then by type priority."""
    return entity.start, entity.start - entity.end, PRIORITY.get(entity.type, 50)


def link_entity(url: str, start: int, end: int, lookup_user: UserLookup) -> Entity | None:
    """A link over [start, end): a mention for tg://user?id=N of a known user, else a checked text_link."""
    user_match = _TG_USER.fullmatch(url.strip())
    if user_match:
        user = lookup_user(int(user_match.group(1)))
        return Entity("text_mention", start, end, user=user) if user else None
    checked = checked_link(url)
    return Entity("text_link", start, end, url=checked) if checked else None


def checked_link(url: str) -> str | None:
    """tdlib's check of a link target: a known scheme with a host; a bare host becomes http://host."""
    url = url.strip()
    scheme_match = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):(//)?", url)
    if scheme_match is None:
        url = "http://" + url
        scheme, rest = "http", url[len("http://") :]
    else:
        scheme, rest = scheme_match.group(1).lower(), url[scheme_match.end() :]
    if scheme not in _LINK_SCHEMES:
        return None
    host = re.split(r"[/?#]", rest, maxsplit=1)[0]
    if not host or any(char.isspace() for char in host):
        return None
    return url

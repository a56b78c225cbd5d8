"""Message text as Telegram stores it: parse mode applied, text cleaned and trimmed, entities added.

The bot sees what Telegram makes of a text, not what it sent: markup becomes plain text plus entities,
control characters become spaces, leading and trailing whitespace goes, and commands, @mentions,
#hashtags and links get entities of their own (a user's "/start" needs its bot_command entity for
CommandHandler to fire). Automatic entities cover bot commands, mentions, hashtags and links with a
scheme; Telegram also finds e-mail addresses, phone numbers, cashtags and bare domains, which this bot
has no use for.
"""

from __future__ import annotations

import re
from typing import Any

from sim.botapi.entities import PRIORITY, Entity, ParseError, UserLookup, link_entity, sort_key, utf16_offsets
from sim.botapi.errors import UNSUPPORTED_PARSE_MODE, ApiError
from sim.botapi.parsemodes import parse_html, parse_markdown, parse_markdown_v2

PARSE_ERROR = "Bad Request: can't parse entities: "
_URL = re.compile(r"(?<![\w/@.])(?:https?|tg)://[^\s<>\"]+", re.IGNORECASE)
_URL_TRAILING = ".,:;!?'\")]}"


def format_text(
    text: str, parse_mode: str | None, entities: Any, lookup_user: UserLookup
) -> tuple[str, list[Entity]]:
    """What Telegram stores for a sent text: plain text and sorted entities; "" if nothing is left.

    `entities` is the decoded `entities`/`caption_entities` field, used when there is no parse mode.
    """
    mode = (parse_mode or "").lower()
    try:
        if mode == "html":
            plain, found = parse_html(text, lookup_user)
        elif mode == "markdownv2":
            plain, found = parse_markdown_v2(text, lookup_user)
        elif mode == "markdown":
            plain, found = parse_markdown(text, lookup_user)
        elif mode:
            raise ApiError.bad_request(UNSUPPORTED_PARSE_MODE)
        else:
            plain, found = text, _explicit_entities(text, entities, lookup_user)
    except ParseError as exc:
        raise ApiError.bad_request(PARSE_ERROR + str(exc)) from exc
    return finish_text(plain, found)


def finish_text(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Telegram's clean-up of every message text (tdlib fix_formatted_text), then automatic entities."""
    cleaned, entities = _clean(text, entities)
    if not cleaned:
        return "", []
    automatic = [found for found in find_entities(cleaned) if not any(_overlap(found, e) for e in entities)]
    return cleaned, sorted(entities + automatic, key=sort_key)


def find_entities(text: str) -> list[Entity]:
    """The entities Telegram adds by itself: bot commands, @mentions, #hashtags, links with a scheme."""
    found = [*_bot_commands(text), *_mentions(text), *_hashtags(text), *_urls(text)]
    found.sort(key=sort_key)
    kept: list[Entity] = []
    for entity in found:
        if not kept or entity.start >= kept[-1].end:
            kept.append(entity)
    return kept


def _overlap(a: Entity, b: Entity) -> bool:
    return a.start < b.end and b.start < a.end


def _clean(text: str, entities: list[Entity]) -> tuple[str, list[Entity]]:
    """Control characters to spaces, CR and bidi marks dropped, blank entities dropped, text trimmed."""
    kept: list[str] = []
    position: list[int] = []  # new index of each old index, and of the end
    for char in text:
        position.append(len(kept))
        code = ord(char)
        if char == "\r" or 0x2028 <= code <= 0x202E:
            continue
        kept.append(" " if code <= 32 and char != "\n" else char)
    position.append(len(kept))
    cleaned = "".join(kept)
    moved = []
    for entity in entities:
        start, end = position[entity.start], position[entity.end]
        if cleaned[start:end].strip(" \n"):
            entity.start, entity.end = start, end
            moved.append(entity)
    right = len(cleaned.rstrip(" \n"))
    if right == 0:
        return "", []
    for entity in moved:
        entity.end = min(entity.end, right)
    first_entity = min((entity.start for entity in moved), default=right)
    left = 0
    while left < first_entity and cleaned[left] in " \n":
        left += 1
    for entity in moved:
        entity.start -= left
        entity.end -= left
    return cleaned[left:right], moved


def _explicit_entities(text: str, given: Any, lookup_user: UserLookup) -> list[Entity]:
    """The `entities` field (UTF-16 offsets) as code point spans; malformed ones are dropped."""
    if not isinstance(given, list):
        return []
    index_of = {offset: index for index, offset in enumerate(utf16_offsets(text))}
    result = []
    for item in given:
        if not isinstance(item, dict) or item.get("type") not in PRIORITY:
            continue
        offset, length = item.get("offset"), item.get("length")
        if not isinstance(offset, int) or not isinstance(length, int) or length <= 0:
            continue
        start, end = index_of.get(offset), index_of.get(offset + length)
        if start is None or end is None:
            continue
        kind = item["type"]
        if kind == "text_link":
            entity = link_entity(str(item.get("url", "")), start, end, lookup_user)
        elif kind == "text_mention":
            user_id = (item.get("user") or {}).get("id")
            user = lookup_user(user_id) if isinstance(user_id, int) else None
            entity = Entity(kind, start, end, user=user) if user else None
        else:
            entity = Entity(kind, start, end)
            if kind == "pre" and item.get("language"):
                entity.language = str(item["language"])
            if kind == "custom_emoji":
                entity.custom_emoji_id = str(item.get("custom_emoji_id", ""))
        if entity is not None:
            result.append(entity)
    return result


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_ascii_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char == "_")


def _bot_commands(text: str) -> list[Entity]:
    found = []
    for match in re.finditer("/", text):
        start = match.start()
        if start > 0 and (_is_word_char(text[start - 1]) or text[start - 1] in "/<>"):
            continue
        end = start + 1
        while end < len(text) and _is_ascii_word(text[end]):
            end += 1
        if not 1 <= end - start - 1 <= 64:
            continue
        if end < len(text) and text[end] == "@":
            mention_end = end + 1
            while mention_end < len(text) and _is_ascii_word(text[mention_end]):
                mention_end += 1
            if not 3 <= mention_end - end - 1 <= 32:
                continue
            end = mention_end
        if end < len(text) and (_is_word_char(text[end]) or text[end] in "/<>"):
            continue
        found.append(Entity("bot_command", start, end))
    return found


def _mentions(text: str) -> list[Entity]:
    found = []
    for match in re.finditer("@", text):
        start = match.start()
        if start > 0 and _is_word_char(text[start - 1]):
            continue
        end = start + 1
        while end < len(text) and _is_ascii_word(text[end]):
            end += 1
        if 2 <= end - start - 1 <= 32 and not (end < len(text) and _is_word_char(text[end])):
            found.append(Entity("mention", start, end))
    return found


def _hashtags(text: str) -> list[Entity]:
    found = []
    for match in re.finditer("#", text):
        start = match.start()
        if start > 0 and _is_word_char(text[start - 1]):
            continue
        end = start + 1
        while end < len(text) and _is_word_char(text[end]):
            end += 1
        body = text[start + 1 : end]
        if 1 <= len(body) <= 256 and any(char.isalpha() for char in body):
            if end < len(text) and text[end] == "#":
                continue
            found.append(Entity("hashtag", start, end))
    return found


def _urls(text: str) -> list[Entity]:
    found = []
    for match in _URL.finditer(text):
        url = match.group().rstrip(_URL_TRAILING)
        if "://" in url and url.split("://", 1)[1]:
            found.append(Entity("url", match.start(), match.start() + len(url)))
    return found

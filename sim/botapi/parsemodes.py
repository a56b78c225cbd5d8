"""The three parse modes (HTML, MarkdownV2, legacy Markdown), ported from tdlib's parsers.

Telegram answers a markup mistake with a 400 whose text names the first bad byte, e.g. an unescaped "."
in MarkdownV2 or a "<br>" in HTML; porting tdlib's scanners (td/telegram/MessageEntity.cpp) makes the
emulator fail on exactly those texts, so such bugs surface in tests instead of in production.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sim.botapi.entities import Entity, ParseError, UserLookup, link_entity, sort_key

_SPACE = frozenset(" \t\r\n\0\v\f")  # td::is_space, which counts the NUL past the end of a string
_HTML_TAGS = frozenset(
    {"a", "b", "strong", "i", "em", "s", "strike", "del", "u", "ins"}
    | {"tg-spoiler", "tg-emoji", "span", "pre", "code", "blockquote"}
)
_HTML_SIMPLE = {
    "i": "italic",
    "em": "italic",
    "b": "bold",
    "strong": "bold",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "u": "underline",
    "ins": "underline",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
}
_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!\n")
_MDV2_NAMES = {
    "bold": "Bold",
    "italic": "Italic",
    "underline": "Underline",
    "strikethrough": "Strikethrough",
    "spoiler": "Spoiler",
    "code": "Code",
    "pre": "Pre",
    "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
    "blockquote": "BlockQuote",
}
_TG_EMOJI = re.compile(r"tg://emoji\?id=(\d+)")


class _Source:
    """The text as tdlib walks it: reading past the end yields NUL; errors name UTF-8 byte offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)

    def at(self, index: int) -> str:
        return self.text[index] if index < self.size else "\0"

    def byte(self, index: int) -> int:
        return len(self.text[:index].encode("utf-8", "surrogatepass"))


def _decode_html_entity(src: _Source, pos: int) -> tuple[int, int] | None:
    """The code point of the character reference at `pos` and the index after it; None if it is none."""
    end = pos + 1
    code = 0
    if src.at(pos + 1) == "#":
        end += 1
        if src.at(pos + 2) == "x":
            end += 1
            while src.at(end) in "0123456789abcdefABCDEF":
                code = code * 16 + int(src.at(end), 16)
                end += 1
        else:
            while src.at(end).isascii() and src.at(end).isdigit():
                code = code * 10 + int(src.at(end))
                end += 1
        if code == 0 or code >= 0x10FFFF or end - pos >= 10:
            return None
    else:
        while src.at(end).isascii() and src.at(end).isalpha():
            end += 1
        named = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}.get(src.text[pos + 1 : end])
        if named is None:
            return None
        code = ord(named)
    if src.at(end) == ";":
        end += 1
    return code, end


def parse_html(text: str, lookup_user: UserLookup) -> tuple[str, list[Entity]]:
    src = _Source(text)
    out: list[str] = []
    entities: list[Entity] = []
    open_tags: list[tuple[str, str, int]] = []  # tag, argument, start in out
    lone_surrogate = False
    i = 0
    while i < src.size:
        char = text[i]
        if char == "&":
            decoded = _decode_html_entity(src, i)
            if decoded is not None:
                code, i = decoded
                lone_surrogate |= 0xD800 <= code <= 0xDFFF
                out.append(chr(code))
                continue
        if char != "<":
            out.append(char)
            i += 1
            continue
        begin = i
        i += 1
        if src.at(i) != "/":
            while src.at(i) not in _SPACE and src.at(i) != ">":
                i += 1
            if i >= src.size:
                raise ParseError(f"Unclosed start tag at byte offset {src.byte(begin)}")
            tag = text[begin + 1 : i].lower()
            if tag not in _HTML_TAGS:
                raise ParseError(f'Unsupported start tag "{tag}" at byte offset {src.byte(begin)}')
            argument, i = _html_attributes(src, tag, begin, i)
            if tag == "span" and argument != "spoiler":
                raise ParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {src.byte(begin)}')
            open_tags.append((tag, argument, len(out)))
            continue
        if not open_tags:
            raise ParseError(f"Unexpected end tag at byte offset {src.byte(begin)}")
        name_start = i + 1
        while src.at(i) not in _SPACE and src.at(i) != ">":
            i += 1
        end_tag = text[name_start:i].lower()
        while i < src.size and src.at(i) in _SPACE:
            i += 1
        if src.at(i) != ">":
            raise ParseError(f"Unclosed end tag at byte offset {src.byte(begin)}")
        i += 1
        tag, argument, start = open_tags[-1]
        if end_tag and end_tag != tag:
            raise ParseError(
                f'Unmatched end tag at byte offset {src.byte(begin)}, expected "</{tag}>", found "</{end_tag}>"'
            )
        open_tags.pop()
        if len(out) > start:
            _close_html_tag(tag, argument, start, out, entities, lookup_user)
    if open_tags:
        raise ParseError(f'Can\'t find end tag corresponding to start tag "{open_tags[-1][0]}"')
    if lone_surrogate:
        raise ParseError(
            "Text contains invalid Unicode characters after decoding HTML entities, "
            "check for unmatched surrogate code units"
        )
    for entity in entities:
        if entity.type == "code":
            entity.language = None
    return "".join(out), entities


def _html_attributes(src: _Source, tag: str, begin: int, i: int) -> tuple[str, int]:
    """Read a start tag's attributes from `i`; the argument that matters for `tag`, and the index after '>'."""
    argument = ""
    while src.at(i) != ">":
        while i < src.size and src.at(i) in _SPACE:
            i += 1
        if src.at(i) == ">":
            break
        name_start = i
        while src.at(i) not in _SPACE and src.at(i) not in "=>":
            i += 1
        name = src.text[name_start:i]
        if not name:
            raise ParseError(f'Empty attribute name in the tag "{tag}" at byte offset {src.byte(begin)}')
        while i < src.size and src.at(i) in _SPACE:
            i += 1
        if src.at(i) != "=":
            if tag == "blockquote" and name.lower() == "expandable":
                argument = "expandable"
                continue
            raise ParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {src.byte(begin)}"
            )
        i += 1
        while i < src.size and src.at(i) in _SPACE:
            i += 1
        if i >= src.size:
            raise ParseError(f'Unclosed start tag "{tag}" at byte offset {src.byte(begin)}')
        if src.at(i) not in "'\"":
            token_start = i
            while (src.at(i).isascii() and src.at(i).isalnum()) or src.at(i) in (".", "-"):
                i += 1
            value = src.text[token_start:i].lower()
            if src.at(i) not in _SPACE and src.at(i) != ">":
                raise ParseError(f"Unexpected end of name token at byte offset {src.byte(token_start)}")
        else:
            quote = src.at(i)
            i += 1
            chars: list[str] = []
            while i < src.size and src.at(i) != quote:
                decoded = _decode_html_entity(src, i) if src.at(i) == "&" else None
                if decoded is not None:
                    chars.append(chr(decoded[0]))
                    i = decoded[1]
                    continue
                chars.append(src.at(i))
                i += 1
            if src.at(i) == quote:
                i += 1
            value = "".join(chars)
        if i >= src.size:
            raise ParseError(f"Unclosed start tag at byte offset {src.byte(begin)}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value
    return argument, i + 1


def _close_html_tag(
    tag: str, argument: str, start: int, out: list[str], entities: list[Entity], lookup_user: UserLookup
) -> None:
    end = len(out)
    last = entities[-1] if entities else None
    same_span = last is not None and last.start == start and last.end == end
    if tag in _HTML_SIMPLE:
        entities.append(Entity(_HTML_SIMPLE[tag], start, end))
    elif tag == "tg-emoji":
        if not argument.isdigit() or int(argument) == 0:
            raise ParseError("Invalid custom emoji identifier specified")
        entities.append(Entity("custom_emoji", start, end, custom_emoji_id=argument))
    elif tag == "a":
        link = link_entity(argument or "".join(out[start:end]), start, end, lookup_user)
        if link is not None:
            entities.append(link)
    elif tag == "pre":
        if same_span and last is not None and last.type == "code" and last.language:
            last.type = "pre"
        else:
            entities.append(Entity("pre", start, end))
    elif tag == "code":
        if same_span and last is not None and last.type == "pre" and argument:
            last.language = argument
        else:
            entities.append(Entity("code", start, end, language=argument or None))
    else:
        kind = "expandable_blockquote" if argument == "expandable" else "blockquote"
        entities.append(Entity(kind, start, end))


@dataclass
class _Open:
    type: str
    start: int
    source_index: int
    language: str | None = None


def _reserved(src: _Source, index: int) -> ParseError:
    return ParseError(f"Character '{src.at(index)}' is reserved and must be escaped with the preceding '\\'")


def _unclosed(src: _Source, entity: _Open) -> ParseError:
    name = "PreCode" if entity.type == "pre" and entity.language else _MDV2_NAMES[entity.type]
    return ParseError(f"Can't find end of {name} entity at byte offset {src.byte(entity.source_index)}")


def _escapable(char: str) -> bool:
    return "\x01" <= char <= "~"


def _markdown_url(src: _Source, i: int, what: str) -> tuple[str, int]:
    """The escaped URL inside "(...)" starting at `i`; the URL and the index of ')'."""
    url_start = i
    chars: list[str] = []
    while i < src.size and src.at(i) != ")":
        if src.at(i) == "\\" and _escapable(src.at(i + 1)):
            chars.append(src.at(i + 1))
            i += 2
            continue
        chars.append(src.at(i))
        i += 1
    if src.at(i) != ")":
        raise ParseError(f"Can't find end of {what} at byte offset {src.byte(url_start)}")
    return "".join(chars), i


def _pre_header(src: _Source, i: int) -> tuple[str | None, int]:
    """After "```" at `i`: the language word (if followed by more text) and where the content starts."""
    language = None
    language_end = i
    while src.at(language_end) not in _SPACE and src.at(language_end) != "`":
        language_end += 1
    if i != language_end and language_end < src.size and src.at(language_end) != "`":
        language = src.text[i:language_end]
        i = language_end
    if src.at(i) in "\r\n" and src.at(i) != "\0":
        if src.at(i + 1) in "\r\n" and src.at(i + 1) != "\0" and src.at(i) != src.at(i + 1):
            i += 2
        else:
            i += 1
    return language, i


def _is_entity_end(src: _Source, i: int, top: _Open, in_blockquote: bool) -> bool:
    char, following = src.at(i), src.at(i + 1)
    if in_blockquote and char == "\n" and (i + 1 == src.size or following != ">"):
        return True
    return {
        "bold": char == "*",
        "italic": char == "_" and following != "_",
        "code": char == "`",
        "pre": char == "`" and following == "`" and src.at(i + 2) == "`",
        "text_link": char == "]",
        "underline": char == "_" and following == "_",
        "strikethrough": char == "~",
        "spoiler": char == "|" and following == "|",
        "custom_emoji": char == "]",
        "blockquote": False,
    }[top.type]


def parse_markdown_v2(text: str, lookup_user: UserLookup) -> tuple[str, list[Entity]]:
    src = _Source(text)
    out: list[str] = []
    entities: list[Entity] = []
    stack: list[_Open] = []
    in_blockquote = False
    i = 0
    while i < src.size:
        char = text[i]
        if char == "\\" and _escapable(src.at(i + 1)):
            out.append(text[i + 1])
            i += 2
            continue
        reserved = "`" if stack and stack[-1].type in ("code", "pre") else _MDV2_RESERVED
        if char not in reserved:
            out.append(char)
            i += 1
            continue
        if not stack or not _is_entity_end(src, i, stack[-1], in_blockquote):
            opened, i, in_blockquote = _open_markdown_v2(src, i, out, in_blockquote)
            if opened is not None:
                stack.append(opened)
            i += 1
            continue
        top = stack[-1]
        if char == "\n" and top.type != "blockquote":
            raise _unclosed(src, top)
        empty = len(out) == top.start
        entity: Entity | None = Entity(top.type, top.start, len(out), language=top.language)
        if top.type in ("underline", "spoiler"):
            i += 1
        elif top.type == "pre":
            i += 2
        elif top.type == "text_link":
            if src.at(i + 1) != "(":
                url = "".join(out[top.start :])
            else:
                url, i = _markdown_url(src, i + 2, "a URL")
            entity = link_entity(url, top.start, len(out), lookup_user)
        elif top.type == "custom_emoji":
            if src.at(i + 1) != "(":
                raise ParseError("Custom emoji entity must contain a tg://emoji URL")
            url, i = _markdown_url(src, i + 2, "a custom emoji URL")
            emoji = _TG_EMOJI.fullmatch(url)
            if emoji is None:
                raise ParseError("Invalid custom emoji identifier specified")
            entity = Entity("custom_emoji", top.start, len(out), custom_emoji_id=emoji.group(1))
        elif top.type == "blockquote":
            in_blockquote = False
            out.append(char)
            entity = Entity("blockquote", top.start, len(out))
        if entity is not None and not empty:
            entities.append(entity)
        stack.pop()
        i += 1
    if in_blockquote and stack[-1].type == "blockquote":
        top = stack.pop()
        if len(out) > top.start:
            entities.append(Entity("blockquote", top.start, len(out)))
    if stack:
        raise _unclosed(src, stack[-1])
    return "".join(out), sorted(entities, key=sort_key)


def _open_markdown_v2(
    src: _Source, i: int, out: list[str], in_blockquote: bool
) -> tuple[_Open | None, int, bool]:
    """Start the entity whose marker is at `i`; the open entity (None for a line break), last index used."""
    char, following = src.at(i), src.at(i + 1)
    source_index = i
    language = None
    if char == "_":
        kind = "underline" if following == "_" else "italic"
        i += 1 if following == "_" else 0
    elif char == "*":
        kind = "bold"
    elif char == "~":
        kind = "strikethrough"
    elif char == "|" and following == "|":
        kind, i = "spoiler", i + 1
    elif char == "[":
        kind = "text_link"
    elif char == "`" and following == "`" and src.at(i + 2) == "`":
        kind = "pre"
        language, i = _pre_header(src, i + 3)
        i -= 1
    elif char == "`":
        kind = "code"
    elif char == "!" and following == "[":
        kind, i = "custom_emoji", i + 1
    elif char == "\n":
        out.append("\n")
        if i + 1 < src.size and following == ">":
            i += 1
            if not in_blockquote:
                return _Open("blockquote", len(out), source_index), i, True
        return None, i, in_blockquote
    elif char == ">" and i == 0:
        return _Open("blockquote", len(out), source_index), i, True
    else:
        raise _reserved(src, i)
    return _Open(kind, len(out), source_index, language), i, in_blockquote


def parse_markdown(text: str, lookup_user: UserLookup) -> tuple[str, list[Entity]]:
    """The legacy "Markdown" mode: *bold*, _italic_, `code`, ```pre```, [text](url), no nesting."""
    src = _Source(text)
    out: list[str] = []
    entities: list[Entity] = []
    i = 0
    while i < src.size:
        char = text[i]
        if char == "\\" and src.at(i + 1) in ("_", "*", "`", "["):
            out.append(text[i + 1])
            i += 2
            continue
        if char not in "_*`[":
            out.append(char)
            i += 1
            continue
        begin = i
        end_char = "]" if char == "[" else char
        is_pre = char == "`" and src.at(i + 1) == "`" and src.at(i + 2) == "`"
        language = None
        i += 1
        if is_pre:
            language, i = _pre_header(src, i + 2)
        start = len(out)
        while i < src.size and (
            text[i] != end_char or (is_pre and not (src.at(i + 1) == "`" and src.at(i + 2) == "`"))
        ):
            out.append(text[i])
            i += 1
        if i == src.size:
            raise ParseError(f"Can't find end of the entity starting at byte offset {src.byte(begin)}")
        if len(out) > start:
            entity: Entity | None
            if char == "[":
                if src.at(i + 1) == "(":
                    close = text.find(")", i + 2)
                    close = src.size if close < 0 else close
                    url, i = text[i + 2 : close], close
                else:
                    url = "".join(out[start:])
                entity = link_entity(url, start, len(out), lookup_user)
            elif char == "`":
                entity = Entity("pre" if is_pre else "code", start, len(out), language=language)
            else:
                entity = Entity("italic" if char == "_" else "bold", start, len(out))
            if entity is not None:
                entities.append(entity)
        i += 3 if is_pre else 1
    return "".join(out), entities

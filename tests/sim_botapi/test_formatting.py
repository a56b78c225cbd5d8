"""Parse modes, trimming and automatic entities, as Telegram applies them to a message text."""

from __future__ import annotations

import html
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram.helpers import escape_markdown

from sim.botapi.entities import Entity, entities_to_api
from sim.botapi.errors import ApiError
from sim.botapi.formatting import finish_text, format_text

USERS = {42: {"id": 42, "is_bot": False, "first_name": "Alice"}}


def render(text: str, mode: str | None = None, entities: Any = None) -> tuple[str, list[dict[str, Any]]]:
    plain, found = format_text(text, mode, entities, USERS.get)
    return plain, entities_to_api(plain, found)


def parse_error(text: str, mode: str) -> str:
    with pytest.raises(ApiError) as raised:
        format_text(text, mode, None, USERS.get)
    assert raised.value.status == 400
    return raised.value.description.removeprefix("Bad Request: can't parse entities: ")


def test_html_tags_become_entities_with_utf16_offsets() -> None:
    text, entities = render(
        "🎾 <b>Court&nbsp;2</b> &amp; <i>18:00</i> <a href='https://club.example/b?id=1'>link</a>", "HTML"
    )

    assert text == "🎾 Court&nbsp;2 & 18:00 link"
    assert entities == [
        {"type": "bold", "offset": 3, "length": 12},
        {"type": "italic", "offset": 18, "length": 5},
        {"type": "text_link", "offset": 24, "length": 4, "url": "https://club.example/b?id=1"},
    ]


def test_html_pre_with_language_spoiler_and_mention() -> None:
    text, entities = render(
        '<pre><code class="language-python">x = 1</code></pre> <tg-spoiler>s</tg-spoiler> '
        '<a href="tg://user?id=42">Alice</a> <blockquote expandable>q</blockquote>',
        "HTML",
    )

    assert text == "x = 1 s Alice q"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "spoiler", "offset": 6, "length": 1},
        {"type": "text_mention", "offset": 8, "length": 5, "user": USERS[42]},
        {"type": "expandable_blockquote", "offset": 14, "length": 1},
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("<b>open", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("é<br>", 'Unsupported start tag "br" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<a href=x", "Unclosed start tag at byte offset 0"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ],
)
def test_html_errors(text: str, error: str) -> None:
    assert parse_error(text, "HTML") == error


def test_markdown_v2_nesting_links_and_escapes() -> None:
    text, entities = render(
        "*bold _both_* __u__ ||s|| [site](https://ex.com/a\\)b) `c\\`d` 1\\.5", "MarkdownV2"
    )

    assert text == "bold both u s site c`d 1.5"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 9},
        {"type": "italic", "offset": 5, "length": 4},
        {"type": "underline", "offset": 10, "length": 1},
        {"type": "spoiler", "offset": 12, "length": 1},
        {"type": "text_link", "offset": 14, "length": 4, "url": "https://ex.com/a)b"},
        {"type": "code", "offset": 19, "length": 3},
    ]


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("Booked court 2.", "Character '.' is reserved and must be escaped with the preceding '\\'"),
        ("18:00-19:00", "Character '-' is reserved and must be escaped with the preceding '\\'"),
        ("*open", "Can't find end of Bold entity at byte offset 0"),
        ("é _open", "Can't find end of Italic entity at byte offset 3"),
        (">quote *bold\nafter*", "Can't find end of Bold entity at byte offset 7"),
        ("[x](https://ex.com", "Can't find end of a URL at byte offset 4"),
    ],
)
def test_markdown_v2_errors(text: str, error: str) -> None:
    assert parse_error(text, "MarkdownV2") == error


def test_legacy_markdown() -> None:
    assert render("*b* _i_ `c` [l](https://ex.com) 2.5 a\\_b", "Markdown") == (
        "b i c l 2.5 a_b",
        [
            {"type": "bold", "offset": 0, "length": 1},
            {"type": "italic", "offset": 2, "length": 1},
            {"type": "code", "offset": 4, "length": 1},
            {"type": "text_link", "offset": 6, "length": 1, "url": "https://ex.com"},
        ],
    )
    assert parse_error("*open", "Markdown") == "Can't find end of the entity starting at byte offset 0"


def test_unknown_parse_mode_and_explicit_entities() -> None:
    with pytest.raises(ApiError, match="unsupported parse_mode"):
        format_text("x", "BBCode", None, USERS.get)
    assert render("🎾 Court", None, [{"type": "bold", "offset": 3, "length": 5}]) == (
        "🎾 Court",
        [{"type": "bold", "offset": 3, "length": 5}],
    )


def test_text_is_cleaned_and_trimmed_like_telegram_does() -> None:
    assert render("  \n hello\tworld\r\n \n") == ("hello world", [])
    assert render("<b> </b>x", "HTML") == ("x", [])  # an entity of blanks is dropped
    assert render("<b>x  </b>  ", "HTML") == ("x", [{"type": "bold", "offset": 0, "length": 1}])
    assert render(" \n ", None) == ("", [])


def test_commands_mentions_hashtags_and_links_get_entities() -> None:
    text, entities = render("/book@courtbot_test_bot tue, ask @alice #tennis https://club.example/x. a/b /1")

    assert [(e["type"], text[e["offset"] : e["offset"] + e["length"]]) for e in entities] == [
        ("bot_command", "/book@courtbot_test_bot"),
        ("mention", "@alice"),
        ("hashtag", "#tennis"),
        ("url", "https://club.example/x"),
        ("bot_command", "/1"),
    ]
    _, inside_bold = render("<b>/start</b>", "HTML")
    assert [e["type"] for e in inside_bold] == ["bold"]  # found entities never overlap given ones


@given(st.text())
def test_escaped_html_reads_back_as_the_plain_text(text: str) -> None:
    assert format_text(html.escape(text, quote=False), "HTML", None, USERS.get) == finish_text(text, [])


@given(st.text())
def test_ptb_escaped_markdown_v2_reads_back_as_the_plain_text(text: str) -> None:
    escaped = escape_markdown(text, version=2)
    assert format_text(escaped, "MarkdownV2", None, USERS.get) == finish_text(text, [])


@given(st.text(), st.sampled_from(["bold", "italic", "code"]))
def test_an_entity_over_the_whole_text_survives_trimming(text: str, kind: str) -> None:
    plain, entities = finish_text(text, [Entity(kind, 0, len(text))])
    if plain.strip(" \n"):
        assert entities[0] == Entity(kind, 0, len(plain))

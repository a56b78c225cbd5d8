"""The playground's JSON API against a real emulator (and a real PTB bot where one must answer)."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp
import pytest
from telegram.ext import Application

from sim.botapi import RunningBotApi
from sim.playground import PLAYGROUND_USER, RunningPlayground, start_playground
from tests.playground.conftest import ACCOUNTS, ICS, RELEASE_DAY


async def _json(response: aiohttp.ClientResponse, status: int = 200) -> Any:
    assert response.status == status, await response.text()
    return await response.json()


async def _transcript(client: aiohttp.ClientSession, **query: str) -> dict[str, Any]:
    async with client.get("/api/transcript", params=query) as response:
        return await _json(response)


async def test_page_and_its_static_files_are_served(client: aiohttp.ClientSession) -> None:
    async with client.get("/") as page:
        assert page.status == 200 and "courtbot playground" in await page.text()
    for name, kind in (("app.js", "javascript"), ("style.css", "text/css")):
        async with client.get(f"/static/{name}") as response:
            assert response.status == 200 and kind in response.headers["Content-Type"]


async def test_info_names_the_visitor_accounts_club_and_commands(
    client: aiohttp.ClientSession, bot: Application
) -> None:
    async with client.get("/api/info") as response:
        info = await _json(response)

    assert info["user"] == {"id": PLAYGROUND_USER, "name": "You"}
    assert info["accounts"] == [{"username": u, "password": p} for u, p in ACCOUNTS.items()]
    assert info["club_url"] == "http://club.test"
    assert info["release_soon"] is True and info["release"] is None
    assert [c["command"] for c in info["commands"]] == ["start", "ics"]


async def test_send_reaches_the_bot_and_the_reply_shows_its_keyboard(
    client: aiohttp.ClientSession, botapi: RunningBotApi, bot: Application
) -> None:
    async with client.post("/api/send", json={"text": "  /start "}) as response:
        sent = await _json(response)

    await botapi.wait_for_text(PLAYGROUND_USER, "Welcome")
    mine, reply = (await _transcript(client))["messages"]
    assert mine["id"] == sent["message_id"] and mine["text"] == "/start" and not mine["from_bot"]
    assert reply["from_bot"] and reply["text"] == "Welcome! Pick a court:"
    assert reply["keyboard"] == [
        [{"text": "Court 1", "callback_data": "court:1"}, {"text": "Court 2", "callback_data": "court:2"}]
    ]


async def test_press_returns_the_bots_answer_and_the_edit_shows(
    client: aiohttp.ClientSession, botapi: RunningBotApi, bot: Application
) -> None:
    botapi.send_text(PLAYGROUND_USER, "/start")
    menu = await botapi.wait_for_text(PLAYGROUND_USER, "Welcome")

    async with client.post(
        "/api/press", json={"message_id": menu.message_id, "callback_data": "court:2"}
    ) as r:
        assert await _json(r) == {"answer": {"text": "Court 2 it is", "show_alert": False}}

    await botapi.wait_for_text(PLAYGROUND_USER, "You picked court 2")
    edited = (await _transcript(client))["messages"][-1]
    assert edited["id"] == menu.message_id and edited["edited"] and edited["keyboard"] == []
    # The keyboard is gone: pressing its button again is refused kindly.
    async with client.post(
        "/api/press", json={"message_id": menu.message_id, "callback_data": "court:1"}
    ) as r:
        assert "isn't there any more" in (await _json(r, 409))["error"]


async def test_long_poll_holds_until_the_chat_changes(
    client: aiohttp.ClientSession, botapi: RunningBotApi, bot: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    await botapi.wait_for_poll()
    first = await _transcript(client)
    assert first["messages"] == []

    # Nothing happens in the chat (the bot's own polling moves the version): held for the whole timeout.
    started = time.monotonic()
    idle = await _transcript(client, after_version=str(first["version"]), timeout="0.3")
    assert time.monotonic() - started >= 0.3 and idle["messages"] == []

    holding = asyncio.Event()
    wait_changed = botapi.wait_changed

    async def noted_wait(after_version: int, hold: float) -> int:
        holding.set()
        return await wait_changed(after_version, hold)

    monkeypatch.setattr(botapi, "wait_changed", noted_wait)
    poll = asyncio.create_task(_transcript(client, after_version=str(idle["version"]), timeout="10"))
    await asyncio.wait_for(holding.wait(), timeout=5)
    assert not poll.done()
    botapi.send_text(PLAYGROUND_USER, "hello")
    changed = await asyncio.wait_for(poll, timeout=5)
    assert [m["text"] for m in changed["messages"]] == ["hello"]
    assert changed["version"] > idle["version"]


async def test_a_behind_client_is_answered_at_once(
    client: aiohttp.ClientSession, botapi: RunningBotApi
) -> None:
    botapi.send_text(PLAYGROUND_USER, "hello")

    started = time.monotonic()
    answer = await _transcript(client, after_version="0", timeout="10")

    assert time.monotonic() - started < 1 and [m["text"] for m in answer["messages"]] == ["hello"]


async def test_deleted_messages_leave_the_transcript(
    client: aiohttp.ClientSession, botapi: RunningBotApi, bot: Application
) -> None:
    botapi.send_text(PLAYGROUND_USER, "/secret hunter2")
    await botapi.wait_for_text(PLAYGROUND_USER, "I deleted your message")

    texts = [m["text"] for m in (await _transcript(client))["messages"]]
    assert texts == ["Saved. I deleted your message."]


async def test_documents_are_listed_and_downloadable(
    client: aiohttp.ClientSession, botapi: RunningBotApi, bot: Application
) -> None:
    botapi.send_text(PLAYGROUND_USER, "/ics")
    await botapi.wait_for_message(PLAYGROUND_USER, lambda m: m.document is not None)

    sent = (await _transcript(client))["messages"][-1]
    assert sent["caption"] == "Add it to your calendar"
    assert sent["document"]["file_name"] == "booking.ics" and sent["document"]["size"] == len(ICS)
    async with client.get(f"/api/files/{sent['document']['file_id']}") as download:
        assert download.status == 200 and await download.read() == ICS
        assert download.headers["Content-Disposition"] == 'attachment; filename="booking.ics"'
    async with client.get("/api/files/nope") as missing:
        assert (await _json(missing, 404))["error"] == "No such file in this chat."


async def test_release_soon_answers_the_instant_and_day_and_info_remembers_it(
    client: aiohttp.ClientSession,
) -> None:
    async with client.post("/api/release-soon") as response:
        release = await _json(response)

    assert release["day"] == RELEASE_DAY.isoformat() and release["day_label"] == "Fri 14 Jun"
    assert 28 < release["seconds_left"] <= 30 and release["release_at"].endswith("+00:00")
    assert release["retimed"] == 1  # bookings already scheduled, timed again by the new release
    async with client.get("/api/info") as response:
        assert (await _json(response))["release"]["day"] == RELEASE_DAY.isoformat()


async def test_without_a_release_hook_the_option_is_off(botapi: RunningBotApi) -> None:
    playground = await start_playground(
        botapi, release_soon=None, accounts={}, club_url="https://club", port=0
    )
    try:
        async with aiohttp.ClientSession(base_url=playground.url) as client:
            async with client.get("/api/info") as response:
                assert (await _json(response))["release_soon"] is False
            async with client.post("/api/release-soon") as response:
                assert "real club" in (await _json(response, 404))["error"]
    finally:
        await playground.stop()


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/api/send", "not json", "must be JSON"),
        ("/api/send", "[1]", "JSON object"),
        ("/api/send", "{}", "'text'"),
        ("/api/send", '{"text": 5}', "'text'"),
        ("/api/send", '{"text": "   "}', "Type a message first"),
        ("/api/send", '{"text": "' + "x" * 4097 + '"}', "too long"),
        ("/api/press", '{"callback_data": "court:1"}', "'message_id'"),
        ("/api/press", '{"message_id": "1", "callback_data": "court:1"}', "'message_id'"),
        ("/api/press", '{"message_id": true, "callback_data": "court:1"}', "'message_id'"),
        ("/api/press", '{"message_id": 1}', "'callback_data'"),
    ],
)
async def test_bad_bodies_are_400_with_a_reason(
    client: aiohttp.ClientSession, botapi: RunningBotApi, path: str, body: str, error: str
) -> None:
    async with client.post(path, data=body, headers={"Content-Type": "application/json"}) as response:
        assert error in (await _json(response, 400))["error"]
    assert botapi.transcript(PLAYGROUND_USER) == []


@pytest.mark.parametrize("query", [{"after_version": "x"}, {"after_version": "1", "timeout": "nan"}])
async def test_bad_transcript_queries_are_400(client: aiohttp.ClientSession, query: dict[str, str]) -> None:
    async with client.get("/api/transcript", params=query) as response:
        assert "must be a number" in (await _json(response, 400))["error"]


async def test_a_busy_port_is_named_in_the_error(
    botapi: RunningBotApi, playground: RunningPlayground
) -> None:
    port = int(playground.url.rstrip("/").rsplit(":", 1)[1])
    with pytest.raises(OSError, match=f"can't listen on 127.0.0.1:{port}.*PLAYGROUND_PORT"):
        await start_playground(botapi, release_soon=None, accounts={}, club_url="", port=port)


async def test_stop_does_not_wait_for_held_long_polls(
    botapi: RunningBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    playground = await start_playground(botapi, release_soon=None, accounts={}, club_url="", port=0)
    holding = asyncio.Event()
    wait_changed = botapi.wait_changed

    async def noted_wait(after_version: int, hold: float) -> int:
        holding.set()
        return await wait_changed(after_version, hold)

    monkeypatch.setattr(botapi, "wait_changed", noted_wait)
    async with aiohttp.ClientSession(base_url=playground.url) as client:
        poll = asyncio.create_task(
            client.get("/api/transcript", params={"after_version": "999", "timeout": "30"})
        )
        await asyncio.wait_for(holding.wait(), timeout=5)
        started = time.monotonic()
        await playground.stop()
        assert time.monotonic() - started < 1
        with pytest.raises(aiohttp.ClientError):
            await poll

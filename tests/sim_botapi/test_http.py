"""The wire: raw Bot API requests in every encoding Telegram accepts, and the HTTP control API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import aiohttp
import pytest

from sim.botapi import RunningBotApi

ALICE = 1001


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def test_form_json_and_query_encodings_mean_the_same(
    api: RunningBotApi, http: aiohttp.ClientSession
) -> None:
    api.add_user(ALICE)
    url = f"{api.base_url}{api.token}/sendMessage"
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}

    form = await http.post(
        url, data={"chat_id": str(ALICE), "text": "form", "reply_markup": json.dumps(markup)}
    )
    body = await http.post(url, json={"chat_id": ALICE, "text": "json", "reply_markup": markup})
    query = await http.get(url, params={"chat_id": str(ALICE), "text": "query"})

    results = [await response.json() for response in (form, body, query)]
    assert all(result["ok"] for result in results)
    assert [result["result"]["text"] for result in results] == ["form", "json", "query"]
    assert results[0]["result"]["reply_markup"] == results[1]["result"]["reply_markup"] == markup
    assert results[0]["result"]["chat"] == {"id": ALICE, "type": "private", "first_name": f"User {ALICE}"}


async def test_wrong_token_and_unknown_method(api: RunningBotApi, http: aiohttp.ClientSession) -> None:
    wrong = await http.post(f"{api.base_url}999:WRONG/getMe")
    malformed = await http.post(f"{api.base_url}nonsense/getMe")
    unknown = await http.post(f"{api.base_url}{api.token}/sendTelepathy")
    any_case = await http.post(f"{api.base_url}{api.token}/GETME")

    assert (wrong.status, await wrong.json()) == (
        401,
        {"ok": False, "error_code": 401, "description": "Unauthorized"},
    )
    assert malformed.status == 404
    assert (unknown.status, await unknown.json()) == (
        404,
        {"ok": False, "error_code": 404, "description": "Not Found: method not found"},
    )
    assert (await any_case.json())["result"]["username"] == "courtbot_test_bot"
    assert [call.status for call in api.calls("sendTelepathy")] == [404]


async def test_429_envelope_and_gateway_page(api: RunningBotApi, http: aiohttp.ClientSession) -> None:
    api.inject_retry_after("getMe", 5)
    api.inject_server_error("getMe", status=502)

    flood = await http.post(f"{api.base_url}{api.token}/getMe")
    gateway = await http.post(f"{api.base_url}{api.token}/getMe")

    assert (flood.status, await flood.json()) == (
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": "Too Many Requests: retry after 5",
            "parameters": {"retry_after": 5},
        },
    )
    assert gateway.status == 502 and "<title>502 Bad Gateway</title>" in await gateway.text()


async def test_control_api_plays_a_user_and_reads_the_chat(
    api: RunningBotApi, http: aiohttp.ClientSession
) -> None:
    control = f"{api.url}/_control"
    sent = await (
        await http.post(f"{control}/send_text", json={"user_id": ALICE, "text": "/start", "first_name": "Al"})
    ).json()
    assert sent["message_id"] == 1 and sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]

    # The bot (here: raw HTTP) answers with a keyboard; a long-polling transcript read sees it.
    version = (await (await http.get(f"{control}/transcript/{ALICE}")).json())["version"]
    markup = {"inline_keyboard": [[{"text": "Court 1", "callback_data": "court:1"}]]}
    await http.post(
        f"{api.base_url}{api.token}/sendMessage",
        json={"chat_id": ALICE, "text": "Pick", "reply_markup": markup},
    )
    transcript = await (
        await http.get(
            f"{control}/transcript/{ALICE}", params={"after_version": str(version), "timeout": "2"}
        )
    ).json()
    assert [m["text"] for m in transcript["messages"]] == ["/start", "Pick"]
    assert transcript["messages"][1]["keyboard"] == [[{"text": "Court 1", "callback_data": "court:1"}]]

    pressed = await http.post(
        f"{control}/press_button", json={"user_id": ALICE, "message_id": 2, "callback_data": "court:1"}
    )
    query_id = (await pressed.json())["callback_query_id"]
    await http.post(
        f"{api.base_url}{api.token}/answerCallbackQuery", data={"callback_query_id": query_id, "text": "ok"}
    )
    answer = await (await http.get(f"{control}/answers/{query_id}")).json()
    assert answer["answer"]["text"] == "ok"

    refused = await http.post(
        f"{control}/press_button", json={"user_id": ALICE, "message_id": 2, "callback_data": "forged"}
    )
    assert refused.status == 400 and "no button with data 'forged'" in (await refused.json())["error"]
    calls = await (await http.get(f"{control}/calls", params={"method": "sendMessage"})).json()
    assert [call["params"]["text"] for call in calls["calls"]] == ["Pick"]


async def test_control_api_faults_and_waits(api: RunningBotApi, http: aiohttp.ClientSession) -> None:
    control = f"{api.url}/_control"
    await http.post(f"{control}/users", json={"user_id": ALICE})
    await http.post(f"{control}/faults", json={"status": 429, "retry_after": 3, "method": "sendMessage"})
    url = f"{api.base_url}{api.token}/sendMessage"

    flooded = await http.post(url, data={"chat_id": str(ALICE), "text": "one"})
    await http.post(url, data={"chat_id": str(ALICE), "text": "booked!"})
    found = await http.post(
        f"{control}/wait_for_text", json={"chat_id": ALICE, "substring": "booked", "timeout": 1}
    )
    missing = await http.post(
        f"{control}/wait_for_text", json={"chat_id": ALICE, "substring": "never", "timeout": 0.05}
    )

    assert (await flooded.json())["parameters"] == {"retry_after": 3}
    assert (await found.json())["text"] == "booked!"
    assert missing.status == 408


async def test_document_upload_over_multipart(api: RunningBotApi, http: aiohttp.ClientSession) -> None:
    api.add_user(ALICE)
    form = aiohttp.FormData()
    form.add_field("chat_id", str(ALICE))
    form.add_field("document", b"BEGIN:VCALENDAR", filename="slot.ics", content_type="text/calendar")

    sent = await (await http.post(f"{api.base_url}{api.token}/sendDocument", data=form)).json()

    document = sent["result"]["document"]
    assert (document["file_name"], document["mime_type"], document["file_size"]) == (
        "slot.ics",
        "text/calendar",
        15,
    )
    served = await http.get(f"{api.url}/_control/files/{document['file_id']}")
    assert await served.read() == b"BEGIN:VCALENDAR"
    assert api.calls("sendDocument")[0].params["document"] == {
        "filename": "slot.ics",
        "content_type": "text/calendar",
        "size": 15,
    }

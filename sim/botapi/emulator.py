# ruff: noqa: ASYNC109 - the wait helpers take `timeout` in seconds: a deadline is the point of each of them
"""The Bot API emulator: Telegram's side of the bot's conversation, in-process and scriptable.

The bot calls it over HTTP (app.py) exactly as it calls Telegram; tests, benchmarks and the playground
play the users through the control methods here (type a message, press a button), read what the bot
did (transcripts, the call log, callback answers), wait for it without sleeping, and script failures.
Everything runs on one event loop and needs no locks: each handler changes state without awaiting.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from sim.botapi.entities import utf16_length
from sim.botapi.errors import METHOD_NOT_FOUND, ApiError, ApiReply, ControlError
from sim.botapi.faults import FaultRule, Faults
from sim.botapi.formatting import finish_text
from sim.botapi.methods import MAX_TEXT, METHODS, canonical_name
from sim.botapi.models import (
    GROUP_TYPES,
    CallbackAnswer,
    CallbackQueryRecord,
    CallRecord,
    Chat,
    Document,
    GroupChat,
    MessageRecord,
    UserInfo,
    World,
    scope_key,
)
from sim.botapi.params import Params
from sim.botapi.updates import Signal, UpdateQueue

T = TypeVar("T")

DEFAULT_TOKEN = "123456:TEST"
DEFAULT_BOT_USERNAME = "courtbot_test_bot"
DEFAULT_BOT_NAME = "Courtbot"
DEFAULT_CALLBACK_QUERY_TTL = 15.0
_QUERY_ID_BASE = 4_000_000_000_000_000_000


class BotApiEmulator:
    """Telegram as one bot sees it: private chats with users, the bot's update queue, its call log.

    `callback_query_ttl`: seconds after a button press within which the bot may answer it (Telegram
    refuses late answers with "query is too old"); None never expires a query.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_username: str = DEFAULT_BOT_USERNAME,
        bot_name: str = DEFAULT_BOT_NAME,
        callback_query_ttl: float | None = DEFAULT_CALLBACK_QUERY_TTL,
    ) -> None:
        bot_id, _, secret = token.partition(":")
        if not bot_id.isdigit() or not secret:
            raise ValueError(f"a bot token looks like 123456:ABC, not {token!r}")
        self.token = token
        self.world = World(UserInfo(int(bot_id), bot_name, is_bot=True, username=bot_username))
        self.updates = UpdateQueue(on_hold_change=self._touch)
        self.faults = Faults()
        self.callback_query_ttl = callback_query_ttl
        self._calls: list[CallRecord] = []
        self._activity = Signal()
        self._version = 0
        self._query_numbers = itertools.count(1)

    @property
    def version(self) -> int:
        """A counter that grows with every change anyone could observe (calls, updates, user actions)."""
        return self._version

    # ---- the Bot API side ----------------------------------------------------------------------------

    async def call(self, method: str, params: Params) -> ApiReply:
        """Carry out one Bot API call (any capitalisation of the method name), faults applied, and log it."""
        started = time.time()
        name = canonical_name(method)
        chat_id = params.chat_id()
        if name is None:
            reply = ApiError(404, METHOD_NOT_FOUND).reply()
            self._log(method, params, chat_id, started, reply)
            return reply
        try:
            rule = self.faults.take(name, chat_id)
            if rule is not None and not rule.after_effect:
                raise rule.error()
            self.faults.check_flood(name, chat_id, started)
            result = await METHODS[name](self, params)
            if rule is not None:
                raise rule.error()
            reply = ApiReply.ok(result)
        except ApiError as exc:
            reply = exc.reply()
        self._log(name, params, chat_id, started, reply)
        return reply

    def close(self) -> None:
        """Release the bot's long poll now and answer later polls at once (the server is stopping)."""
        self.updates.close()
        self._touch()

    def _log(
        self, method: str, params: Params, chat_id: int | str | None, started: float, reply: ApiReply
    ) -> None:
        body = reply.body if isinstance(reply.body, dict) else {}
        self._calls.append(
            CallRecord(
                method=method,
                params=params.for_log(),
                chat_id=chat_id,
                at=started,
                duration=time.time() - started,
                status=reply.status,
                description=body.get("description") if reply.status != 200 else None,
                result=body.get("result"),
            )
        )
        self._touch()

    def _touch(self) -> None:
        self._version += 1
        self._activity.fire()

    # ---- acting as users -----------------------------------------------------------------------------

    def add_user(
        self,
        user_id: int,
        first_name: str | None = None,
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = None,
        started: bool = True,
    ) -> UserInfo:
        """Make a user known to Telegram; `started=False`: they never opened the bot, which may not write
        to them first (403). Given profile fields replace the user's current ones."""
        chat = self._chat(user_id, first_name, username, last_name, language_code)
        chat.started = started
        self._touch()
        return chat.user

    def block(self, user_id: int, blocked: bool = True) -> None:
        """The user blocks (or unblocks) the bot: its sends and edits to them fail with 403."""
        self._known_chat(user_id).blocked = blocked
        self._touch()

    def add_group(
        self,
        chat_id: int,
        title: str,
        members: Iterable[int] = (),
        *,
        kind: str = "group",
        bot_is_admin: bool = False,
    ) -> GroupChat:
        """Add the bot to a group or supergroup (a negative id) with these known users as members."""
        if kind not in GROUP_TYPES:
            raise ControlError(f"a group is one of {', '.join(GROUP_TYPES)}, not {kind!r}")
        if chat_id >= 0:
            raise ControlError("group ids are negative")
        unknown = [user_id for user_id in members if user_id not in self.world.chats]
        if unknown:
            raise ControlError(f"users {unknown} are unknown: add_user them first")
        group = self.world.groups[chat_id] = GroupChat(chat_id, title, kind, set(members), bot_is_admin)
        self._touch()
        return group

    def send_text(
        self,
        user_id: int,
        text: str,
        first_name: str | None = None,
        username: str | None = None,
        *,
        last_name: str | None = None,
        language_code: str | None = None,
        reply_to_message_id: int | None = None,
        chat_id: int | None = None,
    ) -> MessageRecord:
        """The user types `text` in their chat with the bot, or in group `chat_id`; a command gets its
        bot_command entity.

        Writing to the bot starts (and unblocks) the private chat, as it does on Telegram; writing in a
        group does not, and reaches the bot only as the group's privacy mode allows.
        """
        private = self._chat(user_id, first_name, username, last_name, language_code)
        chat: Chat | GroupChat = private if chat_id is None else self._member_of(chat_id, user_id)
        body, entities = finish_text(text, [])
        if not body:
            raise ControlError("Telegram sends no empty or all-whitespace message")
        if utf16_length(body) > MAX_TEXT:
            raise ControlError(f"a message holds at most {MAX_TEXT} characters")
        if reply_to_message_id is not None and chat.live(reply_to_message_id) is None:
            raise ControlError(f"chat {chat.id} has no message {reply_to_message_id} to reply to")
        message = self.world.add_message(
            chat, private.user, text=body, entities=entities, reply_to_message_id=reply_to_message_id
        )
        if isinstance(chat, Chat):
            chat.started, chat.blocked = True, False
        if isinstance(chat, Chat) or chat.delivered_to_bot(message, self.world.bot.username):
            self.updates.push("message", self.world.message_json(message))
        self._touch()
        return message

    def press_button(
        self,
        user_id: int,
        message_id: int,
        callback_data: str,
        *,
        force: bool = False,
        chat_id: int | None = None,
    ) -> str:
        """The user presses the inline button carrying `callback_data` on a message of their private
        chat (or of group `chat_id`); the query's id.

        The button must be on the message's current keyboard unless `force`, which forges a press
        (stale or tampered data; a missing message arrives as an inaccessible one, date 0).
        """
        user = self._known_chat(user_id).user
        chat = self._known_chat(user_id) if chat_id is None else self._member_of(chat_id, user_id)
        message = chat.live(message_id)
        if not force:
            if message is None:
                raise ControlError(f"chat {chat.id} has no message {message_id} (deleted or never sent)")
            buttons = [button for row in message.keyboard for button in row]
            if not any(button.callback_data == callback_data for button in buttons):
                offered = [(button.text, button.callback_data) for button in buttons]
                raise ControlError(
                    f"message {message_id} has no button with data {callback_data!r}: {offered}"
                )
        query_id = str(_QUERY_ID_BASE + next(self._query_numbers))
        self.world.callback_queries[query_id] = CallbackQueryRecord(
            query_id, user, chat.id, message_id, callback_data, time.time()
        )
        shown = (
            self.world.message_json(message)
            if message is not None
            else {"chat": chat.to_api(), "message_id": message_id, "date": 0}
        )
        self.updates.push(
            "callback_query",
            {
                "id": query_id,
                "from": user.to_api(),
                "message": shown,
                "chat_instance": self._chat_instance(chat.id),
                "data": callback_data,
            },
        )
        self._touch()
        return query_id

    def _chat(
        self,
        user_id: int,
        first_name: str | None,
        username: str | None,
        last_name: str | None,
        language_code: str | None,
    ) -> Chat:
        chat = self.world.chats.get(user_id)
        if chat is None:
            if user_id <= 0:
                raise ControlError("user ids are positive")
            chat = self.world.chats[user_id] = Chat(UserInfo(user_id, first_name or f"User {user_id}"))
        user = chat.user
        user.first_name = first_name or user.first_name
        user.username = username or user.username
        user.last_name = last_name or user.last_name
        user.language_code = language_code or user.language_code
        return chat

    def _known_chat(self, user_id: int) -> Chat:
        chat = self.world.chats.get(user_id)
        if chat is None:
            raise ControlError(f"user {user_id} has never talked to the bot")
        return chat

    def _member_of(self, chat_id: int, user_id: int) -> GroupChat:
        group = self.world.groups.get(chat_id)
        if group is None:
            raise ControlError(f"the bot is in no group {chat_id}")
        if user_id not in group.members:
            raise ControlError(f"user {user_id} is not a member of group {chat_id}")
        return group

    def _chat_instance(self, chat_id: int) -> str:
        digest = hashlib.sha256(f"{self.world.bot.id}:{chat_id}".encode()).digest()
        return str(int.from_bytes(digest[:8], "big", signed=True))

    # ---- reading results -----------------------------------------------------------------------------

    def chats(self) -> list[Chat]:
        """Every user the emulator knows, with their chat (private chat id = user id)."""
        return list(self.world.chats.values())

    def transcript(self, chat_id: int) -> list[MessageRecord]:
        """Every message of the chat (private or group) in order, deleted ones included (flagged); live
        records."""
        chat = self.world.chat(chat_id)
        return list(chat.messages) if chat else []

    def message(self, chat_id: int, message_id: int) -> MessageRecord:
        """One message of a chat, deleted or not (ControlError if it never existed)."""
        chat = self.world.chat(chat_id)
        message = chat.find(message_id) if chat else None
        if message is None:
            raise ControlError(f"chat {chat_id} has no message {message_id}")
        return message

    def calls(self, method: str | None = None) -> list[CallRecord]:
        """The bot's Bot API calls in order, optionally of one method (any capitalisation)."""
        if method is None:
            return list(self._calls)
        return [call for call in self._calls if call.method.lower() == method.lower()]

    def commands(self, scope: dict[str, Any] | None = None, language_code: str = "") -> list[dict[str, str]]:
        """The command list setMyCommands set for a scope (default scope) and language."""
        return list(self.world.commands.get((scope_key(scope), language_code), []))

    def menu(self, chat_id: int, user_id: int | None = None) -> list[dict[str, str]]:
        """The commands Telegram shows in a chat (to `user_id`, in a group), found as Telegram does: the
        narrowest scope with commands set wins (language "" only; group administrators are not modelled).
        """
        if chat_id in self.world.groups:
            scopes: list[dict[str, Any]] = [{"type": "chat", "chat_id": chat_id}, {"type": "all_group_chats"}]
            if user_id is not None:
                scopes.insert(0, {"type": "chat_member", "chat_id": chat_id, "user_id": user_id})
        else:
            scopes = [{"type": "chat", "chat_id": chat_id}, {"type": "all_private_chats"}]
        for scope in [*scopes, {"type": "default"}]:
            commands = self.world.commands.get((scope_key(scope), ""))
            if commands is not None:
                return list(commands)
        return []

    def answers(self, callback_query_id: str) -> CallbackAnswer | None:
        """The bot's answer to a button press, None while unanswered."""
        query = self.world.callback_queries.get(callback_query_id)
        if query is None:
            raise ControlError(f"no callback query {callback_query_id}")
        return query.answer

    def document(self, file_id: str) -> Document:
        """A file the bot uploaded, with its bytes."""
        document = self.world.files.get(file_id)
        if document is None:
            raise ControlError(f"no file {file_id}")
        return document

    def dump(self, chat_id: int) -> str:
        """The chat as readable lines, for failure messages."""
        lines = []
        for message in self.transcript(chat_id):
            who = "bot" if message.from_bot else "user"
            flags = " (deleted)" if message.deleted else ""
            content = message.text
            if message.document is not None:
                document = message.document
                content = (
                    f"[{document.file_name} {document.mime_type} {document.size} B] {message.caption or ''}"
                )
            buttons = " ".join(
                f"[{button.text}|{button.callback_data}]" for row in message.keyboard for button in row
            )
            lines.append(f"#{message.message_id} {who}{flags}: {content} {buttons}".rstrip())
        return "\n".join(lines) or "(no messages)"

    # ---- scripted failures ---------------------------------------------------------------------------

    def inject_error(
        self,
        status: int,
        description: str,
        *,
        method: str | None = None,
        chat_id: int | None = None,
        count: int | None = 1,
        retry_after: int | None = None,
        after_effect: bool = False,
    ) -> FaultRule:
        """Answer the next `count` matching calls (None: all until cleared) with this error."""
        return self.faults.add(
            FaultRule(status, description, method, chat_id, count, retry_after, after_effect=after_effect)
        )

    def inject_retry_after(
        self, method: str | None, retry_after: int, *, chat_id: int | None = None, count: int | None = 1
    ) -> FaultRule:
        """Answer the next `count` calls of `method` with 429 "Too Many Requests: retry after N"."""
        error = ApiError.flood(retry_after)
        return self.inject_error(
            429, error.description, method=method, chat_id=chat_id, count=count, retry_after=retry_after
        )

    def inject_server_error(
        self,
        method: str | None = None,
        *,
        status: int = 500,
        chat_id: int | None = None,
        count: int | None = 1,
        after_effect: bool = False,
    ) -> FaultRule:
        """Answer the next `count` calls with a 5xx (502/503/504 as the nginx HTML page Telegram shows)."""
        error = ApiError.server(status)
        return self.inject_error(
            status, error.description, method=method, chat_id=chat_id, count=count, after_effect=after_effect
        )

    def set_flood_limit(
        self, max_calls: int | None, window: float = 1.0, methods: Iterable[str] | None = None
    ) -> None:
        """Answer 429 when more than `max_calls` edits (or `methods`) hit one chat within `window` s;
        None turns the limiter off."""
        self.faults.set_flood_limit(max_calls, window, methods)

    def clear_faults(self) -> None:
        """Remove every rule and the flood limiter."""
        self.faults.clear()

    # ---- waiting without sleeping ----------------------------------------------------------------------

    async def wait_for(self, predicate: Callable[[], T], timeout: float = 5.0, *, what: str = "") -> T:
        """The first truthy value of `predicate`, re-checked after every change; TimeoutError otherwise."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"not within {timeout} s: {what or predicate!r}")
            await self._activity.wait(remaining)

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[MessageRecord], bool] | None = None,
        *,
        from_bot: bool = True,
        after: int = 0,
        include_deleted: bool = False,
        timeout: float = 5.0,
    ) -> MessageRecord:
        """The first message of the chat (by id, after message `after`) that matches `predicate` as it
        is now, from the bot unless `from_bot` is False; deleted ones only with `include_deleted`."""

        def find() -> MessageRecord | None:
            for message in self.transcript(chat_id):
                if (
                    message.message_id > after
                    and message.from_bot == from_bot
                    and (include_deleted or not message.deleted)
                    and (predicate is None or predicate(message))
                ):
                    return message
            return None

        try:
            return await self.wait_for(find, timeout)
        except TimeoutError:
            raise TimeoutError(
                f"no matching message in chat {chat_id} within {timeout} s; it has:\n{self.dump(chat_id)}"
            ) from None

    async def wait_for_text(
        self, chat_id: int, substring: str, *, after: int = 0, timeout: float = 5.0
    ) -> MessageRecord:
        """The first bot message of the chat whose current text (or caption) contains `substring`."""
        return await self.wait_for_message(
            chat_id,
            lambda message: substring in (message.text or message.caption or ""),
            after=after,
            timeout=timeout,
        )

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[CallRecord], bool] | None = None,
        *,
        count: int = 1,
        timeout: float = 5.0,
    ) -> CallRecord:
        """The `count`-th call of `method` (matching `predicate`) the bot has made."""

        def find() -> CallRecord | None:
            matching = [call for call in self.calls(method) if predicate is None or predicate(call)]
            return matching[count - 1] if len(matching) >= count else None

        return await self.wait_for(find, timeout, what=f"call #{count} of {method}")

    async def wait_for_answer(self, callback_query_id: str, timeout: float = 5.0) -> CallbackAnswer:
        """The bot's answerCallbackQuery for this press."""
        return await self.wait_for(
            lambda: self.answers(callback_query_id), timeout, what=f"an answer to query {callback_query_id}"
        )

    async def wait_for_poll(self, timeout: float = 5.0) -> None:
        """Until the bot's getUpdates is being held here: the bot is polling and idle."""
        await self.wait_for(lambda: self.updates.holding > 0, timeout, what="a getUpdates long poll")

    async def wait_changed(self, after_version: int, timeout: float) -> int:
        """Hold until the version passes `after_version` (or `timeout` s pass); the version then."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self._version <= after_version and (remaining := deadline - loop.time()) > 0:
            await self._activity.wait(remaining)
        return self._version

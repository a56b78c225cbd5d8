"""Every handler, registered in the order that matters: private chats only, then the access gate, the
conversation (/book, /login) next, then single commands and buttons, and last the answers for anything
nobody else took."""

from __future__ import annotations

import warnings
from collections.abc import Awaitable, Callable

from telegram import Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot.callbacks import Action, matches
from bot.draft import Step
from bot.handlers import (
    access,
    alternatives,
    book,
    bookings,
    dialogue,
    errors,
    language,
    login,
    members,
    privacy,
    start,
    watching,
    weekly,
)
from bot.handlers.commands import COMMANDS, OURS
from bot.handlers.common import Context, LoginStep

LANGUAGE_GROUP = -3
PRIVACY_GROUP = -2
GATE_GROUP = -1


def register(application: Application) -> None:
    application.add_handler(TypeHandler(Update, language.apply), group=LANGUAGE_GROUP)
    application.add_handler(TypeHandler(Update, privacy.guard), group=PRIVACY_GROUP)
    application.add_handler(TypeHandler(Update, access.gate), group=GATE_GROUP)
    application.add_handlers(
        [
            conversation(),
            *(CommandHandler(c.name, c.callback) for c in COMMANDS if not c.opens_dialogue),
            _button(access.ask_access, Action.ASK_ACCESS),
            _button(members.decide, Action.APPROVE, Action.DENY),
            _button(members.turn_page, Action.MEMBERS_PAGE),
            _button(bookings.cancel_request, Action.CANCEL_REQUEST),
            _button(bookings.cancel_booking, Action.CANCEL_BOOKING),
            _button(bookings.confirm_cancel_booking, Action.CONFIRM_CANCEL_BOOKING),
            _button(bookings.keep_booking, Action.KEEP_BOOKING),
            _button(bookings.turn_page, Action.BOOKINGS_PAGE),
            _button(watching.start, Action.WATCH),
            _button(alternatives.book, Action.ALTERNATIVE),
            _button(language.choose, Action.LANGUAGE),
            _button(weekly.pause, Action.PAUSE_SERIES),
            _button(weekly.resume, Action.RESUME_SERIES),
            _button(weekly.skip, Action.SKIP_SERIES),
            _button(weekly.unskip, Action.UNSKIP_SERIES),
            _button(weekly.delete, Action.DELETE_SERIES),
            _button(weekly.confirm_delete, Action.CONFIRM_DELETE_SERIES),
            _button(weekly.keep, Action.KEEP_SERIES),
            MessageHandler(filters.COMMAND, start.unknown_command),
            MessageHandler(filters.ALL, start.unknown_text),
            CallbackQueryHandler(start.stale_button),
        ]
    )
    application.add_error_handler(errors.on_error)


def conversation() -> ConversationHandler:
    """/book and /login as one conversation per chat: starting either leaves the other, /cancel leaves both."""
    typed = filters.TEXT & ~filters.COMMAND
    with warnings.catch_warnings():
        # Buttons are tracked per chat and checked against the draft's message, as PTB's examples do.
        warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)
        return ConversationHandler(
            entry_points=[
                *(CommandHandler(c.name, c.callback) for c in COMMANDS if c.opens_dialogue),
                _button(book.begin_from_button, Action.NEW_BOOKING),
            ],
            states={
                Step.DAY: [
                    _button(book.choose_day, Action.DAY),
                    _button(book.turn_day_page, Action.DAY_PAGE),
                ],
                Step.TIMES: [
                    _button(book.toggle_time, Action.TIME),
                    _button(book.times_done, Action.TIMES_DONE),
                    _button(book.refresh, Action.REFRESH),
                ],
                Step.COURTS: [
                    _button(book.toggle_court, Action.COURT),
                    _button(book.any_court, Action.ANY_COURT),
                    _button(book.courts_done, Action.COURTS_DONE),
                    _button(book.refresh, Action.REFRESH),
                ],
                Step.DURATION: [_button(book.choose_duration, Action.DURATION)],
                Step.PARTNER: [
                    MessageHandler(typed, book.partner_typed),
                    _button(book.use_offered_partner, Action.PARTNER_DEFAULT),
                ],
                Step.SUMMARY: [
                    _button(book.submit, Action.SUBMIT),
                    _button(book.make_weekly, Action.MAKE_WEEKLY),
                    _button(book.save_partner, Action.SAVE_PARTNER),
                ],
                LoginStep.USERNAME: [MessageHandler(typed, login.receive_username)],
                # While a password is awaited, anything but our commands (even "/x...") is the password.
                LoginStep.PASSWORD: [MessageHandler(filters.TEXT & ~OURS, login.receive_password)],
            },
            fallbacks=[
                *(CommandHandler(c.name, c.in_dialogue) for c in COMMANDS if c.in_dialogue is not None),
                _button(book.back, Action.BACK),
                _button(book.abort, Action.ABORT),
                MessageHandler(typed, dialogue.use_buttons),
            ],
            allow_reentry=True,
            name="dialogue",
        )


def _button(
    callback: Callable[[Update, Context], Awaitable[object]], *actions: Action
) -> CallbackQueryHandler:
    """A handler for presses of buttons whose data parses as one of `actions`."""
    return CallbackQueryHandler(callback, pattern=matches(*actions))

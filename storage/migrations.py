"""Versioned schema, applied in order at start-up; PRAGMA user_version records how far we got."""

from __future__ import annotations

MIGRATIONS: tuple[str, ...] = (
    # 1: members, their club credentials, booking requests, attempts, progress messages
    """
    CREATE TABLE members (
        telegram_id     INTEGER PRIMARY KEY,
        name            TEXT NOT NULL,
        role            TEXT NOT NULL CHECK (role IN ('member', 'admin')),
        access          TEXT NOT NULL CHECK (access IN ('stranger', 'pending', 'allowed', 'denied')),
        partner_default TEXT,
        created_at      TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE credentials (
        member_id     INTEGER PRIMARY KEY REFERENCES members (telegram_id) ON DELETE CASCADE,
        username_enc  BLOB NOT NULL,
        password_enc  BLOB NOT NULL,
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE TABLE requests (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        member_id     INTEGER NOT NULL REFERENCES members (telegram_id) ON DELETE CASCADE,
        day           TEXT NOT NULL,
        times         TEXT NOT NULL,
        duration_min  INTEGER NOT NULL,
        courts        TEXT NOT NULL,
        partner       TEXT,
        status        TEXT NOT NULL,
        release_at    TEXT,
        booked_court  INTEGER,
        booked_time   TEXT,
        reference     TEXT,
        reason        TEXT,
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        updated_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX requests_by_status ON requests (status);
    CREATE INDEX requests_by_member ON requests (member_id, status);
    CREATE TABLE attempts (
        id             INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id     INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
        court          INTEGER NOT NULL,
        start          TEXT NOT NULL,
        sent_at        REAL NOT NULL,
        clock_offset_s REAL NOT NULL DEFAULT 0,
        outcome        TEXT NOT NULL,
        detail         TEXT,
        reference      TEXT,
        finished_at    REAL
    );
    CREATE INDEX attempts_by_request ON attempts (request_id);
    CREATE TABLE progress_messages (
        request_id  INTEGER PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
        chat_id     INTEGER NOT NULL,
        message_id  INTEGER NOT NULL
    );
    """,
    # 2: weekly series; requests remember their series and, while watching for a cancellation, a deadline
    """
    CREATE TABLE weekly_series (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        member_id     INTEGER NOT NULL REFERENCES members (telegram_id) ON DELETE CASCADE,
        weekday       INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),
        times         TEXT NOT NULL,
        duration_min  INTEGER NOT NULL,
        courts        TEXT NOT NULL,
        partner       TEXT,
        status        TEXT NOT NULL CHECK (status IN ('active', 'paused', 'deleted')),
        skip_dates    TEXT NOT NULL DEFAULT '[]',
        created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    );
    CREATE INDEX series_by_member ON weekly_series (member_id, status);
    ALTER TABLE requests ADD COLUMN series_id INTEGER REFERENCES weekly_series (id) ON DELETE SET NULL;
    ALTER TABLE requests ADD COLUMN watch_until TEXT;
    CREATE INDEX requests_by_series ON requests (series_id, day);
    """,
    # 3: the outbox of final notices, written with the request's final status and kept until delivered
    """
    CREATE TABLE notices (
        id               INTEGER PRIMARY KEY AUTOINCREMENT,
        request_id       INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
        event            TEXT NOT NULL,
        created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        sent_message_id  INTEGER,
        delivered_at     TEXT,
        gave_up          TEXT
    );
    CREATE INDEX notices_pending ON notices (id) WHERE delivered_at IS NULL AND gave_up IS NULL;
    """,
    # 4: slots a member won that another of our members wanted too (the release plan's fairness)
    """
    CREATE TABLE contest_wins (
        id         INTEGER PRIMARY KEY AUTOINCREMENT,
        member_id  INTEGER NOT NULL REFERENCES members (telegram_id) ON DELETE CASCADE,
        won_at     REAL NOT NULL
    );
    CREATE INDEX contest_wins_by_member ON contest_wins (member_id, won_at);
    """,
    # 5: where a member's access came from (the settings, or an admin), so leaving the settings revokes it;
    # NULL for access given before this was recorded
    """
    ALTER TABLE members ADD COLUMN granted TEXT CHECK (granted IN ('settings', 'admin'));
    """,
    # 6: the language a member chose with /language, and the one their Telegram app last said it speaks
    # (for messages that are no answer to them: a booking's progress, a notice)
    """
    ALTER TABLE members ADD COLUMN language TEXT;
    ALTER TABLE members ADD COLUMN telegram_language TEXT;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)

"""The `courtbot` command: parses arguments and hands over; the work lives in the packages."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Sequence

from booking.masking import mask, remember
from bot import logs
from bot.settings import Settings, SettingsError, cautions, load_settings
from bot.startup import StartupError
from storage.crypto import SecretKeyError, new_key
from storage.db import StorageError


def main(argv: Sequence[str] | None = None) -> None:
    logs.mask_uncaught()
    parser = argparse.ArgumentParser(
        prog="courtbot", description="Books tennis courts the instant they open."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("run", help="run the bot (the local playground when TELEGRAM_BOT_TOKEN is not set)")
    club = commands.add_parser("club", help="run the simulated club site alone")
    commands.add_parser("keygen", help="print a new encryption key for ENCRYPTION_KEYS")
    commands.add_parser("rotate-keys", help="re-encrypt every stored secret under the first key")
    commands.add_parser(
        "forget-logins", help="delete every stored club login (their key is lost); members /login again"
    )
    commands.add_parser("check", help="validate the settings and print them, secrets masked")

    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["club"]:  # the simulator's own flags; any other command leaves sim/ unloaded
        from sim.club.cli import add_arguments as add_club_arguments

        add_club_arguments(club)
    args = parser.parse_args(argv)
    try:
        if args.command == "keygen":
            print(new_key())
        elif args.command == "club":
            from sim.club.cli import run as run_club

            run_club(args)
        else:
            settings = _settings()
            if args.command == "check":
                _check(settings)
            elif args.command == "rotate-keys":
                asyncio.run(_rotate(settings))
            elif args.command == "forget-logins":
                asyncio.run(_forget_logins(settings))
            else:
                from bot.app import run

                run(settings)
    except (SettingsError, SecretKeyError, StorageError, StartupError) as error:
        sys.exit(f"courtbot: {mask(str(error))}")
    except KeyboardInterrupt:
        pass


def _settings() -> Settings:
    settings = load_settings(os.environ)
    remember(settings.telegram_bot_token or "", *settings.encryption_keys)
    return settings


def _check(settings: Settings) -> None:
    for name, value in settings.masked().items():
        print(f"{name:<22} {value}")
    for caution in cautions(settings):
        print(f"warning: {caution}")
    print("settings are valid")


async def _rotate(settings: Settings) -> None:
    from storage import Storage

    storage = await Storage.open(settings.data_dir, settings.encryption_keys)
    try:
        count = await storage.credentials.rotate_all()
    finally:
        await storage.close()
    print(f"re-encrypted {count} stored login(s) under the first key; older keys may now be removed")


async def _forget_logins(settings: Settings) -> None:
    from storage import Storage

    storage = await Storage.open(settings.data_dir, settings.encryption_keys)
    try:
        count = await storage.credentials.delete_all()
    finally:
        await storage.close()
    print(f"forgot {count} stored login(s); each member sends /login again")

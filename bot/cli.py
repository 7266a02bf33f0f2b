"""`bookbot` command line: run | demo | parse | sandbox | check | db upgrade | keys new|rotate."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

from pydantic import ValidationError

if TYPE_CHECKING:
    from bot.config import Settings


def _settings_or_exit(stderr: TextIO) -> object:
    from bot.config import Settings

    try:
        return Settings()
    except ValidationError as error:
        for problem in error.errors():
            name = ".".join(str(part) for part in problem.get("loc", ())) or "settings"
            print(f"bookbot: bad setting {name}: {problem.get('msg')}", file=stderr)
        raise SystemExit(2) from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def _build_parser() -> argparse.ArgumentParser:
    from bot.timeparse.cli import add_parse_arguments

    parser = argparse.ArgumentParser(
        prog="bookbot", description="Book HubSpot meetings from Slack."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser("run", help="serve the Slack app (Socket Mode or HTTP)")
    run.add_argument("--port", type=int, default=3000, help="HTTP mode port (default 3000)")
    run.add_argument("--host", default="0.0.0.0", help="HTTP mode bind address")
    run.add_argument("--sandbox", action="store_true", help="use the built-in HubSpot sandbox")
    run.add_argument("--log-json", action="store_true", help="structured JSON logs")
    run.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="HTTP mode worker processes (default 1); share them through DATABASE_URL and "
        "REDIS_URL. Socket Mode: run several `bookbot run` processes instead",
    )

    demo = commands.add_parser("demo", help="the whole booking flow offline, no tokens needed")
    demo.add_argument(
        "--text",
        default="demo tomorrow 10am ana@acme.com",
        help="what the simulated person types after /book",
    )
    demo.add_argument("--tz", default="America/New_York", help="the simulated person's time zone")
    demo.add_argument("--locale", default="en-US", help="the simulated person's Slack locale")

    parse = commands.add_parser("parse", help="read a time expression the way /book does")
    add_parse_arguments(parse)

    sandbox = commands.add_parser("sandbox", help="serve the built-in HubSpot sandbox alone")
    sandbox.add_argument("--port", type=int, default=8080)
    sandbox.add_argument("--host", default="127.0.0.1")

    commands.add_parser("check", help="validate configuration and reach Slack and HubSpot")

    db = commands.add_parser("db", help="the bookings database (DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="migrate DATABASE_URL to the newest schema revision")

    keys = commands.add_parser("keys", help="BOOKBOT_ENCRYPTION_KEY: tokens encrypted at rest")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="KEYS_COMMAND")
    keys_commands.add_parser("new", help="print a fresh key (put it first in the list)")
    keys_commands.add_parser(
        "rotate", help="re-encrypt every stored token with the first key, then drop the old keys"
    )
    return parser


async def _db_upgrade(settings: Settings, stdout: TextIO, stderr: TextIO) -> int:
    """`bookbot db upgrade`: migrate to head and say which revision the database is at."""
    from alembic.util import CommandError

    from bot.store import Store, StoreError, head_revision, resolve_database_url

    try:
        where = resolve_database_url(settings.database_url).display
        store = await Store.open(settings.database_url, migrate=True)
    except StoreError as error:
        print(f"bookbot: {error}", file=stderr)
        return 1
    except CommandError as error:  # e.g. a revision newer than this version of Booker
        print(f"bookbot: cannot upgrade {where}: {error}", file=stderr)
        return 1
    await store.close()
    print(f"Database {where} is at revision {head_revision()} (head).", file=stdout)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    try:
        return _dispatch(args)
    except KeyboardInterrupt:
        return 130


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "parse":
        from bot.timeparse.cli import run_parse

        return run_parse(args, sys.stdin, sys.stdout)
    if args.command == "sandbox":
        from bot.sandbox.server import serve

        serve(args.port, host=args.host)
        return 0
    if args.command == "check":
        from bot.check import run_check

        return asyncio.run(run_check(_settings_or_exit(sys.stderr), sys.stdout))  # type: ignore[arg-type]
    if args.command == "demo":
        from bot.demo import run_demo

        return asyncio.run(run_demo(text=args.text, tz=args.tz, locale=args.locale, out=sys.stdout))
    if args.command == "db":
        return asyncio.run(_db_upgrade(_settings_or_exit(sys.stderr), sys.stdout, sys.stderr))  # type: ignore[arg-type]
    if args.command == "keys":
        if args.keys_command == "new":
            from bot.crypto import TokenCipher

            print(TokenCipher.generate_key())
            return 0
        from bot.key_rotation import run_keys_rotate

        return asyncio.run(
            run_keys_rotate(_settings_or_exit(sys.stderr), sys.stdout, sys.stderr)  # type: ignore[arg-type]
        )
    if args.command == "run":
        from bot.server import run_server

        return run_server(
            _settings_or_exit(sys.stderr),  # type: ignore[arg-type]
            host=args.host,
            port=args.port,
            force_sandbox=args.sandbox,
            log_json=args.log_json,
            workers=args.workers,
        )
    raise AssertionError(f"unknown command {args.command}")

"""`bookbot` command line: run | demo | parse | sandbox | check | db upgrade | keys new|rotate."""

from __future__ import annotations

import argparse
import asyncio
import logging
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


RUN_ENVIRONMENT = """\
environment (or a .env file in the working directory; README: Configuration):
  SLACK_BOT_TOKEN        the bot token (xoxb-...); one workspace
  SLACK_APP_TOKEN        app-level token (xapp-...): Socket Mode
  SLACK_SIGNING_SECRET   HTTP mode: verifies Slack's requests
  SLACK_CLIENT_ID, SLACK_CLIENT_SECRET, BOOKBOT_PUBLIC_URL, BOOKBOT_ENCRYPTION_KEY
                         install in many workspaces (OAuth, HTTP mode)
  HUBSPOT_ACCESS_TOKEN   HubSpot private-app token (or --sandbox)
  HUBSPOT_CLIENT_ID, HUBSPOT_CLIENT_SECRET
                         each workspace connects its own HubSpot (Connect HubSpot)
  SLACK_API_URL, HUBSPOT_BASE_URL
                         API bases (default https://slack.com/api/, https://api.hubapi.com)
  DATABASE_URL           bookings ledger (default sqlite:///bookbot.db; postgresql://...)
  REDIS_URL              rate limiter and page cache shared by workers (default in-process)
  BOOKBOT_PROCESSES, BOOKBOT_REDIS_PREFIX, BOOKBOT_DEFAULT_SLUG, BOOKBOT_LANGUAGES,
  BOOKBOT_REMINDER_MINUTES, BOOKBOT_LOG_LEVEL, HUBSPOT_RATE_LIMIT, HUBSPOT_RATE_WINDOW_SECONDS
"""


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

    run = commands.add_parser(
        "run",
        help="serve the Slack app (Socket Mode or HTTP)",
        description="Serve the Slack app: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on "
        "--port (POST /slack/events, GET /healthz, GET /metrics). Every problem with the "
        "settings is one line and exit status 2, before anything listens.",
        epilog=RUN_ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument("--port", type=int, default=3000, help="HTTP mode port (default 3000)")
    run.add_argument(
        "--host", default="0.0.0.0", help="HTTP mode bind address (default 0.0.0.0: all)"
    )
    run.add_argument(
        "--sandbox",
        action="store_true",
        help="book on the built-in HubSpot stand-in instead of HubSpot (says so in the log and "
        "on every card); without it Booker refuses to start with no HubSpot credentials",
    )
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

    sandbox = commands.add_parser(
        "sandbox",
        help="serve the built-in HubSpot sandbox alone",
        description="Serve the built-in HubSpot stand-in alone: the same paths, shapes, errors "
        "and rate limits as HubSpot's Scheduler API, with a few seeded meeting pages "
        "(knobs: BOOKBOT_SANDBOX_LATENCY_MS, BOOKBOT_SANDBOX_FAULTS, BOOKBOT_SANDBOX_TOKEN, "
        "BOOKBOT_SANDBOX_RATE_LIMIT).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    sandbox.add_argument("--port", type=int, default=8080, help="port to listen on")
    sandbox.add_argument("--host", default="127.0.0.1", help="address to listen on")

    check = commands.add_parser(
        "check",
        help="validate configuration and reach Slack and HubSpot",
        description="Print every setting (secrets masked), then try each service: the database "
        "(DATABASE_URL), Redis (REDIS_URL), Slack (auth.test) and HubSpot (list the meeting "
        "pages). Below the table, one line per problem: everything `bookbot run` would refuse, "
        "and every service that does not answer. Exit status 0 when all is well, 1 otherwise.",
        epilog=RUN_ENVIRONMENT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "--sandbox",
        action="store_true",
        help="check the configuration of `bookbot run --sandbox` (no HubSpot credentials needed)",
    )
    check.add_argument(
        "--port",
        type=int,
        default=None,
        help="also check that `bookbot run --port PORT` could listen there",
    )
    check.add_argument("--host", default="0.0.0.0", help="with --port: the bind address")

    db = commands.add_parser("db", help="the bookings database (DATABASE_URL)")
    db_commands = db.add_subparsers(dest="db_command", required=True, metavar="DB_COMMAND")
    db_commands.add_parser("upgrade", help="migrate DATABASE_URL to the newest schema revision")

    keys = commands.add_parser("keys", help="BOOKBOT_ENCRYPTION_KEY: tokens encrypted at rest")
    keys_commands = keys.add_subparsers(dest="keys_command", required=True, metavar="KEYS_COMMAND")
    keys_commands.add_parser("new", help="print a fresh key (put it first in the list)")
    keys_commands.add_parser(
        "rotate",
        help="re-encrypt every stored token with the first key",
        description="Re-encrypt every stored Slack and HubSpot token with the first key of "
        "BOOKBOT_ENCRYPTION_KEY, in one transaction, and print how many rows were rewritten. "
        "It changes no setting: afterwards remove the old keys from BOOKBOT_ENCRYPTION_KEY "
        "yourself and restart.",
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
        from bot.devtools.sandbox.server import serve
        from bot.startup import PORT_MAX, bind_problem

        problem = (
            f"--port {args.port} is out of range: use a port from 1 to {PORT_MAX}"
            if not 0 <= args.port <= PORT_MAX
            else bind_problem(args.host, args.port)
        )
        if problem is not None:
            print(f"bookbot: {problem}", file=sys.stderr)
            return 2
        serve(args.port, host=args.host)
        return 0
    if args.command == "check":
        from bot.check import run_check
        from bot.startup import RunOptions

        options = RunOptions(host=args.host, port=args.port, sandbox=args.sandbox)
        return asyncio.run(
            run_check(_settings_or_exit(sys.stderr), sys.stdout, options=options)  # type: ignore[arg-type]
        )
    if args.command == "demo":
        from bot.devtools.demo import run_demo

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

        settings: Settings = _settings_or_exit(sys.stderr)  # type: ignore[assignment]
        refused = _refuse_to_start(settings, args)
        if refused:
            return refused
        return run_server(
            settings,
            host=args.host,
            port=args.port,
            force_sandbox=args.sandbox,
            log_json=args.log_json,
            workers=args.workers,
        )
    raise AssertionError(f"unknown command {args.command}")


def _refuse_to_start(settings: Settings, args: argparse.Namespace) -> int:
    """2 after one line per problem that keeps `run` from starting (nothing listens yet); else
    0, after the one warning that the built-in sandbox stands in for HubSpot when asked to."""
    from bot.logging_setup import configure_logging
    from bot.startup import RunOptions, run_problems

    options = RunOptions(
        host=args.host, port=None if settings.socket_mode else args.port, sandbox=args.sandbox
    )
    # Library log lines while checking (e.g. a driver's retries) would break the one line.
    configure_logging("CRITICAL", json_lines=args.log_json)
    problems = asyncio.run(run_problems(settings, options))
    for problem in problems:
        print(f"bookbot: {problem}", file=sys.stderr)
    if problems:
        return 2
    if args.sandbox:
        configure_logging(settings.log_level, json_lines=args.log_json)
        logging.getLogger("bot.cli").warning(
            "--sandbox: bookings go to the built-in HubSpot stand-in, not to HubSpot; every "
            "card says it is a sandbox booking"
        )
    return 0

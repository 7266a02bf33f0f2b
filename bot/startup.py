"""Start-up checks shared by `bookbot run` (refuse to start) and `bookbot check` (report).

Each check takes the Settings and the run options and yields one line per problem: it names the
setting and says how to fix it, with secrets masked. `run` prints every line and exits 2 before
anything listens; `check` lists them under its table. A new refusal is one more function in
SETTING_CHECKS (no I/O) or REACHABILITY_CHECKS (async, reaches a service).
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.config import Settings

PORT_MAX = 65535


@dataclass(frozen=True)
class RunOptions:
    """What `bookbot run` was asked for on its command line."""

    host: str = "0.0.0.0"
    # None: nothing will listen (`bookbot check` without --port, Socket Mode).
    port: int | None = 3000
    sandbox: bool = False


SettingCheck = Callable[[Settings, RunOptions], Iterable[str]]
ReachabilityCheck = Callable[[Settings, RunOptions], AsyncIterator[str]]


def one_line(text: str) -> str:
    """Messages from libraries may span lines; a start-up problem is one line."""
    return " ".join(str(text).split())


def masked_url(url: str) -> str:
    """`url` as it may be shown: a password and a query string (tokens hide there) masked."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        port = parts.port
    except ValueError:
        return "(not a URL)"
    if not parts.scheme or not parts.netloc:
        return "(not a URL)"
    userinfo = ""
    if parts.username is not None:
        userinfo = parts.username + (":***" if parts.password is not None else "") + "@"
    hostport = (host or "") + (f":{port}" if port is not None else "")
    return f"{parts.scheme}://{userinfo}{hostport}{parts.path}" + ("?***" if parts.query else "")


def http_url_problem(url: str) -> str | None:
    """Why `url` cannot be an http(s) address, or None."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "is not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "is not an http(s) URL"
    return None


# --- checks without I/O ------------------------------------------------------------------
def slack_and_oauth_settings(settings: Settings, options: RunOptions) -> Iterable[str]:
    """Slack tokens, OAuth and Connect HubSpot settings (bot/server.py settings_problems)."""
    from bot.server import settings_problems

    return settings_problems(settings, force_sandbox=options.sandbox)


def hubspot_credentials(settings: Settings, options: RunOptions) -> Iterator[str]:
    """The built-in sandbox is used only when asked for, never because a token is missing."""
    if settings.uses_sandbox and not options.sandbox:
        yield (
            "HUBSPOT_ACCESS_TOKEN is not set: set HUBSPOT_ACCESS_TOKEN to your HubSpot "
            "private-app token (README: Get a HubSpot token), or HUBSPOT_CLIENT_ID and "
            "HUBSPOT_CLIENT_SECRET for Connect HubSpot, or run with --sandbox to try it on the "
            "built-in stand-in"
        )


def urls(settings: Settings, options: RunOptions) -> Iterator[str]:
    examples = {
        "SLACK_API_URL": (settings.slack_api_url, "https://slack.com/api/"),
        "HUBSPOT_BASE_URL": (settings.hubspot_base_url, "https://api.hubapi.com"),
        "SLACK_AUTHORIZE_URL": (
            settings.slack_authorize_url,
            "https://slack.com/oauth/v2/authorize",
        ),
        "HUBSPOT_AUTHORIZE_URL": (
            settings.hubspot_authorize_url,
            "https://app.hubspot.com/oauth/authorize",
        ),
        "BOOKBOT_PUBLIC_URL": (settings.public_url, "https://booker.example.com"),
    }
    for name, (value, example) in examples.items():
        if value is None or (name == "HUBSPOT_BASE_URL" and options.sandbox):
            continue
        problem = http_url_problem(value)
        if problem is not None and not (
            # oauth_problems already says this one.
            name == "BOOKBOT_PUBLIC_URL" and settings.oauth_mode
        ):
            yield f"{name} {problem}: use e.g. {example}, or leave it unset for the default"


def database_url(settings: Settings, options: RunOptions) -> Iterator[str]:
    from bot.store import StoreError, resolve_database_url

    try:
        resolve_database_url(settings.database_url)
    except StoreError as error:
        yield one_line(str(error))


def redis_url(settings: Settings, options: RunOptions) -> Iterator[str]:
    if settings.redis_url is None:
        return
    from redis.asyncio import Redis

    try:
        Redis.from_url(settings.redis_url)
    except ValueError:
        yield (
            f"REDIS_URL {masked_url(settings.redis_url)} is not a Redis URL: use e.g. "
            "redis://127.0.0.1:6379/0, or unset it to keep the rate limiter in-process"
        )


def port_range(settings: Settings, options: RunOptions) -> Iterator[str]:
    if options.port is not None and not 0 <= options.port <= PORT_MAX:
        yield f"--port {options.port} is out of range: use a port from 1 to {PORT_MAX}"


SETTING_CHECKS: tuple[SettingCheck, ...] = (
    slack_and_oauth_settings,
    hubspot_credentials,
    urls,
    database_url,
    redis_url,
    port_range,
)


def setting_problems(settings: Settings, options: RunOptions) -> list[str]:
    """Every problem the settings alone show, one line each, in a stable order, no repeats."""
    problems: list[str] = []
    for check in SETTING_CHECKS:
        for problem in check(settings, options):
            line = one_line(problem)
            if line not in problems:
                problems.append(line)
    return problems


# --- checks that reach a service -------------------------------------------------------------
async def database_reachable(settings: Settings, options: RunOptions) -> AsyncIterator[str]:
    """The ledger opens and is at the newest schema (`run` migrates it, as it would anyway)."""
    from alembic.util import CommandError

    from bot.store import Store, StoreError, resolve_database_url

    where = resolve_database_url(settings.database_url).display
    try:
        store = await Store.open(settings.database_url, migrate=True)
    except StoreError as error:
        await driver_threads_settled()
        yield one_line(f"DATABASE_URL: {error}")
        return
    except CommandError as error:  # e.g. a revision newer than this version of Booker
        yield one_line(
            f"DATABASE_URL: cannot migrate {where}: {error} (is a newer Booker using it?)"
        )
        return
    await store.close()


async def driver_threads_settled(seconds: float = 2.0) -> None:
    """aiosqlite stops a connection that failed to open on its worker thread, which then answers
    on the event loop: were the loop closed first, that thread would print a traceback after our
    one line. Wait (briefly) for such threads to end."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline and any(
        "_connection_worker_thread" in thread.name for thread in threading.enumerate()
    ):
        await asyncio.sleep(0.01)


async def redis_reachable(settings: Settings, options: RunOptions) -> AsyncIterator[str]:
    """Only `check` asks: `run` keeps serving on its in-process limiter while Redis is away."""
    if settings.redis_url is None:
        return
    from redis.exceptions import RedisError

    from bot.hubspot.limiter import redis_client

    try:
        client = redis_client(settings.redis_url)
    except ValueError:  # not a Redis URL: the settings check says so
        return
    try:
        await client.ping()
    except (RedisError, OSError) as error:
        yield (
            f"REDIS_URL {masked_url(settings.redis_url)} does not answer "
            f"({type(error).__name__}): start Redis or fix REDIS_URL (Booker runs without it, "
            "each process on its own share of HubSpot's budget)"
        )
    finally:
        await client.aclose()


async def port_free(settings: Settings, options: RunOptions) -> AsyncIterator[str]:
    if options.port is None or settings.socket_mode or not 0 <= options.port <= PORT_MAX:
        return
    problem = bind_problem(options.host, options.port)
    if problem is not None:
        yield problem


def bind_problem(host: str, port: int) -> str | None:
    """Why Booker could not listen on host:port, or None (the probe's socket is closed at once)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError):
        return f"--host {host} is not an address of this machine: use e.g. 0.0.0.0 or 127.0.0.1"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return (
                    f"--port {port} is in use on {host}: stop what listens there or choose "
                    "another --port"
                )
            if error.errno == errno.EACCES:
                return f"--port {port} needs privileges on {host}: choose a port above 1023"
            return f"--host {host} --port {port} cannot be listened on: {error.strerror}"
    return None


RUN_REACHABILITY: tuple[ReachabilityCheck, ...] = (database_reachable, port_free)


async def reachability_problems(
    settings: Settings, options: RunOptions, checks: Iterable[ReachabilityCheck]
) -> list[str]:
    problems: list[str] = []
    for check in checks:
        async for problem in check(settings, options):
            problems.append(one_line(problem))
    return problems


async def run_problems(settings: Settings, options: RunOptions) -> list[str]:
    """What keeps `bookbot run` from starting. Reachability is tried only on sound settings."""
    problems = setting_problems(settings, options)
    if problems:
        return problems
    return await reachability_problems(settings, options, RUN_REACHABILITY)


__all__ = [
    "RUN_REACHABILITY",
    "SETTING_CHECKS",
    "RunOptions",
    "bind_problem",
    "database_reachable",
    "driver_threads_settled",
    "masked_url",
    "one_line",
    "reachability_problems",
    "redis_reachable",
    "run_problems",
    "setting_problems",
]

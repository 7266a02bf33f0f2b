"""`bookbot run`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP under uvicorn."""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import orjson
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from bot.config import Settings
from bot.guard import form_fields
from bot.hubspot.connect import SANDBOX_MOUNT, sandbox_pages
from bot.logging_setup import configure_logging, new_request_id
from bot.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from bot.metrics import MULTIPROC_ENV

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger("bot.server")


def settings_problems(settings: Settings, *, force_sandbox: bool) -> list[str]:
    """One line per setting that keeps `bookbot run` from starting, saying how to fix it."""
    problems = []
    if settings.slack_client_id or settings.slack_client_secret is not None:
        # OAuth mode: each workspace's token comes from its install, not SLACK_BOT_TOKEN.
        from bot.oauth_settings import oauth_problems

        problems.extend(oauth_problems(settings))
    elif settings.slack_bot_token is None:
        problems.append(
            "SLACK_BOT_TOKEN is not set: copy the xoxb- token from your Slack app's "
            "OAuth & Permissions page"
        )
    elif not settings.slack_bot_token.get_secret_value().startswith("xoxb-"):
        problems.append(
            "SLACK_BOT_TOKEN does not look like a bot token (it should start with xoxb-)"
        )
    if settings.slack_app_token is not None:
        if not settings.slack_app_token.get_secret_value().startswith("xapp-"):
            problems.append(
                "SLACK_APP_TOKEN should start with xapp- (Basic Information > App-Level Tokens)"
            )
    else:
        secret_problem = signing_secret_problem(settings)
        if secret_problem is not None:
            problems.append(secret_problem)
    from bot.hubspot.connect import hubspot_oauth_problems

    problems.extend(
        problem for problem in hubspot_oauth_problems(settings) if problem not in problems
    )
    return problems


def signing_secret_problem(settings: Settings) -> str | None:
    """HTTP mode verifies every request with SLACK_SIGNING_SECRET: missing, blank or whitespace
    would mean no verification at all, so it is a reason not to start (None: fine, or Socket
    Mode, which has no HTTP signature)."""
    if settings.socket_mode:
        return None
    secret = settings.slack_signing_secret
    if secret is None:
        return (
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it (Basic Information > "
            "Signing Secret), or set SLACK_APP_TOKEN for Socket Mode"
        )
    if not secret.get_secret_value().strip():
        return (
            "SLACK_SIGNING_SECRET is blank: HTTP mode verifies every request with it; copy it "
            "from Basic Information > Signing Secret"
        )
    return None


@dataclass
class Runtime:
    """What the routes serve; filled at once (tests, demo) or by the server's lifespan."""

    handler: Any = None
    services: Services | None = None


def routes_for(runtime: Runtime) -> list[BaseRoute]:
    """POST /slack/events (Bolt verifies the signature), GET /healthz, GET /metrics."""

    async def slack_events(request: Request) -> Response:
        # One id per Slack request, on every log line it causes (work after the ack included).
        new_request_id()
        started = time.perf_counter()
        response: Response = await runtime.handler.handle(request)
        services = runtime.services
        if services is not None and request.method == "POST" and response.background is None:
            # Labelled and recorded once the answer is on its way: reading the kind means parsing
            # the whole payload (a submission carries the modal), which Slack need not wait for.
            response.background = BackgroundTask(
                _record_ack, services, request, time.perf_counter() - started
            )
        return response

    async def healthz(_: Request) -> Response:
        services = runtime.services
        return JSONResponse(
            {
                "ok": runtime.handler is not None,
                "sandbox": bool(services and services.using_sandbox),
            }
        )

    async def metrics(_: Request) -> Response:
        body = runtime.services.metrics.render() if runtime.services is not None else b""
        return Response(body, media_type=METRICS_CONTENT_TYPE)

    async def hubspot_connect(request: Request) -> Response:
        connect = runtime.services.hubspot_connect if runtime.services is not None else None
        if connect is None:
            return PlainTextResponse("Not Found", status_code=404)
        return await connect.start(request)

    async def hubspot_callback(request: Request) -> Response:
        connect = runtime.services.hubspot_connect if runtime.services is not None else None
        if connect is None:
            return PlainTextResponse("Not Found", status_code=404)
        return await connect.callback(request)

    return [
        Route("/slack/events", slack_events, methods=["POST"]),
        # OAuth mode's "Add to Slack" page and Slack's redirect back (Bolt's OAuth flow);
        # 404 in single-token mode.
        Route("/slack/install", slack_events, methods=["GET"]),
        Route("/slack/oauth_redirect", slack_events, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
        # Connect HubSpot (HUBSPOT_CLIENT_ID/_SECRET); 404 otherwise.
        Route("/hubspot/connect", hubspot_connect, methods=["GET"]),
        Route("/hubspot/oauth/callback", hubspot_callback, methods=["GET"]),
        # `--sandbox` with Connect HubSpot: the built-in sandbox's consent page, offline.
        Mount(SANDBOX_MOUNT, app=sandbox_pages(lambda: runtime.services)),
    ]


def _runtime(settings: Settings, services: Services) -> Runtime:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    from bot.app import build_app

    app = build_app(settings, services)
    if services.hubspot_connect is not None:
        # After Connect HubSpot, the person's App Home is republished through Bolt's client.
        from bot.hubspot.connect import home_republisher

        services.hubspot_connect.on_connected = home_republisher(settings, services, app.client)
    return Runtime(AsyncSlackRequestHandler(app), services)


def guard_for(settings: Settings, runtime: Runtime) -> Middleware:
    """The RequestGuard in front of every route: bounded bodies, and only requests signed with
    SLACK_SIGNING_SECRET reach Bolt (and so its logs and the ack metric)."""
    from bot.guard import RequestGuard

    def count(reason: str) -> None:
        if runtime.services is not None:
            runtime.services.metrics.http_refused(reason)

    secret = settings.slack_signing_secret
    return Middleware(
        RequestGuard,
        signing_secret=secret.get_secret_value().strip() if secret is not None else None,
        body_timeout_seconds=settings.body_timeout_seconds,
        on_refused=count,
    )


def asgi_app_for(settings: Settings, services: Services) -> Starlette:
    """The HTTP-mode app around services that already exist (tests, the demo, benchmarks)."""
    runtime = _runtime(settings, services)
    return Starlette(routes=routes_for(runtime), middleware=[guard_for(settings, runtime)])


def http_app(settings: Settings, *, force_sandbox: bool = False) -> Starlette:
    """The HTTP-mode app for `bookbot run`: services are built in the server's event loop."""
    from bot.services import build_services

    runtime = Runtime()

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        services = await build_services(settings, force_sandbox=force_sandbox)
        built = _runtime(settings, services)
        runtime.handler, runtime.services = built.handler, built.services
        services.start_background()
        freeze_startup_heap()
        try:
            async with pooled_slack_connections(built.handler.app):
                yield
                # Stopping (uvicorn has stopped taking requests and answered those under way):
                # acknowledged work finishes within the grace period, with Slack still reachable.
                await services.drain()
        finally:
            await services.aclose()
            services.metrics.worker_exited()

    return Starlette(
        routes=routes_for(runtime), lifespan=lifespan, middleware=[guard_for(settings, runtime)]
    )


# `bookbot run --workers N` hands these to each worker process through the environment.
ENV_FORCE_SANDBOX = "BOOKBOT_RUN_SANDBOX"
ENV_LOG_JSON = "BOOKBOT_RUN_LOG_JSON"


def create_app_from_env() -> Starlette:
    """uvicorn's factory for one worker of `bookbot run --workers N`: its own settings, logging
    and services (built in the worker's event loop)."""
    settings = Settings()
    configure_logging(settings.log_level, json_lines=os.environ.get(ENV_LOG_JSON) == "1")
    return http_app(settings, force_sandbox=os.environ.get(ENV_FORCE_SANDBOX) == "1")


async def _record_ack(services: Services, request: Request, seconds: float) -> None:
    services.metrics.slack_acked(slack_request_kind(await request.body()), seconds)


def slack_request_kind(body: bytes) -> str:
    """command | view_submission | block_actions | block_suggestion | event | ...: what Slack
    sent, for the ack-latency histogram's label (`other` when it cannot tell)."""
    text = body.decode("utf-8", "replace")
    if text.startswith("{"):
        try:
            kind = orjson.loads(text).get("type")
        except (ValueError, AttributeError):
            return "other"
        return "event" if kind == "event_callback" else _known_kind(kind)
    fields = form_fields(text)  # the guard's own parse of this body
    if "command" in fields:
        return "command"
    try:
        # orjson: a view submission's payload is the whole modal, parsed on every ack.
        payload = orjson.loads(fields.get("payload", ["{}"])[0])
        return _known_kind(payload.get("type"))
    except (ValueError, AttributeError):
        return "other"


_KINDS = frozenset(
    {
        "view_submission",
        "view_closed",
        "block_actions",
        "block_suggestion",
        "shortcut",
        "message_action",
        "url_verification",
    }
)


def _known_kind(kind: object) -> str:
    return kind if isinstance(kind, str) and kind in _KINDS else "other"


async def _migrate_once(database_url: str) -> None:
    """Bring the ledger to the newest schema before the workers start (they then find it so)."""
    from bot.store import Store

    store = await Store.open(database_url)
    await store.close()


def _run_workers(
    settings: Settings,
    *,
    host: str,
    port: int,
    workers: int,
    force_sandbox: bool,
    log_json: bool,
) -> int:
    import uvicorn

    from bot.metrics import prepare_multiprocess_dir, remove_multiprocess_dir

    folder, made_here = prepare_multiprocess_dir(os.environ.get(MULTIPROC_ENV) or None)
    os.environ[ENV_FORCE_SANDBOX] = "1" if force_sandbox else "0"
    os.environ[ENV_LOG_JSON] = "1" if log_json else "0"
    # Each worker's fallback limiter (Redis unset or down) keeps 1/N of HubSpot's budget.
    os.environ.setdefault("BOOKBOT_PROCESSES", str(workers))
    try:
        asyncio.run(_migrate_once(settings.database_url))
        log.info(
            "Booker is listening on http://%s:%d/slack/events with %d workers",
            host,
            port,
            workers,
        )
        uvicorn.run(
            "bot.server:create_app_from_env",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level=settings.log_level.lower(),
            access_log=False,
            # --log-json: uvicorn's own lines go through the JSON handler too.
            log_config=None if log_json else uvicorn.config.LOGGING_CONFIG,
            # SIGTERM to this parent reaches every worker; each drains its own work.
            timeout_graceful_shutdown=_connections_grace(settings),
        )
    finally:
        if made_here:
            remove_multiprocess_dir(folder)
    return 0


async def _run_socket_mode(settings: Settings, *, force_sandbox: bool) -> int:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.app import build_app
    from bot.services import build_services
    from bot.socket_watchdog import SocketWatchdog, ping_interval_for

    services = await build_services(settings, force_sandbox=force_sandbox)
    try:
        bolt = build_app(settings, services)
        assert settings.slack_app_token is not None
        app_token = settings.slack_app_token.get_secret_value()
        refused = await _app_token_refusal(bolt.client, app_token)
        if refused is not None:
            print(f"bookbot: {refused}", file=sys.stderr)
            return 2
        services.start_background()
        watchdog_seconds = settings.socket_watchdog_seconds
        handler = AsyncSocketModeHandler(
            bolt, app_token, ping_interval=ping_interval_for(watchdog_seconds)
        )
        watchdog = SocketWatchdog(handler.client, silent_seconds=watchdog_seconds)
        stop = _stop_on_signals()
        freeze_startup_heap()
        async with pooled_slack_connections(bolt):
            # A stop during the first connection (Slack unreachable, the SDK retrying) ends it.
            connecting = asyncio.ensure_future(handler.connect_async())
            stopping = asyncio.ensure_future(stop.wait())
            await asyncio.wait((connecting, stopping), return_when=asyncio.FIRST_COMPLETED)
            if connecting.done():
                connecting.result()
                log.info("Booker is running in Socket Mode")
                watching = asyncio.ensure_future(watchdog.run())
                await stopping
                watching.cancel()
            else:
                connecting.cancel()
            # SIGTERM/SIGINT: close the socket (Slack sends new envelopes to other
            # connections), let acknowledged work finish within the grace period, then close
            # the HubSpot client and the ledger; exit 0.
            log.info("Booker is stopping")
            await handler.close_async()
            await services.drain()
    finally:
        await services.aclose()
    return 0


# Slack's answers to apps.connections.open that no retry will change.
_APP_TOKEN_REFUSALS: Final = frozenset(
    {"invalid_auth", "not_authed", "not_allowed_token_type", "account_inactive", "token_revoked"}
)


async def _app_token_refusal(client: Any, app_token: str) -> str | None:
    """One line when Slack refuses the app-level token for Socket Mode, else None (transient
    trouble is left to the Socket Mode client's own retries)."""
    from slack_sdk.errors import SlackApiError

    try:
        await client.apps_connections_open(app_token=app_token)
    except SlackApiError as error:
        code = error.response.get("error")
        if code in _APP_TOKEN_REFUSALS:
            return (
                f"Slack refused SLACK_APP_TOKEN ({code}): create an app-level token with the "
                "connections:write scope (Basic Information > App-Level Tokens)"
            )
    except Exception as error:  # unreachable Slack: the client retries, and says so in the log
        log.warning("could not reach Slack to check SLACK_APP_TOKEN: %s", type(error).__name__)
    return None


def freeze_startup_heap() -> None:
    """What start-up built (parser data, models, the app) lives as long as the process: move it
    out of the garbage collector's reach, so that a full collection does not walk ~160k objects
    (about 150 ms with the loop stopped, acks included) every time one happens."""
    import gc

    gc.collect()
    gc.freeze()


@asynccontextmanager
async def pooled_slack_connections(bolt: Any) -> AsyncIterator[None]:
    """One aiohttp session, kept open while serving, for the Bolt app's Web API calls.

    Without one, slack_sdk opens a session per call: a DNS lookup (in a thread) and a new TCP
    (and TLS) connection for every views.open, views.update, users.info… Those ran on the event
    loop right after each ack and delayed the next request's ack. Keep-alive reuses them.
    """
    import aiohttp

    session = aiohttp.ClientSession()
    bolt.client.session = session
    try:
        yield
    finally:
        bolt.client.session = None
        await session.close()


def _stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT (a process manager's stop, or Ctrl-C)."""
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


def run_server(
    settings: Settings,
    *,
    host: str = "0.0.0.0",
    port: int = 3000,
    force_sandbox: bool = False,
    log_json: bool = False,
    workers: int = 1,
) -> int:
    configure_logging(settings.log_level, json_lines=log_json)
    problems = settings_problems(settings, force_sandbox=force_sandbox)
    if problems:
        for problem in problems:
            print(f"bookbot: {problem}", file=sys.stderr)
        return 2
    if settings.socket_mode:
        if workers > 1:
            print(
                f"bookbot: --workers {workers} is for HTTP mode and is ignored in Socket Mode; "
                "start several `bookbot run` processes instead (Slack spreads events over "
                "their connections, and the ledger books each submission once)",
                file=sys.stderr,
            )
        return asyncio.run(_run_socket_mode(settings, force_sandbox=force_sandbox))
    if workers > 1:
        return _run_workers(
            settings,
            host=host,
            port=port,
            workers=workers,
            force_sandbox=force_sandbox,
            log_json=log_json,
        )
    import uvicorn

    log.info("Booker is listening on http://%s:%d/slack/events", host, port)
    _stopping_is_success()
    uvicorn.run(
        http_app(settings, force_sandbox=force_sandbox),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
        log_config=None if log_json else uvicorn.config.LOGGING_CONFIG,
        timeout_graceful_shutdown=_connections_grace(settings),
    )
    return 0


def _connections_grace(settings: Settings) -> int:
    """How long uvicorn waits for open connections at a stop before the lifespan's drain.
    Slack's requests are answered at the ack, so this is short in practice."""
    return max(1, round(settings.shutdown_grace_seconds))


def _stopping_is_success() -> None:
    """After its graceful shutdown uvicorn raises the signal it caught again, to the handler in
    place before it started: the default one would end the process by SIGTERM (exit -15 /
    143) although everything stopped cleanly. A drained stop is a success: exit 0."""
    import signal

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: None)

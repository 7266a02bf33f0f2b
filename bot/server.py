"""`bookbot run`: Socket Mode when SLACK_APP_TOKEN is set, otherwise HTTP under uvicorn."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from bot.config import Settings
from bot.logging_setup import configure_logging

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
    elif settings.slack_signing_secret is None:
        problems.append(
            "SLACK_SIGNING_SECRET is not set: HTTP mode needs it (Basic Information > "
            "Signing Secret), or set SLACK_APP_TOKEN for Socket Mode"
        )
    return problems


@dataclass
class Runtime:
    """What the routes serve; filled at once (tests, demo) or by the server's lifespan."""

    handler: Any = None
    services: Services | None = None


def routes_for(runtime: Runtime) -> list[Route]:
    """POST /slack/events (Bolt verifies the signature), GET /healthz, GET /metrics."""

    async def slack_events(request: Request) -> Response:
        response: Response = await runtime.handler.handle(request)
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
        text = runtime.services.metrics.render() if runtime.services is not None else ""
        return PlainTextResponse(text, media_type="text/plain; version=0.0.4")

    return [
        Route("/slack/events", slack_events, methods=["POST"]),
        # OAuth mode's "Add to Slack" page and Slack's redirect back (Bolt's OAuth flow);
        # 404 in single-token mode.
        Route("/slack/install", slack_events, methods=["GET"]),
        Route("/slack/oauth_redirect", slack_events, methods=["GET"]),
        Route("/healthz", healthz, methods=["GET"]),
        Route("/metrics", metrics, methods=["GET"]),
    ]


def _runtime(settings: Settings, services: Services) -> Runtime:
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler

    from bot.app import build_app

    return Runtime(AsyncSlackRequestHandler(build_app(settings, services)), services)


def asgi_app_for(settings: Settings, services: Services) -> Starlette:
    """The HTTP-mode app around services that already exist (tests, the demo, benchmarks)."""
    return Starlette(routes=routes_for(_runtime(settings, services)))


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
        try:
            yield
        finally:
            await services.aclose()

    return Starlette(routes=routes_for(runtime), lifespan=lifespan)


async def _run_socket_mode(settings: Settings, *, force_sandbox: bool) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    from bot.app import build_app
    from bot.services import build_services

    services = await build_services(settings, force_sandbox=force_sandbox)
    try:
        bolt = build_app(settings, services)
        services.start_background()
        assert settings.slack_app_token is not None
        handler = AsyncSocketModeHandler(bolt, settings.slack_app_token.get_secret_value())
        stop = _stop_on_signals()
        await handler.connect_async()
        log.info("Booker is running in Socket Mode")
        await stop.wait()
        # SIGTERM/SIGINT: close the socket (Slack sends new envelopes to other connections),
        # then the HubSpot client and the ledger; exit 0.
        log.info("Booker is stopping")
        await handler.close_async()
    finally:
        await services.aclose()


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
) -> int:
    configure_logging(settings.log_level, json_lines=log_json)
    problems = settings_problems(settings, force_sandbox=force_sandbox)
    if problems:
        for problem in problems:
            print(f"bookbot: {problem}", file=sys.stderr)
        return 2
    if settings.socket_mode:
        asyncio.run(_run_socket_mode(settings, force_sandbox=force_sandbox))
        return 0
    import uvicorn

    log.info("Booker is listening on http://%s:%d/slack/events", host, port)
    uvicorn.run(
        http_app(settings, force_sandbox=force_sandbox),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return 0

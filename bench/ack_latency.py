"""Ack latency of `/book` and of a modal submission, beside a bare Bolt app, in the same run.

Both apps are served by uvicorn on 127.0.0.1 and receive real signed requests; Booker talks to a
local Slack Web API double and the built-in HubSpot sandbox. Prints p50/p99 and the p99 ratio
(goal: <= 1.2). Usage: python bench/ack_latency.py [--requests 500]
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr
from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from starlette.applications import Starlette

from bot.config import Settings
from bot.server import Runtime, asgi_app_for, routes_for
from bot.services import build_services
from bot.slack_double import SlackDouble
from bot.slack_requests import SlackRequests

TOKEN = "xoxb-bench-token"


async def serve(app: Any) -> tuple[uvicorn.Server, asyncio.Task[None], str]:
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=0, log_level="error", lifespan="off", access_log=False
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    return server, task, f"http://127.0.0.1:{port}"


def bare_app(secret: str, api_url: str) -> Starlette:
    bolt = AsyncApp(client=AsyncWebClient(token=TOKEN, base_url=api_url), signing_secret=secret)

    @bolt.command("/book")
    async def noop(ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    @bolt.view("book_meeting")
    async def noop_view(ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    return Starlette(routes=routes_for(Runtime(AsyncSlackRequestHandler(bolt), None)))


async def timed(send: Callable[[], Awaitable[httpx.Response]], count: int) -> list[float]:
    samples = []
    for _ in range(count):
        started = time.perf_counter()
        answer = await send()
        samples.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, answer.text
    return samples


def quantiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


async def main(count: int) -> None:
    double = SlackDouble(tokens=[TOKEN])
    await double.start()
    double.add_user("U0PERSON")
    secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory() as workdir:
        settings = Settings(
            SLACK_BOT_TOKEN=SecretStr(TOKEN),
            SLACK_SIGNING_SECRET=SecretStr(secret),
            SLACK_API_URL=double.base_url,
            DATABASE_URL=f"sqlite:///{Path(workdir) / 'bench.db'}",
        )
        services = await build_services(settings, force_sandbox=True)
        await services.pages.pages()
        booker_server, booker_task, booker_url = await serve(asgi_app_for(settings, services))
        bare_server, bare_task, bare_url = await serve(bare_app(secret, double.base_url))
        async with (
            httpx.AsyncClient(base_url=booker_url) as booker_http,
            httpx.AsyncClient(base_url=bare_url) as bare_http,
        ):
            booker = SlackRequests(booker_http, secret)
            bare = SlackRequests(bare_http, secret)
            await booker.slash_command("demo tomorrow 10am ana@acme.com")
            await asyncio.sleep(1.0)
            view = dict(list(double.views.values())[-1])
            answers = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
            for client in (booker, bare):  # warm both
                await timed(lambda c=client: c.slash_command("demo tomorrow 10am"), 20)
            results = {}
            for name, client in (("booker", booker), ("bare", bare)):
                results[name, "/book"] = await timed(
                    lambda c=client: c.slash_command("demo tomorrow 10am ana@acme.com"), count
                )
                results[name, "submit"] = await timed(
                    lambda c=client: c.view_submission(view, answers), count
                )
            await asyncio.sleep(1.0)
        for server in (booker_server, bare_server):
            server.should_exit = True
        await asyncio.gather(booker_task, bare_task)
        await services.aclose()
    await double.stop()
    print(f"ack latency over {count} signed requests each (ms), 127.0.0.1, uvicorn")
    print(f"{'request':<10}{'app':<8}{'p50':>8}{'p99':>8}")
    for kind in ("/book", "submit"):
        for name in ("booker", "bare"):
            p50, p99 = quantiles(results[name, kind])
            print(f"{kind:<10}{name:<8}{p50:>8.2f}{p99:>8.2f}")
        ratio = quantiles(results["booker", kind])[1] / quantiles(results["bare", kind])[1]
        print(f"{kind:<10}p99 ratio booker/bare = {ratio:.2f} (goal <= 1.2)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=500)
    asyncio.run(main(parser.parse_args().requests))

"""Runs in a spawned process: one Booker HTTP worker (`bookbot run`'s app) on a free port.

Settings come from `environ` (as an operator's environment would give them); the chosen port is
put on `ports` once uvicorn listens, and the worker serves until it is terminated.
"""

from __future__ import annotations

import asyncio
import os
import traceback
from multiprocessing.queues import Queue


def serve(environ: dict[str, str], ports: Queue[int | str]) -> None:
    os.environ.update(environ)
    try:
        asyncio.run(_serve(ports))
    except BaseException:
        ports.put(traceback.format_exc())
        raise


async def _serve(ports: Queue[int | str]) -> None:
    import uvicorn

    from bot.config import Settings
    from bot.server import http_app

    server = uvicorn.Server(
        uvicorn.Config(
            http_app(Settings()),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
            ports.put("the worker stopped before it listened (its log says why)")
            return
        await asyncio.sleep(0.02)
    ports.put(server.servers[0].sockets[0].getsockname()[1])
    await task

"""Ack latency of `/book` and of a modal submission: Booker beside a bare Bolt app, same run.

Prints p50/p99 per app and the p99 ratio booker/bare (goal, issue 4: <= 1.2), first on a quiet
machine, then under load. Usage:

    python bench/ack_latency.py [--requests 500] [--interval-ms 25] [--load-rate 4]
                                [--load-latency-ms 300] [--no-load]
    python bench/ack_latency.py --burst 600 [--in-flight 16,64] [--workers 2] [--runs 3]

Burst mode (issue 16): the same N signed requests sent with C in flight at once (no pacing),
first `/book` (the modal opens after each ack), then modal submissions (each a new valid
booking, booked after its ack), to Booker (`bookbot run --workers W`) and to the bare Bolt app
(one process, only acks), one after the other in the same run, each app's after-ack work left to
settle before the next measurement. Printed per C and kind: p50/p99/max of both, the p99 ratio
booker/bare and the acks over Slack's 3 s; with --runs R each measurement R times and the
min/median/max of the p99s and ratios. The burst client is aiohttp on uvloop (httpx spent so
much CPU a request that on 2 cores the client itself was part of the figure), and each /book
carries a trigger_id issued as it is sent, as Slack's are (built before its clock starts).

How it measures, and why that is fair to both apps:

- Each app runs in a process of its own, as deployed. Booker is `bookbot run --port P` (HTTP mode
  under uvicorn, its own logging at INFO); "bare" is a Bolt AsyncApp with Bolt's defaults whose
  listeners only ack, under the same uvicorn settings. "bare-inline" (Bolt with
  process_before_response=True, a no-op ack) is printed for reference: the floor of Bolt itself.
- Slack's Web API (the double) and HubSpot (the sandbox over HTTP, with a token) run in another
  process, because they are remote in production. (Until this version everything shared one
  event loop, so the double's Block Kit validation of each views.open was charged to Booker.)
- This process is the client: real signed requests over 127.0.0.1, one at a time, at the same
  fixed pace for every app (--interval-ms; 25 ms = 40 requests a second, far more than people
  type /book), in alternating blocks of 50 (booker, bare, bare-inline, booker, ...) so that all
  apps see the same background noise of the machine.
- Every measured submission is a new valid booking (its own guest, a free slot), as a person's
  would be: Booker validates it, acks with "Booking…", then books and posts the card while the
  next requests come in. The sandbox is reset when the free slots run out (for up to 30 s after a
  reset Booker's availability cache may still call a reused slot taken: a few "errors" acks,
  counted in the output). HubSpot's rate limit is raised in this bench (bench/booking_load.py
  measures the limit); HubSpot answers without added latency on the quiet run.
- The request body is built and signed before the clock starts; the clock stops when the HTTP
  answer (the ack) is in.
- Figures are only as steady as the machine: on a shared 2-core box, run it twice.
- Under load: the same measurement while a background stream of other submissions
  (--load-rate a second, sent to the app being measured) books on the sandbox, with
  --load-latency-ms added by HubSpot to every call.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

import aiohttp
import httpx
import uvloop

from bot.devtools.slack_double import TRIGGER_SECONDS
from bot.devtools.slack_requests import EVENTS_PATH, SlackRequests, signed_headers, state_values

BOT_TOKEN = "xoxb-bench-token"
HUBSPOT_TOKEN = "pat-na1-bench-ack-latency"
PERSON = "U0PERSON"
CHANNEL = "C0GENERAL"
ZONE = "America/New_York"
SLUG = "demo"
BLOCK = 50
APPS = ("booker", "bare", "bare-inline")
GENEROUS_LIMIT = 100_000
BOOKBOT_RUN = (sys.executable, "-m", "bot", "run", "--host", "127.0.0.1")
SERVE = (sys.executable, __file__, "--serve")


# --- the processes being measured and the remote services -----------------------------------
def serve_bare(port: int, secret: str, api_url: str, *, inline: bool) -> None:
    """A Bolt app that acks a no-op /book and a no-op submission, under bookbot's uvicorn."""
    import uvicorn
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette

    from bot.server import Runtime, routes_for

    bolt = AsyncApp(
        client=AsyncWebClient(token=BOT_TOKEN, base_url=api_url),
        signing_secret=secret,
        process_before_response=inline,
    )

    @bolt.command("/book")
    async def noop(ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    @bolt.view("book_meeting")
    async def noop_view(ack: Callable[..., Awaitable[None]]) -> None:
        await ack()

    app = Starlette(routes=routes_for(Runtime(AsyncSlackRequestHandler(bolt), None)))
    # The same settings as `bookbot run` (bot/server.py run_server).
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="info", access_log=False)


async def serve_remotes() -> None:
    """Slack's Web API (the double) and HubSpot (the sandbox) on ports of their own, plus a
    control port: GET /view (the last modal), POST /latency?ms=N, GET /counts."""
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
    from bot.devtools.slack_double import SlackDouble

    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    double.add_user(PERSON, tz=ZONE, locale="en-US", name="Dana")
    sandbox = create_sandbox_app(
        SandboxConfig(access_token=HUBSPOT_TOKEN, rate_limit=GENEROUS_LIMIT)
    )

    async def view(_: Request) -> JSONResponse:
        return JSONResponse(list(double.views.values())[-1] if double.views else None)

    async def latency(request: Request) -> JSONResponse:
        sandbox.state.sandbox.config.latency_seconds = int(request.query_params["ms"]) / 1000
        return JSONResponse({"ok": True})

    def late(call: Any) -> bool:
        """A views.open that reached Slack after its trigger's 3 s (Slack refuses it: the
        person's modal never opens)."""
        trigger = str(call.params.get("trigger_id") or "")
        if not trigger.startswith("trigger.") or not trigger[8:].isdigit():
            return False
        arrived = time.time() - (time.monotonic() - call.at)
        return arrived - int(trigger[8:]) / 1e9 > TRIGGER_SECONDS

    async def counts(_: Request) -> JSONResponse:
        methods = ("views.open", "views.update", "chat.postMessage")
        return JSONResponse(
            {m: len(double.calls_to(m)) for m in methods}
            | {
                "book_calls": sandbox.state.sandbox.book_calls,
                "views.open late": sum(1 for call in double.calls_to("views.open") if late(call)),
            }
        )

    control = Starlette(
        routes=[
            Route("/view", view),
            Route("/latency", latency, methods=["POST"]),
            Route("/counts", counts),
        ]
    )
    servers = []
    for app in (sandbox, control):
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=0, log_level="error", lifespan="off")
        )
        servers.append((server, asyncio.create_task(server.serve())))
        while not server.started:
            await asyncio.sleep(0.01)
    hubspot_port, control_port = (s.servers[0].sockets[0].getsockname()[1] for s, _ in servers)
    print(
        json.dumps(
            {
                "slack": double.base_url,
                "hubspot": f"http://127.0.0.1:{hubspot_port}",
                "control": f"http://127.0.0.1:{control_port}",
            }
        ),
        flush=True,
    )
    await asyncio.gather(*(task for _, task in servers))


# --- the client -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass
class Started:
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def spawn(
        self, args: list[str], env: dict[str, str], cwd: Path, log: Path | None = None
    ) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            args,
            env=env,
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=log.open("wb") if log is not None else subprocess.DEVNULL,
        )
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


async def until_healthy(url: str, process: subprocess.Popen[bytes]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"{url}: the process exited with {process.returncode}")
            with contextlib.suppress(httpx.HTTPError):
                if (await http.get(f"{url}/healthz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise SystemExit(f"{url} never answered /healthz")


def words(start: datetime) -> str:
    local = start.astimezone(ZoneInfo(ZONE))
    return f"{local:%B} {local.day} {local.year} {local:%I:%M %p}"


async def free_slots(hubspot: str) -> list[datetime]:
    """Free 30-minute starts on the page, at least 30 minutes apart (so none overlap)."""
    starts: list[datetime] = []
    async with httpx.AsyncClient(
        base_url=hubspot, headers={"Authorization": f"Bearer {HUBSPOT_TOKEN}"}
    ) as http:
        for month in range(3):
            answer = await http.get(
                f"/scheduler/v3/meetings/meeting-links/book/availability-page/{SLUG}",
                params={"timezone": ZONE, "monthOffset": month},
            )
            by_duration = answer.json()["linkAvailability"]["linkAvailabilityByDuration"]
            for slot in by_duration.get("1800000", {}).get("availabilities", []):
                starts.append(datetime.fromtimestamp(slot["startMillisUtc"] / 1000, UTC))
    chosen: list[datetime] = []
    for start in sorted(set(starts)):
        if start > datetime.now(UTC) + timedelta(hours=2) and (
            not chosen or start >= chosen[-1] + timedelta(minutes=30)
        ):
            chosen.append(start)
    return chosen


@dataclass
class Slots:
    """A pool of free slots handed out in turn; when it runs out the sandbox is reset."""

    pool: list[datetime]
    hubspot: str
    used: int = 0
    resets: int = 0

    async def next(self) -> datetime:
        if self.used and self.used % len(self.pool) == 0:
            async with httpx.AsyncClient() as http:
                await http.post(f"{self.hubspot}/_sandbox/reset")
            self.resets += 1
        slot = self.pool[self.used % len(self.pool)]
        self.used += 1
        return slot


@dataclass
class Target:
    name: str
    slack: SlackRequests
    view: dict[str, Any]
    secret: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {"/book": [], "submit": []})
    answers: dict[str, int] = field(default_factory=dict)
    first_errors: dict[str, str] = field(default_factory=dict)


class Bench:
    def __init__(self, args: argparse.Namespace, remotes: dict[str, str]) -> None:
        self.args = args
        self.remotes = remotes
        self.guests = 0
        self.current: Target | None = None  # the app being measured now

    def submission(self, slot: datetime) -> dict[str, Any]:
        self.guests += 1
        return {
            "when": words(slot),
            "guest_email": f"guest{self.guests}@acme.example",
            "guest_first_name": "Ana",
            "guest_last_name": "Souza",
        }

    async def measure(self, targets: list[Target], kind: str, slots: Slots) -> None:
        interval = self.args.interval_ms / 1000
        for block_start in range(0, self.args.requests, BLOCK):
            size = min(BLOCK, self.args.requests - block_start)
            for target in targets:
                self.current = target
                next_at = time.perf_counter()
                for _ in range(size):
                    # The request is built and signed before the clock starts.
                    if kind == "/book":
                        body = slash_body("demo tomorrow 10am")
                    else:
                        body = submission_body(target.view, self.submission(await slots.next()))
                    headers = signed_headers(target.secret, body, content_type=FORM)
                    await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
                    next_at += interval
                    started = time.perf_counter()
                    answer = await target.slack.http.post(
                        EVENTS_PATH, content=body, headers=headers
                    )
                    target.samples[kind].append((time.perf_counter() - started) * 1000)
                    assert answer.status_code == 200, (target.name, answer.status_code)
                    if kind == "submit":
                        ack = answer.json() if answer.content else {}
                        action = str(ack.get("response_action"))
                        target.answers[action] = target.answers.get(action, 0) + 1
                        for block, message in (ack.get("errors") or {}).items():
                            target.first_errors.setdefault(block, message[:120])

    async def load(self, slots: Slots, stop: asyncio.Event) -> int:
        """Other people's submissions at --load-rate a second to whichever app is measured."""
        sent = 0
        interval = 1 / self.args.load_rate
        pending: set[asyncio.Task[Any]] = set()
        while not stop.is_set():
            target = self.current
            if target is not None:
                task = asyncio.create_task(
                    target.slack.view_submission(target.view, self.submission(await slots.next()))
                )
                pending.add(task)
                task.add_done_callback(pending.discard)
                sent += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
        await asyncio.gather(*pending, return_exceptions=True)
        return sent


FORM = "application/x-www-form-urlencoded"


def slash_body(text: str) -> bytes:
    return urlencode(
        {
            "command": "/book",
            "text": text,
            "team_id": "T0BOOKER",
            "user_id": PERSON,
            "channel_id": CHANNEL,
            "trigger_id": f"trigger.{time.time_ns()}",
            "response_url": "",
            "api_app_id": "A0BOOKER",
        }
    ).encode()


def book_body() -> bytes:
    return slash_body("demo tomorrow 10am")


def submission_body(view: Mapping[str, Any], answers: Mapping[str, Any]) -> bytes:
    payload = {
        "type": "view_submission",
        "team": {"id": "T0BOOKER"},
        "user": {"id": PERSON, "team_id": "T0BOOKER"},
        "api_app_id": "A0BOOKER",
        "trigger_id": f"trigger.{time.time_ns()}",
        "view": dict(view) | {"state": {"values": state_values(view, answers)}},
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def quantiles(samples: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return cuts[49], cuts[98]


def report(title: str, targets: list[Target]) -> None:
    by_name = {t.name: t for t in targets}
    print(f"\n{title}")
    print(f"{'request':<10}{'app':<13}{'n':>5}{'p50 ms':>9}{'p99 ms':>9}")
    for kind in ("/book", "submit"):
        for target in targets:
            p50, p99 = quantiles(target.samples[kind])
            n = len(target.samples[kind])
            print(f"{kind:<10}{target.name:<13}{n:>5}{p50:>9.2f}{p99:>9.2f}")
        booker = quantiles(by_name["booker"].samples[kind])[1]
        bare = quantiles(by_name["bare"].samples[kind])[1]
        inline = quantiles(by_name["bare-inline"].samples[kind])[1]
        print(
            f"{kind:<10}p99 ratio booker/bare = {booker / bare:.2f} (goal <= 1.2); "
            f"booker/bare-inline = {booker / inline:.2f}"
        )
    print(
        "submission acks by response_action: " + ", ".join(f"{t.name} {t.answers}" for t in targets)
    )
    for target in targets:
        for block, message in target.first_errors.items():
            print(f"  {target.name} answered errors, e.g. {block}: {message}")


async def main(args: argparse.Namespace) -> None:
    secret = secrets.token_hex(16)
    started = Started()
    with tempfile.TemporaryDirectory() as workdir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HUBSPOT_"))}
        try:
            remotes_process = started.spawn([*SERVE, "remotes"], env, Path(workdir))
            assert remotes_process.stdout is not None
            line = await asyncio.to_thread(remotes_process.stdout.readline)
            remotes = json.loads(line)
            ports = {name: free_port() for name in APPS}
            booker_env = env | {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": remotes["slack"],
                "HUBSPOT_BASE_URL": remotes["hubspot"],
                "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                "HUBSPOT_RATE_LIMIT": str(GENEROUS_LIMIT),
                "DATABASE_URL": f"sqlite:///{Path(workdir) / 'ledger.db'}",
            }
            processes = {
                "booker": started.spawn(
                    [*BOOKBOT_RUN, "--port", str(ports["booker"])],
                    booker_env,
                    Path(workdir),
                )
            }
            for name in ("bare", "bare-inline"):
                processes[name] = started.spawn(
                    [
                        *SERVE,
                        name,
                        "--port",
                        str(ports[name]),
                        "--secret",
                        secret,
                        "--api-url",
                        remotes["slack"],
                    ],
                    env,
                    Path(workdir),
                )
            for name in APPS:
                await until_healthy(f"http://127.0.0.1:{ports[name]}", processes[name])
            await run_phases(args, remotes, ports, secret)
        finally:
            started.stop()


async def run_phases(
    args: argparse.Namespace, remotes: dict[str, str], ports: dict[str, int], secret: str
) -> None:
    slots = await free_slots(remotes["hubspot"])
    foreground = Slots(slots[0::2], remotes["hubspot"])
    background = Slots(slots[1::2], remotes["hubspot"])
    async with contextlib.AsyncExitStack() as stack:
        clients = {
            name: await stack.enter_async_context(
                httpx.AsyncClient(base_url=f"http://127.0.0.1:{ports[name]}", timeout=30)
            )
            for name in APPS
        }
        control = await stack.enter_async_context(httpx.AsyncClient(base_url=remotes["control"]))
        booker = SlackRequests(clients["booker"], secret, user_id=PERSON, channel_id=CHANNEL)
        await booker.slash_command(f"{SLUG} tomorrow 10am ana@acme.example")
        view: dict[str, Any] | None = None
        for _ in range(200):
            if (await control.get("/counts")).json()["views.update"]:
                view = (await control.get("/view")).json()
                break
            await asyncio.sleep(0.05)
        assert view is not None, "Booker never drew the booking modal"

        def targets() -> list[Target]:
            return [
                Target(name, SlackRequests(clients[name], secret, PERSON, CHANNEL), view, secret)
                for name in APPS
            ]

        bench = Bench(args, remotes)
        warm = targets()
        for target in warm:  # warm every app the same way
            for _ in range(20):
                await target.slack.slash_command("demo tomorrow 10am")
        quiet = targets()
        await bench.measure(quiet, "/book", foreground)
        await bench.measure(quiet, "submit", foreground)
        await asyncio.sleep(1.0)
        print(
            f"ack latency, {args.requests} signed requests per app and kind, one every "
            f"{args.interval_ms} ms, 127.0.0.1, each app in its own process"
        )
        report("quiet (HubSpot latency 0 ms)", quiet)
        if args.no_load:
            return
        await control.post("/latency", params={"ms": args.load_latency_ms})
        loaded = targets()
        stop = asyncio.Event()
        streams = asyncio.create_task(bench.load(background, stop))
        await bench.measure(loaded, "/book", foreground)
        await bench.measure(loaded, "submit", foreground)
        stop.set()
        sent = await streams
        report(
            f"under load ({args.load_rate} other submissions/s booking on HubSpot with "
            f"{args.load_latency_ms} ms latency; {sent} sent)",
            loaded,
        )
        print(f"sandbox resets (free slots used up): {foreground.resets + background.resets}")


# --- burst mode (issue 16) ----------------------------------------------------------------------
SLACK_LIMIT_MS = 3000.0


@dataclass
class Burst:
    """One burst's ack times (ms) for one app and kind."""

    app: str
    kind: str
    in_flight: int
    samples: list[float]
    answers: dict[str, int]
    # /book: modals the app opened after the burst's acks, and how many of those too late.
    opened: int = 0
    late: int = 0

    @property
    def p50(self) -> float:
        return quantiles(self.samples)[0]

    @property
    def p99(self) -> float:
        return quantiles(self.samples)[1]

    @property
    def over(self) -> int:
        return sum(1 for ms in self.samples if ms > SLACK_LIMIT_MS)


async def settle(control: httpx.AsyncClient, quiet_seconds: float = 1.0) -> None:
    """Wait until the remotes have seen no new call for `quiet_seconds` (after-ack work done)."""
    last: dict[str, int] | None = None
    still_since = time.perf_counter()
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        counts = (await control.get("/counts")).json()
        if counts != last:
            last, still_since = counts, time.perf_counter()
        elif time.perf_counter() - still_since >= quiet_seconds:
            return
        await asyncio.sleep(0.2)


Body = bytes | Callable[[], bytes]


def burst_session() -> aiohttp.ClientSession:
    """The burst's client: aiohttp (on uvloop, see __main__) spends far less CPU a request than
    httpx, and on 2 cores the client's own CPU is otherwise part of every measured ack. Idle
    connections are dropped before uvicorn's 5 s keep-alive closes them."""
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=256, keepalive_timeout=2.0),
        timeout=aiohttp.ClientTimeout(total=60),
    )


async def burst(
    http: aiohttp.ClientSession,
    url: str,
    bodies: list[Body],
    secret: str,
    in_flight: int,
) -> tuple[list[float], dict[str, int]]:
    """Send every body with `in_flight` requests under way at any moment; the ack times in ms.
    A body may be a function that builds it when its turn comes (a /book's trigger_id is issued
    as Slack sends it, so it is fresh for the views.open after the ack); built and signed before
    the clock starts, either way."""
    samples: list[float] = []
    answers: dict[str, int] = {}
    queue = list(reversed(bodies))
    target = url + EVENTS_PATH

    async def sender() -> None:
        while queue:
            item = queue.pop()
            body = item() if callable(item) else item
            headers = signed_headers(secret, body, content_type=FORM)
            started = time.perf_counter()
            async with http.post(target, data=body, headers=headers) as answer:
                content = await answer.read()
            samples.append((time.perf_counter() - started) * 1000)
            action = "empty"
            if answer.status != 200:
                action = f"HTTP {answer.status}"
            elif content:
                action = str(json.loads(content).get("response_action"))
            answers[action] = answers.get(action, 0) + 1

    await asyncio.gather(*(sender() for _ in range(in_flight)))
    return samples, answers


def burst_report(results: list[Burst], runs: int) -> None:
    print(f"\n{'C':>3} {'request':<8}{'app':<8}{'p50 ms':>8}{'p99 ms':>8}{'max ms':>8}{'>3s':>5}")
    for result in results:
        print(
            f"{result.in_flight:>3} {result.kind:<8}{result.app:<8}{result.p50:>8.0f}"
            f"{result.p99:>8.0f}{max(result.samples):>8.0f}{result.over:>5}  {result.answers}"
            + (
                f"; modals opened {result.opened}, {result.late} after their trigger's 3 s"
                if result.kind == "/book" and result.app == "booker"
                else ""
            )
        )
    by = {(r.in_flight, r.kind, r.app, i): r for i, r in enumerate_runs(results, runs)}
    print("\nper C and request over the runs, min / median / max:")
    keys = sorted({(r.in_flight, r.kind) for r in results})
    for in_flight, kind in keys:
        pairs = [
            (by[(in_flight, kind, "booker", i)], by[(in_flight, kind, "bare", i)])
            for i in range(runs)
            if (in_flight, kind, "booker", i) in by and (in_flight, kind, "bare", i) in by
        ]
        if not pairs:
            continue

        def spread(values: Iterable[float]) -> str:
            ordered = sorted(values)
            return f"{ordered[0]:.0f} / {statistics.median(ordered):.0f} / {ordered[-1]:.0f}"

        ratios = sorted(b.p99 / max(bare.p99, 1e-9) for b, bare in pairs)
        print(
            f"  C={in_flight:<3} {kind:<7} booker p99 {spread(b.p99 for b, _ in pairs)} ms; "
            f"bare p99 {spread(bare.p99 for _, bare in pairs)} ms; ratio "
            f"{ratios[0]:.2f} / {statistics.median(ratios):.2f} / {ratios[-1]:.2f}; "
            f"booker acks > 3 s {spread(b.over for b, _ in pairs)}; "
            f"booker max {spread(max(b.samples) for b, _ in pairs)} ms"
            + (
                f"; modals opened too late {spread(b.late for b, _ in pairs)}"
                if kind == "/book"
                else ""
            )
        )


def enumerate_runs(results: list[Burst], runs: int) -> Iterable[tuple[int, Burst]]:
    seen: dict[tuple[int, str, str], int] = {}
    for result in results:
        key = (result.in_flight, result.kind, result.app)
        index = seen.get(key, 0)
        seen[key] = index + 1
        yield index, result


async def run_bursts(
    args: argparse.Namespace, remotes: dict[str, str], ports: dict[str, int], secret: str
) -> None:
    slots = Slots(await free_slots(remotes["hubspot"]), remotes["hubspot"])
    urls = {name: f"http://127.0.0.1:{ports[name]}" for name in ("booker", "bare")}
    async with contextlib.AsyncExitStack() as stack:
        sessions = {
            name: await stack.enter_async_context(burst_session()) for name in ("booker", "bare")
        }
        control = await stack.enter_async_context(httpx.AsyncClient(base_url=remotes["control"]))
        first = await stack.enter_async_context(httpx.AsyncClient(base_url=urls["booker"]))
        booker = SlackRequests(first, secret, user_id=PERSON, channel_id=CHANNEL)
        await booker.slash_command(f"{SLUG} tomorrow 10am ana@acme.example")
        view: dict[str, Any] | None = None
        for _ in range(200):
            if (await control.get("/counts")).json()["views.update"]:
                view = (await control.get("/view")).json()
                break
            await asyncio.sleep(0.05)
        assert view is not None, "Booker never drew the booking modal"
        bench = Bench(args, remotes)
        for name in ("booker", "bare"):  # warm both apps (and every Booker worker) alike
            await burst(sessions[name], urls[name], [book_body] * 100, secret, 8)
        await settle(control)
        print(
            f"burst: {args.burst} signed requests per app, kind and C; Booker with "
            f"--workers {args.workers}, bare Bolt in one process; {args.runs} run(s)",
            flush=True,
        )
        results: list[Burst] = []
        for run in range(args.runs):
            for in_flight in args.in_flight:
                for kind in ("/book", "submit"):
                    for name in ("booker", "bare"):
                        bodies: list[Body]
                        if kind == "/book":
                            bodies = [book_body] * args.burst
                        else:
                            bodies = [
                                submission_body(view, bench.submission(await slots.next()))
                                for _ in range(args.burst)
                            ]
                        before = (await control.get("/counts")).json()
                        samples, answers = await burst(
                            sessions[name], urls[name], bodies, secret, in_flight
                        )
                        await settle(control)
                        after = (await control.get("/counts")).json()
                        results.append(
                            Burst(
                                name,
                                kind,
                                in_flight,
                                samples,
                                answers,
                                opened=after["views.open"] - before["views.open"],
                                late=after["views.open late"] - before["views.open late"],
                            )
                        )
            print(f"run {run + 1} of {args.runs} done", flush=True)
        burst_report(results, args.runs)
        print(f"sandbox resets (free slots used up): {slots.resets}")


async def main_burst(args: argparse.Namespace) -> None:
    secret = secrets.token_hex(16)
    started = Started()
    with tempfile.TemporaryDirectory() as workdir:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "HUBSPOT_"))}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        try:
            remotes_process = started.spawn([*SERVE, "remotes"], env, Path(workdir))
            assert remotes_process.stdout is not None
            remotes = json.loads(await asyncio.to_thread(remotes_process.stdout.readline))
            ports = {name: free_port() for name in ("booker", "bare")}
            booker_env = env | {
                "SLACK_BOT_TOKEN": BOT_TOKEN,
                "SLACK_SIGNING_SECRET": secret,
                "SLACK_API_URL": remotes["slack"],
                "HUBSPOT_BASE_URL": remotes["hubspot"],
                "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
                "HUBSPOT_RATE_LIMIT": str(GENEROUS_LIMIT),
                "DATABASE_URL": args.database_url or f"sqlite:///{Path(workdir) / 'ledger.db'}",
                "BOOKBOT_LOG_LEVEL": "WARNING",
            }
            if args.redis_url:
                booker_env["REDIS_URL"] = args.redis_url
                booker_env["BOOKBOT_REDIS_PREFIX"] = f"bench:{secrets.token_hex(4)}:"
            workers = ["--workers", str(args.workers)] if args.workers > 1 else []
            processes = {
                "booker": started.spawn(
                    [*BOOKBOT_RUN, "--port", str(ports["booker"]), *workers],
                    booker_env,
                    Path(workdir),
                    log=args.booker_log,
                ),
                "bare": started.spawn(
                    [
                        *SERVE,
                        "bare",
                        "--port",
                        str(ports["bare"]),
                        "--secret",
                        secret,
                        "--api-url",
                        remotes["slack"],
                    ],
                    env,
                    Path(workdir),
                ),
            }
            for name, process in processes.items():
                await until_healthy(f"http://127.0.0.1:{ports[name]}", process)
            await run_bursts(args, remotes, ports, secret)
        finally:
            started.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="per app and kind")
    parser.add_argument("--interval-ms", type=float, default=25.0, help="pace, every app alike")
    parser.add_argument("--load-rate", type=float, default=4.0, help="background bookings/s")
    parser.add_argument("--load-latency-ms", type=int, default=300, help="HubSpot under load")
    parser.add_argument("--no-load", action="store_true", help="only the quiet run")
    parser.add_argument("--burst", type=int, help="burst mode: N requests per app, kind and C")
    parser.add_argument(
        "--in-flight",
        type=lambda text: [int(part) for part in text.split(",")],
        default=[16, 64],
        help="burst mode: requests in flight at once, comma-separated (16,64)",
    )
    parser.add_argument("--workers", type=int, default=1, help="burst mode: Booker's --workers")
    parser.add_argument("--runs", type=int, default=1, help="burst mode: repeat every burst")
    parser.add_argument("--database-url", help="burst mode: Booker's DATABASE_URL (SQLite file)")
    parser.add_argument("--redis-url", help="burst mode: Booker's REDIS_URL (none)")
    parser.add_argument("--booker-log", type=Path, help="burst mode: Booker's log to this file")
    parser.add_argument("--serve", choices=("remotes", *APPS[1:]), help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--secret", help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve == "remotes":
        asyncio.run(serve_remotes())
    elif arguments.serve in ("bare", "bare-inline"):
        serve_bare(
            arguments.port,
            arguments.secret,
            arguments.api_url,
            inline=arguments.serve == "bare-inline",
        )
    elif arguments.burst:
        uvloop.run(main_burst(arguments))
    else:
        asyncio.run(main(arguments))

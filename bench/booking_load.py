"""Load: a burst of signed modal submissions (many duplicated) through `bookbot run --workers N`
on PostgreSQL + Redis, into the HubSpot sandbox held to HubSpot's rate limit with latency.

Prints, against the goals of issue 6:
- HubSpot throughput: requests the sandbox admitted per second while work was queued, against
  the allowed rate (limit / window); goal >= 95 %. Bookings per second beside it.
- 429s: answered by the sandbox (the shared limiter should leave none), and reaching a person
  (ledger rows failed with `rate_limited`); goal 0 unhandled.
- lost bookings (a meeting in HubSpot without a `booked` ledger row, a `booked` row without a
  meeting, a row still pending, a booked meeting without its card); goal 0.
- double bookings (one guest or one organizer slot booked twice); goal 0.
- acks: p50 / p99 / max of the submissions' HTTP answers under that load (Slack allows 3 s).

Usage (PostgreSQL and Redis on localhost, as on the project's machines):

    python bench/booking_load.py [--workers 2] [--distinct 200] [--copies 3] [--concurrency 64]
        [--limit 100] [--window 10] [--latency-ms 150]
        [--postgres postgresql://postgres@127.0.0.1:5432/test] [--redis redis://127.0.0.1:6379/0]

Layout: this process is the client (Slack sending requests). A second process plays Slack's Web
API (the double) and HubSpot (the sandbox over HTTP, a counting wrapper in front of it). A third
is `bookbot run --workers N` (HTTP mode), with DATABASE_URL on a fresh PostgreSQL schema and
REDIS_URL with a fresh key prefix; both are removed at the end.

Each distinct booking is a person (own Slack user) who types `/book <page> <time> <guest>`; the
modal opens through the app; then every modal is submitted `--copies` times at once (a double
click, a retry), all distinct bookings together: distinct x copies submissions in one burst.
Pages with a single organizer each, slots 30 minutes apart, so no two bookings compete.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode
from zoneinfo import ZoneInfo

import aiohttp
import httpx
import uvloop

from bot.devtools.slack_requests import EVENTS_PATH, SlackRequests, signed_headers, state_values

BOT_TOKEN = "xoxb-bench-load-token"
HUBSPOT_TOKEN = "pat-na1-bench-load-0000-0000"
ZONE = "America/New_York"
TEAM = "T0BENCH"
CHANNEL = "C0BENCH"
# Pages with one organizer each (none shares an organizer with another): bookings never collide.
# (sales-intro, the other one, asks questions of its own; this bench does not answer them.)
PAGES = (
    "demo",
    "customer-success-quick-call",
    "support-quick-call",
    "solutions-quick-call",
    "partners-quick-call",
    "onboarding-quick-call",
    "billing-quick-call",
    "product-feedback-quick-call",
    "renewals-quick-call",
    "enterprise-quick-call",
)
ROOT = Path(__file__).resolve().parent.parent
# bot/metadata.py's separator between a private_metadata's text and its signature.
SEAL_SEPARATOR = "~"


# --- the remote side: Slack's Web API and HubSpot, in a process of their own -----------------


async def serve_remotes(limit: int, window: float, latency_ms: float, users: int) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route
    from starlette.types import Message, Receive, Scope, Send

    from bot.devtools.sandbox import SandboxConfig, create_sandbox_app
    from bot.devtools.slack_double import SlackDouble

    double = SlackDouble(tokens=[BOT_TOKEN])
    await double.start()
    for index in range(users):
        double.add_user(f"U{index:05d}", tz=ZONE, locale="en-US", name=f"Person {index}")
    sandbox = create_sandbox_app(
        SandboxConfig(access_token=HUBSPOT_TOKEN, rate_limit=limit, rate_window_seconds=window)
    )
    state = sandbox.state.sandbox
    state.config.rate_limit = 1_000_000
    slots = await free_slots(sandbox)
    state.config.rate_limit = limit
    state.reset()  # the look-up above must not count against the app's rate budget
    state.config.latency_seconds = latency_ms / 1000

    statuses: Counter[str] = Counter()
    admitted: list[float] = []

    async def counting(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await sandbox(scope, receive, send)
            return

        async def watch(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                statuses[str(status)] += 1
                if status != 429:
                    admitted.append(time.time())
            await send(message)

        await sandbox(scope, receive, watch)

    async def views(_: Request) -> JSONResponse:
        # Each modal as Slack holds it: the client submits it as is, so its signed
        # private_metadata goes back exactly as Booker wrote it (bot/metadata.py).
        by_user: dict[str, Any] = {}
        for view in double.views.values():
            user = metadata_user(view.get("private_metadata") or "")
            if user and view.get("blocks"):
                by_user[user] = view
        return JSONResponse({"views": by_user, "updates": len(double.calls_to("views.update"))})

    async def stats(_: Request) -> JSONResponse:
        return JSONResponse(
            {
                "statuses": dict(statuses),
                "admitted": admitted,
                "book_calls": state.book_calls,
                "bookings": [
                    {
                        "email": (b.get("guestEmails") or [None])[0],
                        "slug": b.get("slug"),
                        "start": b.get("start"),
                    }
                    for b in state.bookings
                ],
                "cards": len(double.calls_to("chat.postMessage")),
                "views_update": len(double.calls_to("views.update")),
            }
        )

    async def get_slots(_: Request) -> JSONResponse:
        return JSONResponse(slots)

    control = Starlette(
        routes=[Route("/views", views), Route("/stats", stats), Route("/slots", get_slots)]
    )
    servers = []
    for app in (counting, control):
        server = uvicorn.Server(
            uvicorn.Config(
                app,
                host="127.0.0.1",
                port=0,
                log_level="error",
                lifespan="off",
                access_log=False,
            )
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


def metadata_user(private_metadata: str) -> str | None:
    """Whose modal it is: the user in Booker's signed private_metadata (`JSON~signature`; the
    bench reads the JSON and leaves the signature to Booker, as Slack does)."""
    text = private_metadata.rsplit(SEAL_SEPARATOR, 1)[0]
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return None
    meta = data.get("meta", data) if isinstance(data, dict) else None
    user = meta.get("user_id") if isinstance(meta, dict) else None
    return user if isinstance(user, str) else None


async def free_slots(sandbox: Any) -> list[list[str]]:
    """[slug, ISO start] pairs: free 30-minute slots of the pages, 30 minutes apart per page."""
    chosen: list[list[str]] = []
    transport = httpx.ASGITransport(app=sandbox)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://sandbox",
        headers={"Authorization": f"Bearer {HUBSPOT_TOKEN}"},
    ) as http:
        for slug in PAGES:
            starts: set[datetime] = set()
            for month in range(2):
                answer = await http.get(
                    f"/scheduler/v3/meetings/meeting-links/book/availability-page/{slug}",
                    params={"timezone": ZONE, "monthOffset": month},
                )
                answer.raise_for_status()
                by_duration = answer.json()["linkAvailability"]["linkAvailabilityByDuration"]
                for slot in by_duration.get("1800000", {}).get("availabilities", []):
                    starts.add(datetime.fromtimestamp(slot["startMillisUtc"] / 1000, UTC))
            last: datetime | None = None
            for start in sorted(starts):
                if start < datetime.now(UTC) + timedelta(hours=3):
                    continue
                if last is None or start >= last + timedelta(minutes=30):
                    chosen.append([slug, start.isoformat()])
                    last = start
    return chosen


# --- the client -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def words(start: datetime) -> str:
    local = start.astimezone(ZoneInfo(ZONE))
    return f"{local:%B} {local.day} {local.year} {local:%I:%M %p}"


def quantile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def make_schema(postgres: str) -> tuple[str, str]:
    import asyncpg

    schema = f"bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(postgres)
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    await connection.close()
    separator = "&" if "?" in postgres else "?"
    return schema, f"{postgres}{separator}options={quote(f'-csearch_path={schema}')}"


async def drop_schema(postgres: str, schema: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(postgres)
    await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    await connection.close()


async def ledger(postgres: str, schema: str) -> list[dict[str, Any]]:
    import asyncpg

    connection = await asyncpg.connect(postgres)
    rows = await connection.fetch(
        f"SELECT key, status, user_id, guest_email, page_slug, start_at, error_code, message_ts "
        f'FROM "{schema}".bookings'
    )
    await connection.close()
    return [dict(row) for row in rows]


async def drop_redis_keys(url: str, prefix: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def until_healthy(base: str, process: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=base, timeout=2) as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"bookbot run exited with {process.returncode}")
            with contextlib.suppress(httpx.TransportError, ValueError):
                if (await http.get("/healthz")).json().get("ok"):
                    return
            await asyncio.sleep(0.2)
    raise SystemExit("bookbot run did not become healthy")


async def main(args: argparse.Namespace) -> int:
    users = args.distinct
    remotes = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--serve-remotes",
        "--limit",
        str(args.limit),
        "--window",
        str(args.window),
        "--latency-ms",
        str(args.latency_ms),
        "--distinct",
        str(users),
        stdout=subprocess.PIPE,
        cwd=ROOT,
    )
    assert remotes.stdout is not None
    urls = json.loads(await remotes.stdout.readline())
    schema, database_url = await make_schema(args.postgres)
    prefix = f"bench:{secrets.token_hex(4)}:"
    secret = secrets.token_hex(16)
    port = free_port()
    env = os.environ | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": secret,
        "SLACK_API_URL": urls["slack"],
        "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
        "HUBSPOT_BASE_URL": urls["hubspot"],
        "HUBSPOT_RATE_LIMIT": str(args.limit),
        "HUBSPOT_RATE_WINDOW_SECONDS": str(args.window),
        "DATABASE_URL": database_url,
        "REDIS_URL": args.redis,
        "BOOKBOT_REDIS_PREFIX": prefix,
        "BOOKBOT_LOG_LEVEL": "WARNING",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"booking_load_{schema}.log"
    log_file = log_path.open("wb")
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "run",
            "--workers",
            str(args.workers),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        env=env,
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        await until_healthy(base, app)
        return await run(args, base, secret, urls, schema, log_path)
    finally:
        app.send_signal(signal.SIGINT)
        try:
            app.wait(30)
        except subprocess.TimeoutExpired:
            app.kill()
        log_file.close()
        remotes.terminate()
        await remotes.wait()
        await drop_schema(args.postgres, schema)
        await drop_redis_keys(args.redis, prefix)


async def run(
    args: argparse.Namespace,
    base: str,
    secret: str,
    urls: dict[str, str],
    schema: str,
    log_path: Path,
) -> int:
    limits = httpx.Limits(
        max_connections=args.distinct * args.copies,
        max_keepalive_connections=64,
        # under uvicorn's 5 s keep-alive, so an idle pooled connection is never reused closed
        keepalive_expiry=2.0,
    )
    async with (
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http,
        httpx.AsyncClient(base_url=urls["control"], timeout=30) as control,
    ):
        slots = (await control.get("/slots")).json()
        random.Random(7).shuffle(slots)
        if len(slots) < args.distinct:
            raise SystemExit(f"only {len(slots)} free slots; use --distinct {len(slots)} or less")
        plan = [
            (f"U{index:05d}", slug, datetime.fromisoformat(start), f"guest{index}@example.com")
            for index, (slug, start) in enumerate(slots[: args.distinct])
        ]

        # 1. every person opens the modal with what they typed (a few at a time, as people do)
        print(f"opening {len(plan)} modals through the app ...", flush=True)
        opened_at = time.time()
        gate = asyncio.Semaphore(8)

        async def open_modal(user: str, slug: str, start: datetime, email: str) -> None:
            async with gate:
                slack = SlackRequests(http, secret, user_id=user, channel_id=CHANNEL)
                answer = await slack.slash_command(f"{slug} {words(start)} {email}")
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(open_modal(*item) for item in plan))
        views: dict[str, Any] = {}
        for _ in range(600):
            views = (await control.get("/views")).json()["views"]
            if all(user in views and _filled(views[user]) for user, *_ in plan):
                break
            await asyncio.sleep(0.25)
        missing = [user for user, *_ in plan if user not in views]
        print(f"  {len(plan) - len(missing)} modals open in {time.time() - opened_at:.1f} s")

        # HubSpot's budget used by the modals leaves the window: the burst starts on a full one
        await asyncio.sleep(args.window + 1)

        # 2. the burst: every modal submitted `copies` times, all at once
        names = {"guest_first_name": "Ana", "guest_last_name": "Souza"}
        sends = [
            (user, views[user]) for user, *_ in plan if user in views for _ in range(args.copies)
        ]
        random.Random(11).shuffle(sends)
        acks: list[float] = []
        ack_times: list[tuple[float, float]] = []
        ack_kinds: Counter[str] = Counter()
        inline_errors: Counter[str] = Counter()

        in_flight = asyncio.Semaphore(args.concurrency)
        # Built before the burst (the clock covers the HTTP exchange only); signed as sent.
        bodies = [submission_body(user, view, names) for user, view in sends]

        async def submit(body: bytes, session: aiohttp.ClientSession) -> None:
            async with in_flight:
                headers = signed_headers(secret, body, content_type=FORM)
                started = time.perf_counter()
                try:
                    async with session.post(base + EVENTS_PATH, data=body, headers=headers) as r:
                        status, content = r.status, await r.read()
                except (aiohttp.ClientError, TimeoutError) as error:
                    ack_kinds[f"no answer ({type(error).__name__})"] += 1
                    return
                acks.append(time.perf_counter() - started)
                ack_times.append((started - burst_clock, acks[-1]))
            answer = json.loads(content) if content else {}
            ack_kinds[f"{status} {answer.get('response_action', 'empty')}"] += 1
            for field, message in (answer.get("errors") or {}).items():
                inline_errors[f"{field.split(':')[0]}: {message[:70]}"] += 1

        print(f"submitting {len(sends)} times ({args.copies} per modal) at once ...", flush=True)
        # aiohttp, not httpx, for the burst: at 64 in flight httpx's own connection pool cost
        # more CPU than the app under test on 2 cores (a bare Bolt app measured 2.3 s p99).
        async with aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=args.concurrency, keepalive_timeout=2.0),
            timeout=aiohttp.ClientTimeout(total=60),
        ) as session:
            burst_at = time.time()
            burst_clock = time.perf_counter()
            await asyncio.gather(*(submit(body, session) for body in bodies))
            acked_at = time.time()

        # 3. wait for every booking to settle (no pending row, HubSpot quiet)
        rows: list[dict[str, Any]] = []
        stats: dict[str, Any] = {}
        quiet_since = time.time()
        last_calls = -1
        deadline = time.time() + args.settle_seconds
        while time.time() < deadline:
            rows = await ledger(args.postgres, schema)
            stats = (await control.get("/stats")).json()
            if stats["book_calls"] != last_calls:
                last_calls, quiet_since = stats["book_calls"], time.time()
            pending = sum(1 for row in rows if row["status"] == "pending")
            if pending == 0 and len(rows) >= len(views) and time.time() - quiet_since > 3:
                break
            await asyncio.sleep(1)
        await asyncio.sleep(2)  # the last cards
        rows = await ledger(args.postgres, schema)
        stats = (await control.get("/stats")).json()
        metrics_text = (await http.get("/metrics")).text

    report(args, plan, views, rows, stats, acks, ack_kinds, burst_at, acked_at, metrics_text)
    by_second: dict[int, list[float]] = {}
    for sent, took in ack_times:
        by_second.setdefault(int(sent), []).append(took)
    print(
        "ack p99 by second of the burst (sent at +s: p99 ms, n): "
        + ", ".join(
            f"+{second}: {quantile(times, 0.99) * 1000:.0f} ({len(times)})"
            for second, times in sorted(by_second.items())
        )
    )
    if inline_errors:
        print(
            "inline errors in the modal: "
            + "; ".join(f"{k} x{v}" for k, v in inline_errors.items())
        )
    print(f"\napp log: {log_path}")
    return 0


FORM = "application/x-www-form-urlencoded"


def submission_body(user: str, view: dict[str, Any], answers: dict[str, Any]) -> bytes:
    """The view_submission Slack sends for `user`'s modal (as the double holds it, signed
    private_metadata and all) with `answers` typed in."""
    team = SlackRequests.team_id
    payload = {
        "type": "view_submission",
        "team": {"id": team},
        "user": {"id": user, "team_id": team},
        "api_app_id": "A0BOOKER",
        "trigger_id": f"trigger.{time.time_ns()}",
        "view": dict(view) | {"state": {"values": state_values(view, answers)}},
        "response_urls": [],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _filled(view: dict[str, Any]) -> bool:
    """The modal once HubSpot's details are in (the guest inputs are there)."""
    return any(block.get("block_id") == "guest_first_name" for block in view.get("blocks", []))


def report(
    args: argparse.Namespace,
    plan: list[tuple[str, str, datetime, str]],
    views: dict[str, Any],
    rows: list[dict[str, Any]],
    stats: dict[str, Any],
    acks: list[float],
    ack_kinds: Counter[str],
    burst_at: float,
    acked_at: float,
    metrics_text: str,
) -> None:
    allowed_rate = args.limit / args.window
    bookings = stats["bookings"]
    by_status = Counter(row["status"] for row in rows)
    failures = Counter(row["error_code"] for row in rows if row["status"] == "failed")
    booked_emails = Counter(b["email"] for b in bookings)
    organizer_slots = Counter((b["slug"], b["start"]) for b in bookings)
    ledger_booked = {row["guest_email"] for row in rows if row["status"] == "booked"}
    ledger_unknown = {row["guest_email"] for row in rows if row["status"] == "unknown"}
    hubspot_emails = set(booked_emails)

    # throughput: requests HubSpot admitted from the burst until the last booking call answered
    admitted = sorted(t for t in stats["admitted"] if t >= burst_at)
    last_book = max((row_time for row_time in admitted), default=burst_at)
    busy_seconds = max(1e-9, last_book - burst_at)
    # whole windows only, so a partial last window does not flatter or punish the figure
    windows = int(busy_seconds // args.window)
    in_full_windows = sum(1 for t in admitted if t < burst_at + windows * args.window)
    utilisation = (
        in_full_windows / (windows * args.limit) if windows else len(admitted) / args.limit
    )
    booked_count = len(ledger_booked)

    double_guest = sum(1 for n in booked_emails.values() if n > 1)
    double_slot = sum(1 for n in organizer_slots.values() if n > 1)
    lost_hubspot_only = hubspot_emails - ledger_booked - ledger_unknown
    lost_ledger_only = ledger_booked - hubspot_emails
    pending = by_status.get("pending", 0)
    no_row = len(views) - len({row["guest_email"] for row in rows})
    cards_missing = max(0, booked_count - stats["cards"])
    unhandled_429 = failures.get("rate_limited", 0)
    rows_per_person = Counter(row["user_id"] for row in rows)
    split_keys = sum(1 for n in rows_per_person.values() if n > 1)

    print("\n=== booking_load ===")
    print(
        f"workers {args.workers}, PostgreSQL + Redis; HubSpot limit {args.limit} per "
        f"{args.window:g} s ({allowed_rate:.1f}/s), latency {args.latency_ms:g} ms"
    )
    print(
        f"submissions: {len(acks)} ({len(views)} distinct modals x {args.copies}, "
        f"{args.concurrency} in flight at a time); acks: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(ack_kinds.items()))
    )
    print(
        f"HubSpot throughput: {len(admitted)} requests in {busy_seconds:.1f} s after the burst; "
        f"{in_full_windows} in the first {windows} full windows = {utilisation:.1%} of the "
        f"allowed rate (goal >= 95 %)"
    )
    print(
        f"bookings: {booked_count} booked in {busy_seconds:.1f} s = "
        f"{booked_count / busy_seconds:.2f}/s (allowed HubSpot rate {allowed_rate:.1f} req/s; "
        f"{stats['book_calls']} book calls, the rest availability and page reads)"
    )
    print(
        "ledger: "
        + ", ".join(f"{k} {v}" for k, v in sorted(by_status.items()))
        + (f"; failed by reason: {dict(failures)}" if failures else "")
    )
    print(
        f"modals whose copies got different idempotency keys (more than one ledger row): "
        f"{split_keys}"
    )
    print(
        f"429s: {stats['statuses'].get('429', 0)} answered by the sandbox, "
        f"{unhandled_429} reached a person (goal 0)"
    )
    print(
        f"lost bookings: {len(lost_hubspot_only) + len(lost_ledger_only) + pending + no_row} "
        f"(in HubSpot not in ledger {len(lost_hubspot_only)}, booked in ledger not in HubSpot "
        f"{len(lost_ledger_only)}, still pending {pending}, submissions without a row {no_row}); "
        f"cards posted {stats['cards']} for {booked_count} booked (missing {cards_missing})"
    )
    print(
        f"double bookings: {double_guest + double_slot} (same guest twice {double_guest}, "
        f"same organizer slot twice {double_slot}); HubSpot book calls {stats['book_calls']} "
        f"for {len(hubspot_emails)} meetings"
    )
    print(
        f"ack under load (n={len(acks)}): p50 {quantile(acks, 0.5) * 1000:.0f} ms, "
        f"p99 {quantile(acks, 0.99) * 1000:.0f} ms, max {max(acks) * 1000:.0f} ms "
        f"(Slack's limit 3000 ms); burst answered in {acked_at - burst_at:.1f} s"
    )
    waits = [
        line
        for line in metrics_text.splitlines()
        if line.startswith(
            ("bookbot_rate_limiter_wait_seconds_count", "bookbot_rate_limiter_wait_seconds_sum")
        )
    ]
    print("metrics (all workers): " + "; ".join(waits))


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--distinct", type=int, default=200, help="distinct bookings")
    parser.add_argument("--copies", type=int, default=3, help="submissions of each modal")
    parser.add_argument("--limit", type=int, default=100, help="HubSpot requests per window")
    parser.add_argument("--window", type=float, default=10.0, help="HubSpot window, seconds")
    parser.add_argument("--latency-ms", type=float, default=150.0, help="HubSpot latency")
    parser.add_argument("--settle-seconds", type=float, default=240.0)
    parser.add_argument(
        "--concurrency", type=int, default=64, help="submissions in flight at once (Slack's side)"
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    parser.add_argument(
        "--redis", default=os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
    )
    parser.add_argument("--serve-remotes", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    arguments = parse_args()
    if arguments.serve_remotes:
        asyncio.run(
            serve_remotes(
                arguments.limit, arguments.window, arguments.latency_ms, arguments.distinct
            )
        )
    else:
        sys.exit(uvloop.run(main(arguments)))

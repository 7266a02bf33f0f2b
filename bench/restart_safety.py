"""How long a stop and a crash take to settle a booking that HubSpot is answering slowly.

Real `bookbot run` processes against the Slack double and a HubSpot sandbox on its own port (it
takes each booking and answers LATE seconds later), on SQLite or PostgreSQL, HTTP or Socket Mode:

- drain: SIGTERM while the booking is under way -> the process has exited 0 (the booking done,
  its card posted).
- announce: SIGKILL while the booking is under way -> the restarted process has told the person
  (the modal turns to "Not confirmed" with Check again). Most of it is the booking timeout, which
  the run shortens to BOOKING_TIMEOUT seconds (the default is 60) with a pass every RECONCILE s.

    python bench/restart_safety.py [--runs 3] [--mode http|socket] [--ledger sqlite|postgresql]

Prints min / median / max seconds of each. Uses the test suite's rig (tests/restart/conftest.py).
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.i18n import Catalog
from tests.restart.conftest import (
    BOOKING_TIMEOUT,
    GRACE_SECONDS,
    LATE_SECONDS,
    RECONCILE_SECONDS,
    rig,
)


async def _postgres_url() -> tuple[str, str]:
    import asyncpg

    from tests.services import need_postgres
    from tests.store.conftest import _asyncpg_dsn, with_search_path

    url = need_postgres()
    schema = f"bench_{secrets.token_hex(4)}"
    connection = await asyncpg.connect(_asyncpg_dsn(url))
    await connection.execute(f'CREATE SCHEMA "{schema}"')
    await connection.close()
    return with_search_path(url, schema), schema


async def _drop_schema(schema: str) -> None:
    import asyncpg

    from tests.services import need_postgres
    from tests.store.conftest import _asyncpg_dsn

    connection = await asyncpg.connect(_asyncpg_dsn(need_postgres()))
    await connection.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    await connection.close()


async def _one(kind: str, mode: str, ledger: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        schema = None
        if ledger == "postgresql":
            url, schema = await _postgres_url()
        else:
            url = f"sqlite:///{tmp / 'ledger.db'}"
        try:
            async with rig(tmp, mode, url) as running:
                first = await running.start("first")
                view = await running.booking_in_flight()
                started = time.monotonic()
                if kind == "drain":
                    first.process.send_signal(signal.SIGTERM)
                    assert await first.exit_code(GRACE_SECONDS + 5) == 0
                    assert await running.statuses() == ["booked"]
                    return time.monotonic() - started
                first.process.send_signal(signal.SIGKILL)
                await first.exit_code(5)
                await running.start("second")
                told = Catalog.load().for_locale("en-US").t("error.outcome_unknown_title")
                await running.until(
                    lambda: running.view(view["id"])["title"]["text"] == told,
                    "the person told",
                    seconds=60,
                )
                return time.monotonic() - started
        finally:
            if schema is not None:
                await _drop_schema(schema)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--mode", choices=("http", "socket"), default="http")
    parser.add_argument("--ledger", choices=("sqlite", "postgresql"), default="sqlite")
    args = parser.parse_args()
    print(
        f"{args.mode}, {args.ledger}; HubSpot answers {LATE_SECONDS} s late; booking timeout "
        f"{BOOKING_TIMEOUT} s, reconciler every {RECONCILE_SECONDS} s; {args.runs} runs"
    )
    for kind, what in (
        ("drain", "SIGTERM to exit 0 (booking finished, card posted)"),
        ("announce", "SIGKILL to the person told (restart included)"),
    ):
        seconds = [await _one(kind, args.mode, args.ledger) for _ in range(args.runs)]
        print(
            f"{what}: min {min(seconds):.2f} s, median {statistics.median(seconds):.2f} s, "
            f"max {max(seconds):.2f} s"
        )


if __name__ == "__main__":
    asyncio.run(main())
